"""What a run produced, made once by the pipeline and read by every reporter."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from validator.core.findings import Finding
from validator.findings.baseline import Comparison
from validator.findings.waivers import Waived
from validator.plan.loaded import LoadedPlan
from validator.rulelang.ruleset import Rule, RuleSet


@dataclass(frozen=True)
class Result:
    """The plans a run read, the rules it reported on and what they found: the findings
    reported, those waived, how they compare with a baseline, and the notes about the run
    itself (findings of the rules a pack lists under ``summary:``, which set no exit code)."""

    files: list[str]
    plans: list[LoadedPlan]
    findings: list[Finding]
    rules: list[Rule] = field(default_factory=list)
    ruleset: RuleSet | None = None
    waived: list[Waived] = field(default_factory=list)
    baseline: Comparison | None = None
    skipped: list[tuple[str, Any]] = field(default_factory=list)  # (file, why: a Message)
    notes: list[Finding] = field(default_factory=list)  # about the run (a pack's summary:)
    checked: int | None = None  # plans checked, when ``plans`` was not kept (a batch's)

    @property
    def plan_count(self) -> int:
        """How many plans the run checked (kept or not)."""
        return len(self.plans) if self.checked is None else self.checked
