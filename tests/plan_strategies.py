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
