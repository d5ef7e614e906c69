"""Positions kept by container (:class:`validator.core.sourcemap.Positions`): the same
answers as a dict of key paths, in a fraction of its memory."""

from __future__ import annotations

import pickle
import sys
import tracemalloc
from pathlib import Path

from validator.core.sourcemap import Positions, SourceMap, nearest
from validator.formats.yaml_json import load_yaml

ROOT = Path(__file__).resolve().parent.parent


def test_positions_answer_as_a_dict_of_key_paths_does() -> None:
    plain = {(): (1, 1), ("plan",): (2, 1), ("plan", "id"): (3, 3),
             ("objectives", 0): (9, 3), ("objectives", 0, "id"): (9, 5),
             ("objectives", 1, "targets", 0, "annual", "2026"): (40, 2**20 + 7)}
    positions = Positions(plain)
    assert positions == plain and dict(positions) == plain and len(positions) == len(plain)
    assert set(positions) == set(plain)
    for path, where in plain.items():
        assert path in positions and positions[path] == where
    assert ("objectives", 2) not in positions and ("nope",) not in positions
    assert nearest(positions, ("objectives", 0, "title", "vi")) == (9, 3)
    assert nearest(positions, ("objectives", 1, "targets", 0, "annual", "2026")) == (
        40, 2**20 + 7)  # a column past 65,535 (one-line JSON) comes back whole
    del positions[("plan", "id")]
    assert ("plan", "id") not in positions and len(positions) == len(plain) - 1
    assert pickle.loads(pickle.dumps(positions)) == positions


def test_a_yaml_plan_s_positions_are_where_its_keys_and_items_stand() -> None:
    text = "plan:\n  id: p\n  period: [2026, 2030]\nobjectives:\n  - id: O1\n    targets: []\n"
    data, source = load_yaml(text, "p.yaml")
    assert dict(source.positions) == {
        ("plan",): (1, 1), ("plan", "id"): (2, 3), ("plan", "period"): (3, 3),
        ("plan", "period", 0): (3, 12), ("plan", "period", 1): (3, 18),
        ("objectives",): (4, 1), ("objectives", 0): (5, 5), ("objectives", 0, "id"): (5, 5),
        ("objectives", 0, "targets"): (6, 5)}
    assert source.locate(("objectives", 0, "targets", 3)) == (6, 5)


def test_a_large_plan_s_positions_take_a_fraction_of_a_dict_s_memory(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import write

    text = write(2000, tmp_path / "plan.yaml").read_text(encoding="utf-8")
    tracemalloc.start()
    try:
        _, source = load_yaml(text, "plan.yaml")
        before = tracemalloc.get_traced_memory()[0]
        count = len(source.positions)
        source.positions = Positions()  # what the positions themselves held
        held = before - tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    # a dict of key paths to (line, column) tuples held about 200 bytes per position (now 100)
    assert count > 50_000 and held / count < 120, held / count


def test_a_source_map_given_a_dict_still_locates() -> None:
    source = SourceMap("p.yaml", "a: 1\n", {("a",): (1, 1)})
    assert source.locate(("a", "b")) == (1, 1)
