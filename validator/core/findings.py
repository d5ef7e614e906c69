"""Findings: what a rule found, about which entity, where, and why — plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from validator.core.errors import format_location
from validator.core.i18n import in_lang

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
    cell: str | None = None  # a workbook cell, e.g. "Đầu ra!D14"

    def __str__(self) -> str:
        if self.cell:
            return f"{self.file}:{self.cell}"
        return format_location(self.file, self.line, self.column)


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

    def _data(self, lang: str | None) -> dict[str, Any]:
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
            "evidence": self.evidence,
        }


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=Finding.sort_key)


def exit_code(findings: list[Finding], fail_on: str) -> int:
    """0 when nothing reaches ``fail_on`` (error|warning|info|never), else 1."""
    if fail_on == "never":
        return 0
    floor = SEVERITY_RANK[fail_on]
    return 1 if any(SEVERITY_RANK[f.severity] >= floor for f in findings) else 0
