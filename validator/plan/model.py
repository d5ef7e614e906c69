"""Pydantic models of the ``plan/1`` format (see docs/plan-format.md).

Codes (kind, level, field, sector, category, unit, frequency, agencies) are plain strings
here: a code the ontology does not know is a finding, not a load error. ``direction``,
``rollup`` and the objective ``kind`` are closed lists defined by the format itself.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from validator.core.i18n import LANGS, Message, _

Number = int | float


def _failed(kind: str, message: Message) -> PydanticCustomError:
    """An error of the plan format that reads ``message`` in the user's language (the
    shared wording, validator.core.schemas, finds it in the error's context)."""
    return PydanticCustomError(kind, "{message}", {"message": message})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class LocalText(_Strict):
    """A text given in Vietnamese, English or both."""

    vi: str | None = None
    en: str | None = None

    @model_validator(mode="after")
    def _one_language(self) -> LocalText:
        if self.vi is None and self.en is None:
            raise _failed("text", _("expected at least one of 'vi' or 'en'"))
        return self


def _check_text(raw: Any) -> Any:
    if isinstance(raw, LocalText | str):
        return raw
    if isinstance(raw, dict):
        unknown = set(raw) - {"vi", "en"}
        if unknown:
            raise _failed("text", _("unknown language key {key}; expected 'vi' and/or 'en'",
                                    key=repr(sorted(unknown)[0])))
        for lang in LANGS:
            if lang in raw and raw[lang] is not None and not isinstance(raw[lang], str):
                raise _failed("text", _("expected a text in {lang}", lang=repr(lang)))
        return raw
    raise _failed("text", _("expected a text or {example}", example="{vi: ..., en: ...}"))


Text = Annotated[str | LocalText, BeforeValidator(_check_text)]


class Range(_Strict):
    """A value range, e.g. ``{min: 6.5, max: 7}`` for "6.5-7%"."""

    min: Number
    max: Number

    def render(self, number: Callable[[Number], str]) -> str:
        """``6.5–7``, with each end written by ``number``."""
        return f"{number(self.min)}–{number(self.max)}"

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.min > self.max:
            raise _failed("range", _("a range needs min <= max"))
        return self


class AtLeast(_Strict):
    """A lower bound, e.g. ``{at_least: 10}`` for "over 10%"."""

    at_least: Number

    def render(self, number: Callable[[Number], str]) -> str:
        """``≥ 10``, with the bound written by ``number``."""
        return f"≥ {number(self.at_least)}"


class AtMost(_Strict):
    """An upper bound, e.g. ``{at_most: 4}`` for "below 4%"."""

    at_most: Number

    def render(self, number: Callable[[Number], str]) -> str:
        """``≤ 4``, with the bound written by ``number``."""
        return f"≤ {number(self.at_most)}"


def _value_shapes(why: str = "") -> Message:
    text = _("expected a number, a range {range}, a bound {low} or {high}, or a text",
             range="{min, max}", low="{at_least}", high="{at_most}")
    return _("{expected}, not NaN", expected=text) if why else text


def _is_number(raw: Any) -> bool:
    return isinstance(raw, int | float) and not isinstance(raw, bool)


def _check_value(raw: Any) -> Any:
    if _is_number(raw):
        if isinstance(raw, float) and raw != raw:  # NaN
            raise _failed("value", _value_shapes("nan"))
        return raw
    if isinstance(raw, str | Range | AtLeast | AtMost):
        return raw
    if isinstance(raw, dict):
        keys = set(raw)
        shape: type[_Strict] | None = None
        if keys == {"min", "max"}:
            shape = Range
        elif keys == {"at_least"}:
            shape = AtLeast
        elif keys == {"at_most"}:
            shape = AtMost
        if shape is not None:
            for key, item in raw.items():
                if not _is_number(item):
                    raise _failed("value", _("{key} must be a number", key=repr(key)))
            return raw
    raise _failed("value", _value_shapes())


Value = Annotated[Number | Range | AtLeast | AtMost | str, BeforeValidator(_check_value)]

_PERIOD = re.compile(r"^\d{4}(-(H[12]|Q[1-4]|\d{4}))?$")


class Baseline(_Strict):
    """The starting point of a target: ``{year, value}``."""

    year: int | None = None
    value: Value


class Amount(_Strict):
    """A budget amount with its unit, e.g. ``{value: 420, unit: billion VND}``."""

    value: Number
    unit: str


class Submission(_Strict):
    """Who submitted the plan, and when."""

    by: str
    on: dt.date


DOCUMENT_KINDS = ("adopted_plan", "me_framework", "dossier", "monitoring_report")
ADOPTING_BODIES = ("national_assembly", "peoples_council", "peoples_committee",
                   "party_committee")
# what a file may say its source does not publish (or the file does not encode)
NOT_ENCODED = ("solutions", "budgets", "agencies", "frequency", "timing", "data_source",
               "baseline", "annual", "consultations")


class Adoption(_Strict):
    """The act that approved the plan (apart from its submission): a People's Council
    resolution, a People's Committee decision or a Party committee's resolution."""

    act: str | None = None  # its number, e.g. "39/2020/NQ-HĐND"
    on: dt.date | None = None
    body: Literal["national_assembly", "peoples_council", "peoples_committee",
                  "party_committee"] | None = None


class Consultation(_Strict):
    """A participatory step behind the plan."""

    with_: str = Field(alias="with")
    on: dt.date
    participants: int | None = None


class Solution(_Strict):
    """A means by which an objective is pursued."""

    id: str
    title: Text
    budget: Amount | None = None


class SharedSolution(Solution):
    """A plan-level task group: one solution serving several objectives (administrative
    reform, land clearance), named once rather than copied under each."""

    serves: list[str] = Field(min_length=1)


RELATIVE_KINDS = ("percent_change", "times", "points")
# the value keys of a target that may be approximate ("khoảng", "about", "~")
VALUE_KEYS = ("target", "baseline", "annual", "actual", "orientation")


class Relative(_Strict):
    """What a target's values are relative to: "tăng 50% so với năm 2020" is
    ``{year: 2020, kind: percent_change}`` with target 50, "gấp 1,5 lần năm 2020"
    ``{year: 2020, kind: times}``, "giảm 1-1,5 điểm %/năm" ``{kind: points, per_year: true}``:
    the value is a change of the indicator's level, not the level."""

    kind: Literal["percent_change", "times", "points"]
    year: int | None = None  # the base year; none with per_year (each year on the one before)
    per_year: bool = False

    @model_validator(mode="after")
    def _one_base(self) -> Relative:
        if self.per_year and self.year is not None:
            raise _failed("relative", _(
                "a change per year is against the year before: give either 'year' or "
                "'per_year', not both"))
        return self


class Target(_Strict):
    """An indicator with its planned (and reported) values."""

    id: str
    indicator: Text
    solution: str | None = None
    code: str | None = None
    category: str | None = None
    unit: str | None = None
    direction: Literal["increase", "decrease", "maintain"] | None = None
    rollup: Literal["sum", "last", "mean"] | None = None
    baseline: Baseline | None = None
    target: Value | None = None
    annual: dict[int, Value] = Field(default_factory=dict)
    actual: dict[str, Value] = Field(default_factory=dict)
    frequency: str | None = None
    timing: Text | None = None
    compiling_agency: str | None = None
    providing_agencies: list[str] = Field(default_factory=list)
    data_source: Text | None = None
    notes: Text | None = None
    # the prices a money value, share or growth is at: current, or comparative prices of
    # price_year (2010); manual p.183, p.193
    price_basis: Literal["current", "comparative"] | None = None
    price_year: int | None = None
    # a change against a base rather than a level ("tăng 50% so với năm 2020")
    relative_to: Relative | None = None
    # which of the target's values the plan gives as approximate ("khoảng 6,5-7%")
    approximate: list[Literal["target", "baseline", "annual", "actual", "orientation"]] = Field(
        default_factory=list)
    # values for years after the period: a 2030 orientation in a 2021-2025 plan
    orientation: dict[int, Value] = Field(default_factory=dict)
    # "trong đó": the id of the target this one is a part of
    part_of: str | None = None
    # the units counted, by name ("two new-rural districts: Tam Đường, Than Uyên")
    named: list[str] = Field(default_factory=list)

    @field_validator("approximate")
    @classmethod
    def _value_keys(cls, value: list[str]) -> list[str]:
        """Each key once, in a fixed order: a file and its RDF lift say the same."""
        return [name for name in VALUE_KEYS if name in value]

    @field_validator("actual")
    @classmethod
    def _periods(cls, value: dict[str, Any]) -> dict[str, Any]:
        for period in value:
            if not _PERIOD.match(str(period)):
                raise _failed("period", _(
                    "actual period {period} is not a year (2026), half (2026-H1), "
                    "quarter (2026-Q3) or span (2026-2030)", period=repr(period)))
        return value


class Objective(_Strict):
    """A general or specific objective with its solutions and targets."""

    id: str
    kind: Literal["general", "specific"]
    title: Text
    field: str | None = None
    sector: str | None = None
    parent: str | None = None
    solutions: list[Solution] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)


class PlanHeader(_Strict):
    """The plan's header: what it is, where, when, and who wrote it."""

    id: str
    title: Text
    kind: str
    level: str
    locality: str
    sector: str | None = None
    period: tuple[int, int]
    baseline_year: int | None = None
    parent: str | None = None
    excerpt: bool | None = None  # the file holds part of the plan's framework
    submitted: Submission | None = None
    consultations: list[Consultation] = Field(default_factory=list)
    # what the document is: the adopted plan as published (a resolution or decision), an
    # M&E framework, a submission dossier or a monitoring report; None: not said
    document: Literal["adopted_plan", "me_framework", "dossier", "monitoring_report"] | None = None
    adopted: Adoption | None = None
    not_encoded: list[Literal["solutions", "budgets", "agencies", "frequency", "timing",
                              "data_source", "baseline", "annual", "consultations"]] = Field(
        default_factory=list)

    @field_validator("period")
    @classmethod
    def _ordered(cls, value: tuple[int, int]) -> tuple[int, int]:
        if value[0] > value[1]:
            raise _failed("period", _("the first year must not be after the last"))
        return value

    @field_validator("not_encoded")
    @classmethod
    def _in_order(cls, value: list[str]) -> list[str]:
        """Each field once, in a fixed order: a file and its RDF lift say the same."""
        return [name for name in NOT_ENCODED if name in value]

    @property
    def years(self) -> range:
        return range(self.period[0], self.period[1] + 1)


class Plan(_Strict):
    """A whole ``plan/1`` document."""

    format: Literal["plan/1"]
    plan: PlanHeader
    objectives: list[Objective] = Field(default_factory=list)
    # plan-level task groups: solutions that serve several objectives
    solutions: list[SharedSolution] = Field(default_factory=list)

    def dump(self) -> dict[str, Any]:
        """Plain data in the file layout (no empty optional keys)."""
        return self.model_dump(mode="python", by_alias=True, exclude_none=True,
                               exclude_defaults=False)


def format_value(v: Any) -> str:
    """How a value reads in a message: 6.5, 6.5–7, ≥ 10, a list as 'a, b'."""
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if math.isfinite(v) and v == int(v) and abs(v) < 1e15:
            return str(int(v))
        return f"{v:.4f}".rstrip("0").rstrip(".")
    if isinstance(v, Range | AtLeast | AtMost):
        return v.render(format_value)
    if isinstance(v, LocalText):
        return v.vi or v.en or ""
    if isinstance(v, dict):
        return ", ".join(f"{k}: {format_value(x)}" for k, x in v.items())
    if isinstance(v, list | tuple):
        return ", ".join(format_value(x) for x in v)
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def text_variants(v: Any) -> list[str] | None:
    """Every text a value reads as: both languages of a text, each item of a list."""
    if v is None:
        return None
    if isinstance(v, LocalText):
        return [t for t in (v.vi, v.en) if t]
    if isinstance(v, str):
        return [v]
    if isinstance(v, list | tuple):
        out: list[str] = []
        for item in v:
            out.extend(text_variants(item) or [])
        return out
    return [format_value(v)]


def text_of(text: str | LocalText | None, lang: str = "vi") -> str:
    """The text in ``lang`` if given, else the other language, else ''."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    first, second = (text.vi, text.en) if lang == "vi" else (text.en, text.vi)
    return first or second or ""


def reference_problems(plan: Plan) -> list[tuple[tuple[str | int, ...], Message]]:
    """Duplicate ids and dangling references, as (key path, message) pairs; the first
    holder of a duplicate id is named as a reader finds it (the 2nd target of objective
    'G1'), not by its key path."""
    problems: list[tuple[tuple[str | int, ...], Message]] = []
    seen: dict[str, Message] = {}

    def claim(entity_id: str, path: tuple[str | int, ...], holder: Message) -> None:
        if entity_id in seen:
            problems.append((path, _("duplicate id {id} (already the id of {first})",
                                     id=repr(entity_id), first=seen[entity_id])))
        else:
            seen[entity_id] = holder

    objective_ids = {o.id for o in plan.objectives}
    for i, objective in enumerate(plan.objectives):
        claim(objective.id, ("objectives", i, "id"), _("objective number {n}", n=i + 1))
        for j, solution in enumerate(objective.solutions):
            claim(solution.id, ("objectives", i, "solutions", j, "id"),
                  _("solution number {n} of objective {objective}", n=j + 1,
                    objective=repr(objective.id)))
        for j, target in enumerate(objective.targets):
            claim(target.id, ("objectives", i, "targets", j, "id"),
                  _("target number {n} of objective {objective}", n=j + 1,
                    objective=repr(objective.id)))
    for j, shared in enumerate(plan.solutions):
        claim(shared.id, ("solutions", j, "id"), _("plan-level solution number {n}", n=j + 1))
        for k, served in enumerate(shared.serves):
            if served not in objective_ids:
                problems.append((("solutions", j, "serves", k), _(
                    "serves {objective}, which names no objective of this plan",
                    objective=repr(served))))
    problems.extend(_target_problems(plan))
    for i, objective in enumerate(plan.objectives):
        if objective.parent is not None:
            if objective.parent not in objective_ids:
                problems.append((("objectives", i, "parent"),
                                 _("parent {parent} names no objective of this plan",
                                   parent=repr(objective.parent))))
            elif objective.parent == objective.id:
                problems.append((("objectives", i, "parent"),
                                 _("an objective cannot be its own parent")))
        solution_ids = {s.id for s in objective.solutions} | {
            s.id for s in plan.solutions if objective.id in s.serves}
        for j, target in enumerate(objective.targets):
            if target.solution is not None and target.solution not in solution_ids:
                known = ", ".join(sorted(solution_ids)) or _("none")
                problems.append((
                    ("objectives", i, "targets", j, "solution"),
                    _("solution {solution} names no solution of objective {objective} (its "
                      "solutions: {known})", solution=repr(target.solution),
                      objective=repr(objective.id), known=known),
                ))
    return problems


def _target_problems(plan: Plan) -> list[tuple[tuple[str | int, ...], Message]]:
    """A target's ``part_of`` that names no target (or itself, or comes back round), an
    orientation year within the period, a base year after it."""
    problems: list[tuple[tuple[str | int, ...], Message]] = []
    first, last = plan.plan.period
    part_of = {t.id: t.part_of for o in plan.objectives for t in o.targets}
    for i, objective in enumerate(plan.objectives):
        for j, target in enumerate(objective.targets):
            at: tuple[str | int, ...] = ("objectives", i, "targets", j)
            if target.part_of is not None:
                if target.part_of not in part_of:
                    problems.append(((*at, "part_of"), _(
                        "part_of {target} names no target of this plan",
                        target=repr(target.part_of))))
                elif _comes_back(target.id, part_of):
                    problems.append(((*at, "part_of"), _(
                        "target {target} is, through part_of, a part of itself",
                        target=repr(target.id))))
            for year in target.orientation:
                if year <= last:
                    problems.append(((*at, "orientation", str(year)), _(
                        "orientation year {year} is not after the plan's period "
                        "{first}-{last}; give values within the period in 'target' or "
                        "'annual'", year=year, first=first, last=last)))
            if target.relative_to is not None and (target.relative_to.year or 0) > last:
                problems.append(((*at, "relative_to", "year"), _(
                    "the base year {year} is after the plan's last year {last}",
                    year=target.relative_to.year, last=last)))
    return problems


def _comes_back(start: str, part_of: dict[str, str | None]) -> bool:
    seen, node = {start}, part_of.get(start)
    while node is not None:
        if node in seen:
            return node == start
        seen.add(node)
        node = part_of.get(node)
    return False
