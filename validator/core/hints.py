""""Did you mean": the known names closest to a misspelt one, for every message that refuses
a name (a key, a setting, a rule id, a parameter, an attribute, a function)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def close_matches(word: str, known: Iterable[str], n: int = 1) -> list[str]:
    """Up to ``n`` known names that look like ``word``, the closest first."""
    return difflib.get_close_matches(word, sorted(known), n=n, cutoff=0.6)


def did_you_mean(word: str, known: Iterable[str], n: int = 1) -> str:
    """``"; did you mean 'a'?"`` (or ``'a' or 'b'``), or ``""`` when nothing is close."""
    close = close_matches(word, known, n)
    return ("; did you mean " + " or ".join(repr(c) for c in close) + "?") if close else ""
