"""Texts folded for comparison: case, white space and (where asked) diacritics, the same way
for rules, the ontology's lookups and the linking of plans."""

from __future__ import annotations

import functools
import unicodedata

# texts from plans key the caches of text matching and of the ontology's lookups: a plan of
# 10,000 targets has about as many names and codes, and a cache smaller than a plan's
# distinct texts misses on every pass over the plan
LOOKUP_CACHE = 1 << 17


def fold(text: str) -> str:
    """Unicode NFC, case-folded, with runs of white space made one space."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


MARKS_BELOW = 0x20000  # every combining mark lies below (tests check)


@functools.cache
def marks_table() -> dict[int, None]:
    """The combining marks, as a ``str.translate`` table that drops them."""
    return dict.fromkeys(c for c in range(MARKS_BELOW) if unicodedata.combining(chr(c)))


def strip_marks(text: str) -> str:
    """The text without diacritics (Vietnamese đ becomes d): decomposed, without its
    combining marks, composed again."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", decomposed.translate(marks_table()))
