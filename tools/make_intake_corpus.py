"""Build the intake corpus: plans laid out as district and provincial offices fill them, each
as .xlsx, .xls and .docx, with its YAML twin (what plancheck must read from it).

The layouts follow the manual's M&E frameworks (Appendix 1a-4a, Fig 3.1-3.12) and the
published plans in tests/realism: title blocks with the issuing body ("ỦY BAN NHÂN DÂN
HUYỆN ..."), the title and the date line; headers over two or three rows, in Vietnamese or
English; units inside indicator names; values such as "≥ 95%", "Trên 10%", "8-9%",
"Hoàn thành", "khoảng 5"; hidden columns, blank spacer rows and columns, "Tổng số" rows;
one sheet per category or all categories on one sheet; a plan sheet or none. A few items are
mistakes an office makes, and must be refused with a located, actionable message (their
twin is the expected message, not a plan).

Each layout is a list of grids (sheets: rows of cells, merged ranges, hidden columns, the
row where the framework's header starts); one writer per format renders them: openpyxl
(.xlsx), xlwt (.xls: xlwt writes the Excel 97-2003 format itself, so the corpus needs no
LibreOffice; xlrd only reads) and python-docx (.docx: the title rows become the document's
paragraphs, each grid's caption a paragraph, each grid a table). The twins are written from
the plan's data, not by reading the layouts, so the test (tests/test_intake_corpus.py)
compares the reader against an independent expectation.

    python tools/make_intake_corpus.py OUT_DIR
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

YEARS = [2026, 2027, 2028, 2029, 2030]
FORMATS = ("xlsx", "xls", "docx")

# --- the plan: two objectives, a solution each, an input, output and outcome target each --

O1 = "Mục tiêu chung: Kinh tế tăng trưởng nhanh, bền vững"
O2 = "Mục tiêu 1: Giảm nghèo bền vững, nâng cao đời sống nhân dân"
SOLUTIONS = {O1: "Thu hút đầu tư, phát triển doanh nghiệp", O2: "Hỗ trợ sinh kế cho hộ nghèo"}


@dataclass
class T:
    """One target: its names, unit, values (plan/1 value and how the office wrote it)."""

    objective: str
    name: str
    category: str
    unit: str
    whole: Any
    annual: list[Any]
    frequency: tuple[str, str] = ("Hằng năm", "annual")
    compiling: tuple[str, str] = ("Phòng Tài chính - Kế hoạch", "finance-planning-division")
    shown_whole: Any = None  # the text written for ``whole``, when not the number
    approximate: bool = False  # ``shown_whole`` says "khoảng": the value is approximate


TARGETS = [
    T(O1, "Vốn đầu tư phát triển trên địa bàn", "input", "tỷ đồng", 12500,
      [2300, 2400, 2500, 2600, 2700]),
    T(O1, "Số doanh nghiệp thành lập mới", "output", "doanh nghiệp", 600,
      [110, 115, 120, 125, 130], ("6 tháng", "semiannual")),
    T(O1, "Tốc độ tăng trưởng giá trị sản xuất bình quân", "outcome", "%", {"min": 8, "max": 9},
      [8, 8.5, 8.5, 9, 9], shown_whole="8-9%"),
    T(O2, "Kinh phí hỗ trợ sinh kế", "input", "triệu đồng", 15000,
      [3000, 3000, 3000, 3000, 3000],
      compiling=("Phòng Lao động - Thương binh và Xã hội", "labour-social-affairs-division")),
    T(O2, "Số hộ nghèo được hỗ trợ sinh kế", "output", "hộ", 1500, [300, 300, 300, 300, 300],
      compiling=("Phòng Lao động - Thương binh và Xã hội", "labour-social-affairs-division")),
    T(O2, "Tỷ lệ hộ nghèo", "outcome", "%", {"at_most": 3}, [6.5, 5.6, 4.7, 3.8, 3],
      compiling=("Phòng Lao động - Thương binh và Xã hội", "labour-social-affairs-division"),
      shown_whole="Dưới 3%"),
]

BODY = "ỦY BAN NHÂN DÂN HUYỆN BẢO THẮNG"
TITLE = "KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI 5 NĂM 2026-2030 HUYỆN BẢO THẮNG"
DATE = "Bảo Thắng, ngày 15 tháng 7 năm 2025"
HEADER = {"id": "bao-thang-five-year-sedp-2026-2030", "title": TITLE, "kind": "five_year_sedp",
          "level": "district", "locality": "Bảo Thắng", "period": [2026, 2030]}

CATEGORY_VI = {"input": "Đầu vào", "output": "Đầu ra", "outcome": "Kết quả"}
CATEGORY_EN = {"input": "Input", "output": "Output", "outcome": "Outcome"}
INDICATOR_VI = {c: f"Chỉ tiêu {w.lower()}" for c, w in CATEGORY_VI.items()}
INDICATOR_EN = {c: f"{w} targets" for c, w in CATEGORY_EN.items()}


# --- grids ------------------------------------------------------------------------------

@dataclass
class Grid:
    """One sheet (a table in a document): rows of cells, 1-based merges (r1, c1, r2, c2),
    hidden columns, and the index of the row where the framework's header starts (the rows
    above are the title block; in a document, its paragraphs)."""

    name: str
    rows: list[list[Any]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden: set[int] = field(default_factory=set)
    header_at: int = 0
    caption: str | None = None  # a document's paragraph above the table


@dataclass
class Item:
    """One corpus item: its grids and what reading it must give."""

    name: str
    what: str
    grids: list[Grid]
    twin: dict[str, Any] | None = None  # the plan/1 data, or None when it must be refused
    refusal: tuple[str, ...] = ()       # words of the located message when refused
    formats: tuple[str, ...] = FORMATS


@dataclass
class Style:
    """How an office writes its frameworks (the knobs of one layout)."""

    lang: str = "vi"
    plan_sheet: bool = False
    general: bool = True
    per_category: bool = True          # one targets sheet per category, else one sheet
    header_rows: int = 2               # 1: "Kế hoạch 2026" cells; 2: group over years; 3: +
    numbering: bool = False            # a "(1) (2) ..." row under the header
    unit_in_name: bool = False
    text_values: bool = True           # "8-9%", "Dưới 3%" for the period
    stt: bool = True
    hidden_stt: bool = False
    spacer_col: bool = False
    spacer_rows: bool = False
    total_row: bool = False
    merged_objectives: bool = True
    sections: bool = False
    two_lang_headers: bool = False
    agencies: bool = True
    title_block: list[list[Any]] = field(default_factory=lambda: [
        [BODY, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["Số: 125/KH-UBND", None, DATE], [TITLE]])
    header: dict[str, Any] = field(default_factory=lambda: dict(HEADER))
    submitted: dict[str, str] | None = field(default_factory=lambda: {"by": "DPC",
                                                                      "on": "2025-07-15"})
    targets: list[T] = field(default_factory=lambda: TARGETS)
    years: list[int] = field(default_factory=lambda: list(YEARS))


def display(t: T, style: Style) -> str:
    """The indicator as the layout names it ("Tỷ lệ hộ nghèo (%)" with units in names)."""
    return f"{t.name} ({t.unit})" if style.unit_in_name else t.name


def words(style: Style) -> dict[str, str]:
    vi = style.lang == "vi"
    w = {"stt": "STT" if vi else "No.", "objective": "Mục tiêu" if vi else "Objectives",
         "solution": "Giải pháp" if vi else "Solutions",
         "indicator": "Chỉ tiêu" if vi else "Indicators",
         "unit": "Đơn vị tính" if vi else "Unit", "plan": "Kế hoạch" if vi else "Plan",
         "whole": "Cả giai đoạn" if vi else "Whole period",
         "category": "Loại chỉ tiêu" if vi else "Category",
         "frequency": "Tần suất thu thập" if vi else "Frequency of collection",
         "compiling": "Cơ quan tổng hợp" if vi else "Compiling agency",
         "targets": "Chỉ tiêu theo kỳ kế hoạch" if vi else "Phased planning targets",
         "total": "Tổng số" if vi else "Total", "year": "Năm {}" if vi else "{}"}
    if style.two_lang_headers:
        w["objective"] = "Mục tiêu\n(Objectives)"
        w["indicator"] = "Chỉ tiêu\n(Indicators)"
    return w


def title_rows(style: Style, grid: Grid, framework: str) -> None:
    grid.rows.extend(copy.deepcopy(style.title_block))
    grid.rows.append([framework])
    grid.rows.append([])
    grid.header_at = len(grid.rows)


def general_grid(style: Style) -> Grid:
    w = words(style)
    vi = style.lang == "vi"
    grid = Grid("Khung chung" if vi else "General framework",
                caption="Phụ lục 1. KHUNG CHUNG" if vi else "Appendix 1. GENERAL FRAMEWORK")
    title_rows(style, grid, "KHUNG THEO DÕI, ĐÁNH GIÁ (KHUNG CHUNG)" if vi else
               "M&E FRAMEWORK (GENERAL FRAMEWORK)")
    cats = INDICATOR_VI if vi else INDICATOR_EN
    top = grid.header_at + 1
    grid.rows.append([w["objective"], w["solution"], w["targets"], None, None])
    grid.rows.append([None, None, cats["input"], cats["output"], cats["outcome"]])
    grid.merges += [(top, 1, top + 1, 1), (top, 2, top + 1, 2), (top, 3, top, 5)]
    row = top + 2
    for objective in (O1, O2):
        named = {t.category: display(t, style) for t in style.targets
                 if t.objective == objective}
        grid.rows.append([objective, SOLUTIONS[objective], named.get("input"),
                          named.get("output"), named.get("outcome")])
        row += 1
    return grid


def detail_grids(style: Style) -> list[Grid]:
    w = words(style)
    vi = style.lang == "vi"
    groups = ([(c, [t for t in style.targets if t.category == c]) for c in CATEGORY_VI]
              if style.per_category else [(None, list(style.targets))])
    grids = []
    for number, (category, targets) in enumerate(groups, start=2):
        if category:
            name = (CATEGORY_VI if vi else CATEGORY_EN)[category]
            label = (INDICATOR_VI if vi else INDICATOR_EN)[category]
        else:
            name, label = ("Chỉ tiêu" if vi else "Targets"), None
        grid = Grid(name, caption=(f"Phụ lục {number}. KHUNG {(label or 'CHỈ TIÊU').upper()}"
                                   if vi else f"Appendix {number}. "
                                   f"{(label or 'TARGETS').upper()}"))
        title_rows(style, grid, f"KHUNG THEO DÕI, ĐÁNH GIÁ ({(label or 'CÁC CHỈ TIÊU').upper()})"
                   if vi else f"M&E FRAMEWORK ({(label or 'TARGETS').upper()})")
        _detail(grid, style, w, targets, label or w["indicator"], category is None)
        grids.append(grid)
    return grids


def _detail(grid: Grid, style: Style, w: dict[str, str], targets: list[T], indicator: str,
            category_column: bool) -> None:
    vi = style.lang == "vi"
    heads: list[Any] = []
    if style.stt:
        heads.append(w["stt"])
    heads += [w["objective"], indicator]
    if style.spacer_col:
        heads.append(None)
    if category_column:
        heads.append(w["category"])
    if not style.unit_in_name:
        heads.append(w["unit"])
    first_value = len(heads) + 1
    years = style.years
    annual = len(years) == 1
    if style.header_rows == 1:
        if annual:
            heads.append(w["plan"] + f" {years[0]}" if not vi else f"Kế hoạch năm {years[0]}")
        else:
            heads += [f"{w['plan']} {years[0]}-{years[-1]}"] + [f"{w['plan']} {y}"
                                                                 for y in years]
    else:
        heads.append(w["plan"])
        heads += [None] * (0 if annual else len(years))
    tail = [w["frequency"]] + ([w["compiling"]] if style.agencies else [])
    heads += tail
    top = grid.header_at + 1
    grid.rows.append(heads)
    width = len(heads)
    if style.header_rows >= 2 and not annual:
        count = len(years)
        last = top + style.header_rows - 1
        if style.header_rows == 3:  # Kế hoạch / (Cả giai đoạn | phased) / years
            phased: list[Any] = [None] * width
            phased[first_value - 1] = w["whole"]
            phased[first_value] = "Chỉ tiêu kế hoạch phân kỳ" if vi else "Phased planning targets"
            grid.rows.append(phased)
            grid.merges += [(top + 1, first_value, last, first_value),
                            (top + 1, first_value + 1, top + 1, first_value + count)]
            sub: list[Any] = [None] * width
        else:
            sub = [None] * width
            sub[first_value - 1] = w["whole"]
        for i, year in enumerate(years):
            sub[first_value + i] = w["year"].format(year) if style.header_rows == 3 else year
        grid.rows.append(sub)
        grid.merges.append((top, first_value, top, first_value + count))
        for col, text in enumerate(heads, start=1):
            if text is not None and not (first_value <= col <= first_value + count):
                grid.merges.append((top, col, last, col))
    if style.numbering:
        grid.rows.append([f"({i})" for i in range(1, width + 1)])
    if style.stt and style.hidden_stt:
        grid.hidden.add(1)
    seq = 0
    for objective in (O1, O2):
        rows = [t for t in targets if t.objective == objective]
        if not rows:
            continue
        if style.spacer_rows:
            grid.rows.append([])
        start = len(grid.rows) + 1
        for i, t in enumerate(rows):
            seq += 1
            name = display(t, style)
            cells: list[Any] = []
            if style.stt:
                cells.append(seq)
            cells.append(objective if i == 0 or not style.merged_objectives else None)
            cells.append(name)
            if style.spacer_col:
                cells.append(None)
            if category_column:
                cells.append((CATEGORY_VI if vi else CATEGORY_EN)[t.category])
            if not style.unit_in_name:
                cells.append(t.unit)
            whole = t.shown_whole if style.text_values and t.shown_whole else (
                _plain(t.whole))
            if annual:
                cells.append(whole)
            else:
                cells += [whole] + list(t.annual)
            cells.append(t.frequency[0] if vi else t.frequency[1].capitalize())
            if style.agencies:
                cells.append(t.compiling[0])
            grid.rows.append(cells)
        if style.merged_objectives and len(rows) > 1:
            col = 2 if style.stt else 1
            grid.merges.append((start, col, start + len(rows) - 1, col))
        if style.total_row:  # offices add up the period's numbers, whatever their units
            total: list[Any] = [None] * width
            total[1 if style.stt else 0] = w["total"]
            total[first_value - 1] = sum(t.whole for t in rows if isinstance(t.whole, int))
            grid.rows.append(total)


def _plain(value: Any) -> Any:
    """A plan/1 value as an office types it when it has no text of its own."""
    if isinstance(value, dict) and "min" in value:
        return f"{value['min']} - {value['max']}"
    if isinstance(value, dict) and "at_most" in value:
        return f"≤ {value['at_most']}"
    if isinstance(value, dict) and "at_least" in value:
        return f"≥ {value['at_least']}"
    return value


def plan_grid(style: Style) -> Grid:
    h = style.header
    vi = style.lang == "vi"
    rows = [["THÔNG TIN KẾ HOẠCH" if vi else "PLAN INFORMATION"], [],
            ["Mã kế hoạch" if vi else "Plan ID", h["id"]],
            ["Tên kế hoạch" if vi else "Title", h["title"]],
            ["Loại kế hoạch" if vi else "Plan kind", h["kind"]],
            ["Cấp" if vi else "Level", h["level"]],
            ["Địa phương" if vi else "Locality", h["locality"]],
            ["Giai đoạn" if vi else "Period", f"{h['period'][0]}-{h['period'][1]}"]]
    return Grid("Kế hoạch" if vi else "Plan", rows, caption="THÔNG TIN KẾ HOẠCH")


def layout(style: Style) -> list[Grid]:
    grids = [plan_grid(style)] if style.plan_sheet else []
    if style.plan_sheet:
        style.title_block = []
    if style.general:
        grids.append(general_grid(style))
    grids += detail_grids(style)
    return grids


def twin(style: Style) -> dict[str, Any]:
    """The plan/1 data of a layout, from the plan's data (not by reading the layout)."""
    header = dict(style.header)
    if style.submitted and not style.plan_sheet:
        header["submitted"] = dict(style.submitted)
    annual = len(style.years) == 1
    objectives = []
    for number, objective in enumerate((O1, O2), start=1):
        oid = f"O{number}"
        item: dict[str, Any] = {"id": oid, "kind": "general" if number == 1 else "specific",
                                "title": objective}
        if number == 2:
            item["parent"] = "O1"
        if style.general:
            item["solutions"] = [{"id": f"{oid}.S1", "title": SOLUTIONS[objective]}]
        rows = [t for t in style.targets if t.objective == objective]
        order = sorted(rows, key=lambda t: list(CATEGORY_VI).index(t.category)) \
            if style.per_category else rows
        targets = []
        for j, t in enumerate(order, start=1):
            target: dict[str, Any] = {
                "id": f"{oid}.T{j}",
                "indicator": display(t, style), "category": t.category, "unit": t.unit,
                "target": t.whole, "frequency": t.frequency[1]}
            if annual:
                target["annual"] = {style.years[0]: t.whole}
            else:
                target["annual"] = dict(zip(style.years, t.annual, strict=True))
            if t.approximate:
                target["approximate"] = ["target"]
            if style.agencies:
                target["compiling_agency"] = t.compiling[1]
            if style.general:
                target["solution"] = f"{oid}.S1"
            targets.append(target)
        item["targets"] = targets
        objectives.append(item)
    return {"format": "plan/1", "plan": header, "objectives": objectives}


# --- the corpus ---------------------------------------------------------------------------

def _annual(style: Style) -> Style:
    style.years = [2027]
    style.title_block = [["ỦY BAN NHÂN DÂN XÃ TẢ PHÌN"],
                         ["KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM 2027"]]
    style.header = {"id": "ta-phin-annual-sedp-2027",
                    "title": "KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM 2027",
                    "kind": "annual_sedp", "level": "commune", "locality": "Tả Phìn",
                    "period": [2027, 2027]}
    style.submitted = None
    return style


def _english(style: Style) -> Style:
    style.lang = "en"
    title = "FIVE-YEAR SOCIO-ECONOMIC DEVELOPMENT PLAN 2026-2030 OF BAO THANG DISTRICT"
    style.title_block = [["PEOPLE'S COMMITTEE OF BAO THANG DISTRICT"], [title]]
    style.header = {**HEADER, "title": title, "locality": "Bao Thang"}
    style.header["id"] = "bao-thang-five-year-sedp-2026-2030"
    style.submitted = None
    return style


def _plan_sheet(style: Style) -> Style:
    style.plan_sheet = True
    style.header = {**HEADER, "id": "bt-sedp-2026-2030",
                    "title": "Kế hoạch phát triển kinh tế - xã hội 5 năm 2026-2030"}
    style.submitted = None
    return style


LAYOUTS: list[tuple[str, str, Callable[[], Style]]] = [
    ("01-manual-title-block", "the manual's frameworks, a title block, no plan sheet",
     lambda: Style()),
    ("02-one-targets-sheet", "all categories on one targets sheet with a category column",
     lambda: Style(per_category=False)),
    ("03-three-header-rows", "headers over three rows and a row of column numbers",
     lambda: Style(header_rows=3, numbering=True)),
    ("04-one-row-headers", "one header row: 'Kế hoạch 2026' in each cell",
     lambda: Style(header_rows=1)),
    ("05-units-in-names", "units inside the indicator names, no unit column",
     lambda: Style(unit_in_name=True)),
    ("06-plain-values", "the period values typed as numbers and bounds ('8 - 9', '≤ 3')",
     lambda: Style(text_values=False)),
    ("07-hidden-stt", "a hidden STT column", lambda: Style(hidden_stt=True)),
    ("08-spacers", "blank spacer rows between objectives and a blank spacer column",
     lambda: Style(spacer_rows=True, spacer_col=True)),
    ("09-total-rows", "a 'Tổng số' row under each objective's targets",
     lambda: Style(total_row=True)),
    ("10-no-stt-unmerged", "no STT column; the objective repeated on every row",
     lambda: Style(stt=False, merged_objectives=False)),
    ("11-two-language-headers", "headers in both languages on two lines",
     lambda: Style(two_lang_headers=True)),
    ("12-no-general-framework", "only the detailed frameworks (no solutions)",
     lambda: Style(general=False)),
    ("13-no-agencies", "frameworks without the agency columns", lambda: Style(agencies=False)),
    ("14-plan-sheet", "a plan sheet instead of a title block", lambda: _plan_sheet(Style())),
    ("15-english", "English headers and title block", lambda: _english(Style())),
    ("16-english-one-sheet", "English, one targets sheet",
     lambda: _english(Style(per_category=False))),
    ("17-annual-commune", "a commune's annual plan (one 'Kế hoạch' column)",
     lambda: _annual(Style())),
    ("18-annual-one-sheet", "a commune's annual plan on one sheet",
     lambda: _annual(Style(per_category=False, general=False))),
    ("19-three-rows-one-sheet", "three header rows, one sheet, spacers and totals",
     lambda: Style(header_rows=3, per_category=False, spacer_rows=True, total_row=True)),
    ("20-everything", "units in names, hidden STT, numbering, spacers, totals, one sheet",
     lambda: Style(unit_in_name=True, hidden_stt=True, numbering=True, spacer_rows=True,
                   total_row=True, per_category=False)),
]

def _value_words(style: Style) -> Style:
    """Period values written in words, as in the published plans."""
    worded = {"Số doanh nghiệp thành lập mới": ("Trên 10%", {"at_least": 10}),
              "Kinh phí hỗ trợ sinh kế": ("khoảng 5", 5),  # about 5: approximate
              "Số hộ nghèo được hỗ trợ sinh kế": ("≥ 95%", {"at_least": 95}),
              "Vốn đầu tư phát triển trên địa bàn": ("Hoàn thành", "Hoàn thành")}
    style.targets = [replace(t, shown_whole=worded[t.name][0], whole=worded[t.name][1],
                             approximate=worded[t.name][0].startswith("khoảng"))
                     if t.name in worded else t for t in TARGETS]
    return style


LAYOUTS.append(("24-value-words", "period values in words: 'Trên 10%', '≥ 95%', 'Hoàn "
                "thành', 'khoảng 5'", lambda: _value_words(Style())))
LAYOUTS.append(("25-value-words-english-one-sheet", "value words, English headers, one "
                "sheet, three header rows", lambda: _value_words(_english(Style(
                    per_category=False, header_rows=3)))))

REFUSED: list[tuple[str, str, Callable[[], Style], tuple[str, ...]]] = [
    ("21-refused-two-periods", "a title naming two periods",
     lambda: Style(title_block=[[BODY], ["KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI 2021-2025 VÀ "
                                         "2026-2030"]]),
     ("A2", "more than one period", "--plan period=")),
    ("22-refused-no-issuing-body", "a title block without the issuing body",
     lambda: Style(title_block=[["KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI 5 NĂM 2026-2030"]]),
     ("A1", "level, locality", "--plan level=")),
    ("23-refused-bodies-disagree", "two sheets naming different districts",
     lambda: Style(title_block=[[BODY], [TITLE], ["ỦY BAN NHÂN DÂN HUYỆN SI MA CAI"]]),
     ("A3", "locality is 'Si Ma Cai'",)),
]


def corpus() -> list[Item]:
    items = []
    for name, what, make in LAYOUTS:
        style = make()
        data = twin(style)
        items.append(Item(name, what, layout(style), data))
    for name, what, make, words_ in REFUSED:
        items.append(Item(name, what, layout(make()), None, words_))
    return items


# --- writers --------------------------------------------------------------------------------

def write_xlsx(grids: list[Grid], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for grid in grids:
        sheet = book.create_sheet(grid.name)
        for r, row in enumerate(grid.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(r, c, value)
        for r1, c1, r2, c2 in grid.merges:
            sheet.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        for col in grid.hidden:
            sheet.column_dimensions[get_column_letter(col)].hidden = True
    book.save(path)


def write_xls(grids: list[Grid], path: Path) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    for grid in grids:
        sheet = book.add_sheet(grid.name)
        covered = set()
        for r1, c1, r2, c2 in grid.merges:
            value = _at(grid, r1, c1)
            sheet.write_merge(r1 - 1, r2 - 1, c1 - 1, c2 - 1, value)
            covered |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        for r, row in enumerate(grid.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None and (r, c) not in covered:
                    sheet.write(r - 1, c - 1, value)
        for col in grid.hidden:
            sheet.col(col - 1).hidden = True
    book.save(str(path))


def _at(grid: Grid, row: int, col: int) -> Any:
    if row <= len(grid.rows) and col <= len(grid.rows[row - 1]):
        return grid.rows[row - 1][col - 1]
    return None


def write_docx(grids: list[Grid], path: Path) -> None:
    """Title rows as paragraphs (the first grid's: the document's title block), each grid's
    caption, then its framework rows as a table; hidden columns are left out (Word has
    none)."""
    import docx

    document = docx.Document()
    for index, grid in enumerate(grids):
        if index == 0:
            for row in grid.rows[:grid.header_at]:
                for value in row:
                    if value is not None:
                        document.add_paragraph(str(value))
        if grid.caption:
            document.add_paragraph(grid.caption)
        body = grid.rows[grid.header_at:]
        keep = [c for c in range(1, max(len(r) for r in body) + 1) if c not in grid.hidden]
        table = document.add_table(rows=len(body), cols=len(keep))
        for r, row in enumerate(body):
            for i, c in enumerate(keep):
                value = row[c - 1] if c <= len(row) else None
                if value is not None:
                    table.cell(r, i).text = _shown(value)
        for r1, c1, r2, c2 in grid.merges:
            if r1 <= grid.header_at or c1 not in keep or c2 not in keep:
                continue
            top = table.cell(r1 - grid.header_at - 1, keep.index(c1))
            top.merge(table.cell(r2 - grid.header_at - 1, keep.index(c2)))
            top.text = _shown(_at(grid, r1, c1)) if _at(grid, r1, c1) is not None else ""
    document.save(str(path))


def _shown(value: Any) -> str:
    """A number as a Vietnamese document writes it (a decimal comma, thousands dots)."""
    if isinstance(value, float):
        return str(value).replace(".", ",")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 1000:
        return f"{value:,}".replace(",", ".")
    return str(value)


WRITERS = {"xlsx": write_xlsx, "xls": write_xls, "docx": write_docx}


def build(out: Path) -> list[Path]:
    """Write every item in every format, and the twins (``NAME.yaml``) or the expected
    refusals (``NAME.refused.txt``), to ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for item in corpus():
        for fmt in item.formats:
            path = out / f"{item.name}.{fmt}"
            WRITERS[fmt](item.grids, path)
            written.append(path)
        if item.twin is not None:
            (out / f"{item.name}.yaml").write_text(
                yaml.safe_dump(item.twin, allow_unicode=True, sort_keys=False),
                encoding="utf-8")
        else:
            (out / f"{item.name}.refused.txt").write_text("\n".join(item.refusal) + "\n",
                                                          encoding="utf-8")
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for written in build(Path(sys.argv[1])):
        print(written)
