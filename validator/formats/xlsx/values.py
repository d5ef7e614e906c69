"""Cell values <-> plan/1 values: numbers, ranges, bounds, texts, dates and years.

A parse function returns the plan/1 value or raises :class:`CellValueError` with a sentence
saying what was expected; the reader adds the cell.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from validator.core.i18n import Message, _
from validator.plan.model import AtLeast, AtMost, Range
from validator.plan.ontology import canonical_code


class CellValueError(ValueError):
    """A cell whose content is not what its column holds."""


_NUM = r"[-+−]?\d[\d.,\s]*"
_RANGE = re.compile(rf"^(?:từ\s+|from\s+)?(?P<a>{_NUM})\s*(?:[–—]|-|đến|to)\s*(?P<b>{_NUM})\s*%?$",
                    re.IGNORECASE)
_LOW = re.compile(rf"^(?:≥|>=|>|trên|hơn|over|above|more than|at least|ít nhất|tối thiểu)\s*"
                  rf"(?P<n>{_NUM})\s*%?$", re.IGNORECASE)
_HIGH = re.compile(rf"^(?:≤|<=|<|dưới|under|below|less than|at most|tối đa|không quá)\s*"
                   rf"(?P<n>{_NUM})\s*%?$", re.IGNORECASE)
_PLAIN = re.compile(rf"^(?P<n>{_NUM})\s*%?$")


def number_text(text: str) -> int | float:
    """A number written as text: ``6.5``, ``6,5``, ``1.234.567``, ``1,234.5``.

    One separator followed by exactly three digits (``35.000``, ``35,000``) could be a
    thousands or a decimal separator, and is refused rather than guessed.
    """
    raw = text.strip().replace("−", "-").replace(" ", "").replace("\u00a0", "")
    sign = -1 if raw.startswith("-") else 1
    raw = raw.lstrip("+-")
    if not re.fullmatch(r"\d[\d.,]*", raw) or raw[-1] in ".,":
        raise CellValueError(_("expected a number, got {got}", got=repr(text)))
    dots, commas = raw.count("."), raw.count(",")
    if dots and commas:
        decimal = "." if raw.rfind(".") > raw.rfind(",") else ","
        group = "," if decimal == "." else "."
        if raw.count(decimal) > 1:
            raise CellValueError(_("expected a number, got {got}", got=repr(text)))
        whole, _sep, frac = raw.partition(decimal)
        digits = whole.replace(group, "") + "." + frac
    elif dots > 1 or commas > 1:
        digits = raw.replace(".", "").replace(",", "")
    elif dots or commas:
        sep = "." if dots else ","
        whole, _sep, frac = raw.partition(sep)
        if len(frac) == 3:
            raise CellValueError(_(
                "{text} is ambiguous: is {sep} a thousands or a decimal separator? Type the "
                "number into a number cell", text=repr(text), sep=repr(sep)))
        digits = whole + "." + frac
    else:
        digits = raw
    value = float(digits) if "." in digits else int(digits)
    return sign * value


def tidy(number: float) -> int | float:
    """A float that is a whole number as int (``75.0`` -> ``75``), rounding float noise."""
    value = round(number, 10)
    return int(value) if float(value).is_integer() and abs(value) < 1e15 else value


def plan_value(raw: Any, percent_format: bool = False) -> Any:
    """A plan/1 value from a cell: a number, a range, a bound or a text."""
    if isinstance(raw, bool):
        raise CellValueError(_("expected a number or a text, got {got}", got=repr(raw)))
    if isinstance(raw, int | float):
        if raw != raw:
            raise CellValueError(_("expected a number, got {got}", got="NaN"))
        return tidy(raw * 100) if percent_format else (raw if isinstance(raw, int) else tidy(raw))
    if isinstance(raw, dt.datetime | dt.date | dt.time):
        raise CellValueError(_("expected a number or a text, got a date {date}", date=raw))
    text = " ".join(str(raw).split())
    if m := _PLAIN.match(text):
        return number_text(m.group("n"))
    if m := _RANGE.match(text):
        low, high = number_text(m.group("a")), number_text(m.group("b"))
        if low > high:
            raise CellValueError(_("a range needs its smaller number first, got {got}",
                                   got=repr(text)))
        return Range(min=low, max=high)
    if m := _LOW.match(text):
        return AtLeast(at_least=number_text(m.group("n")))
    if m := _HIGH.match(text):
        return AtMost(at_most=number_text(m.group("n")))
    return text


def format_value(value: Any) -> Any:
    """What the writer puts in a value cell: numbers as numbers, the rest as text."""
    if isinstance(value, Range | AtLeast | AtMost):
        return value.render(_num)  # every digit kept: the workbook must load back the same
    return value


def _num(n: float) -> str:
    text = str(tidy(n)) if isinstance(n, float) else str(n)
    whole, dot, fraction = text.partition(".")
    if dot and len(fraction) == 3 and fraction.isdigit():
        return text + "0"  # "25.757" would read as thousands-grouped: "25.7570" cannot
    return text


def whole_number(raw: Any, what: str | Message | None = None) -> int:
    """A year or a count: an int cell, a float cell with no fraction, or digits as text."""
    expected = _("expected {what}, got {got}", what=what or _("a whole number"), got=repr(raw))
    if isinstance(raw, bool):
        raise CellValueError(expected)
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = str(raw).strip()
    if re.fullmatch(r"[-+]?\d+", text):
        return int(text)
    raise CellValueError(expected)


def number(raw: Any) -> int | float:
    """A plain number (budgets)."""
    value = plan_value(raw)
    if isinstance(value, int | float):
        return value
    raise CellValueError(_("expected a number, got {got}", got=repr(raw)))


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def date_value(raw: Any) -> dt.date:
    """A date cell, ``2025-07-18`` or ``18/07/2025`` (day first, as written in Vietnam)."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = str(raw).strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    if m := _DMY.match(text):
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            pass
    raise CellValueError(_("expected a date like 2025-07-18 or 18/07/2025, got {got}",
                           got=repr(raw)))


def text_value(raw: Any) -> str:
    """A text cell (numbers and dates as they read)."""
    if isinstance(raw, dt.datetime) and raw.time() == dt.time():
        return raw.date().isoformat()
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


_SPLIT = re.compile(r"\s*[;\n]\s*")


def agency_list(raw: Any) -> list[str]:
    """Agencies in one cell, separated by semicolons, line breaks or commas; a part that
    names a known agency with its commas ("Sở Văn hóa, Thể thao và Du lịch") stays whole."""

    out: list[str] = []
    for part in _SPLIT.split(text_value(raw)):
        if not part:
            continue
        if "," in part and canonical_code("agency", part) is None:
            out.extend(p.strip() for p in part.split(",") if p.strip())
        else:
            out.append(part)
    return out


_YES = {"có", "co", "yes", "true", "x", "1", "đúng"}
_NO = {"không", "khong", "no", "false", "0", "sai"}


def yes_no(raw: Any) -> bool:
    """A yes/no cell: a boolean cell, or có/không, yes/no, true/false."""
    if isinstance(raw, bool):
        return raw
    text = text_value(raw).casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellValueError(_("expected yes or no (có/không), got {got}", got=repr(raw)))
