"""Places in a Word document: the workbook reader's cell names (``'table 3'!D9``) as a
reviewer finds them in Word (``table 3, row 7, column 'Kế hoạch 2027'``; shown in
Vietnamese as ``bảng 3, dòng 7, cột 'Kế hoạch 2027'`` by
:func:`validator.core.findings.place_in`).

Rows are counted in the table, from its first row (the header's); the column is named by
its header text (a header over two rows: both, "Kế hoạch 2027").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from validator.core.errors import Problem
from validator.core.findings import Finding, place_in, place_message
from validator.core.i18n import DEFAULT_LANG, Message
from validator.formats.docx.document import TableSheet, WordDocument
from validator.formats.xlsx.grid import CellMap, ref_of, split_cell
from validator.formats.xlsx.layout import find_layout

_REF = re.compile(r"(?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)!\$?[A-Z]{1,3}\$?\d+")


class Places:
    """Turns the reader's cell names into places in the document."""

    def __init__(self, document: WordDocument, file: str) -> None:
        self.tables = {t.name: t for t in document.tables}
        self.title = document.title.name
        for table in document.tables:
            _label_columns(table, file)

    def place(self, cell: str | None) -> str | None:
        if not cell or place_in(cell, "en") != cell or cell.startswith("table "):
            return cell  # empty, or a place already
        sheet, _ref = split_cell(cell)
        try:
            row, col = ref_of(cell)
        except (ValueError, TypeError):
            return cell
        if sheet == self.title:
            return f"title line {row}"
        table = self.tables.get(sheet)
        if table is None:
            return cell
        if row <= table.offset:
            return f"table {table.number}, caption line {row}"
        label = table.labels.get(col)
        shown = f"'{label}'" if label else str(col)
        return f"table {table.number}, row {row - table.offset}, column {shown}"

    def text(self, text: str, lang: str | None = None) -> str:
        """Cell names inside a message's text, as places (shown in ``lang`` when given)."""
        def one(match: re.Match[str]) -> str:
            place = self.place(match.group(0)) or match.group(0)
            return place_in(place, lang) if lang else place

        return _REF.sub(one, text)

    def message(self, message: str | Message) -> str | Message:
        if isinstance(message, Message):
            return replace(message, args=tuple((k, self._arg(v)) for k, v in message.args))
        return self.text(message)

    def _arg(self, value: object) -> object:
        """A message argument: a cell name becomes a place shown in the message's language."""
        if isinstance(value, Message):
            return self.message(value)
        if not isinstance(value, str):
            return value
        text = self.text(value)
        return place_message(text) or text

    def problem(self, problem: Problem) -> Problem:
        cell = getattr(problem, "cell", None)
        return PlaceProblem(problem.file, self.message(problem.message), path=problem.path,
                            place=self.place(cell))

    def grid(self, cell: str | None) -> tuple[int, int, int] | None:
        """``(table, row in the table, grid column)`` of a reader's cell name, 1-based."""
        if not cell:
            return None
        sheet, _ref = split_cell(cell)
        table = self.tables.get(sheet)
        if table is None:
            return None
        row, col = table.anchor(*ref_of(cell))
        return (table.number, row - table.offset, col) if row > table.offset else None

    def cell_map(self, source: CellMap) -> DocumentMap:
        out = DocumentMap(source.file)
        for path, cell in source.cells.items():
            place = self.place(cell)
            out.cells[path] = place
            where = self.grid(cell)
            if place and where:
                out.grid.setdefault(place, where)
        return out

    def finding(self, finding: Finding) -> Finding:
        location = replace(finding.location, cell=self.place(finding.location.cell))
        message = {lang: self.text(text, lang) for lang, text in finding.message.items()}
        return replace(finding, location=location, message=message)


@dataclass
class DocumentMap(CellMap):
    """A Word plan's source map: each key path's place, and each place's table cell (for
    the annotated copy)."""

    grid: dict[str, tuple[int, int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class PlaceProblem(Problem):
    """A load error at a place in a Word document, shown in the user's language."""

    place: str | None = None

    def location(self, lang: str = "en") -> str:
        return f"{self.file}: {place_in(self.place, lang)}" if self.place else self.file

    def render(self, lang: str = DEFAULT_LANG) -> str:
        text = self.text(lang)
        return f"{self.location(lang)}: {text}"

    def to_dict(self, lang: str = "en") -> dict[str, object]:
        return {**super().to_dict(lang), "cell": self.place}


def _label_columns(table: TableSheet, file: str) -> None:
    """Name each column by its header text (the rows of the header block)."""
    try:
        layout = find_layout(table, file)
    except Exception:  # noqa: BLE001 - a bad header is reported when the table is read
        layout = None
    if layout is None:
        return  # not a framework table: its columns are numbered
    first, last = layout.header_row, layout.data_row - 1
    for col in range(1, table.max_col + 1):
        parts: list[str] = []
        seen: set[tuple[int, int]] = set()
        for row in range(first, last + 1):
            anchor = table.anchor(row, col)
            text = table.text(row, col)
            if anchor in seen or not text or text.startswith("("):
                continue
            seen.add(anchor)
            if text not in parts:
                parts.append(text)
        if parts:
            table.labels[col] = " ".join(parts)


def relocated(problems: list[Problem], places: Places) -> list[Problem]:
    return [places.problem(p) for p in problems]

