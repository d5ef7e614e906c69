"""The engine stays near-linear in plan size: a member pattern over the whole plan
(``exists u in t.plan.targets where ...``) is decided once per plan, not joined with
every entity of the plan in one partition, and that finds what the join finds."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from validator.authoring.cases import case_plans, read_cases
from validator.engine import network, runner
from validator.engine.runner import BATCH_FACTS, Runner
from validator.facts.linking import linked_views
from validator.load import load_plan
from validator.rulelang.cache import load_ruleset

ROOT = Path(__file__).resolve().parent.parent
WIDE_RULES = ("AG-03", "AG-05", "CAT-04", "CAT-11", "SMART-A")  # rules with plan-wide members


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import write

    return write(300, tmp_path_factory.mktemp("bench") / "plan-300.yaml")


def _runner() -> Runner:
    ruleset = load_ruleset()
    return Runner(ruleset.variants, ruleset.values, ruleset.concept_sets)


def test_no_partition_holds_the_whole_plan(generated: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    sizes: list[int] = []
    fire_partition = Runner._fire_partition

    def counted(self: Runner, cls: type, facts: list[dict[str, Any]]) -> Any:
        sizes.append(len(facts))
        return fire_partition(self, cls, facts)
    monkeypatch.setattr(Runner, "_fire_partition", counted)
    loaded = load_plan(generated)
    _runner().fire(linked_views([loaded]))
    entity_level = max(sizes)  # the one partition of screened facts, and the rest
    sizes.remove(entity_level)
    # an objective's partition holds a few objectives and one witness per plan-wide pattern
    assert max(sizes) <= BATCH_FACTS + 16, sorted(sizes)[-5:]


def _hits(run: Runner, plans: list[Any]) -> list[tuple[str, int, str, str, str]]:
    return sorted((h.variant.name, h.variant.number, *h.view.key())
                  for h in run.fire(linked_views(plans)))


def test_plan_wide_patterns_decided_once_find_what_joining_them_finds(
        generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    groups = [[load_plan(generated)]]
    groups += [[load_plan(p)] for p in sorted((ROOT / "examples" / "flawed").glob("*.yaml"))]
    for rule in WIDE_RULES:
        path = next((ROOT / "rules" / "mpi2013" / "cases").glob(f"{rule}.yaml"))
        groups += [case_plans(case) for case in read_cases(path)]
    decided = [_hits(_runner(), plans) for plans in groups]
    # every member pattern joined in the engine, as before plan-wide patterns were decided
    monkeypatch.setattr(network, "plan_wide", lambda member: False)
    monkeypatch.setattr(runner, "plan_wide", lambda member: False)
    joined = [_hits(_runner(), plans) for plans in groups]
    assert decided == joined
    fired = {name for hits in decided for name, *_ in hits}
    assert set(WIDE_RULES) <= fired  # the cases make each of them fire
