"""Where the bundled data (grammar, rules, ontology) lives, installed or in a source tree."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # validator/


def data_path(name: str) -> Path:
    """Return the folder of bundled data ``name`` ("grammar", "rules" or "ontology").

    A wheel carries the folders under ``validator/_data``; a source checkout (or an
    editable install) has them beside the package.
    """
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled data folder {name!r} not found beside {_PACKAGE}")
