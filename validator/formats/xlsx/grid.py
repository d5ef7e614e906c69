"""Worksheets as grids of cached values, with merged ranges and formulas, and the map from
plan key paths to cells (``Đầu ra!D14``) that load errors and findings point at."""

from __future__ import annotations

import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.worksheet.cell_range import CellRange

from validator.core.errors import InputError, Problem, format_location
from validator.core.sourcemap import KeyPath, nearest
from validator.formats.xlsx.guard import MAX_CELLS


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


def read_sheets(path: Path, file: str) -> list[Sheet]:
    """Every worksheet of an .xlsx file (checked by :mod:`validator.formats.xlsx.guard` first).

    Two read-only passes: one for formulas, one (``data_only``) for the values the file
    cached when it was last saved; merged ranges come from each sheet's XML. External
    links are not kept or followed; macros, if any, are ignored (openpyxl never runs them).
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            formulas = openpyxl.load_workbook(path, read_only=True, data_only=False,
                                              keep_links=False)
            values = openpyxl.load_workbook(path, read_only=True, data_only=True,
                                            keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds; all mean "unreadable"
        raise InputError.single(file, f"cannot read the workbook: {exc}") from None
    sheets: list[Sheet] = []
    total = 0
    try:
        with zipfile.ZipFile(path) as archive:
            for ws in formulas.worksheets:
                sheet = Sheet(ws.title)
                _merged(sheet, archive, getattr(ws, "_worksheet_path", ""))
                ws.reset_dimensions()  # a wrong <dimension> must not hide cells
                for row in ws.iter_rows():
                    for cell in row:
                        if getattr(cell, "data_type", None) == "f":
                            formula = cell.value
                            sheet.formulas[(cell.row, cell.column)] = str(
                                getattr(formula, "text", formula))
                cached = values[ws.title]
                cached.reset_dimensions()
                for row in cached.iter_rows():
                    for cell in row:
                        if getattr(cell, "value", None) is None:
                            continue
                        total += 1
                        where = (cell.row, cell.column)
                        sheet.values[where] = cell.value
                        if cell.number_format and cell.number_format != "General":
                            sheet.formats[where] = cell.number_format
                if total > MAX_CELLS:
                    raise InputError.single(file, f"the workbook has more than {MAX_CELLS:,} "
                                            "filled cells; split it or remove unused ranges")
                cells = list(sheet.values) + list(sheet.formulas) + list(sheet.merged)
                sheet.max_row = max((r for r, _ in cells), default=0)
                sheet.max_col = max((c for _, c in cells), default=0)
                sheets.append(sheet)
    except InputError:
        raise
    except Exception as exc:  # a damaged part: openpyxl and zlib raise many kinds
        raise InputError.single(file, f"cannot read the workbook: "
                                f"{type(exc).__name__}: {exc}") from None
    finally:
        formulas.close()
        values.close()
    return sheets


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')


def _merged(sheet: Sheet, archive: zipfile.ZipFile, part: str) -> None:
    """Record the merged ranges of a worksheet part (``xl/worksheets/sheet1.xml``)."""
    if not part:
        return
    data = archive.read(part.lstrip("/"))
    for match in _MERGE.finditer(data):
        rng = CellRange(match.group(1).decode())
        span = (rng.min_row, rng.min_col, rng.max_row, rng.max_col)
        if (rng.max_row - rng.min_row + 1) * (rng.max_col - rng.min_col + 1) > MAX_CELLS:
            continue
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


def fail(file: str, cell: str | None, message: str) -> InputError:
    """A located load error at one cell."""
    return InputError([CellProblem(file, message, cell=cell)])


NO_VALUE = ("formula {} has no value saved in the file; open and save the workbook in Excel "
            "or LibreOffice, or type the value")


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
