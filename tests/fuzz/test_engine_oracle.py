"""The engine against a reference: on generated plans, the bundled pack's findings equal
those of evaluating every rule's clauses directly, entity by entity.

This guards the compiler's and engine's design choices (partitions, summary facts, the
summary-only fast path, deduplication) against changing what the rules mean.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given

from validator.errors import InputError
from validator.facts import entities
from validator.linking import knowledge_base
from validator.loader import LoadedPlan, load_plan, plan_from_data
from validator.rulelang import ast
from validator.ruleset import RuleSet, load_ruleset
from validator.sourcemap import SourceMap

from .fuzz_budget import fuzz_settings
from .fuzz_inputs import ROOT, valid_plans

Key = tuple[str, str, str, str]


def reference(ruleset: RuleSet, views: list) -> set[Key]:
    """Findings by direct evaluation: lets and wheres in order, then the requirement must be
    known false (concept membership is the engine's, computed before)."""
    closures = ruleset.units[0].closures  # type: ignore[attr-defined]
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
    return {(f.rule, f.location.file, f.entity_kind, f.entity) for f in ruleset.evaluate(views)}


def test_the_examples_together_match_the_reference() -> None:
    ruleset = load_ruleset()
    plans = [load_plan(p) for p in sorted((ROOT / "examples").glob("*.yaml"))]
    plans += [load_plan(p) for p in sorted((ROOT / "examples" / "flawed").glob("*.yaml"))]
    views = knowledge_base(plans)
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
    views = knowledge_base([LoadedPlan(plan, str(Path("fuzz.yaml")))])
    assert engine(ruleset, views) == reference(ruleset, views)
