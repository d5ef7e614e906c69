"""Helpers (no tests) for the workbook tests: small hand-made workbooks, written with openpyxl."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook

PLAN_ROWS = [
    ["Mã kế hoạch", "p1"],
    ["Tên kế hoạch", "Kế hoạch thử"],
    ["Loại kế hoạch", "Kế hoạch phát triển kinh tế - xã hội 5 năm"],
    ["Cấp", "Tỉnh"],
    ["Địa phương", "Lào Cai"],
    ["Giai đoạn", "2026-2030"],
    ["Năm cơ sở", 2025],
]
HEADER = ["Mục tiêu", "Chỉ tiêu đầu ra", "Đơn vị tính", "Kế hoạch 2026", "Kế hoạch 2027",
          "Kế hoạch 2028", "Kế hoạch 2029", "Kế hoạch 2030", "Cơ quan tổng hợp"]
ROW = ["Mục tiêu 1: Cấp nước sạch", "Số hộ được cấp nước sạch", "hộ", 2000, 3000, 4000, 5000,
       6000, "Sở Xây dựng"]


def make_book(path: Path, sheets: dict[str, list[list[Any]]],
              merges: dict[str, list[str]] | None = None,
              formats: dict[str, dict[str, str]] | None = None) -> Path:
    """Write ``sheets`` (name -> rows of cell values, None for empty) as a workbook."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(r, c, value)
        for rng in (merges or {}).get(name, []):
            sheet.merge_cells(rng)
        for ref, fmt in (formats or {}).get(name, {}).items():
            sheet[ref].number_format = fmt
    book.save(path)
    return path


def simple_book(path: Path, rows: list[list[Any]] | None = None, **kw: Any) -> Path:
    """A plan sheet and one output-targets sheet (one row per target)."""
    return make_book(path, {"Kế hoạch": PLAN_ROWS,
                            "Đầu ra": [["KHUNG CHỈ TIÊU ĐẦU RA"], HEADER, *(rows or [ROW])]},
                     **kw)


def cache_value(path: Path, sheet_index: int, ref: str, value: float) -> None:
    """Store a computed value for the formula at ``ref`` (as Excel would when saving)."""
    part = f"xl/worksheets/sheet{sheet_index}.xml"
    with zipfile.ZipFile(path) as src:
        items = {i.filename: src.read(i.filename) for i in src.infolist()}
    xml = items[part].decode()
    xml, n = re.subn(rf'(<c r="{ref}"[^>]*>)(<f>[^<]*</f>)(<v\s*/>|<v>[^<]*</v>)?',
                     rf"\g<1>\g<2><v>{value}</v>", xml)
    assert n == 1, xml
    items[part] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in items.items():
            dst.writestr(name, data)


def patch_sheet(path: Path, sheet_index: int, rows: str = "", merges: list[str] = (),
                strings: list[str] | None = None) -> Path:
    """Add raw XML to a workbook's sheet part: ``rows`` (``<row>`` elements) at the end of
    its sheetData, merged ranges, and (``strings``) a shared string table replacing the
    workbook's; as a hostile tool would write them."""
    part = f"xl/worksheets/sheet{sheet_index}.xml"
    with zipfile.ZipFile(path) as src:
        items = {i.filename: src.read(i.filename) for i in src.infolist()}
    xml = items[part].decode()
    xml = xml.replace("</sheetData>", rows + "</sheetData>")
    if "<sheetData/>" in xml:
        xml = xml.replace("<sheetData/>", f"<sheetData>{rows}</sheetData>")
    if merges:
        refs = "".join(f'<mergeCell ref="{ref}"/>' for ref in merges)
        xml = xml.replace("</sheetData>", f'</sheetData><mergeCells count="{len(merges)}">'
                                          f"{refs}</mergeCells>")
    items[part] = xml.encode()
    if strings is not None:
        name = next((n for n in items if n.endswith("sharedStrings.xml")),
                    "xl/sharedStrings.xml")
        items[name] = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                       f'count="{len(strings)}" uniqueCount="{len(strings)}">'
                       + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in items.items():
            dst.writestr(name, data)
    return path


def make_xls(path: Path, sheets: dict[str, list[list[Any]]],
             merges: dict[str, list[str]] | None = None,
             formats: dict[str, dict[str, str]] | None = None) -> Path:
    """The same workbook as :func:`make_book`, as Excel 97-2003 (.xls), written with xlwt."""
    import xlwt
    from openpyxl.utils.cell import range_boundaries

    book = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        merged = [range_boundaries(r) for r in (merges or {}).get(name, [])]
        styles = {}
        for ref, fmt in (formats or {}).get(name, {}).items():
            min_col, min_row, _c, _r = range_boundaries(ref)
            styles[(min_row, min_col)] = xlwt.easyxf(num_format_str=fmt)
        inside = set()
        for min_col, min_row, max_col, max_row in merged:
            first = rows[min_row - 1][min_col - 1] if min_row <= len(rows) and \
                min_col <= len(rows[min_row - 1]) else None
            sheet.write_merge(min_row - 1, max_row - 1, min_col - 1, max_col - 1, first)
            inside |= {(r, c) for r in range(min_row, max_row + 1)
                       for c in range(min_col, max_col + 1)}
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None and (r, c) not in inside:
                    style = styles.get((r, c))
                    if style is not None:
                        sheet.write(r - 1, c - 1, value, style)
                    else:
                        sheet.write(r - 1, c - 1, value)
    book.save(str(path))
    return path


def shown(value: Any, fmt: str | None = None) -> str:
    """A cell value as a Vietnamese document writes it: ``4,5``, ``80%`` for 0.8 in a
    percentage cell."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if fmt and "%" in fmt:
        value = round(value * 100, 10)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace(".", ",")
    return text + ("%" if fmt and "%" in fmt else "")


def make_docx(path: Path, sheets: dict[str, list[list[Any]]],
              merges: dict[str, list[str]] | None = None,
              formats: dict[str, dict[str, str]] | None = None,
              title: list[str] | None = None) -> Path:
    """The same plan as :func:`make_book` as a Word document: the title lines, then each
    sheet as a caption (its name) and a table; merged ranges merged in Word."""
    import docx
    from openpyxl.utils.cell import range_boundaries

    document = docx.Document()
    for line in title or []:
        document.add_paragraph(line)
    for name, rows in sheets.items():
        document.add_paragraph(name)
        width = max(len(r) for r in rows)
        table = document.add_table(rows=len(rows), cols=width)
        styles = {range_boundaries(ref)[1::-1]: fmt
                  for ref, fmt in (formats or {}).get(name, {}).items()}
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    table.cell(r - 1, c - 1).text = shown(value, styles.get((r, c)))
        for rng in (merges or {}).get(name, []):
            min_col, min_row, max_col, max_row = range_boundaries(rng)
            table.cell(min_row - 1, min_col - 1).merge(table.cell(max_row - 1, max_col - 1))
    document.save(str(path))
    return path
