"""Pieces of the hypothesis plan generators shared by the round-trip tests (RDF and xlsx)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st


def shared_solutions(draw: Any, ids: st.SearchStrategy[str], texts: st.SearchStrategy[Any],
                     objective_ids: list[str], used: set[str]) -> list[dict[str, Any]]:
    """Up to two plan-level solutions (task groups), each serving one to three of the
    objectives; their ids join ``used``, so no other entity takes them."""
    shared = []
    for sid in (draw(st.lists(ids, max_size=2, unique=True)) if objective_ids else []):
        if sid not in used:
            used.add(sid)
            shared.append({"id": sid, "title": draw(texts), "serves": draw(st.lists(
                st.sampled_from(objective_ids), min_size=1, max_size=3, unique=True))})
    return shared


def target_extensions(draw: Any, target: dict[str, Any], *, values: st.SearchStrategy[Any],
                      names: st.SearchStrategy[str], last: int, earlier: list[str],
                      approximate: list[str]) -> None:
    """Draw the plan/1 keys of what real plans say beyond a level into ``target``: a base,
    approximate values (among ``approximate``), a later horizon, named units and, when a
    target was drawn before it (``earlier``), the one it is a part of."""
    if draw(st.booleans()):
        target["relative_to"] = draw(st.one_of(
            st.builds(lambda k, y: {"kind": k, "year": y}, st.sampled_from(
                ["percent_change", "times", "points"]), st.integers(2000, last)),
            st.just({"kind": "points", "per_year": True})))
    target["approximate"] = draw(st.lists(st.sampled_from(approximate), unique=True,
                                          max_size=2))
    target["orientation"] = draw(st.dictionaries(st.integers(last + 1, last + 10), values,
                                                 max_size=2))
    target["named"] = draw(st.lists(names, max_size=3))
    if earlier and draw(st.booleans()):
        target["part_of"] = draw(st.sampled_from(earlier))
