"""A loaded plan: the validated model, the file it came from, and where its parts stand."""

from __future__ import annotations

from dataclasses import dataclass, field

from validator.core.findings import Finding
from validator.core.sourcemap import KeyPath, Locator
from validator.plan.model import Plan


@dataclass
class LoadedPlan:
    """A plan, where it came from, and what its reader noticed on the way (a workbook's
    formulas saved without a value): findings about the file rather than the plan, which
    every later stage reports with the rules' own."""

    plan: Plan
    file: str
    source: Locator | None = None
    findings: list[Finding] = field(default_factory=list)

    def locate(self, path: KeyPath) -> tuple[int, int] | None:
        """``(line, column)`` of a key path in the file, when the format keeps lines."""
        return self.source.locate(path) if self.source else None

    def cell(self, path: KeyPath) -> str | None:
        """``Sheet!D14`` of a key path, when the plan came from a workbook."""
        return self.source.cell(path) if self.source else None
