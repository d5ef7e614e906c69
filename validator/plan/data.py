"""Plain plan/1 data (from YAML, JSON, a workbook, RDF) into a validated
:class:`~validator.plan.model.Plan`, or every problem located in its source map.

pydantic's errors are turned into plain sentences (``expected a whole number, got
'twenty'``) at the key path they concern (the wording all input files share,
:mod:`validator.core.schemas`), and known codes are spelled canonically (codes
are matched without regard to case).
"""

from __future__ import annotations

import dataclasses
import math
import re
from typing import Any

from pydantic import BaseModel, ValidationError

from validator.core.collector import paused_gc
from validator.core.errors import InputError, Problem
from validator.core.i18n import Message, _
from validator.core.schemas import Wording, located_problems
from validator.core.sourcemap import SourceMap
from validator.plan.model import Objective, Plan, PlanHeader, Solution, Target, reference_problems
from validator.plan.ontology import canonical_code


def plan_from_data(data: Any, source: SourceMap) -> Plan:
    """Validate plain data against plan/1, raising located problems (each naming its
    place as a reader does: "objective 1, target 3, key 'id'")."""
    try:
        return _plan_from_data(data, source)
    except InputError as exc:
        raise InputError([dataclasses.replace(p, place=plan_place(p.path)) if p.path else p
                          for p in exc.problems]) from None


_ENTITIES = {"objectives": _("objective {n}"), "targets": _("target {n}"),
             "solutions": _("solution {n}"), "consultations": _("consultation {n}")}


def plan_place(path: tuple[str | int, ...]) -> tuple[Message, ...]:
    """A key path of a plan file as a reader names the place: ``objectives[0].targets[2]
    .id`` is "objective 1, target 3, key 'id'", ``plan.period[1]`` "the plan's header,
    key 'period', item 2"."""
    parts: list[Message] = []
    steps = list(path)
    if steps and steps[0] == "plan":
        parts.append(_("the plan's header"))
        steps = steps[1:]
    elif len(steps) > 1 and steps[0] == "solutions" and isinstance(steps[1], int):
        parts.append(_("plan-level solution {n}", n=steps[1] + 1))
        steps = steps[2:]
    while steps:
        step = steps.pop(0)
        if isinstance(step, str) and step in _ENTITIES and steps and isinstance(steps[0], int):
            parts.append(_ENTITIES[step].with_args(n=steps.pop(0) + 1))
        elif isinstance(step, int):
            parts.append(_("item {n}", n=step + 1))
        else:
            parts.append(_("key {key}", key=repr(step)))
    return tuple(parts)  # rendered joined by commas, each in the reader's language


def _plan_from_data(data: Any, source: SourceMap) -> Plan:
    if not isinstance(data, dict):
        raise InputError([source.problem((), _("expected a mapping with 'format', 'plan' "
                                               "and 'objectives' at the top of the file"))])
    if "format" in data and data["format"] != "plan/1":
        raise InputError([source.problem(("format",), _(
            "unsupported format {format}; expected 'plan/1'", format=repr(data["format"])))])
    unusable = unusable_values(data, source) if _may_hold_unusable(source) else []
    if unusable:
        raise InputError(unusable)
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


_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_PROBLEMS = 100  # the problems of this kind reported for one file
# what a text file must hold for its data to hold either (a surrogate escape; an infinite,
# NaN or overflowing number): most files do not, and are not walked
_MAYBE = re.compile(r"\\[uU](?:0000)?[dD][89a-fA-F]|(?i:\.(?:inf|nan)\b)|Infinity|NaN|"
                    r"[0-9.][eE]\+?0*[1-9][0-9]|[0-9_]{19}")


MAX_MAGNITUDE = 10**18  # larger numbers overflow the rules' arithmetic (found by a fuzzer)


def _too_large(source: SourceMap, path: tuple[str | int, ...]) -> Problem:
    return source.problem(path, _("the number is larger than 10^18; no quantity of a plan is "
                                  "that large (write it in a larger unit)"))


def _may_hold_unusable(source: SourceMap) -> bool:
    text = getattr(source, "text", "")
    return not text or _MAYBE.search(text) is not None


def unusable_values(data: Any, source: SourceMap) -> list[Problem]:
    """Values no report could write, each at its key path: text with a lone surrogate (a
    JSON ``"\\udfff"`` escape: it cannot be encoded, so every reporter would fail on it)
    and numbers that are not finite (``.inf``, ``1e400``, ``NaN``: JSON has no such
    numbers, so reports would not be standard JSON)."""
    problems: list[Problem] = []
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    while stack and len(problems) < MAX_PROBLEMS:
        path, value = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                problems.append(source.problem(path, _(
                    "the text holds a lone surrogate ({code}), which is not a character and "
                    "cannot be written out; fix the escape in the file",
                    code=ascii(_SURROGATE.search(value).group())[1:-1])))  # type: ignore[union-attr]
        elif isinstance(value, float):
            if not math.isfinite(value):
                problems.append(source.problem(path, _(
                    "expected a finite number, not {value}",
                    value="NaN" if value != value else
                    _("minus infinity") if value < 0 else _("infinity"))))
            elif abs(value) > MAX_MAGNITUDE:
                problems.append(_too_large(source, path))
        elif isinstance(value, int) and not isinstance(value, bool):
            if abs(value) > MAX_MAGNITUDE:
                problems.append(_too_large(source, path))
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and _SURROGATE.search(key):
                    problems.append(source.problem(path, _(
                        "the key {key} holds a lone surrogate, which is not a character and "
                        "cannot be written out; fix the escape in the file", key=ascii(key))))
                    continue
                stack.append(((*path, key), item))
        elif isinstance(value, list | tuple):
            stack.extend(((*path, i), item) for i, item in enumerate(value))
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))


# --- pydantic errors as plain sentences (validator.core.schemas) ------------------------

_MODEL_FOR_KEY: dict[str, type[BaseModel]] = {
    "plan": PlanHeader, "objectives": Objective, "solutions": Solution, "targets": Target,
}


def _model_at(path: tuple[str | int, ...]) -> type[BaseModel]:
    for part in reversed(path):
        if isinstance(part, str) and part in _MODEL_FOR_KEY:
            return _MODEL_FOR_KEY[part]
    return Plan


def _period(error: Any, path: tuple[str | int, ...]) -> Message | None:
    if error["type"] in {"too_short", "too_long"} and path and path[-1] == "period":
        return _("expected [first_year, last_year]")
    return None


# a missing key is reported at its own path, and every error is kept, ``[key]`` steps too
PLAN_WORDING = Wording(_model_at, missing_at_parent=False, key_segments=True,
                       one_per_place=False, special=_period)


def validation_problems(exc: ValidationError, source: SourceMap) -> list[Problem]:
    """Turn pydantic's errors into located problems, one per error, in file order."""
    return located_problems(exc, PLAN_WORDING, source)


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
