"""What a workbook's cells say beyond a level (docs/plan-format.md, "What real plans say"):
"khoảng 6,5-7" in a value cell, "1-1,5 điểm %", and the columns of relative_to,
approximate, orientation, part_of and named.

A parse function returns the plan/1 part or raises :class:`CellValueError` with a sentence
saying what was expected; the reader adds the cell.
"""

from __future__ import annotations

import re
from typing import Any

from validator.core.i18n import _
from validator.formats.xlsx import vocab
from validator.formats.xlsx.values import (
    CellValueError,
    _num,
    plan_value,
    text_value,
    whole_number,
)
from validator.formats.xlsx.values import format_value as cell_value
from validator.plan.model import VALUE_KEYS
from validator.plan.ontology import normalize_label

_APPROXIMATE = re.compile(r"^(?:khoảng|xấp xỉ|ước khoảng|chừng|about|approximately|approx\.?|"
                          r"around|circa|~|≈)\s*(?=\S)", re.IGNORECASE)
_POINTS = re.compile(r"\s*(?:điểm\s*%|điểm phần trăm|percentage points?|p\.p\.|pp)$",
                     re.IGNORECASE)
POINTS_UNIT = "percentage point"


def qualified_value(raw: Any) -> Any:
    """A value cell's plan/1 value, read without its qualifiers."""
    return plan_value(qualified(raw)[0])


def qualified(raw: Any) -> tuple[Any, bool, bool]:
    """A value cell's content without "khoảng"/"about"/"~" in front and "điểm %" behind:
    ``(rest, approximate, in percentage points)``."""
    if not isinstance(raw, str):
        return raw, False, False
    text = " ".join(raw.split())
    approximate = _APPROXIMATE.match(text)
    if approximate:
        text = text[approximate.end():]
    points = _POINTS.search(text)
    if points and points.start() > 0:
        text = text[:points.start()]
    if not approximate and not (points and points.start() > 0):
        return raw, False, False
    try:  # a qualifier qualifies a number: "~ thấp" or "Kpp" stays a text as written
        a_text = isinstance(plan_value(text), str)
    except CellValueError:  # a number in a wrong form: reported where the value is read
        a_text = False
    if a_text:
        return raw, False, False
    return text, approximate is not None, bool(points and points.start() > 0)


def relative_kind(raw: Any) -> str:
    text = text_value(raw)
    found = vocab.RELATIVE_KINDS.get(normalize_label(text))
    if found is None:
        raise CellValueError(_("expected a kind of change: {choices}, got {got}", choices=", ".join(
            names["vi"][0] + " / " + names["en"][0]
            for names in vocab.RELATIVE_KIND_NAMES.values()), got=repr(text)))
    return found


def relative_year(raw: Any) -> int | None:
    """The base year, or None for "mỗi năm" (each year on the year before)."""
    if isinstance(raw, str) and normalize_label(raw) in vocab.PER_YEAR:
        return None
    try:
        return whole_number(raw, "a year")
    except CellValueError:
        raise CellValueError(_("expected a base year (2020) or {each}, got {got}",
                               each="'mỗi năm' / 'each year'", got=repr(raw))) from None


def approximate_keys(raw: Any) -> list[str]:
    keys = []
    for part in re.split(r"\s*[,;\n]\s*", text_value(raw)):
        if not part:
            continue
        found = vocab.APPROXIMATE_KEYS.get(normalize_label(part))
        if found is None:
            raise CellValueError(_("expected the approximate values among {choices}, got {got}",
                                   choices=", ".join(VALUE_KEYS), got=repr(part)))
        keys.append(found)
    return keys


_ORIENTATION = re.compile(r"(?:^|;)\s*(\d{4})\s*:\s*")


def orientation(raw: Any) -> dict[int, Any]:
    """``2030: 15000; 2035: 20000``: values for years after the period."""
    text = text_value(raw)
    marks = list(_ORIENTATION.finditer(text))
    if not marks or marks[0].start() != 0:
        raise CellValueError(_("expected values by year like {example}, got {got}",
                               example="'2030: 15000; 2035: 20000'", got=repr(text)))
    out: dict[int, Any] = {}
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        end = following.start() if following is not None else len(text)
        value = text[mark.end():end].strip()
        if not value:
            raise CellValueError(_("the year {year} has no value", year=mark.group(1)))
        out[int(mark.group(1))] = plan_value(value)
    return out


def named_units(raw: Any) -> list[str]:
    """Names separated by semicolons or line breaks, or else by commas."""
    text = text_value(raw)
    parts = re.split(r"\s*[;\n]\s*", text) if re.search(r"[;\n]", text) else text.split(",")
    return [p.strip() for p in parts if p.strip()]


# --- the writer's side --------------------------------------------------------------------

def relative_cells(relative: Any, lang: str) -> tuple[str | None, Any]:
    """The kind and base-year cells of a target's ``relative_to``."""
    if relative is None:
        return None, None
    kind = vocab.RELATIVE_KIND_NAMES[relative.kind][lang][0]
    return kind, vocab.PER_YEAR_WORD[lang] if relative.per_year else relative.year


def approximate_cell(keys: list[str], lang: str) -> str | None:
    return ", ".join(vocab.APPROXIMATE_NAMES[k][lang][0] for k in keys) or None


def orientation_cell(values: dict[int, Any]) -> str | None:
    def text(v: Any) -> str:
        shown = cell_value(v)
        return shown if isinstance(shown, str) else _num(shown)
    return "; ".join(f"{year}: {text(v)}" for year, v in sorted(values.items())) or None


def named_cell(names: list[str]) -> str | None:
    return "; ".join(names) or None


# --- the target columns --------------------------------------------------------------------

ROLES = ("relative_kind", "relative_year", "approximate", "orientation", "part_of", "named")
PATHS = {"relative_kind": ("relative_to", "kind"), "relative_year": ("relative_to", "year"),
         "approximate": ("approximate",), "orientation": ("orientation",),
         "part_of": ("part_of",), "named": ("named",)}


def read_cell(data: dict[str, Any], role: str, raw: Any, period: str | None = None) -> None:
    """Put one cell of the columns in :data:`ROLES` into a target's plan/1 data; an
    orientation column may name its year (``Định hướng đến năm 2030``)."""
    if role == "relative_kind":
        data.setdefault("relative_to", {})["kind"] = relative_kind(raw)
    elif role == "relative_year":
        year = relative_year(raw)
        data.setdefault("relative_to", {}).update(
            {"year": year} if year is not None else {"per_year": True})
    elif role == "approximate":
        keys = data.setdefault("approximate", [])
        keys.extend(k for k in approximate_keys(raw) if k not in keys)
    elif role == "orientation" and period is not None:
        if not period.isdigit():
            raise CellValueError(_("an orientation column names one year, not {period}",
                                   period=repr(period)))
        rest, approximate, _points = qualified(raw)
        data.setdefault("orientation", {})[int(period)] = plan_value(rest)
        if approximate and "orientation" not in data.setdefault("approximate", []):
            data["approximate"].append("orientation")
    elif role == "orientation":
        data.setdefault("orientation", {}).update(orientation(raw))
    elif role == "part_of":
        data["part_of"] = text_value(raw)
    else:
        data["named"] = named_units(raw)
