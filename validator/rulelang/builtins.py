"""The built-in functions of the rule language: the only operations rule files can call.

Every function takes and returns plain values; ``None`` means "missing / unknown" and
propagates (a function given a missing value returns missing rather than failing), so
a rule never crashes on incomplete data. Each entry carries its signature and a one-line
description, from which docs/rule-language.md's table is generated.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from validator.core.text import LOOKUP_CACHE, fold, strip_marks
from validator.plan.model import AtLeast, AtMost, LocalText, Range, format_value, text_variants
from validator.plan.ontology import (
    canonical_code,
    catalogue,
    codes,
    field_of,
    label,
    normalize_label,
    periods_per_year,
    unit_kind,
)
from validator.plan.timeline import (
    agency_exists,
    approves_only,
    current_agencies,
    level_valid_on,
    parent_level,
    province_in,
    span,
    successors,
)
from validator.rulelang.matching import fold_info, search_all, word_list
from validator.rulelang.types import Signature, parse_signature


@dataclass(frozen=True)
class Builtin:
    name: str
    fn: Callable[..., Any]
    min_args: int
    max_args: int
    signature: str
    doc: str
    types: Signature  # parameter and result types, checked by the resolver (rulelang.types)
    # given a constant last argument (a word list, say), the function of the others with
    # that argument's work done once; the compiler uses it when the argument is a constant
    prepare: Callable[[Any], Callable[..., Any]] | None = None


BUILTINS: dict[str, Builtin] = {}


def prepared(name: str) -> Callable[[Callable[[Any], Callable[..., Any]]], Any]:
    """Register the ``prepare`` of built-in ``name`` (see :class:`Builtin`)."""
    def register(prepare: Callable[[Any], Callable[..., Any]]) -> Any:
        BUILTINS[name] = dataclasses.replace(BUILTINS[name], prepare=prepare)
        return prepare
    return register


def builtin(signature: str, doc: str, min_args: int, max_args: int | None = None, *,
            types: str):
    """Register a built-in: its signature as the docs show it, its doc, how many arguments it
    takes, and its types (``"(list[number], number=) -> number?"``, see
    :func:`validator.rulelang.types.parse_signature`); a malformed signature fails at import."""
    typed = parse_signature(types)

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        name = signature.split("(", 1)[0]
        most = max_args if max_args is not None else min_args
        if not typed.rest and not (len(typed.params) - typed.optional == min_args
                                   and len(typed.params) == most):
            raise ValueError(f"built-in {name}: types {types!r} do not take {min_args}-{most} "
                             "arguments")
        BUILTINS[name] = Builtin(name, fn, min_args, most, signature, doc, typed)
        return fn
    return register


_NUMBER_TYPES = (int, float)


def is_number(v: Any) -> bool:
    return isinstance(v, _NUMBER_TYPES) and not isinstance(v, bool)


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

@builtin("number(v)", "the value if it is a plain number, else missing", 1,
         types="(value) -> number?")
def _number(v: Any) -> Any:
    return v if is_number(v) else None


@builtin("low(v)", "lower end: a number itself, a range's min, an at_least bound", 1,
         types="(value) -> number?")
def _low(v: Any) -> Any:
    if is_number(v):
        return v
    if isinstance(v, Range):
        return v.min
    if isinstance(v, AtLeast):
        return v.at_least
    return None


@builtin("high(v)", "upper end: a number itself, a range's max, an at_most bound", 1,
         types="(value) -> number?")
def _high(v: Any) -> Any:
    if is_number(v):
        return v
    if isinstance(v, Range):
        return v.max
    if isinstance(v, AtMost):
        return v.at_most
    return None


@builtin("mid(v)", "a number itself, a range's midpoint, or a bound's limit", 1,
         types="(value) -> number?")
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


@builtin("value_kind(v)", '"number", "range", "at_least", "at_most" or "text"', 1,
         types="(value) -> text")
def _value_kind(v: Any) -> Any:
    if v is None:
        return None
    if is_number(v):
        return "number"
    return {Range: "range", AtLeast: "at_least", AtMost: "at_most"}.get(type(v), "text")


@builtin("is_quantitative(v)", "true for a number, range or bound; false for a text", 1,
         types="(value) -> bool")
def _is_quantitative(v: Any) -> Any:
    if v is None:
        return None
    return not isinstance(v, str | LocalText)


@builtin("when(condition, then, otherwise)", "then if the condition is true, otherwise "
         "otherwise (missing when the condition is unknown)", 3,
         types="(bool, T, T) -> T")
def _when(cond: Any, then: Any, otherwise: Any) -> Any:
    if cond is None:
        return None
    return then if cond is True else otherwise


@builtin("coalesce(a, b, ...)", "the first argument that is not missing", 1, 9,
         types="(T...) -> T")
def _coalesce(*args: Any) -> Any:
    return next((a for a in args if a is not None), None)


# --- series and lists --------------------------------------------------------------------

def _year_of(key: Any) -> int | None:
    if isinstance(key, int) and not isinstance(key, bool):
        return key
    if isinstance(key, str) and re.match(r"^\d{4}", key):
        return int(key[:4])
    return None


@builtin("keys(series)", "the keys of a series: years of `annual`, periods of `actual`", 1,
         types="(series[K]) -> list[K]")
def _keys(s: Any) -> Any:
    return list(s.keys()) if isinstance(s, dict) else None


@builtin("years_of(series)", "the distinct years a series covers, ascending", 1,
         types="(series) -> list[year]")
def _years_of(s: Any) -> Any:
    if not isinstance(s, dict):
        return None
    return sorted({y for y in (_year_of(k) for k in s) if y is not None})


@builtin("values_of(series)", "the values of a series in key order", 1,
         types="(series) -> list[value]")
def _values_of(s: Any) -> Any:
    return list(s.values()) if isinstance(s, dict) else None


@builtin("period_year(period)", 'the year of a period: 2026 for "2026-H1"', 1,
         types="(value|text) -> year?")
def _period_year(p: Any) -> Any:
    return _year_of(p)


@builtin("years(first, last)", "the list of years first..last (inclusive)", 2,
         types="(number, number) -> list[year]?")
def _years(a: Any, b: Any) -> Any:
    if not (is_number(a) and is_number(b)) or b - a > 1000:
        return None
    return list(range(int(a), int(b) + 1))


@builtin("without(list, other)", "the items of list that are not in other", 2,
         types="(list[T], list) -> list[T]")
def _without(a: Any, b: Any) -> Any:
    la, lb = _list(a), _list(b)
    if la is None:
        return None
    return [x for x in la if x not in (lb or [])]


@builtin("len(list)", "how many items a list (or series) has", 1,
         types="(list|series) -> number")
def _len(v: Any) -> Any:
    items = _list(v)
    return None if items is None else len(items)


@builtin("first(list)", "the first item, or missing", 1,
         types="(list[T]) -> T?")
def _first(v: Any) -> Any:
    items = _list(v)
    return items[0] if items else None


@builtin("last(list)", "the last item, or missing", 1,
         types="(list[T]) -> T?")
def _last(v: Any) -> Any:
    items = _list(v)
    return items[-1] if items else None


@builtin("sum(list)", "sum of the numbers of a list (0 when none)", 1,
         types="(list[number]) -> number")
def _sum(v: Any) -> Any:
    items = _list(v)
    return None if items is None else sum(_numbers(items))


@builtin("min(list)", "smallest number, or missing", 1,
         types="(list[number]) -> number?")
def _min(v: Any) -> Any:
    nums = _numbers(_list(v) or [])
    return min(nums) if nums else None


@builtin("max(list)", "largest number, or missing", 1,
         types="(list[number]) -> number?")
def _max(v: Any) -> Any:
    nums = _numbers(_list(v) or [])
    return max(nums) if nums else None


@builtin("mean(list)", "arithmetic mean of the numbers, or missing", 1,
         types="(list[number]) -> number?")
def _mean(v: Any) -> Any:
    nums = _numbers(_list(v) or [])
    return sum(nums) / len(nums) if nums else None


@builtin("count(list)", "how many items are present (not missing)", 1,
         types="(list) -> number")
def _count(v: Any) -> Any:
    items = _list(v)
    return None if items is None else sum(1 for x in items if x is not None)


@builtin("diffs(list)", "differences between consecutive numbers", 1,
         types="(list[number]) -> list[number]?")
def _diffs(v: Any) -> Any:
    items = _list(v)
    if items is None or not all(is_number(x) for x in items):
        return None
    return [b - a for a, b in zip(items, items[1:], strict=False)]


@builtin("all_equal(list, tolerance)", "true when all numbers are equal within tolerance "
         "(default 1e-9); missing if any item is not a number", 1, 2,
         types="(list[number], number=) -> bool?")
def _all_equal(v: Any, tol: Any = 1e-9) -> Any:
    items = _list(v)
    if not items or not all(is_number(x) for x in items) or not is_number(tol):
        return None
    return max(items) - min(items) <= tol


@builtin("all_numbers(list)", "true when every item is a plain number", 1,
         types="(list) -> bool")
def _all_numbers(v: Any) -> Any:
    items = _list(v)
    return None if items is None else all(is_number(x) for x in items)


@builtin("join(list, separator)", "the items as one text", 1, 2,
         types="(list, text=) -> text")
def _join(v: Any, sep: Any = ", ") -> Any:
    items = _list(v)
    return None if items is None else str(sep).join(format_value(x) for x in items)


# --- arithmetic ---------------------------------------------------------------------------

@builtin("abs(x)", "absolute value", 1,
         types="(number) -> number?")
def _abs(x: Any) -> Any:
    return abs(x) if is_number(x) else None


@builtin("round(x, digits)", "x rounded to digits decimals (default 0)", 1, 2,
         types="(number, number=) -> number?")
def _round(x: Any, digits: Any = 0) -> Any:
    return round(x, int(digits)) if is_number(x) and is_number(digits) else None


@builtin("cagr(start, end, years)", "compound annual growth rate in % from start to end "
         "over years", 3,
         types="(number, number, number) -> number?")
def _cagr(a: Any, b: Any, n: Any) -> Any:
    if not (is_number(a) and is_number(b) and is_number(n)) or a <= 0 or b < 0 or n <= 0:
        return None
    return ((b / a) ** (1 / n) - 1) * 100


@builtin("mean_growth(rates)", "average growth in % from yearly growth rates in % "
         "(geometric mean of the growth indices)", 1,
         types="(list[number]) -> number?")
def _mean_growth(v: Any) -> Any:
    nums = _list(v)
    if not nums or not all(is_number(x) and x > -100 for x in nums):
        return None
    product = math.prod(1 + x / 100 for x in nums)
    return (product ** (1 / len(nums)) - 1) * 100


@builtin("growth(previous, current)", "growth in % from previous to current", 2,
         types="(number, number) -> number?")
def _growth(a: Any, b: Any) -> Any:
    if not (is_number(a) and is_number(b)) or a == 0:
        return None
    return (b / a - 1) * 100


# --- text --------------------------------------------------------------------------------

_PREPARED: dict[int, tuple[Any, list[tuple[str, bool]]]] = {}


def _prepared(v: Any) -> list[tuple[str, bool]]:
    """A text's variants folded for matching, remembered by text object (it is kept, so its
    id is not reused): an entity's name is matched by many rules in a row, and rules on the
    plan match every target's name again. As many as :data:`LOOKUP_CACHE` are kept: a plan
    has as many names as targets."""
    found = _PREPARED.get(id(v))
    if found is not None and found[0] is v:
        return found[1]
    out = [fold_info(text) for text in text_variants(v) or []]
    if isinstance(v, str | LocalText):
        if len(_PREPARED) >= LOOKUP_CACHE:
            _PREPARED.clear()
        _PREPARED[id(v)] = (v, out)
    return out


@builtin("contains_any(text, words)", "true when the text contains one of the words or "
         "phrases as whole words: case-insensitive; a text written without diacritics is "
         "compared without diacritics", 2,
         types="(text, list[text]|text) -> bool")
def _contains_any(v: Any, words: Any) -> Any:
    return _contains_any_prepared(words)(v)


@builtin("contains(text, word)", "contains_any with a single word or phrase", 2,
         types="(text, text) -> bool")
def _contains(v: Any, word: Any) -> Any:
    return _contains_any(v, [word])


@prepared("contains_any")
def _contains_any_prepared(words: Any) -> Callable[[Any], Any]:
    items = tuple(w for w in (_list(words) or []) if isinstance(w, str) and w.strip())
    lists = (word_list(items, False), word_list(items, True))

    def contains_any(v: Any) -> Any:
        texts = _prepared(v)
        if not texts:
            return None if v is None else False
        return any(lists[bare].found_in(text) for text, bare in texts)
    return contains_any


@prepared("contains")
def _contains_prepared(word: Any) -> Callable[[Any], Any]:
    return _contains_any_prepared([word])


@builtin("matches(text, pattern)", "true when a regular expression matches anywhere in the "
         "text (case-insensitive, diacritics-aware like contains_any)", 2,
         types="(text, text) -> bool")
def _matches(v: Any, pattern: Any) -> Any:
    prepared = _prepared(v)
    if not prepared:
        return None if v is None else False
    if not isinstance(pattern, str):
        return None
    return any(search_all(pattern, bare, text, "search") for text, bare in prepared)


@builtin("text(value, lang)", 'a text field in "vi" or "en" (falls back to the other)', 1, 2,
         types="(text, text=) -> text?")
def _text(v: Any, lang: Any = "vi") -> Any:
    if isinstance(v, LocalText):
        first, second = (v.vi, v.en) if lang == "vi" else (v.en, v.vi)
        return first or second
    return v if isinstance(v, str) else None


@builtin("lower(text)", "the text in lower case", 1,
         types="(text) -> text?")
def _lower(v: Any) -> Any:
    t = _text(v)
    return t.casefold() if isinstance(t, str) else None


@builtin("normalize(text)", "the text case-folded, NFC, single-spaced, without diacritics", 1,
         types="(text) -> text?")
def _normalize(v: Any) -> Any:
    t = _text(v)
    return strip_marks(fold(t)) if isinstance(t, str) else None


# --- ontology -----------------------------------------------------------------------------

@functools.lru_cache(maxsize=LOOKUP_CACHE)
def _canonical(scheme: str, code: str) -> str | None:
    return canonical_code(scheme, code)


@builtin("known(scheme, code)", 'true when the ontology has the code in the scheme '
         '("agency", "unit", "sector", ...)', 2,
         types="(text, text) -> bool")
def _known(scheme: Any, code: Any) -> Any:
    if code is None or not isinstance(scheme, str):
        return None
    return _canonical(scheme, str(code)) is not None


@builtin("agency_at_level(agency, level)", "true when the ontology places the agency at "
         "the administrative level", 2,
         types="(text, text) -> bool")
def _agency_at_level(agency: Any, level: Any) -> Any:
    if agency is None or level is None:
        return None

    code = _canonical("agency", str(agency))
    if code is None:
        return False
    return str(level) in codes("agency")[code].levels


@builtin("unit_kind(unit)", 'the kind of a unit: "percent", "growth" (%/year), "rate", '
         '"count", "currency", "measure", "index", "ratio", "qualitative", or missing when '
         'unknown', 1,
         types="(text) -> text?")
def _unit_kind(unit: Any) -> Any:
    if not isinstance(unit, str):
        return None
    code = _canonical("unit", unit)
    if code is None:
        return None

    return unit_kind(code)


@builtin("periods_per_year(frequency)", "how many times a year a frequency collects "
         "(biennial 0.5, five_yearly 0.2)", 1,
         types="(text) -> number?")
def _periods_per_year(freq: Any) -> Any:
    if freq is None:
        return None
    code = _canonical("frequency", str(freq))
    if code is None:
        return None

    return periods_per_year(code)


@builtin("label(scheme, code, lang)", "the ontology's label of a code", 2, 3,
         types="(text, text, text=) -> text?")
def _label(scheme: Any, code: Any, lang: Any = "vi") -> Any:
    if code is None:
        return None

    return label(str(scheme), str(code), str(lang))


@builtin("canonical(scheme, code)", "the ontology's canonical code for a code or label "
         '(canonical("unit", "‰") is "per mille"), or missing when unknown', 2,
         types="(text, text) -> text?")
def _canonical_builtin(scheme: Any, code: Any) -> Any:
    if code is None or not isinstance(scheme, str):
        return None
    return _canonical(scheme, str(code))


@builtin("field_of(sector)", "the field (macro, economic, social, environment, state) a "
         "field or sector code belongs to", 1,
         types="(text) -> code[sector]?")
def _field_of(sector: Any) -> Any:
    if sector is None:
        return None

    return field_of(str(sector))


# --- the ontology through time (the 2025 reorganisation) ----------------------------------
# Dates are the plan's: rules make a window from the submission date (or 1 January of the
# first year) to 31 December of the last year, and judge a body by whether it existed on
# some day of it (docs/pack-mpi2013.md, "Agencies through time").

def _day(v: Any) -> dt.date | None:
    return v if isinstance(v, dt.date) else None


@builtin("agency_exists(agency, first, last, level)", "true when the agency existed on some "
         "day from the date first through the date last (at the level, if given, while the "
         "level itself existed); false for an unknown agency", 3, 4,
         types="(text, date, date, text=) -> bool?")
def _agency_exists(agency: Any, first: Any, last: Any, level: Any = None) -> Any:
    a, b = _day(first), _day(last)
    if agency is None or a is None or b is None:
        return None
    return agency_exists(str(agency), None if level is None else str(level), a, b)


@builtin("level_exists(level, day)", "true when the administrative level exists on the date "
         "(the district level ends on 30 June 2025)", 2,
         types="(text, date) -> bool?")
def _level_exists(level: Any, day: Any) -> Any:
    d = _day(day)
    if level is None or d is None:
        return None
    return level_valid_on(str(level), d)


@builtin("parent_level(level, day)", "the nearest level above that exists on the date: a "
         "commune's is the district until 30 June 2025, then the province", 2,
         types="(text, date) -> code[level]?")
def _parent_level(level: Any, day: Any) -> Any:
    d = _day(day)
    if level is None or d is None:
        return None
    return parent_level(str(level), d)


@builtin("successors(agencies, day)", "what replaced an agency (or each agency of a list) "
         "that no longer exists on the date: its successors valid then, else the bodies that "
         "took its functions (a list of codes; empty for a body still valid)", 2,
         types="(list[text]|text, date) -> list[code[agency]]?")
def _successors(agencies: Any, day: Any) -> Any:
    d = _day(day)
    items = _list(agencies)
    if items is None or d is None:
        return None
    out: list[str] = []
    for agency in items:
        for code in successors(str(agency), d) if agency is not None else ():
            if code not in out:
                out.append(code)
    return out


@builtin("current_agencies(agencies, level, first, last)", "the agencies of a list as they "
         "are from first through last: each that existed then at the level kept, each that "
         "had ended replaced by its successors (a table of 2013 read in 2026)", 4,
         types="(list[text], text, date, date) -> list[code[agency]]?")
def _current_agencies(agencies: Any, level: Any, first: Any, last: Any) -> Any:
    a, b, items = _day(first), _day(last), _list(agencies)
    if items is None or a is None or b is None:
        return None
    return current_agencies([str(x) for x in items if x is not None],
                            None if level is None else str(level), a, b)


@builtin("valid_from(scheme, code)", "the first day a code of the agency, level or province "
         "scheme is valid, or missing (valid since before any act cited)", 2,
         types="(text, text) -> date?")
def _valid_from(scheme: Any, code: Any) -> Any:
    found = _span(scheme, code)
    return None if found is None else found.valid_from


@builtin("valid_through(scheme, code)", "the last day a code of the agency or level scheme is "
         "valid, or missing (still valid)", 2,
         types="(text, text) -> date?")
def _valid_through(scheme: Any, code: Any) -> Any:
    found = _span(scheme, code)
    return None if found is None else found.valid_through


def _span(scheme: Any, code: Any) -> Any:
    if code is None or scheme not in ("agency", "level"):
        return None
    return span(str(scheme), str(code))


@builtin("province_of(locality, day)", "the code of the province a locality names on the "
         "date, a province merged before then read as its successor (\"Yên Bái\" in 2026 is "
         "lao-cai), or missing when no province is named", 2,
         types="(text, date) -> code[province]?")
def _province_of(locality: Any, day: Any) -> Any:
    d = _day(day)
    if not isinstance(locality, str) or d is None:
        return None
    found = province_in(locality, d)
    return None if found is None else found.province.code


@builtin("province_note(locality, day, lang)", "for a locality naming a province that had "
         "been merged by the date, the note saying into which (in \"vi\" or \"en\"), else "
         "missing", 2, 3,
         types="(text, date, text=) -> text?")
def _province_note(locality: Any, day: Any, lang: Any = "vi") -> Any:
    d = _day(day)
    if not isinstance(locality, str) or d is None:
        return None
    found = province_in(locality, d)
    return None if found is None else found.note(str(lang))


@builtin("approves_only(agency)", "true for a body that approves plans and never compiles, "
         "provides or submits them (the Party committees)", 1,
         types="(text) -> bool?")
def _approves_only(agency: Any) -> Any:
    if agency is None:
        return None
    return approves_only(str(agency))


# --- the indicator catalogue ---------------------------------------------------------------

def _catalogue_key(text: str, bracketed: bool) -> str:
    return normalize_label(re.sub(r"\([^()]*\)", " ", text) if not bracketed else text)


@functools.cache
def _catalogue_index() -> tuple[dict[str, str], dict[str, str]]:
    """Catalogue names -> code: exact keys, and keys without bracketed notes. A key shared by
    entries that disagree on category or units is left out (ambiguous)."""

    entries = catalogue()
    exact: dict[str, set[str]] = {}
    loose: dict[str, set[str]] = {}
    for code, e in entries.items():
        for name in (e.name_vi, e.name_en):
            exact.setdefault(_catalogue_key(name, True), set()).add(code)
            loose.setdefault(_catalogue_key(name, False), set()).add(code)

    def settle(index: dict[str, set[str]]) -> dict[str, str]:
        out = {}
        for key, found in index.items():
            kinds = {(entries[c].category, entries[c].unit_codes) for c in found}
            if key and len(kinds) == 1:
                out[key] = min(found)
        return out
    return settle(exact), settle(loose)


@functools.lru_cache(maxsize=LOOKUP_CACHE)
def _match_name(texts: tuple[str, ...]) -> str | None:
    exact, loose = _catalogue_index()
    for text in texts:
        found = exact.get(_catalogue_key(text, True))
        if found is not None:
            return found
    for text in texts:
        found = loose.get(_catalogue_key(text, False))
        if found is not None:
            return found
    return None


@builtin("catalogue_match(text)", "the catalogue code whose Vietnamese or English name is the "
         "text, ignoring case, spacing, diacritics, punctuation and (when nothing matches "
         "exactly) bracketed notes; missing when none or ambiguous", 1,
         types="(text) -> code[indicator]?")
def _catalogue_match(text: Any) -> Any:
    variants = text_variants(text)
    return _match_name(tuple(variants)) if variants else None


@builtin("catalogue_code(target)", "a target's catalogue code: its `code` when the catalogue "
         "has it, else catalogue_match of its indicator name", 1,
         types="(entity[target]) -> code[indicator]?")
def _catalogue_code(target: Any) -> Any:
    if target is None:
        return None
    code = getattr(target, "code", None)
    if isinstance(code, str) and code.strip():
        found = _canonical("indicator", code)
        if found is not None and found in catalogue():
            return found
    return _catalogue_match(getattr(target, "indicator", None))


def _entry(code: Any) -> Any:
    return catalogue().get(code) if isinstance(code, str) else None


@builtin("catalogue_category(code)", 'the catalogue\'s category of an indicator code ("input", '
         '"output", "outcome", "impact"), missing for context or untyped entries', 1,
         types="(text) -> code[category]?")
def _catalogue_category(code: Any) -> Any:
    entry = _entry(code)
    return entry.category if entry else None


@builtin("catalogue_units(code)", "the unit codes the catalogue gives an indicator (a list; "
         "empty when the manual gives none)", 1,
         types="(text) -> list[text]?")
def _catalogue_units(code: Any) -> Any:
    entry = _entry(code)
    return list(entry.unit_codes) if entry else None


@builtin("catalogue_name(code, lang)", 'the catalogue\'s name of an indicator code in "vi" or '
         '"en" (default "vi")', 1, 2,
         types="(text, text=) -> text?")
def _catalogue_name(code: Any, lang: Any = "vi") -> Any:
    entry = _entry(code)
    if entry is None:
        return None
    return entry.name_en if lang == "en" else entry.name_vi


# --- units, tables, text counts, date order -------------------------------------------

#: unit code -> (dimension, factor to the dimension's base unit)
_SCALES: dict[str, tuple[str, float]] = {
    "VND": ("VND", 1.0), "thousand VND": ("VND", 1e3), "million VND": ("VND", 1e6),
    "billion VND": ("VND", 1e9), "VND/person": ("VND", 1.0), "USD": ("USD", 1.0),
    "million USD": ("USD", 1e6),
    "person": ("person", 1.0), "thousand persons": ("person", 1e3),
    "tonne": ("tonne", 1.0), "thousand tonnes": ("tonne", 1e3),
    "%": ("share", 1e-2), "per mille": ("share", 1e-3), "per 10,000": ("share", 1e-4),
    "per 100,000": ("share", 1e-5),
}


@builtin("in_unit(value, from_unit, to_unit)", "a number converted between units of one "
         "dimension (VND, thousand/million/billion VND; USD, million USD; person, thousand "
         "persons; tonne, thousand tonnes; %, per mille, per 10,000, per 100,000); the value "
         "itself when the units are the same; missing otherwise", 3,
         types="(value, text, text) -> number?")
def _in_unit(value: Any, source: Any, target: Any) -> Any:
    value = _mid(value)
    if value is None or source is None or target is None:
        return None
    a, b = _canonical("unit", str(source)), _canonical("unit", str(target))
    if a is None or b is None:
        return value if str(source).strip() == str(target).strip() else None
    if a == b:
        return value
    if a not in _SCALES or b not in _SCALES or _SCALES[a][0] != _SCALES[b][0]:
        return None
    return value * _SCALES[a][1] / _SCALES[b][1]


@builtin("duplicates(list)", "the items that occur more than once, in order of first "
         "occurrence", 1,
         types="(list[T]) -> list[T]")
def _duplicates(v: Any) -> Any:
    items = _list(v)
    if items is None:
        return None
    seen: dict[Any, int] = {}
    for item in items:
        if item is not None:
            seen[item] = seen.get(item, 0) + 1
    return [item for item, n in seen.items() if n > 1]


@builtin("lookup(table, key)", "the other items of the rows of a table (a list of lists) "
         "whose first item is key, as one list (empty when no row matches)", 2,
         types="(list, any) -> list")
def _lookup(table: Any, key: Any) -> Any:
    rows = _list(table)
    if rows is None or key is None:
        return None
    out: list[Any] = []
    for row in rows:
        if isinstance(row, list | tuple) and row and row[0] == key:
            out.extend(row[1:])
    return out


@builtin("count_matches(text, pattern)", "how many times a regular expression matches the "
         "text (for a bilingual text, the larger count of its two languages)", 2,
         types="(text, text) -> number?")
def _count_matches(v: Any, pattern: Any) -> Any:
    prepared = _prepared(v)
    if not prepared or not isinstance(pattern, str):
        return None
    return max(len(search_all(pattern, bare, text, "findall")) for text, bare in prepared)


def _ordered(v: Any) -> list[Any]:
    items = [x for x in (_list(v) or []) if x is not None]
    dates = [x for x in items if isinstance(x, dt.date)]
    return dates if dates else _numbers(items)


@builtin("earliest(list)", "the earliest date (or smallest number) of a list, or missing", 1,
         types="(list[T]) -> T?")
def _earliest(v: Any) -> Any:
    items = _ordered(v)
    return min(items) if items else None


@builtin("latest(list)", "the latest date (or largest number) of a list, or missing", 1,
         types="(list[T]) -> T?")
def _latest(v: Any) -> Any:
    items = _ordered(v)
    return max(items) if items else None


# --- dates --------------------------------------------------------------------------------

@builtin("date(year, month, day)", "a date", 3,
         types="(number, number, number) -> date?")
def _date(y: Any, m: Any, d: Any) -> Any:
    try:
        return dt.date(int(y), int(m), int(d))
    except (TypeError, ValueError):
        return None


@builtin("year(date)", "the year of a date", 1,
         types="(date) -> year?")
def _year(d: Any) -> Any:
    return d.year if isinstance(d, dt.date) else None
