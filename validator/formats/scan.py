"""Which files of a scanned folder are plans: the rest are listed as skipped, with why.

A folder holds more than submissions: the run's waivers (YAML) and baseline (JSON), CI and
editor configuration, and the annotated copies plancheck wrote itself (marked in their
properties, :mod:`validator.core.marker`). A YAML or JSON file is a plan when it says
``format: plan/1`` (every plan/1 file does); a workbook or document when it is not an
annotated copy. Only files found in folders are judged: a file named on the command line
is always read.
"""

from __future__ import annotations

import re
from pathlib import Path

from validator.core.i18n import Message, _
from validator.core.marker import is_annotated_copy

SNIFF_BYTES = 64 * 1024
_PLAN = re.compile(rb"""(?m)^\s*["']?format["']?\s*:\s*["']?plan/1\b""")
_WAIVERS = re.compile(rb"(?m)^\s*-?\s*(?:approved_by|reason)\s*:")
_BASELINE = re.compile(rb'"findings"\s*:\s*\[')
_TEXT_SUFFIXES = {".yaml", ".yml", ".json"}
_COPY_SUFFIXES = {".xlsx", ".docx"}


def not_a_plan(path: Path) -> Message | None:
    """Why ``path``, found in a folder, is not a plan (None: read it as one). A symbolic link
    is not opened here: the loader refuses or follows it by its own rules."""
    if path.is_symlink():
        return None
    suffix = path.suffix.lower()
    if suffix in _COPY_SUFFIXES:
        return _("an annotated copy written by plancheck") if is_annotated_copy(path) else None
    if suffix not in _TEXT_SUFFIXES:
        return None
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return None  # reported when it is read
    if _PLAN.search(head):
        return None
    if suffix == ".json" and _BASELINE.search(head) and b'"version"' in head:
        return _("a baseline file")
    if suffix != ".json" and _WAIVERS.search(head):
        return _("a waivers file")
    return _("not a plan: no 'format: plan/1' (a configuration or other data file)")


def hidden(path: Path, root: Path) -> bool:
    """Whether ``path`` is inside a hidden folder under ``root`` (.git, .github, ...)."""
    try:
        parts = path.relative_to(root).parts[:-1]
    except ValueError:
        return False
    return any(part.startswith(".") for part in parts)
