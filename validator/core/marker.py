"""The mark plancheck leaves on the copies it writes (annotated workbooks and documents), in
their core properties (``docProps/core.xml``, keywords), so that a folder scan skips them
as its own output rather than reading them as submissions."""

from __future__ import annotations

import zipfile
from pathlib import Path

ANNOTATED_MARK = "plancheck-annotated-copy"


def is_annotated_copy(path: Path) -> bool:
    """Whether ``path`` (an .xlsx or .docx file) is a copy plancheck annotated."""
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("docProps/core.xml")
            if info.file_size > 1024 * 1024:
                return False
            return ANNOTATED_MARK.encode() in archive.read(info)
    except (KeyError, OSError, zipfile.BadZipFile, ValueError):
        return False
