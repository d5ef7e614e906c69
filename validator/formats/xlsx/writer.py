"""plan/1 -> workbook in the layout of docs/xlsx.md, with drop-downs from the ontology.

Sheets: the plan (key–value rows), consultations, the general framework (objectives,
solutions and the targets named by category, as in the manual's Fig 3.1/3.9) and one
targets sheet (the detailed frameworks of Fig 3.10–3.12 with a category column, as in
Appendix 5), plus a hidden sheet of code lists for the drop-downs. Every header written
here is one the reader knows, and the reader turns every label written here back into its
code, so a written plan loads back equal to itself.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable
from copy import copy
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import MergedCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from validator.formats.xlsx import qualifiers, shared, vocab
from validator.formats.xlsx.values import format_value
from validator.plan.model import LocalText, Objective, Plan, Target
from validator.plan.ontology import codes, normalize_label
from validator.plan.timeline import agencies_on, levels_for_period

SPARE_ROWS = 200  # empty rows with drop-downs under the data, for the submitter to fill
CATEGORIES = ("input", "output", "outcome", "impact")

SHEETS = {
    "vi": {"plan": "Kế hoạch", "consultations": "Tham vấn", "general": "Khung chung",
           "targets": "Chỉ tiêu", "lists": "Danh mục"},
    "en": {"plan": "Plan", "consultations": "Consultations", "general": "General framework",
           "targets": "Targets", "lists": "Lists"},
}
TITLES = {
    "vi": {"plan": "THÔNG TIN KẾ HOẠCH",
           "general": "KHUNG THEO DÕI VÀ ĐÁNH GIÁ — KHUNG CHUNG",
           "targets": "KHUNG THEO DÕI VÀ ĐÁNH GIÁ — CHI TIẾT CÁC CHỈ TIÊU",
           "consultations": "CÁC BƯỚC THAM VẤN",
           "note": "Tài liệu tham khảo: Sổ tay theo dõi và đánh giá dựa trên kết quả (Bộ KH&ĐT, "
                   "2013), Hình 3.1–3.16. Bố cục: docs/xlsx.md."},
    "en": {"plan": "PLAN INFORMATION",
           "general": "M&E FRAMEWORK — GENERAL FRAMEWORK",
           "targets": "M&E FRAMEWORK — DETAILED TARGETS",
           "consultations": "CONSULTATIONS",
           "note": "Reference: MPI 2013 manual on results-based M&E, Fig 3.1–3.16. "
                   "Layout: docs/xlsx.md."},
}
GROUPS = {
    "vi": {"targets": "Chỉ tiêu theo kỳ kế hoạch", "agencies": "Cơ quan chịu trách nhiệm",
           "plan": "Kế hoạch", "actual": "Thực hiện", "compare": "So sánh (%)"},
    "en": {"targets": "Phased planning targets", "agencies": "Responsible agencies",
           "plan": "Plan", "actual": "Implementation", "compare": "Comparison (%)"},
}
PLAN_ROWS = ("id", "title", "title+", "kind", "level", "locality", "sector", "first_year",
             "last_year", "baseline_year", "parent", "excerpt", "submitted_by", "submitted_on")
ADOPTION_ROWS = ("document", "adopted_act", "adopted_on", "adopted_by", "not_encoded")

_THIN = Side(style="thin", color="9AA5B1")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")


def _styles() -> list[NamedStyle]:
    """Named styles, new for each workbook: one assignment per cell is far cheaper than
    setting font, fill, border and alignment one by one."""
    return [
        NamedStyle("pc-head", font=Font(bold=True), border=_BORDER,
                   fill=PatternFill("solid", fgColor="DCE6F1"),
                   alignment=Alignment(wrap_text=True, vertical="center",
                                       horizontal="center")),
        NamedStyle("pc-cell", border=_BORDER, alignment=_WRAP),
        NamedStyle("pc-key", font=Font(bold=True), border=_BORDER, alignment=_WRAP),
        NamedStyle("pc-section", font=Font(bold=True), border=_BORDER,
                   fill=PatternFill("solid", fgColor="F2F2F2")),
        NamedStyle("pc-date", border=_BORDER, number_format="yyyy-mm-dd",
                   alignment=Alignment(vertical="top")),
    ]


# --- texts and codes -------------------------------------------------------------------

def split_text(text: str | LocalText | None, lang: str) -> tuple[str | None, str | None]:
    """(main, companion): a plain text is main; a vi/en text is split by language."""
    if text is None or isinstance(text, str):
        return text, None
    if lang == "vi":
        return text.vi, text.en
    return text.en, text.vi


def unit_label(code: str | None, lang: str) -> str | None:
    """A unit is written (and read) verbatim, as in the YAML format; the drop-down offers
    the ontology's units by their label in the workbook's language."""
    if code is None:
        return None
    return code


def agencies_text(agencies: Iterable[str], lang: str) -> str | None:
    text = "; ".join(vocab.code_label("agency", a, lang) for a in agencies)
    return text or None


# --- the workbook ----------------------------------------------------------------------

def plan_workbook(plan: Plan, lang: str = "vi", spare: int = SPARE_ROWS,
                  optional: bool = False) -> bytes:
    """The plan as .xlsx bytes (stable: the same plan gives the same bytes). The optional
    rows, columns and sheets are written when the plan says what they hold, or all of
    them with ``optional`` (a template shows what may be said)."""
    book = Workbook()
    for style in _styles():
        book.add_named_style(style)
    names = SHEETS[lang]
    plan_sheet = book.active
    plan_sheet.title = names["plan"]
    lists = _lists_sheet(book, names["lists"], lang, plan)
    _plan_sheet(plan_sheet, plan, lang, lists, optional)
    _consultations_sheet(book.create_sheet(names["consultations"]), plan, lang, spare)
    _general_sheet(book.create_sheet(names["general"]), plan, lang, lists, spare)
    if plan.solutions or optional:  # plan-level solutions (task groups)
        shared.write_sheet(book.create_sheet(shared.NAMES[lang]), plan, lang, split_text, _head)
    formulas = _targets_sheet(book.create_sheet(names["targets"]), plan, lang, lists, spare,
                              optional)
    _texts_stay_texts(book, {(names["targets"], ref) for ref in formulas})
    book.move_sheet(names["lists"], offset=len(book.sheetnames) - 1 - book.sheetnames.index(
        names["lists"]))
    return save_stable(book)


def _texts_stay_texts(book: Workbook, formulas: set[tuple[str, str]]) -> None:
    """A plan's text that starts with "=" is written as text, never as a formula (a
    converted plan must not make the reviewer's spreadsheet compute anything); only the
    comparison formulas in ``formulas`` stay formulas."""
    for sheet in book.worksheets:
        for cell in sheet._cells.values():  # the cells written (iter_rows would add blanks)
            if cell.data_type == "f" and (sheet.title, cell.coordinate) not in formulas:
                cell.data_type = "s"


def save_stable(book: Workbook) -> bytes:
    """Save with fixed timestamps, so that the same content gives the same bytes."""
    raw = io.BytesIO()
    book.save(raw)
    out = io.BytesIO()
    stamp = "2000-01-01T00:00:00Z"
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" +
                              stamp.encode(), data)
            entry = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, data)
    return out.getvalue()


def plan_agencies(plan: Plan, lang: str) -> list[str]:
    """The agencies a plan's drop-downs offer, by their label in ``lang``: those that exist
    during the plan's period at its level and the levels next to it then (a commune plan of
    2026-2030: commune bodies and provincial departments, no district, never a ministry),
    without the Party committees (they approve, never compile or provide), and every agency
    the plan itself names."""
    first, last = plan.plan.period
    levels = list(levels_for_period(first, last))
    here = plan.plan.level
    near = [here]
    if here in levels:
        at = levels.index(here)
        near += [lv for lv in levels[max(at - 1, 0):at + 2] if lv != "nation" or here == "nation"]
    found: list[str] = []
    for year in (first, last):
        for level in near:
            for code in agencies_on(level, dt.date(year, 1, 1), approvers=False):
                if code not in found:
                    found.append(code)
    if not found:  # a level that does not exist for the period: its agencies of any date
        found = [c for c, e in codes("agency").items() if here in e.levels]
    named = [a for t in plan_targets(plan) for a in (t.compiling_agency, *t.providing_agencies)]
    if plan.plan.submitted:
        named.append(plan.plan.submitted.by)
    for agency in named:
        if agency and agency in codes("agency") and agency not in found:
            found.append(agency)
    labels = [vocab.code_label("agency", c, lang) for c in found]
    return sorted(labels, key=lambda text: (normalize_label(text), text))


def plan_targets(plan: Plan) -> Iterable[Target]:
    """Every target of the plan, objective by objective."""
    for objective in plan.objectives:
        yield from objective.targets


def _lists_sheet(book: Workbook, title: str, lang: str, plan: Plan) -> dict[str, str]:
    """A hidden sheet with one column of labels per code list; returns list -> range."""
    sheet = book.create_sheet(title)
    sheet.sheet_state = "hidden"
    lists = {
        "category": [vocab.code_label("category", c, lang) for c in CATEGORIES],
        "unit": [c if lang == "en" or not c[:1].isalpha() else
                 vocab.code_label("unit", c, lang) for c in codes("unit")],
        "frequency": [vocab.code_label("frequency", c, lang) for c in codes("frequency")],
        "agency": plan_agencies(plan, lang),
        "direction": [vocab.code_label("direction", c, lang) for c in codes("direction")],
        "rollup": [vocab.code_label("rollup", c, lang) for c in codes("rollup")],
        "kind": [vocab.code_label("kind", c, lang) for c in codes("kind")],
        "level": [vocab.code_label("level", c, lang) for c in codes("level")],
        "objkind": [vocab.code_label("objkind", c, lang) for c in codes("objkind")],
    }
    ranges = {}
    quoted = "'" + title.replace("'", "''") + "'"
    for col, (name, labels) in enumerate(lists.items(), start=1):
        sheet.cell(1, col, name)
        for row, label in enumerate(labels, start=2):
            sheet.cell(row, col, label)
        letter = get_column_letter(col)
        ranges[name] = f"{quoted}!${letter}$2:${letter}${len(labels) + 1}"
    return ranges


def _validate(sheet: Worksheet, lists: dict[str, str], name: str, ref: str,
              strict: bool = False) -> None:
    """A drop-down from a code list; other values are allowed with a warning unless strict
    (the ontology's closed lists), since a locality's own codes are findings, not errors."""
    check = DataValidation(type="list", formula1=lists[name], allow_blank=True,
                           showDropDown=False, showErrorMessage=True,
                           errorStyle="stop" if strict else "warning")
    check.add(ref)
    sheet.add_data_validation(check)


def _head(cell: Any, text: str) -> None:
    cell.value = text
    cell.style = "pc-head"


def _title(sheet: Worksheet, text: str, lang: str) -> None:
    sheet.cell(1, 1, text).font = Font(bold=True, size=13)
    sheet.cell(2, 1, TITLES[lang]["note"]).font = Font(italic=True, color="666666")


# --- plan and consultations ------------------------------------------------------------

def _plan_sheet(sheet: Worksheet, plan: Plan, lang: str, lists: dict[str, str],
                optional: bool = False) -> None:
    h = plan.plan
    title, title_other = split_text(h.title, lang)
    values: dict[str, Any] = {
        "id": h.id, "title": title, "title+": title_other,
        "kind": vocab.code_label("kind", h.kind, lang),
        "level": vocab.code_label("level", h.level, lang), "locality": h.locality,
        "sector": vocab.code_label("sector", h.sector, lang) if h.sector else None,
        "first_year": h.period[0], "last_year": h.period[1], "baseline_year": h.baseline_year,
        "parent": h.parent, "excerpt": h.excerpt,
        "submitted_by": vocab.code_label("agency", h.submitted.by, lang) if h.submitted
        else None,
        "submitted_on": h.submitted.on if h.submitted else None,
        "document": h.document,
        "adopted_act": h.adopted.act if h.adopted else None,
        "adopted_on": h.adopted.on if h.adopted else None,
        "adopted_by": h.adopted.body if h.adopted else None,
        "not_encoded": ", ".join(h.not_encoded) or None,
    }
    # the document and its adoption: rows only when the plan says them (templates unchanged)
    rows = [*PLAN_ROWS, *(name for name in ADOPTION_ROWS
                          if values[name] is not None or optional)]
    sheet.cell(1, 1, TITLES[lang]["plan"]).font = Font(bold=True, size=13)
    _head(sheet.cell(3, 1), vocab.PLAN_KEYS["ignore"][lang][0])
    _head(sheet.cell(3, 2), vocab.PLAN_KEYS["ignore"][lang][1])
    other = {"vi": "(tiếng Anh)", "en": "(Vietnamese)"}[lang]
    for row, name in enumerate(rows, start=4):
        label = (f"{vocab.PLAN_KEYS['title'][lang][0]} {other}" if name == "title+"
                 else vocab.PLAN_KEYS[name][lang][0])
        sheet.cell(row, 1, label).style = "pc-key"
        value = sheet.cell(row, 2, values[name])
        value.style = "pc-date" if isinstance(values[name], dt.date) else "pc-cell"
        ref = f"B{row}"
        if name in {"kind", "level"}:
            _validate(sheet, lists, name, ref)
        elif name == "submitted_by":
            _validate(sheet, lists, "agency", ref)
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = 70


def _consultations_sheet(sheet: Worksheet, plan: Plan, lang: str, spare: int) -> None:
    sheet.cell(1, 1, TITLES[lang]["consultations"]).font = Font(bold=True, size=13)
    for col, name in enumerate(("with", "on", "participants"), start=1):
        _head(sheet.cell(3, col), vocab.CONSULTATION_COLUMNS[name][lang][0])
        sheet.column_dimensions[get_column_letter(col)].width = (40, 16, 18)[col - 1]
    for row, item in enumerate(plan.plan.consultations, start=4):
        sheet.cell(row, 1, item.with_)
        sheet.cell(row, 2, item.on).style = "pc-date"
        sheet.cell(row, 3, item.participants)


# --- sections ----------------------------------------------------------------------------

class _Sections:
    """Writes a section row whenever an objective's field or sector changes."""

    def __init__(self, lang: str, width: int) -> None:
        self.lang, self.width = lang, width
        self.field: Any = ()
        self.sector: Any = ()
        self.n = self.m = 0

    def before(self, sheet: Worksheet, row: int, objective: Objective) -> int:
        if objective.field != self.field or (objective.sector is None and self.sector not in
                                             ((), None)):
            self.n += 1
            self.m = 0
            self.field, self.sector = objective.field, None
            row = self._row(sheet, row, f"{vocab.roman(self.n)}. "
                            f"{vocab.section_title(objective.field, self.lang)}")
        if objective.sector is not None and objective.sector != self.sector:
            self.m += 1
            self.sector = objective.sector
            row = self._row(sheet, row, f"{vocab.roman(max(self.n, 1))}.{self.m}. "
                            f"{vocab.section_title(objective.sector, self.lang)}")
        return row

    def _row(self, sheet: Worksheet, row: int, text: str) -> int:
        sheet.cell(row, 1, text)
        for col in range(1, self.width + 1):  # not merged: the text runs over the empty row
            _style(sheet.cell(row, col), "pc-section")
        return row + 1


# --- the general framework -------------------------------------------------------------

_GENERAL = ("objective_id", "objective_kind", "objective_parent", "objective", "objective+",
            "solution_id", "solution", "solution+", "budget", "budget_unit", "target_id",
            "indicator:input", "indicator:output", "indicator:outcome", "indicator:impact",
            "compiling_agency", "providing_agencies")


def _header_rows(sheet: Worksheet, roles: list[str], lang: str,
                 groups: dict[str, tuple[str, int]]) -> None:
    """Two header rows (3 and 4): group headers merged over their columns, the rest merged
    down over both rows."""
    for col, role in enumerate(roles, start=1):
        if col in groups:
            text, span = groups[col]
            _head(sheet.cell(3, col), text)
            if span > 1:
                merge(sheet, 3, col, 3, col + span - 1)
        if role.startswith("period:"):
            label = role.split(":", 2)[2]
            _head(sheet.cell(4, col), int(label) if label.isdigit() else label)  # type: ignore
            continue
        if any(c <= col < c + s for c, (_, s) in groups.items()):
            _head(sheet.cell(4, col), _role_header(role, lang))
            continue
        _head(sheet.cell(3, col), _role_header(role, lang))
        _head(sheet.cell(4, col), None)  # type: ignore[arg-type]
        merge(sheet, 3, col, 4, col)
    sheet.freeze_panes = "C5"


def _role_header(role: str, lang: str) -> str:
    if role.endswith("+"):
        return vocab.companion_header(role[:-1], lang)
    return vocab.header(role, lang)


def _general_sheet(sheet: Worksheet, plan: Plan, lang: str, lists: dict[str, str],
                   spare: int) -> None:
    _title(sheet, TITLES[lang]["general"], lang)
    roles = list(_GENERAL)
    col = {r: i for i, r in enumerate(roles, start=1)}
    groups = {col["indicator:input"]: (GROUPS[lang]["targets"], 4),
              col["compiling_agency"]: (GROUPS[lang]["agencies"], 2)}
    _header_rows(sheet, roles, lang, groups)
    sections = _Sections(lang, len(roles))
    row = 5
    no_parent = _no_parent(plan)
    for objective in plan.objectives:
        row = sections.before(sheet, row, objective)
        start = row
        for solution, targets in _solution_rows(objective):
            first = row
            for target in targets or [None]:
                if target is not None:
                    sheet.cell(row, col["target_id"], target.id)
                    sheet.cell(row, col[f"indicator:{target.category}"],
                               split_text(target.indicator, lang)[0]
                               or split_text(target.indicator, vocab.OTHER[lang])[0])
                    sheet.cell(row, col["compiling_agency"],
                               vocab.code_label("agency", target.compiling_agency, lang)
                               if target.compiling_agency else None)
                    sheet.cell(row, col["providing_agencies"],
                               agencies_text(target.providing_agencies, lang))
                row += 1
            if solution is not None:
                main, other = split_text(solution.title, lang)
                values = (solution.id, main, other,
                          solution.budget.value if solution.budget else None,
                          unit_label(solution.budget.unit, lang) if solution.budget else None)
                for role, value in zip(("solution_id", "solution", "solution+", "budget",
                                        "budget_unit"), values, strict=True):
                    _merged(sheet, first, row - 1, col[role], value)
        if row == start:
            row += 1
        main, other = split_text(objective.title, lang)
        values = (objective.id, vocab.code_label("objkind", objective.kind, lang),
                  objective.parent or (no_parent if objective.kind == "specific" else None),
                  main, other)
        for role, value in zip(("objective_id", "objective_kind", "objective_parent",
                                "objective", "objective+"), values, strict=True):
            _merged(sheet, start, row - 1, col[role], value)
    _grid(sheet, 5, row - 1, len(roles))
    end = row + spare
    _validate(sheet, lists, "objkind", f"B5:B{end}", strict=True)
    _validate(sheet, lists, "unit", f"J5:J{end}")
    letter = get_column_letter(col["compiling_agency"])
    _validate(sheet, lists, "agency", f"{letter}5:{letter}{end}")
    _widths(sheet, roles)


def _no_parent(plan: Plan) -> str | None:
    """What a specific objective without a parent says in its parent cell: nothing, unless
    no objective has a parent and one is general. Then the column would be blank
    throughout, and the reader would infer the parents (a filled template's way), so it
    says "—", no parent."""
    if any(o.parent for o in plan.objectives) or all(
            o.kind != "general" for o in plan.objectives):
        return None
    return vocab.NO_PARENT


def _solution_rows(objective: Objective) -> list[tuple[Any, list[Target]]]:
    """(solution or None, the targets named in its rows), in the objective's order."""
    named = [t for t in objective.targets if t.category in CATEGORIES]
    out: list[tuple[Any, list[Target]]] = [
        (s, [t for t in named if t.solution == s.id]) for s in objective.solutions]
    loose = [t for t in named if t.solution is None]
    if loose:
        out.append((None, loose))
    return out


def _merged(sheet: Worksheet, first: int, last: int, col: int, value: Any) -> None:
    sheet.cell(first, col, value)
    if last > first:
        merge(sheet, first, col, last, col)


def merge(sheet: Worksheet, first_row: int, first_col: int, last_row: int,
          last_col: int) -> None:
    """Merge a range, as ``Worksheet.merge_cells`` does without its check that the range
    is not inside an existing one: that check scans every range so far, which made writing
    a workbook quadratic (10,000 targets: 615 s). The writer never overlaps its ranges."""
    mcr = MergedCellRange(sheet, f"{get_column_letter(first_col)}{first_row}:"
                                 f"{get_column_letter(last_col)}{last_row}")
    sheet.merged_cells.ranges.add(mcr)
    cells = mcr.cells
    next(cells)  # the merged cells, as merge_cells makes them
    for row, col in cells:
        sheet._cells[row, col] = MergedCell(sheet, row, col)
    start = sheet._cells[first_row, first_col]._style
    if start is not None and start.borderId:  # its borders (headers): as merge_cells;
        mcr.format()  # a cell without borders has none to spread


def _style(cell: Any, name: str) -> None:
    """``cell.style = name``, at the cost of a copy: openpyxl looks a named style up and
    registers it on every assignment (half of the time a large workbook took to write)."""
    book = cell.parent.parent
    prepared = book.__dict__.setdefault("_pc_styles", {})
    if name not in prepared:
        cell.style = name
        prepared[name] = copy(cell._style)
    else:
        cell._style = copy(prepared[name])


def _grid(sheet: Worksheet, first: int, last: int, width: int) -> None:
    """Every cell of the table framed (``pc-cell``), except those styled already."""
    for row in range(first, last + 1):
        for col in range(1, width + 1):
            cell = sheet.cell(row, col)
            if cell._style is None or not cell._style.xfId:  # "Normal": none chosen yet
                _style(cell, "pc-cell")


def _widths(sheet: Worksheet, roles: list[str]) -> None:
    wide = {"objective", "objective+", "solution", "solution+", "indicator", "indicator+",
            "indicator:input", "indicator:output", "indicator:outcome", "indicator:impact",
            "notes", "notes+", "data_source", "data_source+", "timing", "timing+",
            "providing_agencies", "compiling_agency"}
    for col, role in enumerate(roles, start=1):
        width = 34 if role in wide else 11 if role.startswith("period:") else 14
        sheet.column_dimensions[get_column_letter(col)].width = width


# --- the targets sheet -------------------------------------------------------------------

_TARGET_HEAD = ("objective_id", "objective", "target_id", "indicator", "indicator+", "code",
                "category", "solution_id", "unit", "direction", "rollup", "baseline",
                "baseline_year")
_PRICE_COLUMNS = ("price_basis", "price_year")
# what real plans say beyond a level: written when a target says it
_EXTRA_COLUMNS = (*_PRICE_COLUMNS, *qualifiers.ROLES)
_TARGET_TAIL = ("frequency", "timing", "timing+", "compiling_agency", "providing_agencies",
                "data_source", "data_source+", "notes", "notes+")


def _period_order(period: str) -> tuple[int, int, str]:
    year = int(period[:4])
    rest = period[5:]
    return year, (0 if not rest else 3 if rest.isdigit() else 1 if rest[0] == "H" else 2), rest


def _targets_sheet(sheet: Worksheet, plan: Plan, lang: str, lists: dict[str, str],
                   spare: int, optional: bool = False) -> set[str]:
    """The targets sheet; returns the cells of the comparison formulas it wrote."""
    formulas: set[str] = set()
    _title(sheet, TITLES[lang]["targets"], lang)
    targets = [t for o in plan.objectives for t in o.targets]
    years = sorted({*plan.plan.years, *(y for t in targets for y in t.annual)})
    actuals = sorted({*(str(y) for y in plan.plan.years), *(p for t in targets for p in t.actual)},
                     key=_period_order)
    whole = vocab.whole_label(lang)
    # the optional columns, only when a target says what they hold
    said = set(_EXTRA_COLUMNS) if optional else {
        r for t in targets for r, v in _extra(t, lang).items() if v not in (None, "")}
    roles = [*_TARGET_HEAD, f"plan:whole:{whole}", *(f"plan:{y}:{y}" for y in years),
             *(f"actual:{p}:{p}" for p in actuals),
             *(f"compare:{y}:{y}" for y in years if str(y) in actuals), *_TARGET_TAIL,
             *(r for r in _EXTRA_COLUMNS if r in said)]
    shown = [r if not r.startswith(("plan:", "actual:", "compare:")) else
             "period:" + r.split(":", 1)[1] for r in roles]
    col = {r: i for i, r in enumerate(roles, start=1)}
    groups = {}
    for group in ("plan", "actual", "compare"):
        cols = [i for r, i in col.items() if r.startswith(group + ":")]
        if cols:
            groups[cols[0]] = (GROUPS[lang][group], len(cols))
    _header_rows(sheet, shown, lang, groups)
    sections = _Sections(lang, len(roles))
    row = 5
    for objective in plan.objectives:
        if not objective.targets:
            continue
        row = sections.before(sheet, row, objective)
        start = row
        for target in objective.targets:
            _target_row(sheet, row, col, target, lang, years, formulas)
            row += 1
        _merged(sheet, start, row - 1, col["objective_id"], objective.id)
        _merged(sheet, start, row - 1, col["objective"], split_text(objective.title, lang)[0]
                or split_text(objective.title, vocab.OTHER[lang])[0])
    _grid(sheet, 5, row - 1, len(roles))
    end = row + spare
    for role, name, strict in (("category", "category", False), ("unit", "unit", False),
                               ("direction", "direction", True), ("rollup", "rollup", True),
                               ("frequency", "frequency", False),
                               ("compiling_agency", "agency", False),
                               ("providing_agencies", "agency", False)):
        letter = get_column_letter(col[role])
        _validate(sheet, lists, name, f"{letter}5:{letter}{end}", strict)
    _widths(sheet, shown)
    return formulas


def _target_row(sheet: Worksheet, row: int, col: dict[str, int], t: Target, lang: str,
                years: list[int], formulas: set[str]) -> None:
    main, other = split_text(t.indicator, lang)
    timing, timing_other = split_text(t.timing, lang)
    source, source_other = split_text(t.data_source, lang)
    notes, notes_other = split_text(t.notes, lang)
    values: dict[str, Any] = {
        "target_id": t.id, "indicator": main, "indicator+": other, "code": t.code,
        "category": vocab.code_label("category", t.category, lang) if t.category else None,
        "solution_id": t.solution, "unit": unit_label(t.unit, lang),
        "direction": vocab.code_label("direction", t.direction, lang) if t.direction else None,
        "rollup": vocab.code_label("rollup", t.rollup, lang) if t.rollup else None,
        "baseline": format_value(t.baseline.value) if t.baseline else None,
        "baseline_year": t.baseline.year if t.baseline else None,
        "frequency": vocab.code_label("frequency", t.frequency, lang) if t.frequency else None,
        "timing": timing, "timing+": timing_other,
        "compiling_agency": vocab.code_label("agency", t.compiling_agency, lang)
        if t.compiling_agency else None,
        "providing_agencies": agencies_text(t.providing_agencies, lang),
        "data_source": source, "data_source+": source_other, "notes": notes,
        "notes+": notes_other, **_extra(t, lang),
    }
    for role, value in values.items():
        if role in col and value is not None and value != "":
            sheet.cell(row, col[role], value)
    whole = next(r for r in col if r.startswith("plan:whole"))
    if t.target is not None:
        sheet.cell(row, col[whole], format_value(t.target))
    for year, value in t.annual.items():
        sheet.cell(row, col[f"plan:{year}:{year}"], format_value(value))
    for period, value in t.actual.items():
        sheet.cell(row, col[f"actual:{period}:{period}"], format_value(value))
    for year in years:
        key = f"compare:{year}:{year}"
        if key in col:
            plan_ref = f"{get_column_letter(col[f'plan:{year}:{year}'])}{row}"
            actual_ref = f"{get_column_letter(col[f'actual:{year}:{year}'])}{row}"
            cell = sheet.cell(row, col[key], f'=IF(AND(ISNUMBER({plan_ref}),ISNUMBER('
                              f'{actual_ref}),{plan_ref}<>0),ROUND({actual_ref}/{plan_ref}*100,'
                              f'1),"")')
            formulas.add(cell.coordinate)  # a formula we mean


def _extra(t: Target, lang: str) -> dict[str, Any]:
    """The optional columns' cells of a target (docs/plan-format.md)."""
    kind, year = qualifiers.relative_cells(t.relative_to, lang)
    return {"price_basis": t.price_basis, "price_year": t.price_year, "relative_kind": kind,
            "relative_year": year, "approximate": qualifiers.approximate_cell(t.approximate, lang),
            "orientation": qualifiers.orientation_cell(t.orientation), "part_of": t.part_of,
            "named": qualifiers.named_cell(t.named)}


# --- templates ---------------------------------------------------------------------------

def skeleton(kind: str, lang: str, level: str = "province",
             period: tuple[int, int] | None = None) -> Plan:
    """The header-only plan a template holds: placeholders to overwrite."""
    five = kind.startswith("five_year")
    first, last = period or ((2026, 2030) if five else (2026, 2026))
    if period is None and level not in levels_for_period(first, last):
        # a level that has ended (the district): its last cycle, 2021-2025 or 2025
        first, last = (2021, 2025) if five else (2025, 2025)
    entry = codes("kind").get(kind)
    label = (entry.label_vi if lang == "vi" else entry.label_en) if entry else kind
    span = f"{first}–{last}" if last != first else str(first)
    return Plan.model_validate({
        "format": "plan/1",
        "plan": {"id": f"{kind.replace('_', '-')}-{first}" + (f"-{last}" if last != first
                                                                 else ""),
                 "title": f"{label} {span}", "kind": kind, "level": level,
                 "locality": {"vi": "(tên địa phương)", "en": "(locality)"}[lang],
                 "period": [first, last], "baseline_year": first - 1},
    })


def template_workbook(kind: str, lang: str = "vi", level: str = "province",
                      period: tuple[int, int] | None = None) -> bytes:
    """A clean workbook for a new plan of ``kind``: headers, drop-downs, no rows yet."""
    return plan_workbook(skeleton(kind, lang, level, period), lang)
