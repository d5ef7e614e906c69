"""The manual's Chapter IV monitoring tables, built from plans and their actual values.

- ``six_month`` and ``annual``: Table 4.2, the results frame (p.123–125): per field section
  and objective, each output and outcome/impact target's planned unit and value and what
  was achieved in the period (``YEAR-H1`` or ``YEAR``). Input targets are not part of it.
- ``five_year``: Table 4.5 (p.128–129): each target's unit, five-year target, the plan value
  of each year, the achievement of each year, and the completion rate (polarity-aware).

Achievements come from the plan's own ``actual`` values, or from the same indicator in a
loaded annual plan of that year (linked as a child plan).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from validator.core.i18n import _, render
from validator.core.output import write_file
from validator.facts.views import PlanView, TargetView
from validator.plan.model import text_variants
from validator.plan.shown import unit_text, value_text
from validator.rulelang.builtins import is_number
from validator.rulelang.builtins_monitoring import completion_rate, plan_value

SECTIONS = [  # (fields, the section's title)
    (("macro", "economic"), _("ECONOMIC DEVELOPMENT")),
    (("social",), _("SOCIAL DEVELOPMENT")),
    (("environment",), _("NATURAL RESOURCES AND ENVIRONMENT")),
    (("state",), _("STATE MANAGEMENT, SECURITY AND DEFENCE")),
]
OTHER = _("OTHER")
TITLES = {"six_month": _("RESULTS FRAME OF PLAN IMPLEMENTATION, FIRST SIX MONTHS OF {year}"),
          "annual": _("RESULTS FRAME OF PLAN IMPLEMENTATION IN {year}")}
FIVE_YEAR_TITLE = _("M&E FRAMEWORK OF THE FIVE-YEAR PLAN {start}–{end}")
# Table 4.2's columns: planned, then achieved; output, then outcome/impact; unit, then value
RESULTS_COLUMNS = (_("No."), _("Objectives by sector"),
                   _("Planned output: unit"), _("Planned output"),
                   _("Planned outcome/impact: unit"), _("Planned outcome/impact"),
                   _("Achieved output: unit"), _("Achieved output"),
                   _("Achieved outcome/impact: unit"), _("Achieved outcome/impact"))


@dataclass
class Table:
    """A report table: a title, column headers and rows (section rows have one cell)."""

    title: str
    plan: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)  # plan values, shown when written
    lang: str = "vi"


def _text(value: Any, lang: str) -> str:
    variants = text_variants(value) or [""]
    if hasattr(value, "vi"):  # a text in both languages: the reader's, else the other
        return getattr(value, lang, None) or variants[0]
    return variants[0]


def _section(field_code: str | None) -> int:
    for index, (fields, _title) in enumerate(SECTIONS):
        if field_code in fields:
            return index
    return len(SECTIONS)


def _section_title(index: int, lang: str) -> str:
    title = SECTIONS[index][1] if index < len(SECTIONS) else OTHER
    return f"{index + 1}. {render(title, lang)}"


def achieved(target: TargetView, period: str) -> Any:
    """The actual value for ``period``: the target's own, else a loaded annual plan's."""
    if period in target.actual:
        return target.actual[period]
    year = int(period[:4])
    for child in target.child_targets:
        plan = child.plan
        if plan.period_start == plan.period_end == year and period in child.actual:
            return child.actual[period]
    return None


def results_frame(plan: PlanView, form: str, year: int, lang: str) -> Table:
    """Table 4.2 for one plan and period."""
    period = f"{year}-H1" if form == "six_month" else str(year)
    columns = [render(column, lang) for column in RESULTS_COLUMNS]
    table = Table(render(TITLES[form].with_args(year=year), lang), plan.id, columns,
                  lang=lang)
    by_section: dict[int, list[Any]] = {}
    for objective in plan.objectives:
        by_section.setdefault(_section(objective.field), []).append(objective)
    for index in sorted(by_section):
        table.rows.append([_section_title(index, lang)])
        number = 0
        for objective in by_section[index]:
            for target in objective.targets:
                if target.category not in ("output", "outcome", "impact"):
                    continue
                number += 1
                planned = plan_value(target, year)
                got = achieved(target, period)
                unit = unit_text(target.unit, lang)
                cells: list[Any] = ["", "", "", ""]
                slot = 0 if target.category == "output" else 2
                cells[slot:slot + 2] = [unit, planned]
                done: list[Any] = ["", "", "", ""]
                done[slot:slot + 2] = [unit, got if got is not None else ""]
                table.rows.append([f"{index + 1}.{number}",
                                   f"{_text(objective.title, lang)} — "
                                   f"{_text(target.indicator, lang)}", *cells, *done])
    return table


def five_year_frame(plan: PlanView, lang: str) -> Table:
    """Table 4.5 for one five-year plan."""
    years = plan.years
    columns = [render(column, lang) for column in (
        _("No."), _("Indicators"), _("Unit"), _("Five-year target"),
        *[_("Plan {year}", year=y) for y in years],
        *[_("Actual {year}", year=y) for y in years], _("Completion (%)"))]
    title = FIVE_YEAR_TITLE.with_args(start=years[0], end=years[-1])
    table = Table(render(title, lang), plan.id, columns, lang=lang)
    by_section: dict[int, list[TargetView]] = {}
    for target in plan.targets:
        by_section.setdefault(_section(target.objective.field), []).append(target)
    for index in sorted(by_section):
        table.rows.append([_section_title(index, lang)])
        for number, target in enumerate(by_section[index], start=1):
            actuals = [achieved(target, str(y)) for y in years]
            reached = [a for a in actuals if is_number(a)]
            so_far = None
            if reached:
                so_far = sum(reached) if target.rollup == "sum" else reached[-1]
            rate = completion_rate(so_far, target.target, target.direction, target.baseline) \
                if is_number(target.target) else None
            table.rows.append([
                f"{index + 1}.{number}", _text(target.indicator, lang),
                unit_text(target.unit, lang), target.target,
                *[target.annual.get(y, "") for y in years],
                *[a if a is not None else "" for a in actuals],
                "" if rate is None else round(rate, 1)])
    return table


def build_tables(plans: list[PlanView], form: str, year: int | None, lang: str) -> list[Table]:
    """The tables of ``form`` for every plan it applies to."""
    if form == "five_year":
        chosen = [p for p in plans if len(p.years) > 1]
        return [five_year_frame(p, lang) for p in chosen]
    assert year is not None
    annual = [p for p in plans if p.period_start == p.period_end == year]
    chosen = annual or [p for p in plans if year in p.years]
    return [results_frame(p, form, year, lang) for p in chosen]


def _shown(value: Any, lang: str) -> str:
    """A cell as the reader's language writes it (``30.000``, ``6,5–7``)."""
    if value is None or value == "":
        return ""
    return value if isinstance(value, str) else value_text(value, lang)


def _md_cell(value: Any, lang: str) -> str:
    return _shown(value, lang).replace("|", "\\|").replace("\n", " ")


def to_markdown(tables: list[Table]) -> str:
    out: list[str] = []
    for table in tables:
        out += [f"## {table.title}", "", f"`{table.plan}`", ""]
        out.append("| " + " | ".join(_md_cell(c, table.lang) for c in table.columns) + " |")
        out.append("|" + "---|" * len(table.columns))
        for row in table.rows:
            if len(row) == 1:
                row = [f"**{row[0]}**"] + [""] * (len(table.columns) - 1)
            out.append("| " + " | ".join(_md_cell(c, table.lang) for c in row) + " |")
        out.append("")
    return "\n".join(out)


def to_xlsx(tables: list[Table], path: Path) -> None:
    """One sheet per table, with the title, bold headers and section rows."""
    from openpyxl import Workbook  # openpyxl costs 0.1 s to import: only for .xlsx output
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    book.remove(book.active)
    for number, table in enumerate(tables, start=1):
        sheet = book.create_sheet(f"{number}. {table.plan}"[:31])
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append([table.plan])
        sheet.append(table.columns)
        for cell in sheet[3]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            sheet.append([_xlsx_value(v, table.lang) for v in row])
            if len(row) == 1:
                sheet.cell(sheet.max_row, 1).font = Font(bold=True)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    # Excel shows the grouping and decimal marks of the reader's locale
                    cell.number_format = ("#,##0" if float(cell.value).is_integer()
                                          else "#,##0.0#")
        sheet.column_dimensions["B"].width = 60
    buffer = io.BytesIO()
    book.save(buffer)
    write_file(path, buffer.getvalue())


def _xlsx_value(value: Any, lang: str) -> Any:
    """Numbers stay numbers (formatted by the cell); ranges and bounds as text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return _shown(value, lang)
