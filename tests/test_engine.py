"""The experta adapter's own network root: routing facts by class changes no match."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from validator.engine import adapter, network
from validator.engine.runner import Runner
from validator.facts.views import build_views
from validator.load import load_plan
from validator.rulelang.cache import load_ruleset

ROOT = Path(__file__).resolve().parent.parent
PLANS = sorted((ROOT / "examples").glob("*.yaml")) + sorted(
    (ROOT / "examples" / "flawed").glob("*.yaml"))


def _hits(runner: Runner, paths: list[Path]) -> list[tuple[str, int, str, str]]:
    views = [build_views(load_plan(path)) for path in paths]
    return sorted((h.variant.name, h.variant.number, *h.view.key()[1:]) for h in runner.fire(views))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import write

    return write(300, tmp_path_factory.mktemp("bench") / "plan-300.yaml")


def test_routing_facts_by_class_finds_what_experta_s_own_root_finds(
        generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ruleset = load_ruleset()
    cases = [[path] for path in PLANS] + [[generated]]
    routed = [_hits(Runner(ruleset.variants, ruleset.values, ruleset.concept_sets), case)
              for case in cases]
    monkeypatch.setattr(network, "ClassRouting", adapter.ReteMatcher)  # experta's own
    plain = [_hits(Runner(ruleset.variants, ruleset.values, ruleset.concept_sets), case)
             for case in cases]
    assert routed == plain
    assert sum(map(len, routed)) > 30  # the flawed examples and the planted flaws do fire
    assert any(name == "CAT-04" for hits in routed for name, *_ in hits)  # a NOT join
