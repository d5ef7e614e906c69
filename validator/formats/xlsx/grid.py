"""Worksheets as grids of cached values, with merged ranges and formulas, and the map from
plan key paths to cells (``Đầu ra!D14``) that load errors and findings point at."""

from __future__ import annotations

import bisect
import functools
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser
from openpyxl.worksheet.cell_range import CellRange

from validator.core.errors import InputError, Problem, format_location
from validator.core.i18n import Message, Number, _
from validator.core.sourcemap import KeyPath, nearest
from validator.formats.xlsx.guard import MAX_CELLS, check_contents


def cell_name(sheet: str, row: int, col: int) -> str:
    """``Sheet!D14``; a sheet name with spaces or punctuation is quoted as Excel does."""
    plain = sheet.replace("_", "").replace(".", "")
    shown = sheet if plain.isalnum() and not sheet[:1].isdigit() else \
        "'" + sheet.replace("'", "''") + "'"
    return f"{shown}!{get_column_letter(col)}{row}"


def split_cell(name: str) -> tuple[str, str]:
    """``("Đầu ra", "D14")`` from ``Đầu ra!D14`` or ``'Đầu ra'!D14``."""
    sheet, _, ref = name.rpartition("!")
    if sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    return sheet, ref


@dataclass(frozen=True)
class CellProblem(Problem):
    """A problem located at a worksheet cell rather than a line."""

    cell: str | None = None

    def location(self) -> str:
        if self.cell:
            return f"{self.file}:{self.cell}"
        return format_location(self.file, self.line, self.column)

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "cell": self.cell}


@dataclass
class Sheet:
    """One worksheet: cached values, formulas and merged ranges, 1-based rows/columns."""

    name: str
    values: dict[tuple[int, int], Any] = field(default_factory=dict)
    formats: dict[tuple[int, int], str] = field(default_factory=dict)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    # every cell of a merged range -> (top row, left col, bottom row, right col)
    merged: dict[tuple[int, int], tuple[int, int, int, int]] = field(default_factory=dict)
    max_row: int = 0
    max_col: int = 0

    def anchor(self, row: int, col: int) -> tuple[int, int]:
        """The top-left cell of the merged range holding (row, col), or the cell itself."""
        span = self.merged.get((row, col))
        return (span[0], span[1]) if span else (row, col)

    def value(self, row: int, col: int) -> Any:
        """The cached value shown at (row, col) (a merged range shows its top-left value)."""
        value = self.values.get(self.anchor(row, col))
        if isinstance(value, str) and not value.strip():
            return None
        return value

    def text(self, row: int, col: int) -> str:
        value = self.value(row, col)
        return "" if value is None else " ".join(str(value).split())

    def is_start(self, row: int, col: int) -> bool:
        """Whether (row, col) is the top row of its merged range (or not merged)."""
        span = self.merged.get((row, col))
        return span is None or span[0] == row

    def uncached(self, row: int, col: int) -> str | None:
        """The formula at (row, col) when the file holds no value computed for it."""
        where = self.anchor(row, col)
        formula = self.formulas.get(where)
        if formula is not None and self.values.get(where) is None:
            return formula
        return None

    def cell(self, row: int, col: int) -> str:
        return cell_name(self.name, *self.anchor(row, col))

    def percent(self, row: int, col: int) -> bool:
        return "%" in self.formats.get(self.anchor(row, col), "")

    # Readers visit the cells present, never every row up to max_row times every column up
    # to max_col: one cell at XFD1048576 would make that 1.7e10 visits. The index is built
    # on first use, so a sheet is filled before it is read.

    @functools.cached_property
    def _index(self) -> tuple[list[int], dict[int, list[int]]]:
        by_row: dict[int, set[int]] = {}
        for cells in (self.values, self.formulas, self.merged):
            for r, c in cells:
                by_row.setdefault(r, set()).add(c)
        return sorted(by_row), {r: sorted(cols) for r, cols in by_row.items()}

    def rows(self, start: int = 1, stop: int | None = None) -> list[int]:
        """The rows from ``start`` to ``stop`` (inclusive) that hold anything (a value, a
        formula, part of a merged range), in order."""
        rows = self._index[0]
        end = len(rows) if stop is None else bisect.bisect_right(rows, stop)
        return rows[bisect.bisect_left(rows, start):end]

    def columns(self, row: int, start: int = 1) -> list[int]:
        """The columns from ``start`` on where ``row`` holds anything, in order."""
        cols = self._index[1].get(row, [])
        return cols[bisect.bisect_left(cols, start):]

    def columns_in(self, first: int, last: int) -> list[int]:
        """The columns where any row from ``first`` to ``last`` holds anything, in order."""
        found: set[int] = set()
        for row in self.rows(first, last):
            found.update(self._index[1][row])
        return sorted(found)


def read_sheets(path: Path, file: str) -> list[Sheet]:
    """Every worksheet of an .xlsx file (checked by :mod:`validator.formats.xlsx.guard` first).

    One pass over each sheet's XML gives both the formulas and the values the file cached
    when it was last saved; only the cells present in the file are visited (never rows
    times columns, whatever the sheet's dimension says). External links are not kept or
    followed; macros, if any, are ignored (openpyxl never runs them).
    """
    try:
        check_contents(path)
    except InputError:
        raise
    except Exception as exc:  # a damaged part (bad CRC, bad deflate data): zipfile and zlib
        # raise many kinds, met here first because the parts are counted before parsing
        reason = f"{type(exc).__name__}: {exc}"
        raise InputError.single(file, _("cannot read the workbook: {reason}",
                                        reason=reason)) from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(path, read_only=True, data_only=True,
                                          keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds; all mean "unreadable"
        raise InputError.single(file, _("cannot read the workbook: {reason}",
                                        reason=str(exc))) from None
    sheets: list[Sheet] = []
    budget = [MAX_CELLS]
    try:
        for ws in book.worksheets:
            sheets.append(_read_sheet(ws, book, file, budget))
    except InputError:
        raise
    except Exception as exc:  # a damaged part: openpyxl and zlib raise many kinds
        reason = "%s: %s" % (type(exc).__name__, exc)  # noqa: UP031
        raise InputError.single(file, _("cannot read the workbook: {reason}",
                                        reason=reason)) from None
    finally:
        book.close()
    return sheets


class _CellParser(WorkSheetParser):  # type: ignore[misc]
    """openpyxl's sheet parser reading cached values, that also keeps each cell's formula
    (so one pass gives both)."""

    def parse_cell(self, element: Any) -> dict[str, Any]:
        cell: dict[str, Any] = super().parse_cell(element)
        if element.find(FORMULA_TAG) is not None:
            formula = self.parse_formula(element)
            cell["formula"] = str(getattr(formula, "text", formula))
        return cell


def _number_format(book: Any, style_id: int) -> str:
    try:
        fmt_id = book._cell_styles[style_id].numFmtId
        if fmt_id < BUILTIN_FORMATS_MAX_SIZE:
            return str(BUILTIN_FORMATS.get(fmt_id, "General"))
        return str(book._number_formats[fmt_id - BUILTIN_FORMATS_MAX_SIZE])
    except (IndexError, AttributeError):
        return "General"


def _read_sheet(ws: Any, book: Any, file: str, budget: list[int]) -> Sheet:
    sheet = Sheet(ws.title)
    formats: dict[int, str] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with ws._get_source() as source:
            parser = _CellParser(source, ws._shared_strings, data_only=True,
                                 epoch=book.epoch, date_formats=book._date_formats,
                                 timedelta_formats=book._timedelta_formats)
            for _row, cells in parser.parse():
                budget[0] -= len(cells)
                if budget[0] < 0:  # the guard counted the tags; this counts what parsed
                    raise InputError.single(file, _(
                        "the workbook has more than {limit} cells (counting formulas and "
                        "blank cells; the cell limit, MAX_CELLS); split it or remove "
                        "unused ranges", limit=Number(MAX_CELLS)))
                for cell in cells:
                    where = (cell["row"], cell["column"])
                    if "formula" in cell:
                        sheet.formulas[where] = cell["formula"]
                    if cell["value"] is None:
                        continue
                    sheet.values[where] = cell["value"]
                    style = cell["style_id"]
                    if style:
                        if style not in formats:
                            formats[style] = _number_format(book, style)
                        if formats[style] != "General":
                            sheet.formats[where] = formats[style]
    if parser.merged_cells is not None:
        for merge in parser.merged_cells.mergeCell:
            _merge(sheet, merge.ref)
    cells = list(sheet.values) + list(sheet.formulas) + list(sheet.merged)
    sheet.max_row = max((r for r, _ in cells), default=0)
    sheet.max_col = max((c for _, c in cells), default=0)
    return sheet


def _merge(sheet: Sheet, ref: str) -> None:
    """Record one merged range (its size is bounded in total by the guard's
    MAX_MERGED_CELLS)."""
    try:
        rng = CellRange(ref)
    except (ValueError, TypeError):
        return
    span = (rng.min_row, rng.min_col, rng.max_row, rng.max_col)
    for r in range(rng.min_row, rng.max_row + 1):
        for c in range(rng.min_col, rng.max_col + 1):
            sheet.merged[(r, c)] = span


@dataclass
class CellMap:
    """Where each key path of a workbook plan came from; the loader's source map."""

    file: str
    cells: dict[KeyPath, str] = field(default_factory=dict)

    def put(self, path: KeyPath, cell: str) -> None:
        self.cells.setdefault(tuple(path), cell)

    def cell(self, path: KeyPath) -> str | None:
        """The cell of ``path``, or of its nearest ancestor that has one."""
        return nearest(self.cells, path)

    def locate(self, path: KeyPath) -> tuple[int, int] | None:
        return None  # workbooks have cells, not lines

    def problem(self, path: KeyPath, message: str) -> Problem:
        return CellProblem(self.file, message, path=tuple(path), cell=self.cell(path))


def fail(file: str, cell: str | None, message: str | Message) -> InputError:
    """A located load error at one cell."""
    return InputError([CellProblem(file, message, cell=cell)])


def no_value(formula: str | None) -> Message:
    """A formula the reader needs the value of, saved without one."""
    return _("formula {formula} has no value saved in the file; open and save the workbook "
             "in Excel or LibreOffice, or type the value", formula=formula)


def own(sheet: Sheet, row: int, col: int) -> Any:
    """The value a cell holds itself: a merged range counts in its left column only."""
    if sheet.anchor(row, col)[1] != col:
        return None
    return sheet.value(row, col)


def quoted(sheet: str) -> str:
    """A sheet name as it stands before ``!`` in a cell reference."""
    return cell_name(sheet, 1, 1).rpartition("!")[0]


def ref_of(cell: str) -> tuple[int, int]:
    """(row, column) of ``Sheet!D14``."""
    letters, row = coordinate_from_string(cell.rpartition("!")[2])
    return row, column_index_from_string(letters)
