"""A finding's place, source and codes as the desk's pages and letter show them.

The desk keeps each check's result as JSON (the findings' dicts), where a place is a key
path and a level a code; a reviewer reads the sheet and cell or the line instead, the
rule's source as a citation they can look up, and the level by its name.
"""

from __future__ import annotations

from typing import Any

from validator.core.i18n import _, render
from validator.plan.ontology import label
from validator.report.cite import citation


def where(location: dict[str, Any] | None, lang: str) -> str:
    """``sheet 'Chỉ tiêu', cell D12`` or ``line 123`` (the file is the submission's); no
    key path, which stays in the JSON."""
    location = location or {}
    cell = location.get("cell")
    if cell:
        sheet, _sep, at = str(cell).rpartition("!")
        return render(_("sheet {sheet}, cell {cell}", sheet=sheet.strip("'"), cell=at), lang) \
            if sheet else render(_("cell {cell}", cell=at), lang)
    if location.get("line") is not None:
        return render(_("line {line}", line=location["line"]), lang)
    return ""


def source(text: str | None, lang: str) -> str:
    """A rule's source as a citation (``Sổ tay MPI 2013, tr.22``)."""
    return citation(text or "", lang)


def level(code: str | None, lang: str) -> str:
    """An administrative level by its name (``Tỉnh`` / ``Province``)."""
    return label("level", code, lang) if code else ""
