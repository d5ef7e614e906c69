"""Worksheets as grids of cached values, with merged ranges and formulas, and the map from
plan key paths to cells (``Đầu ra!D14``) that load errors and findings point at."""

from __future__ import annotations

import bisect
import functools
import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import (
    column_index_from_string,
    coordinate_from_string,
    coordinate_to_tuple,
)
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.worksheet._reader import WorkSheetParser, _cast_number
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
        span = self.merged.get((row, col))
        value = self.values.get((span[0], span[1]) if span else (row, col))
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @functools.cached_property
    def own_values(self) -> dict[tuple[int, int], Any]:
        """Every cell's own value (see :func:`own`), blanks left out: the readers ask about
        each cell several times, so it is worked out once per sheet (filled before read)."""
        found: dict[tuple[int, int], Any] = {}
        for where, value in self.values.items():
            if where not in self.merged:
                found[where] = value
        for where, span in self.merged.items():
            if where[1] == span[1] and (span[0], span[1]) in self.values:
                found[where] = self.values[span[0], span[1]]
        return {where: value for where, value in found.items() if value is not None and not (
            isinstance(value, str) and not value.strip())}

    def text(self, row: int, col: int) -> str:
        value = self.value(row, col)
        return "" if value is None else " ".join(str(value).split())

    def is_start(self, row: int, col: int) -> bool:
        """Whether (row, col) is the top row of its merged range (or not merged)."""
        span = self.merged.get((row, col))
        return span is None or span[0] == row

    def uncached(self, row: int, col: int) -> str | None:
        """The formula at (row, col) when the file holds no value computed for it."""
        if not self.formulas:
            return None
        where = self.anchor(row, col)
        formula = self.formulas.get(where)
        if formula is not None and self.values.get(where) is None:
            return formula
        return None

    def cell(self, row: int, col: int) -> str:
        span = self.merged.get((row, col))
        if span:
            row, col = span[0], span[1]
        prefix = self.__dict__.get("_prefix")
        if prefix is None:
            prefix = self.__dict__["_prefix"] = quoted(self.name)
        return f"{prefix}!{get_column_letter(col)}{row}"

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

    def filled_rows(self, start: int, cols: Iterable[int]) -> list[int]:
        """The rows from ``start`` on where one of ``cols`` holds a value of its own or a
        formula: the entries of a list sheet, the blank rows between them skipped."""
        cols = tuple(cols)
        return [row for row in self.rows(start)
                if any(self.own_values.get((row, c)) is not None
                       or self.uncached(row, c) is not None for c in cols)]

    def header(self, role_of: Callable[[str], str | None],
               needed: set[str]) -> tuple[int | None, dict[str, int]]:
        """The first of the top 20 rows whose text cells name every role ``needed``, and the
        column of each role it names (``role_of`` reads a header text); ``(None, {})``."""
        for row in self.rows(1, 20):
            found = {role: col for col in self.columns(row)
                     if isinstance(self.own_values.get((row, col)), str)
                     and (role := role_of(self.text(row, col))) is not None}
            if needed <= set(found):
                return row, found
        return None, {}

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


def _number_format(book: Any, style_id: int) -> str:
    try:
        fmt_id = book._cell_styles[style_id].numFmtId
        if fmt_id < BUILTIN_FORMATS_MAX_SIZE:
            return str(BUILTIN_FORMATS.get(fmt_id, "General"))
        return str(book._number_formats[fmt_id - BUILTIN_FORMATS_MAX_SIZE])
    except (IndexError, AttributeError):
        return "General"


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _VALUE, _FORMULA = _NS + "row", _NS + "v", _NS + "f"
_INLINE, _TEXT, _RUN = _NS + "is", _NS + "t", _NS + "r"
_MERGES, _MERGE = _NS + "mergeCells", _NS + "mergeCell"
_REF = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]+)")


@functools.lru_cache(maxsize=4096)
def _column_number(letters: str) -> int:
    return int(column_index_from_string(letters))


def _position(ref: str) -> tuple[int, int]:
    match = _REF.fullmatch(ref)
    if match is None:
        return coordinate_to_tuple(ref)  # type: ignore[no-any-return]  # raises as openpyxl
    return int(match.group(2)), _column_number(match.group(1))


def _inline_text(cell: Any) -> str | None:
    """An inline string's text, as openpyxl's ``Text.content`` gives it (its plain text
    and its rich-text runs, without formatting)."""
    inline = cell.find(_INLINE)
    if inline is None:
        return None
    plain = inline.find(_TEXT)
    parts = [plain.text] if plain is not None and plain.text is not None else []
    for run in inline.iterfind(_RUN):
        text = run.find(_TEXT)
        if text is not None and text.text is not None:
            parts.append(text.text)
    return "".join(parts)


class _SheetReader:
    """One pass over a sheet's XML: each cell's cached value (converted as openpyxl's
    reader converts it: numbers, shared and inline strings, booleans, dates by number
    format), its formula and its number format, and the merged ranges.

    openpyxl's own parser builds a dict and several objects per cell (two thirds of the
    time a 10,000-target workbook took to load); this reads the elements ElementTree
    builds, and skips a cell that holds nothing (a styled blank: half of a written sheet's
    cells) once it is counted.
    """

    def __init__(self, ws: Any, book: Any, sheet: Sheet) -> None:
        self.book, self.sheet = book, sheet
        self.strings = ws._shared_strings
        # openpyxl's parser, for what is rare and intricate: shared and array formulas
        self.formulas = WorkSheetParser(None, self.strings, data_only=True)
        self.formats: dict[int, str] = {}

    def read(self, source: Any, file: str, budget: list[int]) -> None:
        row_number = 0
        for _event, element in ElementTree.iterparse(source):
            tag = element.tag
            if tag == _ROW:
                row_number = self.row(element, row_number, file, budget)
                element.clear()
            elif tag == _MERGES:
                for merge in element.iterfind(_MERGE):
                    ref = merge.get("ref")
                    if ref:
                        _merge(self.sheet, ref)
                element.clear()

    def row(self, element: Any, previous: int, file: str, budget: list[int]) -> int:
        raw = element.get("r")
        if raw is None:
            number = previous + 1
        else:
            try:
                number = int(raw)
            except ValueError:
                value = float(raw)
                if not value.is_integer():
                    raise ValueError(f"{raw} is not a valid row number") from None
                number = int(value)
        cells = list(element)
        budget[0] -= len(cells)
        if budget[0] < 0:  # the guard counted the tags; this counts what parsed
            raise InputError.single(file, _(
                "the workbook has more than {limit} cells (counting formulas and "
                "blank cells; the cell limit, MAX_CELLS); split it or remove "
                "unused ranges", limit=Number(MAX_CELLS)))
        column = 0
        pending: str | None = None  # a skipped cell's reference: the column count so far
        for cell in cells:
            ref = cell.get("r")
            if ref is not None:
                if not len(cell) and cell.get("t") != "inlineStr":
                    pending = ref  # a styled blank: no value, no formula
                    continue
                pending = None
                row, column = _position(ref)
            else:  # no reference: the cell after the previous one, as openpyxl counts
                if pending is not None:
                    column, pending = _position(pending)[1], None
                column += 1
                row = number
            self.cell(cell, row, column)
        return number

    def cell(self, cell: Any, row: int, col: int) -> None:
        kind = cell.get("t", "n")
        where = (row, col)
        if cell.find(_FORMULA) is not None:
            formula = self.formulas.parse_formula(cell)
            self.sheet.formulas[where] = str(getattr(formula, "text", formula))
        style = int(cell.get("s", 0) or 0)
        if kind == "inlineStr":
            value: Any = _inline_text(cell)
            if value is None:
                return
        else:
            value = cell.findtext(_VALUE, None) or None
            if value is None:
                return
            if kind == "n":
                value = _cast_number(value)
                if style in self.book._date_formats:
                    try:
                        value = from_excel(value, self.book.epoch,
                                           timedelta=style in self.book._timedelta_formats)
                    except (OverflowError, ValueError):
                        value = "#VALUE!"  # openpyxl's reading of a date out of range
            elif kind == "s":
                value = self.strings[int(value)]
            elif kind == "b":
                value = bool(int(value))
            elif kind == "d":
                value = from_ISO8601(value)
        self.sheet.values[where] = value
        if style:
            if style not in self.formats:
                self.formats[style] = _number_format(self.book, style)
            if self.formats[style] != "General":
                self.sheet.formats[where] = self.formats[style]


def _read_sheet(ws: Any, book: Any, file: str, budget: list[int]) -> Sheet:
    sheet = Sheet(ws.title)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with ws._get_source() as source:
            _SheetReader(ws, book, sheet).read(source, file, budget)
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
    return sheet.own_values.get((row, col))


def quoted(sheet: str) -> str:
    """A sheet name as it stands before ``!`` in a cell reference."""
    return cell_name(sheet, 1, 1).rpartition("!")[0]


def ref_of(cell: str) -> tuple[int, int]:
    """(row, column) of ``Sheet!D14``."""
    letters, row = coordinate_from_string(cell.rpartition("!")[2])
    return row, column_index_from_string(letters)
