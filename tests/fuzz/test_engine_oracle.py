"""The engine against a reference: on generated plans, the bundled pack's findings equal
those of evaluating every rule's clauses directly, entity by entity.

This guards the compiler's and engine's design choices (partitions, summary facts, the
summary-only fast path, deduplication) against changing what the rules mean.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given

from validator.core.errors import InputError
from validator.core.sourcemap import SourceMap
from validator.facts.linking import linked_views
from validator.facts.views import entities
from validator.load import load_plan
from validator.pipeline.check import fire
from validator.plan.data import plan_from_data
from validator.plan.loaded import LoadedPlan
from validator.rulelang import ast
from validator.rulelang.cache import load_ruleset
from validator.rulelang.ruleset import RuleSet

from .fuzz_budget import fuzz_settings
from .fuzz_inputs import ROOT, valid_plans

Key = tuple[str, str, str, str]


def reference(ruleset: RuleSet, views: list) -> set[Key]:
    """Findings by direct evaluation: lets and wheres in order, then the requirement must be
    known false (concept membership is the engine's, computed before)."""
    closures = ruleset.variants[0].closures  # type: ignore[attr-defined]
    out: set[Key] = set()
    for plan in views:
        for view in entities(plan):
            for rule in ruleset.rules:
                decl = rule.decl
                if decl.scope.kind != view.KIND:
                    continue
                env = {**ruleset.values, decl.scope.var: view}
                for clause in decl.clauses:
                    if isinstance(clause, ast.Let):
                        env[clause.name] = closures(clause.expr)(env)
                    elif closures(clause.expr)(env) is not True:
                        break
                else:
                    if closures(decl.require)(env) is False:
                        out.add((rule.id, view.source.file, view.KIND, view.id))
    return out


def engine(ruleset: RuleSet, views: list) -> set[Key]:
    return {(f.rule, f.location.file, f.entity_kind, f.entity) for f in fire(views, ruleset)}


def test_the_examples_together_match_the_reference() -> None:
    ruleset = load_ruleset()
    plans = [load_plan(p) for p in sorted((ROOT / "examples").glob("*.yaml"))]
    plans += [load_plan(p) for p in sorted((ROOT / "examples" / "flawed").glob("*.yaml"))]
    views = linked_views(plans)
    found = engine(ruleset, views)
    assert found == reference(ruleset, views) and len(found) > 20


@fuzz_settings(40)
@given(data=valid_plans())
def test_generated_plans_match_the_reference(data: dict) -> None:
    ruleset = load_ruleset()
    try:
        plan = plan_from_data(data, SourceMap("fuzz.yaml", ""))
    except InputError:  # the strategy aims at valid plans; a rare invalid one is not the point
        return
    views = linked_views([LoadedPlan(plan, str(Path("fuzz.yaml")))])
    assert engine(ruleset, views) == reference(ruleset, views)
