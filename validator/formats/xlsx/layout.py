"""Find a framework sheet's header block and what each column holds.

The header is the first row (among the first 40) with at least two known headers, one of
them an objective, solution or indicator column. It may continue over one or two more rows
of sub-headers: the years under "Kế hoạch" / "Thực hiện" / "So sánh (%)" in the five-year
frameworks, or "Tổng hợp" / "Cung cấp thông tin" under "Cơ quan chịu trách nhiệm". A
merged header cell labels every column it spans. A row of column numbers ("(1)", "(2)", …)
right under the header is skipped.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from validator.core.i18n import _
from validator.formats.xlsx import vocab
from validator.formats.xlsx.grid import Sheet, fail

HEADER_SEARCH_ROWS = 40
_NUMBERING = re.compile(r"^\(?\s*(\d{1,2}|[A-Z])\s*\)?$")
_ANCHOR_ROLES = {"objective", "objective_id", "solution", "indicator", "indicator:input",
                 "indicator:output", "indicator:outcome", "indicator:impact"}


@dataclass
class Column:
    """One column of a framework sheet."""

    col: int
    role: str                  # a vocab.COLUMNS role; value groups: plan, actual, compare
    lang: str | None = None    # the language of a companion text column
    period: str | None = None  # under a value group: "whole", "2026", "2026-H1", a span
    cell: str = ""             # the header cell naming it


@dataclass
class Layout:
    """A framework sheet's columns and where its data starts."""

    sheet: Sheet
    header_row: int
    data_row: int
    columns: list[Column]
    category: str | None       # from the sheet's name or title rows
    unknown: list[Column] = field(default_factory=list)  # headers not understood

    # the readers ask for columns by role several times per row: indexed once per sheet
    # (a layout's columns are fixed once found)
    @functools.cached_property
    def _roles(self) -> dict[str, list[Column]]:
        by_role: dict[str, list[Column]] = {}
        for column in self.columns:
            by_role.setdefault(column.role, []).append(column)
        return by_role

    def all(self, role: str) -> list[Column]:
        return list(self._roles.get(role, ()))

    def one(self, role: str, lang: str | None = None) -> Column | None:
        return next((c for c in self._roles.get(role, ()) if c.lang == lang), None)

    @functools.cached_property
    def indicator_columns(self) -> list[Column]:
        return [c for c in self.columns if c.role.startswith("indicator") and c.lang is None]

    @functools.cached_property
    def id_columns(self) -> frozenset[int]:
        """The columns of objective, solution and target IDs."""
        return frozenset(c.col for c in self.columns
                         if c.role in {"objective_id", "solution_id", "target_id"})

    @property
    def is_general(self) -> bool:
        """The general framework: targets by category in side-by-side columns."""
        cats = {c.role for c in self.indicator_columns if ":" in c.role}
        return len(cats) >= 2 or (bool(cats) and self.one("solution") is not None)


def classify(raw: object) -> tuple[str, str | None, str | None] | None:
    """``(role, companion language, period)`` for one header cell, or None."""
    lines = [" ".join(line.split()) for line in str(raw).splitlines()] or [str(raw)]
    for text in [" ".join(str(raw).split()), *lines]:
        if not text:
            continue
        base, lang = vocab.lang_suffix(text)
        role = vocab.column_role(base)
        if role is not None:
            return role, lang, None
        split = vocab.split_group(base)
        if split is not None:
            return split[0], None, split[1]
        period = vocab.period_label(raw if not isinstance(raw, str) else base)
        if period is not None:
            return "period", None, period
    return None


def _roles_in_row(sheet: Sheet, row: int) -> set[str]:
    roles = set()
    for col in sheet.columns(row):
        value = sheet.value(row, col)
        if value is None or not isinstance(value, str):
            continue
        found = classify(value)
        if found and found[0] not in {"period", "seq", "group"}:
            roles.add(found[0])
    return roles


def _is_subheader(sheet: Sheet, row: int) -> bool:
    """Whether ``row`` holds only sub-headers (years, agency kinds) under a header row."""
    seen = False
    for col in sheet.columns(row):
        top, _ = sheet.anchor(row, col)
        if top < row or sheet.value(row, col) is None:
            continue
        if classify(sheet.value(row, col)) is None:
            return False
        seen = True
    return seen


def _is_numbering(sheet: Sheet, row: int) -> bool:
    texts = [sheet.text(row, c) for c in sheet.columns(row) if sheet.text(row, c)]
    return len(texts) >= 2 and all(_NUMBERING.match(t) for t in texts)


def find_layout(sheet: Sheet, file: str) -> Layout | None:
    """The layout of a framework sheet, or None if the sheet has no framework header."""
    header = None
    for row in sheet.rows(1, HEADER_SEARCH_ROWS):
        roles = _roles_in_row(sheet, row)
        if len(roles) >= 2 and roles & _ANCHOR_ROLES:
            header = row
            break
    if header is None:
        return None
    last = header
    while last < header + 2 and last < sheet.max_row and _is_subheader(sheet, last + 1):
        last += 1
    data = last + 1
    if data <= sheet.max_row and _is_numbering(sheet, data):
        data += 1
    columns, unknown = _columns(sheet, header, last, file)
    category = vocab.category_in(sheet.name)
    if category is None:
        titles = " ".join(sheet.text(r, c) for r in sheet.rows(1, header - 1)
                          for c in sheet.columns(r))
        category = vocab.category_in(titles, title=True) if titles else None
    return Layout(sheet, header, data, columns, category, unknown)


def _columns(sheet: Sheet, first: int, last: int, file: str) -> tuple[list[Column], list[Column]]:
    columns: list[Column] = []
    unknown: list[Column] = []
    for col in sheet.columns_in(first, last):
        stack: list[tuple[tuple[str, str | None, str | None] | None, str]] = []
        anchors: list[tuple[int, int]] = []
        for row in range(first, last + 1):
            anchor = sheet.anchor(row, col)
            value = sheet.value(row, col)
            if value is None or anchor in anchors:
                continue
            anchors.append(anchor)
            stack.append((classify(value), sheet.cell(row, col)))
        if not stack:
            continue
        column = _column(col, stack)
        if column is None:
            unknown.append(Column(col, "unknown", cell=stack[-1][1]))
        elif column.role not in {"seq", "group"}:
            columns.append(column)
    phased = [c for c in columns if c.role == "baseline" and c.period]
    if len(phased) >= 2:  # Appendix 3a heads the phased plan values "Baseline targets"
        for column in phased:
            column.role = "plan"
    _check_duplicates(columns, file)
    return columns, unknown


def _column(col: int, stack: list[tuple[tuple[str, str | None, str | None] | None, str]]
            ) -> Column | None:
    group = None
    for found, cell in stack:
        if found is None:
            continue
        role, lang, period = found
        if role in vocab.VALUE_GROUPS or role == "baseline" or (
                role == "orientation" and period is not None):
            group = (role, period, cell)
        elif role == "orientation" and group is None:  # "Định hướng" over its years
            group = (role, None, cell)
        elif role == "period" and group is not None:
            return Column(col, group[0], period=period, cell=cell)
    if group is not None:
        return Column(col, group[0], period=group[1], cell=group[2])
    for found, cell in reversed(stack):
        if found is not None and found[0] != "period":
            return Column(col, found[0], lang=found[1], cell=cell)
    return None


def _check_duplicates(columns: list[Column], file: str) -> None:
    seen: dict[tuple[str, str | None, str | None], Column] = {}
    for column in columns:
        k = (column.role, column.lang, column.period)
        if k in seen and column.role != "compare":
            raise fail(file, column.cell, _(
                "this column holds what the column at {first} holds (both headers say the "
                "same); each column may appear once", first=seen[k].cell))
        seen.setdefault(k, column)
