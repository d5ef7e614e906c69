"""A Word plan (.docx) as grids: each table of the document (or of its appendices, Phụ lục)
a :class:`~validator.formats.xlsx.grid.Sheet` the workbook reader reads with the same
header vocabulary, and the document's title lines above it.

A table's sheet is named ``table N`` (N counts the document's tables from 1, in reading
order). The paragraphs just above a table (its caption: "Phụ lục 2. KHUNG CHỈ TIÊU ĐẦU RA")
stand in the rows above the table's own rows, as a workbook's title rows stand above its
header, so the category and the title block are read the same way; ``offset`` is how many
such rows there are. Cells merged in Word (``gridSpan``, ``vMerge``) are merged ranges.
Every value is text in Word: a number grouped in thousands in the document's convention
("35.000" in a Vietnamese document, "35,000" in an English one) is read as that number.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from validator.core.errors import InputError
from validator.core.files import check_size
from validator.core.i18n import _
from validator.formats.xlsx.grid import Sheet
from validator.formats.xlsx.guard import (
    MAX_CELLS,
    MAX_ENTRIES,
    MAX_ENTRY_BYTES,
    MAX_EXPANDED_BYTES,
    MAX_RATIO,
    MAX_WORKBOOK_BYTES,
)

_LIMIT = f"{MAX_CELLS:,}"
CAPTION_LINES = 4      # paragraphs above a table read as its caption
TITLE_LINES = 14       # paragraphs at the top of the document read as its title block
_CITATION = re.compile(r"^(căn cứ|thực hiện|theo|pursuant|based on|in accordance)\b",
                       re.IGNORECASE)
_VI_GROUPED = re.compile(r"^[-+]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_EN_GROUPED = re.compile(r"^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_VI_LETTERS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]",
                         re.IGNORECASE)


@dataclass
class TableSheet(Sheet):
    """One table of the document, with its caption rows above it."""

    number: int = 0
    offset: int = 0                       # caption rows above the table's first row
    labels: dict[int, str] = field(default_factory=dict)  # column -> its header text


@dataclass
class WordDocument:
    """The grids of one document: its title lines and its tables."""

    title: Sheet
    tables: list[TableSheet]


def check_docx(path: Path) -> None:
    """Refuse what is too big or not a Word document before python-docx opens it."""
    file = str(path)
    check_size(path, MAX_WORKBOOK_BYTES, _("documents"))
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except Exception:  # noqa: BLE001 - zipfile raises many kinds; all mean "not a zip"
        raise InputError.single(file, _(
            "not a Word document: a .docx file is a zip archive and this one cannot be "
            "opened as one (a .doc saved with a .docx name?)")) from None
    names = {e.filename for e in entries}
    if len(entries) > MAX_ENTRIES or "word/document.xml" not in names:
        raise InputError.single(file, _(
            "not a Word document: the archive has no word/document.xml"))
    total = 0
    for entry in entries:
        total += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > MAX_ENTRY_BYTES or total > MAX_EXPANDED_BYTES or (
                entry.file_size > 1024 * 1024 and ratio > MAX_RATIO):
            raise InputError.single(file, _(
                "part {part} of the document expands too much; refused as a possible zip "
                "bomb", part=entry.filename))


def read_document(path: Path, file: str) -> WordDocument:
    """The title lines and tables of a .docx file (checked first)."""
    import docx  # python-docx: only for .docx inputs
    from docx.oxml.ns import qn

    check_docx(path)
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx and lxml raise many kinds
        error = f"{type(exc).__name__}: {exc}"
        raise InputError.single(file, _("cannot read the Word document: {error}",
                                        error=error)) from None
    body = document.element.body
    title = Sheet("document")
    tables: list[TableSheet] = []
    recent: list[str] = []
    cells = 0
    vi = _is_vietnamese(body)
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            text = _paragraph_text(child, qn)
            if not text:
                continue
            recent = [*recent[-(CAPTION_LINES - 1):], text]
            if not tables and title.max_row < TITLE_LINES and not _CITATION.match(text) \
                    and len(text) <= 300:
                title.max_row += 1
                title.max_col = 1
                title.values[(title.max_row, 1)] = text
        elif child.tag == qn("w:tbl"):
            sheet = _table(child, len(tables) + 1, recent, vi, qn)
            cells += len(sheet.values)
            if cells > MAX_CELLS:
                raise InputError.single(file, _(
                    "the document has more than {limit} table cells", limit=_LIMIT))
            tables.append(sheet)
            recent = []
    return WordDocument(title, tables)


def _paragraph_text(p: Any, qn: Any) -> str:
    parts = []
    for node in p.iter(qn("w:t"), qn("w:tab"), qn("w:br")):
        parts.append(node.text or "" if node.tag == qn("w:t") else " ")
    return " ".join("".join(parts).split())


def _cell_text(tc: Any, qn: Any) -> str:
    lines = [_paragraph_text(p, qn) for p in tc.iterchildren(qn("w:p"))]
    return "\n".join(line for line in lines if line)


def _table(tbl: Any, number: int, caption: list[str], vi: bool, qn: Any) -> TableSheet:
    """One ``w:tbl`` as a sheet: caption rows, then the table's rows on the Word grid."""
    sheet = TableSheet(f"table {number}", number=number, offset=len(caption))
    for i, text in enumerate(caption, start=1):
        sheet.values[(i, 1)] = text
    open_down: dict[int, tuple[int, int]] = {}  # column -> (top row, width) of a vMerge
    spans: dict[tuple[int, int], list[int]] = {}  # top-left -> [bottom, right]
    row = sheet.offset
    for tr in tbl.iterchildren(qn("w:tr")):
        row += 1
        col = 1 + int(tr.grid_before or 0)
        for tc in tr.iterchildren(qn("w:tc")):
            width = int(tc.grid_span or 1)
            merge = tc.vMerge
            if merge == "continue" and col in open_down:
                top, top_width = open_down[col]
                spans[(top, col)][0] = row
            else:
                text = _cell_text(tc, qn)
                if text:
                    sheet.values[(row, col)] = _number(text, vi)
                spans[(row, col)] = [row, col + width - 1]
                if merge == "restart":
                    open_down[col] = (row, width)
                else:
                    open_down.pop(col, None)
            col += width
        sheet.max_col = max(sheet.max_col, col - 1)
    sheet.max_row = row
    for (top, left), (bottom, right) in spans.items():
        if bottom == top and right == left:
            continue
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                sheet.merged[(r, c)] = (top, left, bottom, right)
    return sheet


def _number(text: str, vi: bool) -> Any:
    """A number grouped in thousands in the document's convention, else the text."""
    flat = text.replace(" ", "").replace("\u00a0", "")
    if vi and _VI_GROUPED.match(flat):
        whole, _sep, frac = flat.partition(",")
        digits = whole.replace(".", "")
        return float(f"{digits}.{frac}") if frac else int(digits)
    if not vi and _EN_GROUPED.match(flat):
        digits = flat.replace(",", "")
        return float(digits) if "." in digits else int(digits)
    return text


def _is_vietnamese(body: Any) -> bool:
    """Whether the document is written in Vietnamese (its number convention)."""
    sample = "".join(t.text or "" for _n, t in zip(range(400), body.iter(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"), strict=False))
    return bool(_VI_LETTERS.search(sample))
