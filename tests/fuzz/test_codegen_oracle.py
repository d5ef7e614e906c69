"""Generated code against the closures: every expression and every single-entity decision
gives the same value, or raises the same kind of error, on every entity.

The closures (validator/rulelang/evaluate.py) are the reference semantics; the generated
functions (validator/rulelang/codegen.py) are what the engine runs.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path
from typing import Any

from hypothesis import given

from validator.core.errors import InputError
from validator.facts.linking import linked_views
from validator.facts.views import entities
from validator.load import load_plan
from validator.rulelang import ast, codegen
from validator.rulelang.build import build_ruleset
from validator.rulelang.cache import load_ruleset
from validator.rulelang.variants import _closure_decision, walk

from .fuzz_budget import fuzz_settings
from .fuzz_inputs import ROOT, generated_rules, typed_rules


@functools.cache
def _views() -> list[Any]:
    plans = [load_plan(p) for p in sorted((ROOT / "examples").glob("*.yaml"))]
    plans += [load_plan(p) for p in sorted((ROOT / "examples" / "flawed").glob("*.yaml"))]
    return [v for plan in linked_views(plans) for v in entities(plan)]


def _outcome(fn: Any, *args: Any) -> Any:
    try:
        return ("value", _comparable(fn(*args)))
    except Exception as exc:  # noqa: BLE001 - the kind of error is what is compared
        return ("error", type(exc).__name__)


def _comparable(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    if isinstance(value, list | tuple):
        return [_comparable(v) for v in value]
    return value


def _check_ruleset(ruleset: Any) -> int:
    """Compare every alpha-only variant's decision and every expression of every rule."""
    compared = 0
    views = _views()
    closures = ruleset.variants[0].closures if ruleset.variants else None
    variants = [(variant, _closure_decision(variant)) for variant in ruleset.variants
                if not variant.joins]
    for view in views:
        memo: dict = {}  # shared by the kind's rules, as in the engine
        for variant, reference in variants:
            if variant.kind == view.KIND:
                assert _outcome(variant.fires, view, memo) == _outcome(reference, view), (
                    variant.name, view.id)
                compared += 1
    for rule in ruleset.rules:
        decl = rule.decl
        nodes = [n for c in decl.clauses for n in walk(c.expr)] + list(walk(decl.require))
        for node in nodes:
            if closures is None:
                continue
            pairs = [(codegen.expression(closures, node), closures.compiled(node))]
            if isinstance(node, ast.Aggregate):  # the ids a summary fact carries
                pairs.append((codegen.member_ids(closures, node), closures.member_ids(node)))
            for view in views:
                if decl.scope.kind != view.KIND:
                    continue
                env = {decl.scope.var: view}
                for fast, reference in pairs:
                    assert _outcome(fast, env) == _outcome(reference, env), (rule.id, view.id)
                    compared += 1
    return compared


def test_the_bundled_pack_agrees_with_its_closures() -> None:
    assert _check_ruleset(load_ruleset()) > 1000


@fuzz_settings(40)
@given(text=generated_rules())
def test_generated_rules_agree_with_their_closures(text: str, tmp_path: Path) -> None:
    path = tmp_path / "fuzz.rules"
    path.write_text(text, encoding="utf-8")
    try:
        ruleset = build_ruleset([str(path)])
    except InputError:  # many of these untyped rules are refused by their types
        return
    _check_ruleset(ruleset)


@fuzz_settings(40)
@given(text=typed_rules())
def test_well_typed_generated_rules_load_and_agree_with_their_closures(text: str,
                                                                       tmp_path: Path) -> None:
    path = tmp_path / "fuzz.rules"
    path.write_text(text, encoding="utf-8")
    ruleset = build_ruleset([str(path)])  # the typed generator's rules always type-check
    assert _check_ruleset(ruleset) > 0
