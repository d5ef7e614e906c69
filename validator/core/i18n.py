"""The two languages of everything a user reads: messages made once, read in either.

A message of plancheck's own (a load error, a usage error, a summary, a report's label) is
written in English in the code, as the msgid of a gettext catalogue, and made with
:func:`_` (or :func:`N_` when it counts something). It is a :class:`Message`: the text and
its arguments, rendered when it is shown, in the language the user asked for (``--lang``),
so a problem found deep in a reader needs no language of its own.

The Vietnamese catalogue is ``validator/locale/vi/LC_MESSAGES/plancheck.po`` (gettext, read
with Babel; no compile step). ``python tools/messages.py`` extracts the msgids from the code
and merges them into it; a test fails while a message lacks its translation or the two
disagree on their placeholders. Arguments are rendered for the language too: numbers
wrapped in :class:`Number` follow its conventions (``30.000`` / ``30,000``), dates are
``15/08/2025`` in Vietnamese, and a message inside a message is rendered in the same
language.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LANGS = ("vi", "en")  # Vietnamese first: it is the default everywhere
DEFAULT_LANG = "vi"
DOMAIN = "plancheck"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def in_lang(texts: Mapping[str, str], lang: str) -> str:
    """A text in ``lang``, else in English, else in Vietnamese, else ""."""
    return texts.get(lang) or texts.get("en") or texts.get("vi") or ""


def lang_first(lang: str, texts: tuple[str, ...]) -> list[str]:
    """The names of one thing in the languages of LANGS (``(vi, en)``: an ontology's two
    labels), the one in ``lang`` first: a list showing both names leads with the reader's."""
    order = sorted(range(len(texts)), key=lambda i: LANGS[i] != lang if i < len(LANGS) else True)
    return [texts[i] for i in order]


class Shown(ABC):
    """A value in a message that is shown differently in each language (a code by its
    label, a quantity with its unit): rendered when the message is."""

    @abstractmethod
    def render(self, lang: str) -> str:
        """The value as ``lang`` shows it."""


@dataclass(frozen=True)
class Number:
    """A quantity in a message, written as the language writes numbers (grouped thousands,
    its decimal mark); plain ints in messages are left as they are (years, counts of lines,
    columns)."""

    value: int | float
    digits: int = 2  # at most this many decimals

    def render(self, lang: str) -> str:
        value = self.value
        if type(value) in (int, float) and math.isfinite(value) and abs(value) < 10**15:
            return _grouped(value, self.digits, lang)
        from babel.numbers import format_decimal  # Babel's tables: only for the rest

        pattern = "#,##0" + ("." + "#" * self.digits if self.digits else "")
        return format_decimal(self.value, format=pattern, locale=_LOCALES[lang])


_MARKS = {"vi": (",", "."), "en": (".", ",")}  # CLDR's decimal and group marks


def _grouped(value: int | float, digits: int, lang: str) -> str:
    """``value`` as Babel's ``format_decimal`` writes it with the pattern ``#,##0.##`` (as
    many ``#`` as ``digits``) in the language's locale: the decimal of its text rounded
    half to even, trailing zeros dropped, a negative zero kept (a test compares the two);
    without Babel's import and locale data, which cost more than a small plan's check."""
    import decimal  # not at the start: --version and --help need no numbers

    point, group = _MARKS[lang]
    rounded = decimal.Decimal(str(value)).quantize(decimal.Decimal(1).scaleb(-digits),
                                                   rounding=decimal.ROUND_HALF_EVEN)
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    fraction = fraction.rstrip("0")
    return ("-" if rounded.is_signed() else "") + f"{int(whole):,}".replace(",", group) + (
        point + fraction if fraction else "")


@dataclass(frozen=True)
class Message:
    """A text of plancheck's own, in English (the msgid), with its arguments; ``plural``
    and ``count`` make it counted (``1 finding`` / ``2 findings``)."""

    msgid: str
    args: tuple[tuple[str, Any], ...] = ()  # (name, value) pairs: messages are hashable
    plural: str | None = None
    count: int | None = None

    def render(self, lang: str = DEFAULT_LANG) -> str:
        template = translate(self.msgid, lang, self.plural, self.count)
        values = {name: render(value, lang) for name, value in self.args}
        if self.count is not None:
            values.setdefault("n", str(self.count))
        return template.format(**values) if values else template

    def with_args(self, **args: Any) -> Message:
        """The same message with more arguments (a model's wording, filled in where the
        error is found)."""
        return Message(self.msgid, self.args + _frozen(args), self.plural, self.count)

    def __str__(self) -> str:
        return self.render("en")


def _(msgid: str, /, **args: Any) -> Message:
    """A message of plancheck's own: ``_("no such file or folder")``,
    ``_("expected one of {choices}", choices=...)``."""
    return Message(msgid, _frozen(args))


def N_(singular: str, plural: str, n: int, /, **args: Any) -> Message:
    """A counted message: ``N_("{n} finding", "{n} findings", n)`` (``{n}`` is the count)."""
    return Message(singular, _frozen(args), plural, n)


def _frozen(args: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple((name, tuple(v) if isinstance(v, list) else v) for name, v in args.items())


def render(value: Any, lang: str = DEFAULT_LANG) -> str:
    """Any text a user reads, in ``lang``: a message, a number, a date, or a plain text."""
    if isinstance(value, Message | Number | Shown):
        return value.render(lang)
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y") if lang == "vi" else value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(render(item, lang) for item in value)
    return str(value)


_LOCALES = {"vi": "vi_VN", "en": "en_US"}


def translate(msgid: str, lang: str, plural: str | None = None, count: int | None = None) -> str:
    """The catalogue's text for ``msgid`` in ``lang``; English is the msgid itself (or its
    plural form), and a msgid the catalogue lacks stays English (a test keeps it complete)."""
    if lang != "en":
        found = _catalogue(lang).get(msgid)
        if found is not None:
            return found if isinstance(found, str) else found[0 if count == 1 else -1]
    return plural if plural is not None and count != 1 else msgid


@functools.cache
def _catalogue(lang: str) -> dict[str, str | tuple[str, ...]]:
    """msgid -> translation (a tuple of plural forms for a counted message), from the .po
    file; fuzzy and empty entries count as untranslated. Read once per process, through
    the cache on disk (keyed by the file's bytes): Babel's import and parse cost more
    than checking a small plan."""
    from validator.core import diskcache

    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.is_file():
        return {}
    data = path.read_bytes()
    return diskcache.cached("messages", diskcache.fingerprint(data, lang),
                            lambda: _read_catalogue(data, lang),
                            lambda found: isinstance(found, dict))


def _read_catalogue(data: bytes, lang: str) -> dict[str, str | tuple[str, ...]]:
    from babel.messages.pofile import read_po  # only on a miss of the cache on disk

    catalog = read_po(io.BytesIO(data), locale=lang, domain=DOMAIN)
    out: dict[str, str | tuple[str, ...]] = {}
    for entry in catalog:
        if not entry.id or entry.fuzzy:
            continue
        key = entry.id[0] if isinstance(entry.id, tuple) else entry.id
        if isinstance(entry.string, tuple):
            if all(entry.string):
                out[key] = tuple(entry.string)
        elif entry.string:
            out[key] = entry.string
    return out
