"""Built-ins for monitoring plans against their results (registered with the others)."""

from __future__ import annotations

from typing import Any

from validator.rulelang.builtins import builtin, is_number


@builtin("completion(actual, planned, direction, baseline)", "completion in %, aware of "
         "polarity: actual ÷ planned × 100, but for a decrease target the progress from the "
         "baseline to the plan (or planned ÷ actual × 100 without a baseline)", 3, 4,
         types="(number, number, text, number=) -> number?")
def completion_rate(actual: Any, planned: Any, direction: Any, baseline: Any = None) -> Any:
    if not (is_number(actual) and is_number(planned)):
        return None
    if direction == "decrease":
        if is_number(baseline) and baseline != planned:
            return (baseline - actual) / (baseline - planned) * 100
        return None if actual == 0 else planned / actual * 100
    return None if planned == 0 else actual / planned * 100


@builtin("period(year, part)", 'the key of a reporting period: period(2027, "H1") is '
         '"2027-H1", period(2027, "") is "2027"', 2,
         types="(number, text) -> period?")
def _period(year: Any, part: Any) -> Any:
    if not is_number(year) or not isinstance(part, str):
        return None
    return f"{int(year)}-{part}" if part else str(int(year))


@builtin("plan_value(target, year)", "what a target plans for one year: its yearly value, "
         "or its period value in a one-year (annual) plan", 2,
         types="(entity[target], number) -> value?")
def plan_value(target: Any, year: Any) -> Any:
    annual = getattr(target, "annual", None)
    if not isinstance(annual, dict) or not is_number(year):
        return None
    if year in annual:
        return annual[year]
    plan = target.plan
    if plan.period_start == plan.period_end == year:
        return target.target
    return None
