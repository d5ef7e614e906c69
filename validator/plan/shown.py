"""Plan values as a reviewer reads them, in Vietnamese or English: codes by their ontology
labels, numbers in the language's convention, units as the language writes them, ranges
and bounds in words, dates as the language writes them.

Messages, findings and reports all show values through this module, so "quarterly" reads
"hằng quý", 30000 reads "30.000" and ``{at_least: 10}`` reads "tối thiểu 10" wherever a
Vietnamese reviewer meets them; the raw codes and numbers stay in JSON and SARIF.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from validator.core.i18n import Number, Shown, _, render
from validator.plan.model import AtLeast, AtMost, LocalText, Range, text_of
from validator.plan.ontology import get_code, label

# schemes whose labels are common nouns, written lower case inside a sentence ("hằng quý",
# "cấp tỉnh"); agencies and sectors are names and keep their capitals
_COMMON = frozenset({"frequency", "level", "category", "direction", "rollup", "objkind",
                     "kind", "unit"})
# whole numbers below this are left ungrouped where they may be years or small counts
_GROUP_FROM = 10_000


def code_label(scheme: str, code: Any, lang: str) -> str:
    """The ontology's label of ``code`` in ``lang`` (lower case for common nouns); an
    unknown code as written, in quotes, so it is not mistaken for a word of the sentence."""
    if code is None:
        return "—"
    text = str(code)
    if get_code(scheme, text) is None:
        return f'"{text}"'
    shown = label(scheme, text, lang)
    if scheme in _COMMON and shown[:1].isupper() and not shown[1:2].isupper():
        shown = shown[:1].lower() + shown[1:]
    return shown


@dataclass(frozen=True)
class Label(Shown):
    """A code in a message, shown by its label in the reader's language
    (``Label("category", "output")``: "đầu ra" / "output")."""

    scheme: str
    code: Any

    def render(self, lang: str) -> str:
        return code_label(self.scheme, self.code, lang)


def unit_text(unit: Any, lang: str, count: Any = None) -> str:
    """A unit as the language writes it: a symbol (``%``, ``km``, ``ha``) as it is, else
    the language's short name (``%/năm``, ``hộ``, ``tỷ đồng`` / ``%/year``,
    ``household``, ``billion VND``); a unit the ontology does not know, as written. After
    a ``count`` other than one, English names the unit in the plural the ontology gives
    (``40 communes``, ``2 years``); Vietnamese nouns stay as they are (``40 xã``)."""
    if unit is None:
        return ""
    text = str(unit).strip()
    entry = get_code("unit", text)
    if entry is None:
        return text
    if _is_symbol(entry.code, entry.label_en) or lang != "vi":
        plural = entry.extra.get("plural_en")
        if plural and lang != "vi" and _many(count):
            return str(plural)
        return entry.code  # the notations are the symbols and the English short forms
    names = [entry.label_vi, *entry.extra.get("alt_vi", ())]
    if text in names:
        return text  # written in Vietnamese already: as the plan writes it
    if len(entry.label_vi) <= 12:
        return entry.label_vi
    return min(names, key=lambda n: (len(n), n))  # "%/năm" for "phần trăm mỗi năm"


def _many(count: Any) -> bool:
    """Whether English counts a quantity in the plural: any number but one, a range or a
    bound (``1.5 years``, ``1–2 schools``, ``at least 10 communes``)."""
    if isinstance(count, bool) or count is None:
        return False
    if isinstance(count, int | float):
        return count != 1
    return isinstance(count, Range | AtLeast | AtMost)


def _is_symbol(code: str, name_en: str) -> bool:
    """``km``, ``ha``, ``%``, ``USD``: a short notation that is not itself a word."""
    return len(code) <= 4 and " " not in code and "/" not in code and code != name_en


def number_text(value: float | int, lang: str, grouped: bool = True) -> str:
    """A number in the language's convention (``30.000``, ``103,91`` / ``30,000``,
    ``103.91``); ``grouped=False`` leaves small whole numbers (years, counts) ungrouped."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if not grouped and float(value).is_integer() and abs(value) < _GROUP_FROM:
        return str(int(value))
    return Number(value).render(lang)


def value_text(value: Any, lang: str, unit: Any = None) -> str:
    """Any plan value in words: a number, a range ("6,5–7"), a bound ("tối thiểu 10"), a
    text in the language, a series of years ("2026: 5; 2027: 6"), a date, yes/no; with its
    unit when given."""
    if value is None:
        return "—"
    shown = _bare(value, lang)
    suffix = unit_text(unit, lang, value) if unit is not None else ""
    if not suffix or not _numeric(value):
        return shown
    return f"{shown}{suffix}" if suffix.startswith("%") else f"{shown} {suffix}"


def _numeric(value: Any) -> bool:
    return isinstance(value, int | float | Range | AtLeast | AtMost) and not isinstance(
        value, bool)


def _bare(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return render(_("yes") if value else _("no"), lang)
    if isinstance(value, int | float):
        return number_text(value, lang)
    if isinstance(value, Range):
        return f"{number_text(value.min, lang)}–{number_text(value.max, lang)}"
    if isinstance(value, AtLeast):
        return render(_("at least {n}", n=number_text(value.at_least, lang)), lang)
    if isinstance(value, AtMost):
        return render(_("at most {n}", n=number_text(value.at_most, lang)), lang)
    if isinstance(value, LocalText):
        return text_of(value, lang)
    if isinstance(value, dt.date):
        return render(value, lang)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_bare(v, lang)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_bare(v, lang) for v in value)
    return render(value, lang)
