"""Plain plan/1 data (from YAML, JSON, a workbook, RDF) into a validated
:class:`~validator.plan.model.Plan`, or every problem located in its source map.

pydantic's errors are turned into plain sentences (``expected a whole number, got
'twenty'``) at the key path they concern, and known codes are spelled canonically (codes
are matched without regard to case).
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from validator.core.collector import paused_gc
from validator.core.errors import InputError, Problem
from validator.core.hints import did_you_mean
from validator.core.sourcemap import SourceMap
from validator.plan.model import Objective, Plan, PlanHeader, Solution, Target, reference_problems
from validator.plan.ontology import canonical_code


def plan_from_data(data: Any, source: SourceMap) -> Plan:
    """Validate plain data against plan/1, raising located problems."""
    if not isinstance(data, dict):
        raise InputError([source.problem((), "expected a mapping with 'format', 'plan' and "
                                         "'objectives' at the top of the file")])
    if "format" in data and data["format"] != "plan/1":
        raise InputError([source.problem(("format",), f"unsupported format "
                                         f"{data['format']!r}; expected 'plan/1'")])
    # a large plan is hundreds of thousands of new, acyclic objects: the collector's passes
    # over them would cost a fifth of the load
    with paused_gc():
        try:
            plan = Plan.model_validate(data)
        except ValidationError as exc:
            raise InputError(validation_problems(exc, source)) from None
        problems = [source.problem(path, message)
                    for path, message in reference_problems(plan)]
        if problems:
            raise InputError(problems)
        return normalise_codes(plan)


# --- pydantic errors as plain sentences ---------------------------------------------

_MODEL_FOR_KEY: dict[str, type] = {
    "plan": PlanHeader, "objectives": Objective, "solutions": Solution, "targets": Target,
}


def _model_at(path: tuple[str | int, ...]) -> type:
    for part in reversed(path):
        if isinstance(part, str) and part in _MODEL_FOR_KEY:
            return _MODEL_FOR_KEY[part]
    return Plan


def _keys_of(model: type) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]  # type: ignore[attr-defined]


def _describe(error: dict[str, Any], path: tuple[str | int, ...]) -> str:
    kind = error["type"]
    given = error.get("input")
    shown = repr(given) if not isinstance(given, dict | list) else type(given).__name__
    if kind == "missing":
        return f"missing required key {path[-1]!r}" if path else "missing required key"
    if kind == "extra_forbidden":
        key = str(path[-1])
        keys = _keys_of(_model_at(path[:-1]))
        hint = did_you_mean(key, keys) or f"; expected one of {', '.join(keys)}"
        return f"unknown key {key!r}{hint}"
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return f"expected a whole number, got {shown}"
    if kind in {"float_parsing", "float_type"}:
        return f"expected a number, got {shown}"
    if kind == "string_type":
        return f"expected a text, got {shown}"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"expected one of {expected}, got {shown}"
    if kind.startswith("date"):
        return f"expected a date like 2025-07-18, got {shown}"
    if kind in {"list_type", "tuple_type"}:
        return f"expected a list, got {shown}"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return f"expected a mapping, got {shown}"
    if kind == "too_short" or kind == "too_long":
        return "expected [first_year, last_year]" if path and path[-1] == "period" else (
            error["msg"])
    return str(error["msg"]).removeprefix("Value error, ")


def validation_problems(exc: ValidationError, source: SourceMap) -> list[Problem]:
    """Turn pydantic's errors into located problems, one per error, in file order."""
    problems = []
    for error in exc.errors(include_url=False):
        path = tuple(p if isinstance(p, int) else str(p) for p in error["loc"])
        problems.append(source.problem(path, _describe(error, path)))
    problems.sort(key=lambda p: (p.line or 0, p.column or 0, str(p.path)))
    return problems


# --- codes ---------------------------------------------------------------------------

def normalise_codes(plan: Plan) -> Plan:
    """Spell known codes canonically (``dpi`` -> ``DPI``); unknown codes stay as written."""

    def fix(scheme: str, text: str | None) -> str | None:
        if text is None:
            return None
        return canonical_code(scheme, text) or text

    header = plan.plan
    header.kind = fix("kind", header.kind) or header.kind
    header.level = fix("level", header.level) or header.level
    header.sector = fix("sector", header.sector)
    if header.submitted:
        header.submitted.by = fix("agency", header.submitted.by) or header.submitted.by
    for objective in plan.objectives:
        objective.field = fix("sector", objective.field)
        objective.sector = fix("sector", objective.sector)
        for target in objective.targets:
            target.category = fix("category", target.category)
            target.frequency = fix("frequency", target.frequency)
            target.code = fix("indicator", target.code)
            target.compiling_agency = fix("agency", target.compiling_agency)
            target.providing_agencies = [fix("agency", a) or a
                                         for a in target.providing_agencies]
    return plan
