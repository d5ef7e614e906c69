"""Workbook -> plan/1 data with a cell for every key path (see docs/xlsx.md).

Sheets are read in workbook order: the plan sheet (key–value rows), the consultations
sheet, then every framework sheet. A general framework gives objectives, solutions and
the targets named in its input / output / outcome / impact columns; a targets sheet (the
input, output, outcome or impact detailed framework, or one sheet with a category column)
gives each target's unit, values, frequency, agencies and notes. The same objective or
target met in several sheets is one entity, matched by its ID column when there is one,
else by its name.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from validator.core.errors import InputError, Problem
from validator.core.i18n import Message, _
from validator.core.sourcemap import KeyPath
from validator.formats.xlsx import example, shared, vocab
from validator.formats.xlsx.assemble import Assembler
from validator.formats.xlsx.grid import CellMap, CellProblem, Sheet, no_value, own, ref_of
from validator.formats.xlsx.inferred import InferredHeaderReader
from validator.formats.xlsx.layout import Column, Layout, find_layout
from validator.formats.xlsx.parts import Objective, Solution, Target
from validator.formats.xlsx.plansheet import PlanSheetReader
from validator.formats.xlsx.shared import SharedSolutionsReader
from validator.formats.xlsx.targets import TargetsReader
from validator.formats.xlsx.values import number, text_value
from validator.plan.ontology import field_of, normalize_label
from validator.plan.shown import Label

_GENERAL_PREFIXES = tuple(vocab.key(w) for w in (
    "Mục tiêu chung", "Mục tiêu tổng quát", "General objective", "Overall objective",
    "Objective chung"))


class Reader(PlanSheetReader, InferredHeaderReader, TargetsReader, SharedSolutionsReader,
             Assembler):
    """Reads the sheets of one workbook into plan/1 data; ``given`` header fields
    (``--plan``) fill in what the workbook does not say."""

    def __init__(self, file: str, sheets: list[Sheet],
                 given: Mapping[str, Any] | None = None) -> None:
        self.file = file
        self.sheets = sheets
        self.given = dict(given or {})
        self.inferred: list[tuple[str, str, str | None]] = []
        self.map = CellMap(file)
        self.problems: list[Problem] = []
        self.uncached: list[tuple[Any, KeyPath, str, str]] = []  # (owner, path, cell, formula)
        self.owners: dict[int, tuple[str, str, str | None, KeyPath]] = {}
        self.header: dict[str, Any] = {}
        self.objectives: list[Objective] = []
        # the first objective (in reading order) with each id and each name: found by index,
        # not by scanning every objective for every row
        self.objective_ids: dict[str, Objective] = {}
        self.objective_names: dict[str, tuple[int, Objective]] = {}
        self.order = 0
        self.shared: list[dict[str, Any]] = []  # plan-level solutions
        # only a template (its instructions sheet kept) has example rows to skip
        self.is_template = any(vocab.key(s.name) in example.INSTRUCTION_SHEETS for s in sheets)

    # --- errors --------------------------------------------------------------------

    def error(self, cell: str | None, message: str | Message) -> None:
        self.problems.append(CellProblem(self.file, message, cell=cell))

    def check(self) -> None:
        if self.problems:
            raise InputError(self.problems)

    # --- the whole workbook ------------------------------------------------------------

    def read(self) -> dict[str, Any]:
        plan_sheets = [s for s in self.sheets if self._is_plan_sheet(s)]
        for extra in plan_sheets[1:]:
            self.error(f"{extra.name}!A1", _("a second plan sheet (the first is {first}); a "
                                             "workbook holds one plan",
                                             first=repr(plan_sheets[0].name)))
        if plan_sheets:
            self.read_plan_sheet(plan_sheets[0])
        else:  # the manual's frameworks with a title block: the header is read from it
            self.read_inferred_header()
        consultations: list[dict[str, Any]] = []
        for sheet in self.sheets:
            k = vocab.key(sheet.name)
            if sheet in plan_sheets or k in vocab.SKIPPED_SHEETS:
                continue
            if k in vocab.CONSULTATION_SHEETS:
                consultations = self.read_consultations(sheet)
                continue
            if k in shared.SHEETS:  # plan-level solutions (task groups)
                self.shared = self.read_shared_solutions(sheet)
                continue
            layout = find_layout(sheet, self.file)
            if layout is None:
                continue
            self.check_unknown(layout)
            if layout.is_general:
                self.read_general(layout)
            else:
                self.read_targets(layout)
        self.check()
        if consultations:
            self.header["consultations"] = consultations
        return self.assemble()

    def _is_plan_sheet(self, sheet: Sheet) -> bool:
        if vocab.key(sheet.name) in vocab.PLAN_SHEETS:
            return True
        keys = 0
        for row in sheet.rows(1, 40):
            first = self.first_cell(sheet, row)
            if first and isinstance(sheet.value(*first), str) and vocab.plan_key(
                    sheet.text(*first)) not in (None, ("ignore", None)):
                keys += 1
        return keys >= 4

    @staticmethod
    def first_cell(sheet: Sheet, row: int, start: int = 1) -> tuple[int, int] | None:
        """The first cell from ``start`` on that holds a value (or a formula)."""
        for col in sheet.columns(row, start):
            if own(sheet, row, col) is not None or sheet.uncached(row, col) is not None:
                return row, col
        return None

    def check_unknown(self, layout: Layout) -> None:
        """A column whose header is not understood may stay only if it holds nothing."""
        sheet = layout.sheet
        for column in layout.unknown:
            for row in sheet.rows(layout.data_row):
                if own(sheet, row, column.col) is not None and not self.section_row(
                        layout, row):
                    header = sheet.text(*ref_of(column.cell))
                    self.error(column.cell, _(
                        "unknown column header {header} (its column holds data, e.g. at "
                        "{cell}); use one of the headers listed in docs/xlsx.md, or leave the "
                        "column empty", header=repr(header), cell=sheet.cell(row, column.col)))
                    break

    # --- sections and objectives -----------------------------------------------------

    def section_row(self, layout: Layout, row: int) -> tuple[str, str] | None:
        """``(number, title)`` when ``row`` is a section row ("II.1. Nông nghiệp …")."""
        sheet = layout.sheet
        first = self.first_cell(sheet, row)
        if first is None or not isinstance(own(sheet, *first), str):
            return None
        match = vocab.SECTION.match(sheet.text(*first))
        if not match:
            return None
        data_roles = {c.col for c in layout.columns if c.role not in {"objective", "objective_id"}}
        for col in sheet.columns(row, first[1] + 1):
            if col in data_roles and own(sheet, row, col) is not None:
                return None
        if match.group("num")[0].isdigit() and vocab.section_code(match.group("title")) is None:
            return None  # "1.1. Tăng trưởng …" is an objective numbered like a sub-section
        return match.group("num"), match.group("title")

    def data_rows(self, layout: Layout, state: dict[str, Any]) -> Iterator[tuple[int, bool]]:
        """``(row, is_section)`` for each row below the headers that holds data: empty rows
        and formula rows are skipped; a section row is applied to ``state`` first (its
        objectives take the section's field or sector)."""
        sheet = layout.sheet
        for row in sheet.rows(layout.data_row):
            if self.identity_formulas(layout, row) or self.empty(layout, row) or \
                    self.example_row(layout, row) or self.total_row(layout, row):
                continue
            section = self.section_row(layout, row)
            if section is not None:
                self.apply_section(state, *section, sheet.cell(*self.first_cell(sheet, row)))
            yield row, section is not None

    def total_row(self, layout: Layout, row: int) -> bool:
        """A "Tổng số" / "Total" row (sums of the rows above): not a target; skipped."""
        first = self.first_cell(layout.sheet, row)
        if first is None or first[1] > 3 or first[1] in layout.id_columns:
            return False  # an objective whose id is "Total" is an objective
        return vocab.key(layout.sheet.text(*first)) in vocab.TOTAL_ROWS

    def column_used(self, layout: Layout, column: Column) -> bool:
        """Whether any data row of ``column`` holds a value (once per sheet and column)."""
        cache: dict[tuple[int, int], bool] = self.__dict__.setdefault("_columns_used", {})
        key = (id(layout), column.col)
        if key not in cache:
            cache[key] = any(own(layout.sheet, row, column.col) is not None
                             for row in layout.sheet.rows(layout.data_row))
        return cache[key]

    def example_row(self, layout: Layout, row: int) -> bool:
        """A template's example row (marked in its objective ID cell): skipped when
        untouched, an error when edited (what was typed over it would be lost)."""
        id_col = layout.one("objective_id")
        if id_col is None or not self.is_template or not example.is_mark(
                own(layout.sheet, row, id_col.col)):
            return False
        values: dict[str, Any] = {}
        for column in layout.columns:
            if column.role in ("objective_id", "compare"):
                continue
            name = column.role if column.role not in ("plan", "actual") or (
                column.role == "plan" and column.period in (None, "whole")) else \
                f"{column.role}:{column.period}"
            values.setdefault(name, own(layout.sheet, row, column.col))
        changed = example.edited(values)
        if changed is not None:
            self.error(layout.sheet.cell(row, id_col.col), _(
                "this is the template's example row (marked {mark!r}) but it was edited; "
                "type each objective in a row of its own below it and delete the example "
                "row, or clear the mark", mark=layout.sheet.text(row, id_col.col)))
        return True

    def apply_section(self, state: dict[str, Any], number: str, title: str, cell: str) -> None:
        found = vocab.section_code(title)
        level = number.count(".") + 1
        if found is None:
            self.error(cell, _("section {title} names no field or sector; use a name from "
                               "`plancheck ontology sector`, or put the code in brackets, e.g. "
                               "'II.1. Nông nghiệp [agriculture-rural-development]'",
                               title=repr(title)))
            return
        kind, code = found
        if kind in {"general", "cross"}:
            if self.header.get("kind", "").endswith("sectoral"):
                sector = self.header.get("sector")
                state["field"] = field_of(sector) if sector else None
                state["sector"] = sector if kind == "general" else None
            else:
                state["field"], state["sector"] = ("macro" if kind == "general" else None), None
        elif kind == "bracket":  # explicit: level 1 names the field, deeper levels the sector
            if level == 1:
                state["field"], state["sector"] = code, None
            else:
                state["sector"] = code
        elif vocab.is_field(code):  # type: ignore[arg-type]
            state["field"], state["sector"] = code, None
        else:
            state["sector"] = code
            if level == 1 or state.get("field") is None:
                state["field"] = field_of(code)  # type: ignore[arg-type]
        state["section"] = (number, cell)
        state["general"] = None

    def objective_at(self, layout: Layout, row: int, state: dict[str, Any]) -> Objective | None:
        """The objective a row starts, or None if it continues the current one."""
        sheet = layout.sheet
        id_col, title_col = layout.one("objective_id"), layout.one("objective")
        ident = own(sheet, row, id_col.col) if id_col else None
        title = own(sheet, row, title_col.col) if title_col else None
        starts = [c for c in (id_col, title_col) if c and own(sheet, row, c.col) is not None
                  and sheet.is_start(row, c.col)]
        if not starts:
            return None
        cell = sheet.cell(row, (title_col if title is not None else id_col).col)  # type: ignore
        ident_text = text_value(ident) if ident is not None else None
        main = text_value(title) if title is not None else None
        companion = layout.one("objective", vocab.OTHER["vi"]) or layout.one(
            "objective", vocab.OTHER["en"])
        other = own(sheet, row, companion.col) if companion else None
        name_key = normalize_label(main) if main else ""
        obj = self.find_objective(ident_text, name_key)
        if obj is None:
            obj = Objective(ident_text, name_key, cell)
            self.objectives.append(obj)
            if ident_text is not None:
                self.objective_ids.setdefault(ident_text, obj)
            self.index_name(obj)
            state_general = state.get("general") or state.get("last_general")
            obj.inferred_parent = state_general
        if main is not None or other is not None:
            text = self.bilingual(main, *([(companion.lang, text_value(other))]
                                          if companion and other is not None else []))
            if "title" not in obj.data:
                obj.data["title"] = text
                obj.cells[("title",)] = cell
                if not obj.name_key:
                    obj.name_key = name_key
                    self.index_name(obj)
        if ident_text is not None:
            obj.cells.setdefault(("id",), sheet.cell(row, id_col.col))  # type: ignore
        self.objective_details(layout, row, obj, state)
        return obj

    def find_objective(self, ident: str | None, name_key: str) -> Objective | None:
        if ident is not None:
            return self.objective_ids.get(ident)
        if name_key and name_key in self.objective_names:
            return self.objective_names[name_key][1]
        return None

    def index_name(self, obj: Objective) -> None:
        """Index ``obj`` by its name, unless an objective read before it has that name."""
        if not obj.name_key:
            return
        last = len(self.objectives) - 1
        order = last if obj is self.objectives[last] else self.objectives.index(obj)
        known = self.objective_names.get(obj.name_key)
        if known is None or known[0] > order:
            self.objective_names[obj.name_key] = (order, obj)

    def objective_details(self, layout: Layout, row: int, obj: Objective,
                          state: dict[str, Any]) -> None:
        sheet = layout.sheet
        kind_col, parent_col = layout.one("objective_kind"), layout.one("objective_parent")
        if kind_col is not None:
            raw = own(sheet, row, kind_col.col)
            cell = sheet.cell(row, kind_col.col)
            kind = vocab.code_of("objkind", text_value(raw)) if raw is not None else None
            if kind is not None:
                if obj.kind_explicit and obj.data.get("kind") != kind:
                    self.error(cell, _("objective kind {kind} disagrees with {cell} ({other})",
                                       kind=Label("objkind", kind), cell=obj.cells[("kind",)],
                                       other=Label("objkind", obj.data["kind"])))
                obj.data["kind"], obj.kind_explicit = kind, True
                obj.cells.setdefault(("kind",), cell)
        if "kind" not in obj.data or not obj.kind_explicit:
            title = obj.data.get("title")
            main = title if isinstance(title, str) else (title or {}).get("vi") or (
                title or {}).get("en") or ""
            obj.data["kind"] = "general" if vocab.key(main).startswith(
                _GENERAL_PREFIXES) else "specific"
        if parent_col is not None and self.column_used(layout, parent_col):
            raw = own(sheet, row, parent_col.col)  # a column left blank throughout (a filled
            parent = text_value(raw) if raw is not None else None  # template): inferred
            cell = sheet.cell(row, parent_col.col)
            if obj.parent_explicit and obj.data.get("parent") != parent:
                self.error(cell, _("parent {parent} disagrees with {cell}",
                                   parent=repr(parent), cell=obj.cells[("parent",)]))
            obj.data["parent"], obj.parent_explicit = parent, True
            obj.cells.setdefault(("parent",), cell)
        if "section" in state:
            number, cell = state["section"]
            for name in ("field", "sector"):
                value = state.get(name)
                if obj.section_set and obj.data.get(name) != value and value is not None \
                        and obj.data.get(name) is not None:
                    who = obj.id or obj.cells[("title",)]
                    self.error(cell, _(
                        "section {number} puts objective {who} in {what} {value}, but an "
                        "earlier sheet put it in {other}", number=number, who=who,
                        what=_("field") if name == "field" else _("sector"),
                        value=Label("sector", value),
                        other=Label("sector", obj.data.get(name))))
                elif not obj.section_set or obj.data.get(name) is None:
                    obj.data[name] = value
                    obj.cells[(name,)] = cell
            obj.section_set = True
        if obj.data.get("kind") == "general":
            state["general"] = obj
            state["last_general"] = obj

    # --- general framework -----------------------------------------------------------

    def read_general(self, layout: Layout) -> None:
        sheet = layout.sheet
        state: dict[str, Any] = {}
        current: Objective | None = None
        solution: Solution | None = None
        sol_col, sol_id = layout.one("solution"), layout.one("solution_id")
        target_id = layout.one("target_id")
        for row, section in self.data_rows(layout, state):
            if section:
                current, solution = None, None
                continue
            started = self.objective_at(layout, row, state)
            if started is not None:
                if started is not current:
                    solution = None
                current = started
            if current is None:
                if not state.get("broken"):  # after an error above, it would only echo it
                    self.error(sheet.cell(row, self.first_cell(sheet, row)[1]), _(
                        "this row has targets or solutions but no objective: type the "
                        "objective in its 'Mục tiêu' (Objective) cell, or in the first row "
                        "of its block"))
                    state["broken"] = True
                continue
            state["broken"] = False
            starts = [c for c in (sol_id, sol_col) if c and own(sheet, row, c.col) is not None
                      and sheet.is_start(row, c.col)]
            if starts:
                solution = self.solution_at(layout, row, current)
            elif not any(c and sheet.merged.get((row, c.col)) for c in (sol_id, sol_col)):
                solution = None
            mentions = [c for c in layout.indicator_columns
                        if own(sheet, row, c.col) is not None and sheet.is_start(row, c.col)]
            if target_id is not None and own(sheet, row, target_id.col) is not None and \
                    len(mentions) > 1:
                self.error(sheet.cell(row, target_id.col), _(
                    "with a target ID column, each row names one target (this row names "
                    "several)"))
                continue
            for column in mentions:
                self.mention(layout, row, column, current, solution)

    def solution_at(self, layout: Layout, row: int, obj: Objective) -> Solution:
        sheet = layout.sheet
        sol_col, sol_id = layout.one("solution"), layout.one("solution_id")
        ident = own(sheet, row, sol_id.col) if sol_id else None
        title = own(sheet, row, sol_col.col) if sol_col else None
        cell = sheet.cell(row, (sol_col if title is not None else sol_id).col)  # type: ignore
        ident_text = text_value(ident) if ident is not None else None
        main = text_value(title) if title is not None else None
        name_key = normalize_label(main) if main else ""
        for sol in obj.solutions:
            if (ident_text is not None and sol.id == ident_text) or (
                    ident_text is None and name_key and sol.name_key == name_key):
                return sol
        sol = Solution(ident_text, name_key, cell=cell)  # no ID: one is made (O1.S1)
        obj.solutions.append(sol)
        companion = next((c for c in layout.all("solution") if c.lang), None)
        other = own(sheet, row, companion.col) if companion else None
        text = self.bilingual(main, *([(companion.lang, text_value(other))]
                                      if companion and other is not None else []))
        if text is not None:
            sol.data["title"] = text
            sol.cells[("title",)] = cell
        budget, unit = layout.one("budget"), layout.one("budget_unit")
        if budget is not None and own(sheet, row, budget.col) is not None:
            value = self.cell_value(layout, row, budget, number, sol, ("budget", "value"))
            sol.cells[("budget",)] = sheet.cell(row, budget.col)
            if value is not None:
                sol.data["budget"] = {"value": value}
                if unit is not None and own(sheet, row, unit.col) is not None:
                    sol.data["budget"]["unit"] = text_value(own(sheet, row, unit.col))
                    sol.cells[("budget", "unit")] = sheet.cell(row, unit.col)
        return sol

    def mention(self, layout: Layout, row: int, column: Column, obj: Objective,
                solution: Solution | None) -> None:
        """A target named in the general framework."""
        sheet = layout.sheet
        category = column.role.partition(":")[2] or None
        name = text_value(own(sheet, row, column.col))
        cell = sheet.cell(row, column.col)
        tid_col = layout.one("target_id")
        ident = own(sheet, row, tid_col.col) if tid_col else None
        target = self.find_target(obj, text_value(ident) if ident is not None else None,
                                  category, normalize_label(name))
        if target is None:
            target = Target(text_value(ident) if ident is not None else None,
                            normalize_label(name), category, cell=cell)
            target.data["indicator"] = name
            target.cells[("indicator",)] = cell
            self.order += 1
            target.mention_order = self.order
            obj.targets.append(target)
        elif target.category is None:
            target.category = category
        elif category != target.category:
            self.error(cell, _("this target is {category} here but {other} at {cell}",
                               category=Label("category", category),
                               other=Label("category", target.category), cell=target.cell))
        if solution is not None:
            self.link_solution(target, solution, cell)
        for role in ("compiling_agency", "providing_agencies", "notes"):
            col = layout.one(role)
            if col is None or own(sheet, row, col.col) is None or role in target.data:
                continue
            self.target_field(layout, row, col, target, obj)

    def link_solution(self, target: Target, solution: Solution, cell: str) -> None:
        ref = solution.id or solution
        current = target.data.get("solution")
        if current is not None and current != ref:
            first = target.cells.get(("solution",))
            self.error(cell, _("this target is linked to two solutions ({first} and this row)",
                               first=first))
            return
        target.data["solution"] = ref
        target.cells.setdefault(("solution",), cell)

    def find_target(self, obj: Objective, ident: str | None, category: str | None,
                    name_key: str) -> Target | None:
        if ident is not None:
            found = [t for t in obj.targets if t.id == ident]
            if found:
                return found[0]
            if any(t.id is not None for t in obj.targets):
                return None
        exact = [t for t in obj.targets if t.name_key == name_key and t.category == category]
        if exact:
            return exact[0]
        loose = [t for t in obj.targets if t.name_key == name_key
                 and (t.category is None or category is None)]
        return loose[0] if len(loose) == 1 else None

    def identity_formulas(self, layout: Layout, row: int) -> bool:
        """Refuse formulas without a saved value where a name or id is needed (True if
        any)."""
        found = False
        if not layout.sheet.formulas:
            return False
        for column in layout.columns:
            if column.role in _IDENTITY_ROLES or column.role.startswith("indicator"):
                formula = layout.sheet.uncached(row, column.col)
                if formula is not None:
                    found = True
                    self.error(layout.sheet.cell(row, column.col), no_value(formula))
        return found

    def empty(self, layout: Layout, row: int) -> bool:
        return all(own(layout.sheet, row, c) is None for c in layout.sheet.columns(row))


_IDENTITY_ROLES = {"objective", "objective_id", "objective_kind", "objective_parent",
                   "solution", "solution_id", "target_id", "category"}
