"""Findings: what a rule found, about which entity, where, and why — plain data."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from validator.core.errors import format_location
from validator.core.i18n import Message, _, in_lang

SEVERITIES = ("error", "warning", "info")  # most severe first
SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}
FAIL_ON = (*SEVERITIES, "never")  # --fail-on: the lowest severity that makes the exit code 1


@dataclass(frozen=True)
class Location:
    """Where an entity stands in its input file."""

    file: str
    line: int | None = None
    column: int | None = None
    path: str = ""
    cell: str | None = None  # a workbook cell, e.g. "Đầu ra!D14"; a document's table cell

    def __str__(self) -> str:
        return self.render("en")

    def render(self, lang: str) -> str:
        """``file:Sheet!D14``, ``file: bảng 3, dòng 7, cột 'Kế hoạch 2027'`` (a Word
        table's cell, in ``lang``) or ``file:line:column``."""
        if self.cell and _PLACE.match(self.cell):
            return f"{self.file}: {place_in(self.cell, lang)}"
        if self.cell:
            return f"{self.file}:{self.cell}"
        return format_location(self.file, self.line, self.column)


_PLACE = re.compile(r"^table (?P<t>\d+), (?:row (?P<r>\d+), column (?:'(?P<c>.*)'|(?P<n>\d+))|"
                    r"caption line (?P<l>\d+))$|^title line (?P<h>\d+)$", re.DOTALL)


def place_in(cell: str, lang: str) -> str:
    """A Word document's place (``table 3, row 7, column 'Kế hoạch 2027'``, as stored in
    reports) in ``lang``; a workbook cell as it is."""
    message = place_message(cell)
    return cell if message is None else message.render(lang)


def place_message(cell: str) -> Message | None:
    """A Word document's place as a message (None for a workbook cell)."""
    m = _PLACE.match(cell)
    if m is None:
        return None
    if m.group("h"):
        return _("title line {line}", line=m.group("h"))
    if m.group("l"):
        return _("table {table}, caption line {line}", table=m.group("t"), line=m.group("l"))
    column = m.group("n") if m.group("c") is None else repr(m.group("c"))
    return _("table {table}, row {row}, column {column}", table=m.group("t"),
             row=m.group("r"), column=column)


@dataclass(frozen=True)
class Finding:
    """One rule violation (or advisory) about one entity of a plan."""

    rule: str
    severity: str
    title: dict[str, str]
    message: dict[str, str]
    entity_kind: str
    entity: str
    plan: str
    objective: str | None
    location: Location
    source: str
    tags: tuple[str, ...] = ()
    evidence: dict[str, Any] = field(default_factory=dict)
    trace: dict[str, Any] | None = field(default=None, compare=False)  # validate --explain
    # the rule's group message, filled in but for {count}, {total} and {ids}, and how many
    # entities of this kind the plan has: set when the rule may group its findings
    grouping: tuple[dict[str, str], int] | None = field(default=None, compare=False,
                                                        repr=False)
    members: tuple[Finding, ...] = ()  # a grouped finding: one per entity it stands for

    def title_in(self, lang: str) -> str:
        return in_lang(self.title, lang)

    def message_in(self, lang: str) -> str:
        return in_lang(self.message, lang)

    def sort_key(self) -> tuple[Any, ...]:
        return (self.location.file, self.location.line or 0, self.location.column or 0,
                self.rule, self.entity_kind, self.entity)

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        data = self._data(lang)
        if self.trace is not None:
            data["trace"] = self.trace
        return data

    def cells(self) -> tuple[Finding, ...]:
        """The per-entity findings this one stands for: its members, or itself."""
        return self.members or (self,)

    def _data(self, lang: str | None) -> dict[str, Any]:
        evidence = self.evidence
        if self.members:
            evidence = {**evidence, "members": [m._member(lang) for m in self.members]}
        return {
            "rule": self.rule,
            "severity": self.severity,
            "title": self.title if lang is None else self.title_in(lang),
            "message": self.message if lang is None else self.message_in(lang),
            "entity": {"kind": self.entity_kind, "id": self.entity, "plan": self.plan,
                       "objective": self.objective},
            "location": {"file": self.location.file, "line": self.location.line,
                         "column": self.location.column, "path": self.location.path,
                         **({"cell": self.location.cell} if self.location.cell else {})},
            "source": self.source,
            "tags": list(self.tags),
            "evidence": evidence,
        }

    def _member(self, lang: str | None) -> dict[str, Any]:
        """A grouped entity as JSON: what the per-entity view shows of it."""
        data = self.to_dict(lang)
        return {key: data[key] for key in ("message", "entity", "location", "evidence", "trace")
                if key in data}


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=Finding.sort_key)


def exit_code(findings: list[Finding], fail_on: str) -> int:
    """0 when nothing reaches ``fail_on`` (error|warning|info|never), else 1."""
    if fail_on == "never":
        return 0
    floor = SEVERITY_RANK[fail_on]
    return 1 if any(SEVERITY_RANK[f.severity] >= floor for f in findings) else 0
