"""Texts folded for comparison: case, white space and (where asked) diacritics, the same way
for rules, the ontology's lookups and the linking of plans."""

from __future__ import annotations

import functools
import re
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
    """The combining marks, as a ``str.translate`` table that drops them (worked out once
    per Unicode version, through the cache on disk: a walk over 131,072 code points costs
    more than the check of a small plan's texts)."""
    from validator.core import diskcache

    return diskcache.cached("marks", diskcache.fingerprint(
        unicodedata.unidata_version, str(MARKS_BELOW)), marks_from_unicode,
        lambda found: isinstance(found, dict))


def marks_from_unicode() -> dict[int, None]:
    return dict.fromkeys(c for c in range(MARKS_BELOW) if unicodedata.combining(chr(c)))


def strip_marks(text: str) -> str:
    """The text without diacritics (Vietnamese đ becomes d): decomposed, without its
    combining marks, composed again."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", decomposed.translate(marks_table()))


# --- text safe to print ----------------------------------------------------------------
#
# Plan texts, file names and rule texts reach terminals, CI logs and XML: a control
# character (an OSC escape that retitles the terminal or writes the clipboard, a carriage
# return that hides a line), a bidirectional override or a lone surrogate (which cannot be
# encoded at all) is shown as an escape instead.

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e"
                     "\u2066-\u2069\ud800-\udfff]")
_SGR = re.compile("(\x1b\\[[0-9;]*m)")  # a colour, as the text report writes them


def _escape(char: str, unicode: bool) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if unicode or code > 0xFF else f"\\x{code:02x}"


def printable(text: str, *, unicode: bool = False, colours: bool = False) -> str:
    """``text`` with control characters (but tab and newline), bidirectional controls and
    lone surrogates written as ``\\x1b`` (``\\u001b`` with ``unicode``: a JSON or
    JavaScript escape); with ``colours``, the colour codes of a report are kept."""
    if not _UNSAFE.search(text):
        return text
    if colours:
        return "".join(part if i % 2 else printable(part, unicode=unicode)
                       for i, part in enumerate(_SGR.split(text)))
    return _UNSAFE.sub(lambda m: _escape(m.group(), unicode), text)
