"""Untrusted workbooks: refuse what is too big, macro-enabled or not a workbook at all,
before openpyxl opens it.

An .xlsx file is a zip archive. A zip bomb is a small archive that expands to gigabytes;
its entries' declared sizes are checked here (count, total, per entry, and the ratio of
expanded to compressed size), and :mod:`zipfile` refuses to read past a declared size,
so openpyxl cannot be made to expand more than this guard allowed.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from validator.core.errors import InputError
from validator.core.files import check_size
from validator.core.i18n import Number, _

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024          # the .xlsx file itself
MAX_ENTRIES = 2_000                        # parts in the archive
MAX_EXPANDED_BYTES = 200 * 1024 * 1024     # all parts, expanded
MAX_ENTRY_BYTES = 100 * 1024 * 1024        # one part, expanded
MAX_RATIO = 200                            # expanded / compressed, for parts over 1 MiB
MAX_CELLS = 1_000_000                      # cells in the whole workbook (formulas and blanks
                                           # too), and strings in its shared string table
MAX_MERGED_CELLS = 100_000                 # cells covered by merged ranges, all sheets

REFUSED_SUFFIXES = {
    ".xlsm": _("a macro-enabled workbook (.xlsm) is refused; save it as .xlsx "
               "(Excel Workbook) without macros and submit that"),
    ".xltm": _("a macro-enabled template (.xltm) is refused; save it as .xlsx"),
    ".xlsb": _("binary workbooks (.xlsb) are not read; save the workbook as .xlsx"),
    ".xls": _("Excel 97-2003 workbooks (.xls) are not read; save the workbook as .xlsx"),
    ".ods": _("OpenDocument spreadsheets (.ods) are not read; save the workbook as .xlsx"),
}


def check_workbook(path: Path) -> None:
    """Raise a located :class:`InputError` unless ``path`` is a safe-looking .xlsx file."""
    file = str(path)
    suffix = path.suffix.lower()
    if suffix in REFUSED_SUFFIXES:
        raise InputError.single(file, REFUSED_SUFFIXES[suffix])

    check_size(path, MAX_WORKBOOK_BYTES, _("workbooks"))
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except Exception:  # noqa: BLE001 - zipfile raises many kinds (BadZipFile, OSError,
        # ValueError, NotImplementedError for an unknown zip version, ...); all mean this
        raise InputError.single(file, _("not an Excel workbook: an .xlsx file is a zip archive "
                                        "and this one cannot be opened as one")) from None
    if len(entries) > MAX_ENTRIES:
        raise InputError.single(file, _("the workbook has {n} parts; at most {limit} are read",
                                        n=Number(len(entries)), limit=Number(MAX_ENTRIES)))
    names = {e.filename for e in entries}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise InputError.single(file, _("not an Excel workbook: the archive has no "
                                        "xl/workbook.xml (is it a .docx, .ods or another zip "
                                        "file?)"))
    total = 0
    for entry in entries:
        total += entry.file_size
        if entry.file_size > MAX_ENTRY_BYTES:
            raise InputError.single(file, _("part {part} expands to {size} bytes; at most "
                                            "{limit}", part=entry.filename,
                                            size=Number(entry.file_size),
                                            limit=Number(MAX_ENTRY_BYTES)))
        if entry.file_size > 1024 * 1024 and (
                entry.compress_size == 0 or entry.file_size / entry.compress_size > MAX_RATIO):
            ratio = Number(round(entry.file_size / max(entry.compress_size, 1)), digits=0)
            raise InputError.single(file, _("part {part} expands {ratio} times; refused as a "
                                            "possible zip bomb", part=entry.filename,
                                            ratio=ratio))
    if total > MAX_EXPANDED_BYTES:
        raise InputError.single(file, _("the workbook expands to {size} bytes; at most "
                                        "{limit}", size=Number(total),
                                        limit=Number(MAX_EXPANDED_BYTES)))


# what the parts hold, counted on their bytes before any XML parser sees them: a cell
# (<c>, with or without a namespace prefix), a shared string (<si>), a merged range
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_STRING_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
_MERGE_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]{0,200}?ref="
                        rb"\"([A-Z]{1,3})([0-9]{1,7})(?::([A-Z]{1,3})([0-9]{1,7}))?\"")
_CHUNK = 1 << 20
_OVERLAP = 256  # longer than any tag matched above


def _column(letters: bytes) -> int:
    number = 0
    for char in letters:
        number = number * 26 + char - 64
    return number


def merged_area(match: re.Match[bytes]) -> int:
    """The number of cells a ``<mergeCell ref="B2:D4">`` match covers."""
    top, left = int(match.group(2)), _column(match.group(1))
    bottom = int(match.group(4)) if match.group(4) else top
    right = _column(match.group(3)) if match.group(3) else left
    return (abs(bottom - top) + 1) * (abs(right - left) + 1)


def check_contents(path: Path) -> None:
    """Refuse a workbook whose parts hold more cells, shared strings or merged cells than
    the caps allow, counted on the parts' bytes before openpyxl parses any of them (so a
    million formula-only cells, or a table of millions of strings, costs a scan, not a
    parse). A workbook is read only as far as its cells are present: cells are never
    visited by rows times columns."""
    file = str(path)
    cells = strings = merged = 0
    with zipfile.ZipFile(path) as archive:
        for entry in archive.infolist():
            if entry.is_dir():
                continue
            tail = b""
            with archive.open(entry) as stream:
                while chunk := stream.read(_CHUNK):
                    data = tail + chunk
                    start = len(tail)  # a match must end past the carried-over tail
                    cells += sum(1 for m in _CELL_TAG.finditer(data) if m.end() > start)
                    strings += sum(1 for m in _STRING_TAG.finditer(data) if m.end() > start)
                    merged += sum(merged_area(m) for m in _MERGE_TAG.finditer(data)
                                  if m.end() > start)
                    tail = data[-_OVERLAP:]
                    if cells > MAX_CELLS:
                        raise InputError.single(file, _(
                            "the workbook has more than {limit} cells (counting formulas and "
                            "blank cells; the cell limit, MAX_CELLS); split it or remove "
                            "unused ranges", limit=Number(MAX_CELLS)))
                    if strings > MAX_CELLS:
                        raise InputError.single(file, _(
                            "the workbook's shared string table holds more than {limit} "
                            "strings (the cell limit, MAX_CELLS); split it or remove unused "
                            "text", limit=Number(MAX_CELLS)))
                    # a merged cell written as a cell element is already bounded by
                    # MAX_CELLS: the cap is on the area merges add beyond the cells present
                    # (plancheck's own 10,000-target workbooks merge 130,000 present cells)
                    if merged > MAX_MERGED_CELLS + cells:
                        raise InputError.single(file, _(
                            "the workbook's merged ranges cover more than {limit} cells in "
                            "all (the merged-cell limit, MAX_MERGED_CELLS); unmerge the large "
                            "ranges", limit=Number(MAX_MERGED_CELLS)))
