"""Loaded plans in, findings out: facts, the engine, findings — one place for every caller."""

from __future__ import annotations

from validator.core.collector import paused_gc
from validator.core.findings import Finding, sort_findings
from validator.engine.runner import runner_for
from validator.facts.linking import linked_views
from validator.facts.views import PlanView
from validator.findings.build import findings_of
from validator.plan.loaded import LoadedPlan
from validator.rulelang.ruleset import RuleSet


def check(plans: list[LoadedPlan], ruleset: RuleSet) -> list[Finding]:
    """What the rules find in these plans (linked across files), with what their readers
    noticed while loading them, sorted by place."""
    found = fire(linked_views(plans), ruleset)
    loaded = [f for p in plans for f in p.findings]
    return sort_findings(found + loaded) if loaded else found


def fire(views: list[PlanView], ruleset: RuleSet) -> list[Finding]:
    """What the rules find in linked views, sorted by place (an explanation then traces the
    same views: the concepts derived on them are known)."""
    with paused_gc():  # the engine makes and drops facts by the hundred thousand
        hits = runner_for(ruleset).fire(views)
    return sort_findings(findings_of(hits))
