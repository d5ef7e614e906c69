"""The built-in functions of the rule language: the only operations rule files can call.

Every function takes and returns plain values; ``None`` means "missing / unknown" and
propagates (a function given a missing value returns missing rather than failing), so
a rule never crashes on incomplete data. Each entry carries its signature and a one-line
description, from which docs/rule-language.md's table is generated.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from validator.model import AtLeast, AtMost, LocalText, Range


@dataclass(frozen=True)
class Builtin:
    name: str
    fn: Callable[..., Any]
    min_args: int
    max_args: int
    signature: str
    doc: str


BUILTINS: dict[str, Builtin] = {}


def builtin(signature: str, doc: str, min_args: int, max_args: int | None = None):
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        name = signature.split("(", 1)[0]
        BUILTINS[name] = Builtin(name, fn, min_args, max_args if max_args is not None
                                 else min_args, signature, doc)
        return fn
    return register


def is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _numbers(items: Iterable[Any]) -> list[float]:
    return [v for v in items if is_number(v)]


def _list(v: Any) -> list[Any] | None:
    if v is None:
        return None
    if isinstance(v, dict):
        return list(v.values())
    if isinstance(v, list | tuple):
        return list(v)
    return [v]


# --- values ------------------------------------------------------------------------------

@builtin("number(v)", "the value if it is a plain number, else missing", 1)
def _number(v: Any) -> Any:
    return v if is_number(v) else None


@builtin("low(v)", "lower end: a number itself, a range's min, an at_least bound", 1)
def _low(v: Any) -> Any:
    if is_number(v):
        return v
    if isinstance(v, Range):
        return v.min
    if isinstance(v, AtLeast):
        return v.at_least
    return None


@builtin("high(v)", "upper end: a number itself, a range's max, an at_most bound", 1)
def _high(v: Any) -> Any:
    if is_number(v):
        return v
    if isinstance(v, Range):
        return v.max
    if isinstance(v, AtMost):
        return v.at_most
    return None


@builtin("mid(v)", "a number itself, a range's midpoint, or a bound's limit", 1)
def _mid(v: Any) -> Any:
    if is_number(v):
        return v
    if isinstance(v, Range):
        return (v.min + v.max) / 2
    if isinstance(v, AtLeast):
        return v.at_least
    if isinstance(v, AtMost):
        return v.at_most
    return None


@builtin("value_kind(v)", '"number", "range", "at_least", "at_most" or "text"', 1)
def _value_kind(v: Any) -> Any:
    if v is None:
        return None
    if is_number(v):
        return "number"
    return {Range: "range", AtLeast: "at_least", AtMost: "at_most"}.get(type(v), "text")


@builtin("is_quantitative(v)", "true for a number, range or bound; false for a text", 1)
def _is_quantitative(v: Any) -> Any:
    if v is None:
        return None
    return not isinstance(v, str | LocalText)


@builtin("when(condition, then, otherwise)", "then if the condition is true, otherwise "
         "otherwise (missing when the condition is unknown)", 3)
def _when(cond: Any, then: Any, otherwise: Any) -> Any:
    if cond is None:
        return None
    return then if cond is True else otherwise


@builtin("coalesce(a, b, ...)", "the first argument that is not missing", 1, 9)
def _coalesce(*args: Any) -> Any:
    return next((a for a in args if a is not None), None)


# --- series and lists --------------------------------------------------------------------

def _year_of(key: Any) -> int | None:
    if isinstance(key, int) and not isinstance(key, bool):
        return key
    if isinstance(key, str) and re.match(r"^\d{4}", key):
        return int(key[:4])
    return None


@builtin("keys(series)", "the keys of a series: years of `annual`, periods of `actual`", 1)
def _keys(s: Any) -> Any:
    return list(s.keys()) if isinstance(s, dict) else None


@builtin("years_of(series)", "the distinct years a series covers, ascending", 1)
def _years_of(s: Any) -> Any:
    if not isinstance(s, dict):
        return None
    return sorted({y for y in (_year_of(k) for k in s) if y is not None})


@builtin("values_of(series)", "the values of a series in key order", 1)
def _values_of(s: Any) -> Any:
    return list(s.values()) if isinstance(s, dict) else None


@builtin("period_year(period)", 'the year of a period: 2026 for "2026-H1"', 1)
def _period_year(p: Any) -> Any:
    return _year_of(p)


@builtin("years(first, last)", "the list of years first..last (inclusive)", 2)
def _years(a: Any, b: Any) -> Any:
    if not (is_number(a) and is_number(b)) or b - a > 1000:
        return None
    return list(range(int(a), int(b) + 1))


@builtin("without(list, other)", "the items of list that are not in other", 2)
def _without(a: Any, b: Any) -> Any:
    la, lb = _list(a), _list(b)
    if la is None:
        return None
    return [x for x in la if x not in (lb or [])]


@builtin("len(list)", "how many items a list (or series) has", 1)
def _len(v: Any) -> Any:
    items = _list(v)
    return None if items is None else len(items)


@builtin("first(list)", "the first item, or missing", 1)
def _first(v: Any) -> Any:
    items = _list(v)
    return items[0] if items else None


@builtin("last(list)", "the last item, or missing", 1)
def _last(v: Any) -> Any:
    items = _list(v)
    return items[-1] if items else None


@builtin("sum(list)", "sum of the numbers of a list (0 when none)", 1)
def _sum(v: Any) -> Any:
    items = _list(v)
    return None if items is None else sum(_numbers(items))


@builtin("min(list)", "smallest number, or missing", 1)
def _min(v: Any) -> Any:
    nums = _numbers(_list(v) or [])
    return min(nums) if nums else None


@builtin("max(list)", "largest number, or missing", 1)
def _max(v: Any) -> Any:
    nums = _numbers(_list(v) or [])
    return max(nums) if nums else None


@builtin("mean(list)", "arithmetic mean of the numbers, or missing", 1)
def _mean(v: Any) -> Any:
    nums = _numbers(_list(v) or [])
    return sum(nums) / len(nums) if nums else None


@builtin("count(list)", "how many items are present (not missing)", 1)
def _count(v: Any) -> Any:
    items = _list(v)
    return None if items is None else sum(1 for x in items if x is not None)


@builtin("diffs(list)", "differences between consecutive numbers", 1)
def _diffs(v: Any) -> Any:
    items = _list(v)
    if items is None or not all(is_number(x) for x in items):
        return None
    return [b - a for a, b in zip(items, items[1:], strict=False)]


@builtin("all_equal(list, tolerance)", "true when all numbers are equal within tolerance "
         "(default 1e-9); missing if any item is not a number", 1, 2)
def _all_equal(v: Any, tol: Any = 1e-9) -> Any:
    items = _list(v)
    if not items or not all(is_number(x) for x in items) or not is_number(tol):
        return None
    return max(items) - min(items) <= tol


@builtin("all_numbers(list)", "true when every item is a plain number", 1)
def _all_numbers(v: Any) -> Any:
    items = _list(v)
    return None if items is None else all(is_number(x) for x in items)


@builtin("join(list, separator)", "the items as one text", 1, 2)
def _join(v: Any, sep: Any = ", ") -> Any:
    items = _list(v)
    return None if items is None else str(sep).join(format_value(x) for x in items)


# --- arithmetic ---------------------------------------------------------------------------

@builtin("abs(x)", "absolute value", 1)
def _abs(x: Any) -> Any:
    return abs(x) if is_number(x) else None


@builtin("round(x, digits)", "x rounded to digits decimals (default 0)", 1, 2)
def _round(x: Any, digits: Any = 0) -> Any:
    return round(x, int(digits)) if is_number(x) and is_number(digits) else None


@builtin("cagr(start, end, years)", "compound annual growth rate in % from start to end "
         "over years", 3)
def _cagr(a: Any, b: Any, n: Any) -> Any:
    if not (is_number(a) and is_number(b) and is_number(n)) or a <= 0 or b < 0 or n <= 0:
        return None
    return ((b / a) ** (1 / n) - 1) * 100


@builtin("mean_growth(rates)", "average growth in % from yearly growth rates in % "
         "(geometric mean of the growth indices)", 1)
def _mean_growth(v: Any) -> Any:
    nums = _list(v)
    if not nums or not all(is_number(x) and x > -100 for x in nums):
        return None
    product = math.prod(1 + x / 100 for x in nums)
    return (product ** (1 / len(nums)) - 1) * 100


@builtin("growth(previous, current)", "growth in % from previous to current", 2)
def _growth(a: Any, b: Any) -> Any:
    if not (is_number(a) and is_number(b)) or a == 0:
        return None
    return (b / a - 1) * 100


# --- text --------------------------------------------------------------------------------

def text_variants(v: Any) -> list[str] | None:
    if v is None:
        return None
    if isinstance(v, LocalText):
        return [t for t in (v.vi, v.en) if t]
    if isinstance(v, str):
        return [v]
    if isinstance(v, list | tuple):
        out: list[str] = []
        for item in v:
            out.extend(text_variants(item) or [])
        return out
    return [format_value(v)]


def fold(text: str) -> str:
    """Unicode NFC, case-folded, with runs of white space made one space."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def strip_marks(text: str) -> str:
    """The text without diacritics (Vietnamese đ becomes d)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


@functools.lru_cache(maxsize=65536)
def _fold_info(text: str) -> tuple[str, bool]:
    """A text folded for matching, and whether it is written without diacritics."""
    folded = fold(text)
    return folded, strip_marks(folded) == folded


@functools.lru_cache(maxsize=1024)
def _words_pattern(words: tuple[str, ...], bare: bool) -> re.Pattern[str] | None:
    """One pattern matching any of the words or phrases as whole words."""
    forms = sorted({strip_marks(fold(w)) if bare else fold(w) for w in words}, key=len,
                   reverse=True)
    if not forms:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(f) for f in forms) + r")(?!\w)")


@functools.lru_cache(maxsize=1024)
def compile_pattern(pattern: str, bare: bool = False) -> re.Pattern[str]:
    source = strip_marks(fold(pattern)) if bare else fold(pattern)
    return re.compile(source, re.IGNORECASE)


def _prepared(v: Any) -> list[tuple[str, bool]]:
    return [_fold_info(text) for text in text_variants(v) or []]


@builtin("contains_any(text, words)", "true when the text contains one of the words or "
         "phrases as whole words: case-insensitive; a text written without diacritics is "
         "compared without diacritics", 2)
def _contains_any(v: Any, words: Any) -> Any:
    prepared = _prepared(v)
    if not prepared:
        return None if v is None else False
    items = tuple(w for w in (_list(words) or []) if isinstance(w, str) and w.strip())
    for text, bare in prepared:
        pattern = _words_pattern(items, bare)
        if pattern is not None and pattern.search(text):
            return True
    return False


@builtin("contains(text, word)", "contains_any with a single word or phrase", 2)
def _contains(v: Any, word: Any) -> Any:
    return _contains_any(v, [word])


@builtin("matches(text, pattern)", "true when a regular expression matches anywhere in the "
         "text (case-insensitive, diacritics-aware like contains_any)", 2)
def _matches(v: Any, pattern: Any) -> Any:
    prepared = _prepared(v)
    if not prepared:
        return None if v is None else False
    if not isinstance(pattern, str):
        return None
    return any(compile_pattern(pattern, bare).search(text) for text, bare in prepared)


@builtin("text(value, lang)", 'a text field in "vi" or "en" (falls back to the other)', 1, 2)
def _text(v: Any, lang: Any = "vi") -> Any:
    if isinstance(v, LocalText):
        first, second = (v.vi, v.en) if lang == "vi" else (v.en, v.vi)
        return first or second
    return v if isinstance(v, str) else None


@builtin("lower(text)", "the text in lower case", 1)
def _lower(v: Any) -> Any:
    t = _text(v)
    return t.casefold() if isinstance(t, str) else None


@builtin("normalize(text)", "the text case-folded, NFC, single-spaced, without diacritics", 1)
def _normalize(v: Any) -> Any:
    t = _text(v)
    return strip_marks(fold(t)) if isinstance(t, str) else None


# --- ontology -----------------------------------------------------------------------------

@functools.lru_cache(maxsize=8192)
def _canonical(scheme: str, code: str) -> str | None:
    from validator.ontology import canonical_code

    return canonical_code(scheme, code)


@builtin("known(scheme, code)", 'true when the ontology has the code in the scheme '
         '("agency", "unit", "sector", ...)', 2)
def _known(scheme: Any, code: Any) -> Any:
    if code is None or not isinstance(scheme, str):
        return None
    return _canonical(scheme, str(code)) is not None


@builtin("agency_at_level(agency, level)", "true when the ontology places the agency at "
         "the administrative level", 2)
def _agency_at_level(agency: Any, level: Any) -> Any:
    if agency is None or level is None:
        return None
    from validator.ontology import codes

    code = _canonical("agency", str(agency))
    if code is None:
        return False
    return str(level) in codes("agency")[code].levels


@builtin("unit_kind(unit)", 'the kind of a unit: "percent", "growth" (%/year), "rate", '
         '"count", "currency", "measure", "index", "ratio", "qualitative", or missing when '
         'unknown', 1)
def _unit_kind(unit: Any) -> Any:
    if not isinstance(unit, str):
        return None
    code = _canonical("unit", unit)
    if code is None:
        return None
    from validator.ontology import unit_kind

    return unit_kind(code)


@builtin("periods_per_year(frequency)", "how many times a year a frequency collects "
         "(biennial 0.5, five_yearly 0.2)", 1)
def _periods_per_year(freq: Any) -> Any:
    if freq is None:
        return None
    code = _canonical("frequency", str(freq))
    if code is None:
        return None
    from validator.ontology import periods_per_year

    return periods_per_year(code)


@builtin("label(scheme, code, lang)", "the ontology's label of a code", 2, 3)
def _label(scheme: Any, code: Any, lang: Any = "vi") -> Any:
    if code is None:
        return None
    from validator.ontology import label

    return label(str(scheme), str(code), str(lang))


# --- dates --------------------------------------------------------------------------------

@builtin("date(year, month, day)", "a date", 3)
def _date(y: Any, m: Any, d: Any) -> Any:
    try:
        return dt.date(int(y), int(m), int(d))
    except (TypeError, ValueError):
        return None


@builtin("year(date)", "the year of a date", 1)
def _year(d: Any) -> Any:
    return d.year if isinstance(d, dt.date) else None


# --- formatting (shared with messages) ------------------------------------------------------

def format_value(v: Any) -> str:
    """How a value reads in a message: 6.5, 6.5–7, ≥ 10, a list as 'a, b'."""
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if math.isfinite(v) and v == int(v) and abs(v) < 1e15:
            return str(int(v))
        return f"{v:.4f}".rstrip("0").rstrip(".")
    if isinstance(v, Range):
        return f"{format_value(v.min)}–{format_value(v.max)}"
    if isinstance(v, AtLeast):
        return f"≥ {format_value(v.at_least)}"
    if isinstance(v, AtMost):
        return f"≤ {format_value(v.at_most)}"
    if isinstance(v, LocalText):
        return v.vi or v.en or ""
    if isinstance(v, dict):
        return ", ".join(f"{k}: {format_value(x)}" for k, x in v.items())
    if isinstance(v, list | tuple):
        return ", ".join(format_value(x) for x in v)
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)
