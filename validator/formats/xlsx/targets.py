"""Targets sheets: one target per row, with its unit, values per period, codes and notes."""

from __future__ import annotations

import re
from typing import Any

from validator.core.i18n import _
from validator.core.sourcemap import KeyPath
from validator.formats.xlsx import qualifiers, vocab
from validator.formats.xlsx.grid import own
from validator.formats.xlsx.layout import Column, Layout
from validator.formats.xlsx.parts import Objective, Solution, Target
from validator.formats.xlsx.values import (
    CellValueError,
    agency_list,
    plan_value,
    text_value,
    whole_number,
)
from validator.plan.ontology import canonical_code, normalize_label
from validator.plan.shown import Label

_TARGET_ROLES = {"code", "unit", "direction", "rollup", "frequency", "timing",
                 "compiling_agency", "providing_agencies", "data_source", "notes",
                 "baseline_year", "price_basis", "price_year", *qualifiers.ROLES}
_CODE_SCHEMES = {"direction": "direction", "rollup": "rollup",
                 "frequency": "frequency", "compiling_agency": "agency", "code": "indicator"}


_UNIT_IN_NAME = re.compile(r"\(\s*([^()]{1,20}?)\s*\)\s*$")


def unit_in_name(name: str) -> str | None:
    """The unit an indicator's name ends with in parentheses ("Tỷ lệ hộ nghèo (%)"), when
    the ontology knows it as a unit; as written."""
    match = _UNIT_IN_NAME.search(name)
    if match is None or canonical_code("unit", match.group(1)) is None:
        return None
    return match.group(1)


class TargetsReader:
    """Mixin of :class:`~validator.xlsx.reader.Reader`: the targets sheets."""

    # --- targets sheets --------------------------------------------------------------

    def read_targets(self, layout: Layout) -> None:
        sheet = layout.sheet
        indicators = layout.indicator_columns
        if len(indicators) != 1:
            self.error(sheet.cell(layout.header_row, 1), _(
                "a targets sheet needs one indicator column ('Chỉ tiêu', or 'Chỉ tiêu đầu vào' "
                "/ 'đầu ra' / 'kết quả')"))
            return
        if layout.one("objective") is None and layout.one("objective_id") is None:
            self.error(indicators[0].cell, _("a targets sheet needs an objective column "
                                             "('Mục tiêu') to say which objective each "
                                             "target measures"))
            return
        column = indicators[0]
        state: dict[str, Any] = {}
        current: Objective | None = None
        for row, section in self.data_rows(layout, state):  # type: ignore[attr-defined]
            if section:
                current = None
                continue
            current = self.objective_at(layout, row, state) or current
            companion = self.companion(layout, column)
            name = own(sheet, row, column.col)
            if name is None and companion is not None:
                name = own(sheet, row, companion.col)
            if name is None:
                data_cols = [c for c in layout.columns if c.role not in
                             {"objective", "objective_id", "objective_kind", "objective_parent"}
                             and own(sheet, row, c.col) is not None]
                if data_cols:
                    self.error(sheet.cell(row, data_cols[0].col), _(
                        "a row with target data but no indicator name in {sheet} column "
                        "{cell}", sheet=column.cell[: column.cell.rfind("!")],
                        cell=sheet.cell(row, column.col)))
                continue
            if current is None:
                if not state.get("broken"):  # after an error above, it would only echo it
                    self.error(sheet.cell(row, column.col), _(
                        "a target before any objective: put its objective in the objective "
                        "column"))
                    state["broken"] = True
                continue
            state["broken"] = False
            self.target_row(layout, row, column, current)

    def target_row(self, layout: Layout, row: int, column: Column, obj: Objective) -> None:
        sheet = layout.sheet
        cell = sheet.cell(row, column.col)
        companion = self.companion(layout, column)
        main = own(sheet, row, column.col)
        other = own(sheet, row, companion.col) if companion else None
        name = text_value(main if main is not None else other)
        category = column.role.partition(":")[2] or None
        cat_col = layout.one("category")
        if cat_col is not None and own(sheet, row, cat_col.col) is not None:
            given = vocab.code_of("category", text_value(own(sheet, row, cat_col.col)))
            if category is not None and given != category:
                self.error(sheet.cell(row, cat_col.col), _(
                    "category {given} disagrees with the column header {cell} ({category})",
                    given=Label("category", given), cell=column.cell,
                    category=Label("category", category)))
            category = given
        if category is None and cat_col is None:  # a category column is the last word
            category = layout.category
        elif layout.category is not None and category != layout.category and cat_col is None:
            self.error(column.cell, _("the header says {category} targets but the sheet's "
                                      "title says {title}", category=Label("category", category),
                                      title=Label("category", layout.category)))
            return
        tid_col = layout.one("target_id")
        ident = own(sheet, row, tid_col.col) if tid_col else None  # none: made (O1.T1)
        ident_text = text_value(ident) if ident is not None else None
        target = self.find_target(obj, ident_text, category, normalize_label(name))
        if target is not None and target.detail_cell is not None:
            self.error(cell, _("target {name} appears twice (first at {cell})",
                               name=repr(name), cell=target.detail_cell))
            return
        if target is None:
            target = Target(ident_text, normalize_label(name), category, cell=cell)
            obj.targets.append(target)
        elif target.category is None:
            target.category = category
        elif category is not None and category != target.category:
            self.error(cell, _("this target is {category} here but {other} at {cell}",
                               category=Label("category", category),
                               other=Label("category", target.category), cell=target.cell))
        if target.id is None:
            target.id = ident_text
        target.detail_cell = cell
        target.cell = cell
        self.order += 1
        target.detail_order = self.order
        target.data["indicator"] = self.bilingual(
            text_value(main) if main is not None else None,
            *([(companion.lang, text_value(other))] if companion and other is not None
              else []))
        target.cells[("indicator",)] = cell
        if layout.one("unit") is None:  # with a unit column, a blank unit is no unit
            unit = unit_in_name(name)  # "Tỷ lệ hộ nghèo (%)" with no unit column
            if unit is not None:
                target.data["unit"] = unit
                target.cells[("unit",)] = cell
        if target.category is not None and cat_col is not None:
            target.cells[("category",)] = sheet.cell(row, cat_col.col)
        present = set(sheet.columns(row))  # the columns this row holds anything in
        for col in layout.columns:
            if col.lang is not None or col.col not in present and col.role not in {
                    "timing", "data_source", "notes"}:
                continue
            if col.role in _TARGET_ROLES and (own(sheet, row, col.col) is not None
                                              or self.companion_only(layout, row, col)):
                self.target_field(layout, row, col, target, obj)
            elif col.role in {"plan", "actual", "baseline"}:
                self.target_value(layout, row, col, target, obj)
        self.link_detail_solution(layout, row, target, obj)
        self.points_unit(target)

    def points_unit(self, target: Target) -> None:
        """A value cell in percentage points ("1-1,5 điểm %") gives the unit when no unit
        cell does, and must agree with the one that does."""
        cell = target.cells.pop(("points",), None)
        if cell is None:
            return
        unit = target.data.get("unit")
        if unit is None:
            target.data["unit"] = qualifiers.POINTS_UNIT
            target.cells[("unit",)] = cell
        elif canonical_code("unit", unit) != qualifiers.POINTS_UNIT:
            self.error(cell, _("the value is in percentage points but the unit is {unit}",
                               unit=repr(unit)))

    @staticmethod
    def companion_only(layout: Layout, row: int, col: Column) -> bool:
        """A text given only in its other-language column (an English-only note in a
        Vietnamese workbook)."""
        if col.role not in {"timing", "data_source", "notes"}:
            return False
        companion = next((c for c in layout.all(col.role) if c.lang), None)
        return companion is not None and own(layout.sheet, row, companion.col) is not None

    @staticmethod
    def companion(layout: Layout, column: Column) -> Column | None:
        """The other-language column of an indicator column."""
        return next((c for c in layout.all(column.role) if c.lang), None) or next(
            (c for c in layout.all("indicator") if c.lang), None)

    def link_detail_solution(self, layout: Layout, row: int, target: Target,
                             obj: Objective) -> None:
        col = layout.one("solution_id")
        if col is None or own(layout.sheet, row, col.col) is None:
            return
        ident = text_value(own(layout.sheet, row, col.col))
        cell = layout.sheet.cell(row, col.col)
        sol = next((s for s in obj.solutions if s.id == ident), None)
        current = target.data.get("solution")
        current_id = current.id if isinstance(current, Solution) else current
        if current is not None and current_id != ident:
            self.error(cell, _("solution {ident} disagrees with {cell} ({current})",
                               ident=repr(ident), cell=target.cells[("solution",)],
                               current=repr(current_id)))
            return
        target.data["solution"] = sol or ident
        target.cells[("solution",)] = cell

    def target_field(self, layout: Layout, row: int, col: Column, target: Target,
                     obj: Objective) -> None:
        sheet = layout.sheet
        raw = own(sheet, row, col.col)
        cell = sheet.cell(row, col.col)
        path = (col.role,)
        formula = sheet.uncached(row, col.col)
        if formula is not None:
            self.uncached.append((target, path, cell, formula))
            return
        role = col.role
        if role in {"timing", "data_source", "notes"}:
            companion = next((c for c in layout.all(role) if c.lang), None)
            other = own(sheet, row, companion.col) if companion else None
            value: Any = self.bilingual(None if raw is None else text_value(raw), *(
                [(companion.lang, text_value(other))] if companion and other is not None
                else []))
        elif role == "providing_agencies":
            value = [vocab.code_of("agency", a) for a in agency_list(raw)]
        elif role in _CODE_SCHEMES:
            value = vocab.code_of(_CODE_SCHEMES[role], text_value(raw))
        elif role == "price_year":
            try:
                value = whole_number(raw, _("a year"))
            except CellValueError as exc:
                self.error(cell, exc.args[0])
                return
        elif role == "price_basis":
            value = vocab.PRICE_BASES.get(normalize_label(text_value(raw)), text_value(raw))
        elif role in qualifiers.ROLES:
            try:
                qualifiers.read_cell(target.data, role, raw, col.period)
            except CellValueError as exc:
                self.error(cell, exc.args[0])
                return
            target.cells[qualifiers.PATHS[role]] = cell
            return
        elif role == "baseline_year":
            try:
                value = whole_number(raw, _("a year"))
            except CellValueError as exc:
                self.error(cell, exc.args[0])
                return
            target.data.setdefault("baseline", {})["year"] = value
            target.cells[("baseline", "year")] = cell
            target.cells.setdefault(("baseline",), cell)
            return
        else:
            value = text_value(raw)
        target.data[role] = value
        target.cells[(role,)] = cell

    def target_value(self, layout: Layout, row: int, col: Column, target: Target,
                     obj: Objective) -> None:
        sheet = layout.sheet
        if own(sheet, row, col.col) is None and sheet.uncached(row, col.col) is None:
            return
        period = self.header.get("period") or [None, None]
        first, last = period
        one_year = first is not None and first == last
        slot = col.period
        if col.role == "baseline":
            path: KeyPath = ("baseline", "value")
            if slot not in (None, "whole"):
                if not slot.isdigit():
                    self.error(col.cell, _("a baseline column names one year"))
                    return
                target.data.setdefault("baseline", {})["year"] = int(slot)
                target.cells[("baseline", "year")] = col.cell
        elif col.role == "plan":
            span = f"{first}-{last}"
            if slot in (None, "whole") or slot == span:
                path = ("target",)
            elif slot.isdigit():
                path = ("annual", int(slot))
            else:
                self.error(col.cell, _("plan values are given per year or for the whole "
                                       "period, not for {slot}", slot=repr(slot)))
                return
        else:
            if slot in (None, "whole"):
                key = str(first) if one_year else f"{first}-{last}"
            else:
                key = slot
            path = ("actual", key)
        _rest, approximate, points = qualifiers.qualified(own(sheet, row, col.col))
        convert = qualifiers.qualified_value if approximate or points else plan_value
        value = self.cell_value(layout, row, col, convert, target, path,
                                percent=sheet.percent(row, col.col))
        if value is None:
            return
        cell = sheet.cell(row, col.col)
        if approximate:  # "khoảng 6,5-7"
            keys = target.data.setdefault("approximate", [])
            if path[0] not in keys:
                keys.append(path[0])
            target.cells.setdefault(("approximate",), cell)
        if points:  # "1-1,5 điểm %"
            target.cells.setdefault(("points",), cell)
        if path == ("baseline", "value"):
            target.data.setdefault("baseline", {})["value"] = value
            target.cells[("baseline",)] = cell
        elif path == ("target",):
            target.data["target"] = value
            if one_year and col.period is None:
                target.data.setdefault("annual", {})[first] = value
                target.cells.setdefault(("annual",), cell)
        else:
            target.data.setdefault(path[0], {})[path[1]] = value
            target.cells.setdefault((path[0],), cell)
        target.cells[path] = cell

    def cell_value(self, layout: Layout, row: int, col: Column, convert: Any, owner: Any,
                   path: KeyPath, percent: bool = False) -> Any:
        sheet = layout.sheet
        cell = sheet.cell(row, col.col)
        formula = sheet.uncached(row, col.col)
        if formula is not None:
            self.uncached.append((owner, path, cell, formula))
            return None
        raw = own(sheet, row, col.col)
        try:
            return convert(raw, percent) if convert is plan_value else convert(raw)
        except CellValueError as exc:
            self.error(cell, exc.args[0])
            return None
