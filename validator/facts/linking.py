"""One knowledge base from several plans: views for every plan, linked across files.

A plan's ``parent`` (another plan's id) resolves to that plan when it is loaded, and the
parent gains the plan as a child. A target is matched with the same indicator in the parent
plan and in child plans: by catalogue code when both have one, else by indicator name
(normalised for case, spacing and diacritics, in either language) and unit.
"""

from __future__ import annotations

from collections.abc import Iterable

from validator.core.errors import InputError, Problem
from validator.core.i18n import _
from validator.core.text import fold, strip_marks
from validator.facts.views import PlanView, TargetView, build_views
from validator.plan.loaded import LoadedPlan
from validator.plan.model import text_variants


def indicator_keys(target: TargetView) -> list[tuple[str, ...]]:
    """The keys under which a target is the same indicator as one in another plan: its
    catalogue code first, then its name in each language with its unit."""
    unit = strip_marks(fold(target.unit or ""))
    keys: list[tuple[str, ...]] = [("code", target.code)] if target.code else []
    keys += [("name", strip_marks(fold(text)), unit)
             for text in text_variants(target.indicator) or []]
    return keys


def _index(plan: PlanView) -> dict[tuple[str, ...], TargetView]:
    index: dict[tuple[str, ...], TargetView] = {}
    for target in plan.targets:
        for key in indicator_keys(target):
            index.setdefault(key, target)
    return index


def link(plans: list[PlanView]) -> list[PlanView]:
    """Resolve parents across plans and match their indicators; refuse duplicate plan ids."""
    by_id: dict[str, PlanView] = {}
    problems = []
    for plan in plans:
        if plan.id in by_id:
            first = by_id[plan.id].source.file
            problems.append(Problem(plan.source.file, _(
                "plan id {id} is also the id of the plan in {first}; plan ids must be unique "
                "in a run", id=repr(plan.id), first=first), path=("plan", "id")))
        by_id.setdefault(plan.id, plan)
    if problems:
        raise InputError(problems)
    indexes: dict[str, dict[tuple[str, ...], TargetView]] = {}
    for plan in plans:
        parent = by_id.get(plan.parent_id) if plan.parent_id else None
        if parent is None or parent is plan:
            continue
        plan.parent = parent
        parent.children.append(plan)
        if parent.id not in indexes:
            indexes[parent.id] = _index(parent)
        for target in plan.targets:
            for key in indicator_keys(target):
                match = indexes[parent.id].get(key)
                if match is not None and (not (match.code and target.code)
                                          or match.code == target.code):
                    target.parent_target = match
                    match.child_targets.append(target)
                    break
    return plans


def linked_views(loaded: Iterable[LoadedPlan]) -> list[PlanView]:
    """Views of every loaded plan, linked."""
    return link([build_views(plan) for plan in loaded])
