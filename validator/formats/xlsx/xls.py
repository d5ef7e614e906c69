"""Excel 97-2003 workbooks (.xls) as :class:`~validator.formats.xlsx.grid.Sheet` grids, read
with xlrd, so that the workbook reader sees the same values, number formats and merged
ranges as from an .xlsx file, and findings point at the same cells (``file.xls:'Sheet'!D14``).

An .xls file stores numbers as floats: a whole number is read as an int, as openpyxl reads
it from an .xlsx file; dates become datetimes. Formulas are read as the values the file
cached (xlrd does not expose the formulas themselves). Nothing in the file is run.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from validator.core.errors import InputError
from validator.core.files import check_size
from validator.core.i18n import _
from validator.formats.xlsx.grid import Sheet
from validator.formats.xlsx.guard import MAX_CELLS, MAX_WORKBOOK_BYTES


def read_xls_sheets(path: Path, file: str) -> list[Sheet]:
    """Every worksheet of an .xls file, or a located :class:`InputError`."""
    import xlrd  # only for .xls inputs

    check_size(path, MAX_WORKBOOK_BYTES, _("workbooks"))
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True,
                                  logfile=_Silent())
    except xlrd.XLRDError as exc:
        if "xlsx" in str(exc).lower():
            raise InputError.single(file, _(
                "this .xls file is an .xlsx workbook with the wrong extension; rename it to "
                ".xlsx")) from None
        raise InputError.single(file, _("cannot read the Excel 97-2003 workbook: {error}",
                                        error=str(exc))) from None
    except Exception as exc:  # noqa: BLE001 - a damaged file: xlrd raises many kinds
        error = f"{type(exc).__name__}: {exc}"
        raise InputError.single(file, _("cannot read the Excel 97-2003 workbook: {error}",
                                        error=error)) from None
    sheets, total = [], 0
    try:
        for index in range(book.nsheets):
            ws = book.sheet_by_index(index)
            total += ws.nrows * ws.ncols
            if total > MAX_CELLS * 4:  # the grid, filled or not: a cheap bound first
                raise InputError.single(file, _(
                    "the workbook has more than {limit} cells; split it or remove unused "
                    "ranges", limit=_LIMIT))
            sheets.append(_sheet(book, ws))
            book.unload_sheet(index)
    finally:
        book.release_resources()
    if sum(len(s.values) for s in sheets) > MAX_CELLS:
        raise InputError.single(file, _(
            "the workbook has more than {limit} cells; split it or remove unused ranges",
            limit=_LIMIT))
    return sheets


_LIMIT = f"{MAX_CELLS:,}"


def _sheet(book: Any, ws: Any) -> Sheet:
    import xlrd

    sheet = Sheet(ws.name)
    for row in range(ws.nrows):
        for col in range(ws.ncols):
            cell = ws.cell(row, col)
            value = _value(book, cell, xlrd)
            if value is None:
                continue
            where = (row + 1, col + 1)
            sheet.values[where] = value
            fmt = _format(book, cell)
            if fmt and fmt != "General":
                sheet.formats[where] = fmt
    for top, bottom, left, right in ws.merged_cells:  # 0-based, bottom/right exclusive
        span = (top + 1, left + 1, bottom, right)
        for r in range(top + 1, bottom + 1):
            for c in range(left + 1, right + 1):
                sheet.merged[(r, c)] = span
    cells = list(sheet.values) + list(sheet.merged)
    sheet.max_row = max((r for r, _c in cells), default=0)
    sheet.max_col = max((c for _r, c in cells), default=0)
    return sheet


def _value(book: Any, cell: Any, xlrd: Any) -> Any:
    kind = cell.ctype
    if kind == xlrd.XL_CELL_TEXT:
        return cell.value if cell.value.strip() else None
    if kind == xlrd.XL_CELL_NUMBER:
        number = float(cell.value)
        return int(number) if number.is_integer() else number
    if kind == xlrd.XL_CELL_DATE:
        try:
            moment = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        except (ValueError, OverflowError):
            return cell.value
        return moment if moment.time() != dt.time() else dt.datetime.combine(
            moment.date(), dt.time())
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    return None  # empty, blank and error cells


def _format(book: Any, cell: Any) -> str | None:
    try:
        xf = book.xf_list[cell.xf_index]
        return book.format_map[xf.format_key].format_str
    except (IndexError, KeyError, AttributeError):
        return None


class _Silent:
    """xlrd's log file: its warnings about odd records are not the user's concern."""

    def write(self, text: str) -> int:
        return len(text)
