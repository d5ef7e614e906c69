"""Running a rule set's variants over plans, stratum by stratum (concepts before the rules
that use them), each level of variants over its partitions of facts.

- Single-entity variants run once over all facts (:class:`Runner` screens them first:
  only entities some variant fires on become facts).
- Objective-level variants run over small groups of whole objectives, plan-level ones over
  each plan, so every join sees a bounded number of facts (near-linear in plan size).
- A member entity enters a partition only as the first witness of some EXISTS/NOT pattern
  for its owner (:meth:`Runner._witnesses`), and members before their owners.
"""

from __future__ import annotations

import collections
import weakref
from collections.abc import Callable, Iterable
from typing import Any

from validator.engine.network import (
    Hit,
    Served,
    engine_class,
    engine_level,
    fact_type,
    pattern_key,
    plan_wide,
    summary_only,
)
from validator.facts.views import ObjectiveView, PlanView, SolutionView, TargetView, View, entities
from validator.rulelang.ruleset import RuleSet
from validator.rulelang.variants import Variant

BATCH_FACTS = 16  # objectives are run together until a partition holds about this many facts


def _kinds(variants: list[Variant]) -> set[str]:
    """The entity kinds an engine's patterns can match: its foci and its members (a
    plan-wide member pattern matches a ``witness`` fact instead)."""
    return {u.kind for u in variants} | {m.kind for u in variants for m in u.members
                                         if not plan_wide(m)}


def _batches(plan: PlanView, kinds: set[str]) -> Iterable[list[View]]:
    """Whole objectives (with their solutions and targets), grouped into small partitions.

    Joins bind on owner ids, so objectives can share a partition; grouping a few amortises
    the engine's reset while each join still only sees a bounded number of facts.
    """
    batch: list[View] = []
    for objectives, shared in _joined(plan):
        group = [v for o in objectives for v in (o, *o.solutions, *o.targets)
                 if v.KIND in kinds] + [s for s in shared if s.KIND in kinds]
        if batch and len(batch) + len(group) > BATCH_FACTS:
            yield batch
            batch = []
        batch.extend(group)
    if batch:
        yield batch


def _joined(plan: PlanView) -> list[tuple[list[ObjectiveView], list[SolutionView]]]:
    """The objectives in file order, those a plan-level solution serves together (with the
    solutions that join them): its targets measure it from each of them, so one partition
    must hold them all."""
    index = {o.id: i for i, o in enumerate(plan.objectives)}
    parent = list(range(len(plan.objectives)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    shared = [s for s in plan.solutions if s.shared]
    for s in shared:
        for o in s.serves[1:]:
            a, b = root(index[s.serves[0].id]), root(index[o.id])
            parent[max(a, b)] = min(a, b)
    groups: dict[int, tuple[list[ObjectiveView], list[SolutionView]]] = {}
    for i, o in enumerate(plan.objectives):
        groups.setdefault(root(i), ([], []))[0].append(o)
    loose = [s for s in shared if not s.serves]
    for s in shared:
        if s.serves:
            groups[root(index[s.serves[0].id])][1].append(s)
    return [*groups.values(), *([([], loose)] if loose else [])]


def fact_fields(view: View) -> dict[str, Any]:
    """The fields of the engine fact for ``view``: kind, id, owner ids and the view."""
    fields: dict[str, Any] = {"kind": view.KIND, "id": view.id, "ref": view}
    plan = view if isinstance(view, PlanView) else view.plan  # type: ignore[attr-defined]
    fields["plan"] = plan.id
    if isinstance(view, ObjectiveView):
        fields["parent"] = view.parent.id if view.parent else None
    elif isinstance(view, SolutionView):
        fields["objective"] = view.objective.id if view.objective else None
    elif isinstance(view, TargetView):
        fields["objective"] = view.objective.id
        fields["solution"] = view.solution.id if view.solution else None
    return fields


def _by_kind(plan: PlanView) -> dict[str, list[View]]:
    """A plan's entities by kind, in file order."""
    out: dict[str, list[View]] = {}
    for view in entities(plan):
        out.setdefault(view.KIND, []).append(view)
    return out


def _witnessed(patterns: list[tuple[str, str, Any]], by_kind: dict[str, list[View]]
               ) -> list[str]:
    """The keys of the plan-wide patterns (key, member kind, condition) that some entity of
    the plan (``by_kind``) satisfies."""
    return [key for key, kind, cond in patterns
            if any(cond is None or cond(view) for view in by_kind.get(kind, ()))]


class Runner:
    """Runs the variants of a rule set, stratum by stratum, over a list of plans."""

    def __init__(self, variants: list[Variant], params: dict[str, Any],
                 concept_sets: dict[str, set[int]]) -> None:
        self.params = params
        self.concept_sets = concept_sets
        self.strata: list[dict[str, tuple[type, list[Variant]] | None]] = []
        self.decided: list[list[Variant]] = []  # per stratum: decided without an engine
        for stratum in sorted({u.stratum for u in variants}):
            levels: dict[str, tuple[type, list[Variant]] | None] = {}
            for level in ("entity", "objective", "plan"):
                chosen = [u for u in variants if u.stratum == stratum
                          and engine_level(u) == level]
                levels[level] = (engine_class(f"Engine_{stratum}_{level}", chosen, params),
                                 chosen) if chosen else None
            self.strata.append(levels)
            self.decided.append([u for u in variants if u.stratum == stratum
                                 and engine_level(u) == "decided"])
        self._engines: dict[type, Any] = {}

    def engine(self, cls: type) -> Any:
        found = self._engines.get(cls)
        if found is None:
            found = self._engines[cls] = cls()
        return found

    def _fire_partition(self, cls: type, facts: list[dict[str, Any]]) -> list[Hit]:
        engine = self.engine(cls)
        engine.reset()
        engine.hits = []
        keep = cls.fields  # type: ignore[attr-defined]
        if facts:
            engine.declare(*[fact_type(f["kind"])(**{
                k: v for k, v in f.items()
                if k != "kind" and (k in keep or f["kind"] in ("concept", "summary", "witness"))})
                for f in facts])
        engine.run()
        return engine.hits

    def fire(self, plans: list[PlanView]) -> list[Hit]:
        """What fires on these (linked) plans: every variant of a rule, on each entity."""
        for members in self.concept_sets.values():
            members.clear()
        fields = {id(v): fact_fields(v) for p in plans for v in entities(p)}
        concept_facts: dict[int, list[dict[str, Any]]] = collections.defaultdict(list)
        hits: list[Hit] = []
        for levels, decided in zip(self.strata, self.decided, strict=True):
            found: list[Hit] = self._decided(decided, plans)
            summaries = self._summaries([u for entry in (levels["objective"], levels["plan"])
                                         if entry for u in entry[1]], plans)
            entity = levels["entity"]
            if entity is not None:
                facts = self._screened(entity[0].screens, plans, fields)
                facts += self._screened_summaries(entity[1], plans)
                found += self._fire_partition(entity[0], facts)
            objective = levels["objective"]
            if objective is not None:
                kinds = _kinds(objective[1])
                for plan in plans:
                    wide = self._plan_witnesses(objective[0].plan_patterns, plan)
                    for group in _batches(plan, kinds):
                        group = self._witnesses(objective[0].witnesses, group, fields)
                        found += self._fire_partition(objective[0], wide + self._partition(
                            group, fields, concept_facts, summaries))
            plan_level = levels["plan"]
            if plan_level is not None:
                kinds = _kinds(plan_level[1])
                for plan in plans:
                    views = self._witnesses(plan_level[0].witnesses, [
                        v for v in entities(plan) if v.KIND in kinds], fields)
                    wide = self._plan_witnesses(plan_level[0].plan_patterns, plan)
                    found += self._fire_partition(plan_level[0], wide + self._partition(
                        views, fields, concept_facts, summaries))
            for hit in found:
                if hit.variant.concept is not None:
                    members = self.concept_sets.setdefault(hit.variant.concept, set())
                    if id(hit.view) not in members:
                        members.add(id(hit.view))
                        concept_facts[id(hit.view)].append(
                            {"kind": "concept", "name": hit.variant.concept, "of": hit.view.KIND,
                             "id": hit.view.id})
                else:
                    hits.append(hit)
        return hits

    @staticmethod
    def _screened(screens: dict[str, Any], plans: list[PlanView],
                  fields: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
        """The entity facts of the entity-level engine: those some single-pattern variant fires
        on, each carrying those variants' positions (``fired``). An entity no variant fires on
        could not activate any rule, and experta spends 60 µs or more on every fact it is
        given: it is not asserted."""
        out = []
        for plan in plans:
            for view in entities(plan):
                screen = screens.get(view.KIND)
                if screen is not None:
                    fired = screen(view, {})
                    if fired:
                        out.append({**fields[id(view)], "fired": fired})
        return out

    def _screened_summaries(self, variants: list[Variant],
                            plans: list[PlanView]) -> list[dict[str, Any]]:
        """The summary facts of summary-only variants that one of them fires on (as above: the
        rule's own test, applied before assertion)."""
        by_name: dict[str, list[Variant]] = {}
        for variant in variants:
            if summary_only(variant):
                by_name.setdefault(variant.name, []).append(variant)

        def fires(name: str, view: View, values: dict[str, Any]) -> bool:
            return any(u.test(u.env_for(view, values)) is True  # type: ignore[attr-defined,misc]
                       for u in by_name[name])
        return [fact for group in self._summaries(variants, plans, fires).values()
                for fact in group]

    @staticmethod
    def _plan_witnesses(patterns: list[tuple[str, str, Any]],
                        plan: PlanView) -> list[dict[str, Any]]:
        """One ``witness`` fact for each plan-wide member pattern (:func:`plan_wide
        <validator.engine.network.plan_wide>`) that some entity of ``plan`` satisfies: what
        the pattern's EXISTS or NOT asks of every focus of the plan, found once. These
        facts come first in each partition, as members do (:meth:`_witnesses`)."""
        if not patterns:
            return []
        return [{"kind": "witness", "pattern": key, "plan": plan.id}
                for key in _witnessed(patterns, _by_kind(plan))]

    @staticmethod
    def _decided(variants: list[Variant], plans: list[PlanView]) -> list[Hit]:
        """What fires of the variants joined only by plan-wide member patterns: each such
        pattern holds or not for the whole plan, so a focus fires when the patterns hold
        and its own tests pass, as the engine's rule would decide (focus test, EXISTS/NOT,
        residual test), without asserting a fact."""
        hits: list[Hit] = []
        if not variants:
            return hits
        for plan in plans:
            by_kind = _by_kind(plan)
            patterns = [(pattern_key(u, i), m.kind, m.cond) for u in variants
                        for i, m in enumerate(u.members)]
            witnessed = _witnessed(patterns, by_kind)
            for variant in variants:
                if any((pattern_key(variant, i) in witnessed) != (m.mode == "exists")
                       for i, m in enumerate(variant.members)):
                    continue
                alpha = variant.focus_alpha  # type: ignore[attr-defined]
                env_for = variant.env_for  # type: ignore[attr-defined]
                for view in by_kind.get(variant.kind, ()):
                    if alpha is not None and not alpha(view):
                        continue
                    if variant.residual and variant.test(env_for(view, {})) is not True:  # type: ignore[misc]
                        continue
                    hits.append(Hit(variant, view, {}))
        return hits

    @staticmethod
    def _witnesses(patterns: dict[str, list[tuple[int, str, Any]]], views: list[View],
                   fields: dict[int, dict[str, Any]]) -> list[View]:
        """The views of a partition, less the member entities no pattern needs, members
        first.

        A member fact only ever matches EXISTS and NOT patterns, and those ask whether some
        member linked to the focus satisfies the pattern's condition: one such member per
        pattern and owner decides it. A member that is not the first witness of any
        pattern for its owner changes no match, so it is not asserted (experta spends 60
        µs or more on each fact). Members are asserted before the other entities: a focus
        whose NOT pattern already has its witness then never makes an activation that the
        witness would withdraw.
        """
        if not patterns:
            return views
        seen: set[tuple[int, Any]] = set()
        out, others = [], []
        for view in views:
            found = patterns.get(view.KIND)
            if found is None:
                others.append(view)
                continue
            data, needed = fields[id(view)], False
            for number, link, cond in found:
                owner = data.get(link)
                if owner is not None and (number, owner) not in seen and (
                        cond is None or cond(view)):
                    seen.add((number, owner))
                    needed = True
            if needed:
                out.append(view)
        return out + others

    @staticmethod
    def _partition(views: list[View], fields: dict[int, dict[str, Any]],
                   concept_facts: dict[int, list[dict[str, Any]]],
                   summaries: dict[int, list[dict[str, Any]]]) -> list[dict[str, Any]]:
        facts: list[dict[str, Any]] = []
        for v in views:
            facts.append(fields[id(v)])
            facts.extend(concept_facts.get(id(v), ()))
            facts.extend(summaries.get(id(v), ()))
        return facts

    def _summaries(self, variants: list[Variant], plans: list[PlanView],
                   keep: Callable[[str, View, dict[str, Any]], bool] | None = None
                   ) -> dict[int, list[dict[str, Any]]]:
        """One summary fact per variant and focus entity that passes the variant's focus test (no
        other can fire): the variant's entity aggregates (values by key) and the ids each one
        counted; a summary-only variant's fact also carries its entity (``served``). With
        ``keep``, only the facts it keeps (given the rule, entity and values) are made."""
        by_kind: dict[str, list[Variant]] = {}
        for variant in variants:
            if variant.summaries:
                by_kind.setdefault(variant.kind, []).append(variant)
        out: dict[int, list[dict[str, Any]]] = collections.defaultdict(list)
        for plan in plans:
            for view in entities(plan):
                done: set[str] = set()  # a rule's variants share its summary
                for variant in by_kind.get(view.KIND, ()):
                    if variant.name in done:
                        continue
                    done.add(variant.name)
                    if variant.focus_alpha is not None and not variant.focus_alpha(view):  # type: ignore
                        continue
                    env = {}
                    env[variant.var] = view
                    values = {s.key: s.compute(env) for s in variant.summaries}
                    if keep is not None and not keep(variant.name, view, values):
                        continue
                    fact = {"kind": "summary", "rule": variant.name, "of": variant.kind,
                            "id": view.id, "values": values,
                            "ids": {s.key: s.ids(env) for s in variant.summaries}}
                    if summary_only(variant):
                        fact["served"] = Served(variant.name, view, values)
                    out[id(view)].append(fact)
        return out


_RUNNERS: weakref.WeakKeyDictionary[RuleSet, Runner] = weakref.WeakKeyDictionary()


def runner_for(ruleset: RuleSet) -> Runner:
    """The runner of a compiled rule set, built once (its engine classes are its network)."""
    found = _RUNNERS.get(ruleset)
    if found is None:
        found = _RUNNERS[ruleset] = Runner(ruleset.variants, ruleset.values,
                                           ruleset.concept_sets)
    return found
