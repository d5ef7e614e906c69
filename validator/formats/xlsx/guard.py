"""Untrusted workbooks: refuse what is too big, macro-enabled or not a workbook at all,
before openpyxl opens it.

An .xlsx file is a zip archive. A zip bomb is a small archive that expands to gigabytes;
its entries' declared sizes are checked here (count, total, per entry, and the ratio of
expanded to compressed size), and :mod:`zipfile` refuses to read past a declared size,
so openpyxl cannot be made to expand more than this guard allowed.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from validator.core.errors import InputError
from validator.core.files import check_size

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024          # the .xlsx file itself
MAX_ENTRIES = 2_000                        # parts in the archive
MAX_EXPANDED_BYTES = 200 * 1024 * 1024     # all parts, expanded
MAX_ENTRY_BYTES = 100 * 1024 * 1024        # one part, expanded
MAX_RATIO = 200                            # expanded / compressed, for parts over 1 MiB
MAX_CELLS = 1_000_000                      # cells in the whole workbook

REFUSED_SUFFIXES = {
    ".xlsm": "a macro-enabled workbook (.xlsm) is refused; save it as .xlsx "
             "(Excel Workbook) without macros and submit that",
    ".xltm": "a macro-enabled template (.xltm) is refused; save it as .xlsx",
    ".xlsb": "binary workbooks (.xlsb) are not read; save the workbook as .xlsx",
    ".xls": "Excel 97-2003 workbooks (.xls) are not read; save the workbook as .xlsx",
    ".ods": "OpenDocument spreadsheets (.ods) are not read; save the workbook as .xlsx",
}


def check_workbook(path: Path) -> None:
    """Raise a located :class:`InputError` unless ``path`` is a safe-looking .xlsx file."""
    file = str(path)
    suffix = path.suffix.lower()
    if suffix in REFUSED_SUFFIXES:
        raise InputError.single(file, REFUSED_SUFFIXES[suffix])

    check_size(path, MAX_WORKBOOK_BYTES, "workbooks")
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except Exception:  # noqa: BLE001 - zipfile raises many kinds (BadZipFile, OSError,
        # ValueError, NotImplementedError for an unknown zip version, ...); all mean this
        raise InputError.single(file, "not an Excel workbook: an .xlsx file is a zip archive "
                                "and this one cannot be opened as one") from None
    if len(entries) > MAX_ENTRIES:
        raise InputError.single(file, f"the workbook has {len(entries):,} parts; at most "
                                f"{MAX_ENTRIES:,} are read")
    names = {e.filename for e in entries}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise InputError.single(file, "not an Excel workbook: the archive has no "
                                "xl/workbook.xml (is it a .docx, .ods or another zip file?)")
    total = 0
    for entry in entries:
        total += entry.file_size
        if entry.file_size > MAX_ENTRY_BYTES:
            raise InputError.single(file, f"part {entry.filename} expands to "
                                    f"{entry.file_size:,} bytes; at most {MAX_ENTRY_BYTES:,}")
        if entry.file_size > 1024 * 1024 and (
                entry.compress_size == 0 or entry.file_size / entry.compress_size > MAX_RATIO):
            raise InputError.single(file, f"part {entry.filename} expands "
                                    f"{entry.file_size / max(entry.compress_size, 1):,.0f} "
                                    f"times; refused as a possible zip bomb")
    if total > MAX_EXPANDED_BYTES:
        raise InputError.single(file, f"the workbook expands to {total:,} bytes; at most "
                                f"{MAX_EXPANDED_BYTES:,}")
