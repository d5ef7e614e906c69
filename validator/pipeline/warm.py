"""The warm path: a rule set compiled once and reused for every request of a long-running
process (the review desk, a language server, batch workers).

A command pays for compiling its rule set in every process (from the cache on disk, still
most of a small plan's time); a :class:`Checker` pays once, then each plan costs only its
load and check. Findings are the same as ``plancheck validate`` gives for the same plan,
rules and parameters (the same :func:`validator.pipeline.check.check`, then the same
policy: a pack's summary rules become :meth:`Checker.result` notes, many-entity findings
are grouped)::

    checker = Checker.compile()                  # the bundled pack; or rule paths, params
    findings = checker.check_file("plan.yaml")  # raises InputError for a bad file
    findings = checker.check_text(text, "plan.yaml")  # an editor's unsaved text

A checker is not shared between threads while it checks (the engine is not thread-safe);
use one per thread or a lock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from validator.core.findings import Finding
from validator.engine.runner import runner_for
from validator.findings.policy import apply_policy
from validator.findings.result import Result
from validator.load import load_plan, load_plan_text
from validator.pipeline.check import check
from validator.plan.loaded import LoadedPlan
from validator.rulelang.cache import load_ruleset
from validator.rulelang.ruleset import RuleSet


@dataclass(frozen=True)
class Checker:
    """A compiled rule set (with its engine built) ready to check plan after plan."""

    ruleset: RuleSet

    @classmethod
    def compile(cls, rule_paths: Sequence[str] = (),
                params: Mapping[str, Any] | None = None) -> Checker:
        """Compile ``rule_paths`` (default: the bundled pack) with ``params``, once; raises
        :class:`validator.core.errors.InputError` for rules that cannot be compiled."""
        ruleset = load_ruleset(tuple(rule_paths), dict(params) if params else None)
        runner_for(ruleset)  # the engine's classes too, so the first request is not slower
        return cls(ruleset)

    def result(self, plans: list[LoadedPlan]) -> Result:
        """The run's result for loaded plans, linked to each other as one run links them:
        findings as reported, and the notes about the run."""
        result = Result([p.file for p in plans], plans, check(plans, self.ruleset),
                        self.ruleset.rules, self.ruleset)
        return apply_policy(result)

    def check_plans(self, plans: list[LoadedPlan]) -> list[Finding]:
        """Findings of loaded plans, as a run reports them."""
        return self.result(plans).findings

    def check_file(self, path: str | Path) -> list[Finding]:
        """Load and check one plan file of any format."""
        return self.check_plans([load_plan(path)])

    def check_text(self, text: str, file: str) -> list[Finding]:
        """Load and check a plan given as text (YAML, JSON, Turtle or JSON-LD, by the
        suffix of ``file``, which also names it in findings and errors)."""
        return self.check_plans([load_plan_text(text, file)])
