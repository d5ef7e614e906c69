"""A finding as a reviewer reads it, in the reports meant for people (text, HTML, the
annotated workbook): the entity named as the reviewer names it ("chỉ tiêu O1.T4 'Tỷ lệ hộ
nghèo'"), its place as a line or a cell rather than a key path, and the values the rule
looked at as labelled sentences ("Giá trị cơ sở: chưa có; Năm cơ sở: 2025").

The raw view (key paths, rule expressions, JSON values) stays in the JSON and SARIF
reports and in ``explain --raw``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from validator.core.i18n import Message, _, render
from validator.plan.model import AtLeast, AtMost, LocalText, Range, text_of
from validator.plan.shown import code_label, number_text, unit_text, value_text
from validator.rulelang import schema

KIND_NAMES = {"plan": _("plan"), "objective": _("objective"), "solution": _("solution"),
              "target": _("target"), "consultation": _("consultation"), "waiver": _("waiver")}
SEVERITY_NAMES = {"error": _("error"), "warning": _("warning"), "info": _("info")}

# what each attribute a rule reads is called in a form (evidence labels)
ATTRIBUTE_NAMES: dict[str, Message] = {
    "id": _("Id"), "title": _("Title"), "kind": _("Kind"), "level": _("Level"),
    "locality": _("Locality"), "sector": _("Sector"), "field": _("Field"),
    "period_start": _("First year"), "period_end": _("Last year"), "years": _("Years"),
    "baseline_year": _("Baseline year"), "parent": _("Parent"), "parent_id": _("Parent"),
    "children": _("Children"), "excerpt": _("Excerpt of a plan"),
    "submitted_by": _("Submitted by"), "submitted_on": _("Submitted on"),
    "budget": _("Budget"), "budget_unit": _("Budget unit"), "indicator": _("Indicator"),
    "code": _("Catalogue code"), "category": _("Category"), "unit": _("Unit"),
    "direction": _("Direction"), "rollup": _("Roll-up"), "baseline": _("Baseline value"),
    "target": _("Target value"), "annual": _("Yearly values"), "actual": _("Actual values"),
    "frequency": _("Collection frequency"), "timing": _("Collection timing"),
    "compiling_agency": _("Compiling agency"),
    "providing_agencies": _("Information-providing agencies"),
    "data_source": _("Data source"), "notes": _("Notes"), "with": _("Consulted"),
    "on": _("Date"), "participants": _("Participants"),
    "relative_kind": _("Change against a base"), "relative_year": _("Base year of the change"),
    "per_year": _("Change each year"), "approximate": _("Approximate values"),
    "orientation": _("Orientation values"), "named": _("Named units"), "part_of": _("Part of"),
    "parts": _("Parts"), "shared_solutions": _("Plan-level solutions serving it"),
    "serves": _("Objectives served"), "shared": _("Plan-level solution"),
}


# where one name means different things on different kinds
KIND_ATTRIBUTE_NAMES: dict[tuple[str, str], Message] = {
    ("objective", "children"): _("Objectives serving it"),
    ("objective", "kind"): _("Objective kind"), ("plan", "kind"): _("Plan kind"),
    ("plan", "children"): _("Lower-level and annual plans"),
    ("objective", "parent"): _("General objective served"),
    ("plan", "parent"): _("Parent plan"), ("plan", "parent_id"): _("Parent plan"),
}


class Names:
    """The entities of a result's plans, to name a finding's entity as a reviewer does."""

    def __init__(self, plans: Iterable[Any]) -> None:
        self._names: dict[tuple[str, str], Any] = {}
        for loaded in plans:
            plan = loaded.plan
            self._names[(loaded.file, plan.plan.id)] = plan.plan.title
            for objective in plan.objectives:
                self._names[(loaded.file, objective.id)] = objective.title
                for solution in objective.solutions:
                    self._names[(loaded.file, solution.id)] = solution.title
                for target in objective.targets:
                    self._names[(loaded.file, target.id)] = target.indicator
            for solution in plan.solutions:  # plan-level solutions
                self._names[(loaded.file, solution.id)] = solution.title

    def entity(self, finding: Any, lang: str) -> str:
        """``chỉ tiêu O1.T4 "Tỷ lệ hộ nghèo"`` / ``target O1.T4 "Poverty rate"``."""
        kind = render(KIND_NAMES.get(finding.entity_kind, finding.entity_kind), lang)
        name = text_of(self._names.get((finding.location.file, finding.entity)), lang)
        return f'{kind} {finding.entity} "{name}"' if name else f"{kind} {finding.entity}"


def place(finding: Any, lang: str) -> str:
    """Where the entity stands: the file and its line (or the sheet and cell of a
    workbook), without the key path."""
    where = finding.location
    if where.cell and "!" not in where.cell and hasattr(where, "render"):
        return where.render(lang)  # a Word table's cell, said in the language
    if where.cell:
        sheet, _sep, cell = where.cell.rpartition("!")
        return render(_("{file}, sheet {sheet}, cell {cell}", file=where.file,
                        sheet=sheet.strip("'"), cell=cell), lang) if sheet else (
            render(_("{file}, cell {cell}", file=where.file, cell=cell), lang))
    if where.line is not None:
        return render(_("{file}, line {line}", file=where.file, line=where.line), lang)
    return where.file


def evidence_rows(finding: Any, lang: str) -> list[tuple[str, str]]:
    """The attributes the rule looked at, as (label, value) in ``lang``; the rule's own
    intermediate values are left to the raw view (JSON, ``explain --raw``)."""
    rows = []
    for key, value in sorted(finding.evidence.items()):
        parts = key.split(".")
        if len(parts) < 2:
            continue  # a let: the message states what it computed
        kind: str | None = finding.entity_kind
        via: Message | None = None  # the last navigation: "(kế hoạch)", "(mục tiêu chung)"
        for part in parts[1:-1]:
            owner = kind or ""
            found = schema.attribute(owner, part)
            kind = found.target_kind if found is not None else None
            via = (KIND_ATTRIBUTE_NAMES.get((owner, part)) if part == "parent"
                   else KIND_NAMES.get(kind or "")) or via
        name = parts[-1]
        label = KIND_ATTRIBUTE_NAMES.get((kind or "", name)) or ATTRIBUTE_NAMES.get(name)
        if label is None:
            continue
        text = render(label, lang)
        shown_via = render(via, lang).lower() if via is not None else ""
        if shown_via and shown_via not in text.lower():
            text = f"{text} ({shown_via})"
        found = schema.attribute(kind or "", name)
        rows.append((text, _value(value, found.type if found else None, name, lang)))
    return rows


def evidence_sentence(finding: Any, lang: str) -> str:
    """``Giá trị cơ sở: chưa có; Năm cơ sở: 2025``."""
    return "; ".join(f"{label}: {value}" for label, value in evidence_rows(finding, lang))


def _value(value: Any, type_: str | None, name: str, lang: str) -> str:
    if value is None or value == [] or value == {}:
        return render(_("not given"), lang)
    if isinstance(value, str) and "#" in value and type_ and type_.startswith("entit"):
        return value.rsplit("#", 1)[1]  # an entity: its id
    if type_ and type_.startswith("code:"):
        scheme = type_.split(":", 1)[1]
        return code_label(scheme, value, lang).strip('"')
    if type_ == "date" and isinstance(value, str):
        try:
            return render(dt.date.fromisoformat(value), lang)
        except ValueError:
            return value
    if name == "providing_agencies" and isinstance(value, list):
        return ", ".join(code_label("agency", v, lang).strip('"') for v in value)
    if name in ("unit", "budget_unit"):
        return unit_text(value, lang)
    if type_ == "int" or "year" in name:  # years and whole-number attributes: 2032
        if isinstance(value, int | float):
            return number_text(value, lang, grouped=False)
        if isinstance(value, list) and all(isinstance(v, int | float) for v in value):
            return ", ".join(number_text(v, lang, grouped=False) for v in value)
    return value_text(_plan_value(value), lang)


def _plan_value(value: Any) -> Any:
    """A value as the JSON evidence holds it, back to the plan's own shape."""
    if isinstance(value, dict):
        keys = set(value)
        if keys == {"min", "max"}:
            return Range(min=value["min"], max=value["max"])
        if keys == {"at_least"}:
            return AtLeast(at_least=value["at_least"])
        if keys == {"at_most"}:
            return AtMost(at_most=value["at_most"])
        if keys and keys <= {"vi", "en"}:
            return LocalText(**value)
        return {k: _plan_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plan_value(v) for v in value]
    return value
