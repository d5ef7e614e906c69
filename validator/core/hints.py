""""Did you mean": the known names closest to a misspelt one, for every message that refuses
a name (a key, a setting, a rule id, a parameter, an attribute, a function)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from validator.core.i18n import Message, _


def close_matches(word: str, known: Iterable[str], n: int = 1) -> list[str]:
    """Up to ``n`` known names that look like ``word``, the closest first."""
    return difflib.get_close_matches(word, sorted(known), n=n, cutoff=0.6)


def did_you_mean(word: str, known: Iterable[str], n: int = 1) -> Message | str:
    """``"; did you mean 'a'?"`` (or ``'a' or 'b'``) in the reader's language, or ``""``
    when nothing is close."""
    close = close_matches(word, known, n)
    return _("; did you mean {names}?", names=either(repr(c) for c in close)) if close else ""


def either(names: Iterable[str]) -> Message | str:
    """``a``, ``a or b``, ``a, b or c`` in the reader's language."""
    items = list(names)
    if len(items) <= 1:
        return items[0] if items else ""
    return _("{first} or {second}", first=", ".join(items[:-1]), second=items[-1])
