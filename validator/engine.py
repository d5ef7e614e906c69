"""The one module that owns experta: importing it, building engine classes from compiled
units, and running them over partitions of facts.

- experta 1.9.4 pins frozendict 1.2, which subclasses ``collections.Mapping`` (gone since
  Python 3.10): the alias is defined only while experta is imported, then removed.
- ``import experta`` calls ``logging.basicConfig()``; the root handlers it adds are removed
  so the user's logging is left as it was.
- experta's ``DepthStrategy`` can leave an invalidated activation on the agenda when several
  share a sort key (engine-notes); :class:`SafeStrategy` removes every equal activation, and
  every unit gets its own salience besides.
- Engine classes are built once per rule set (the network is built in ``__init__``) and
  reused with ``reset()`` for each partition.
- experta costs about 60 µs per fact it is given and 8 µs per rule a fact passes through,
  so facts are made lean: a kind's single-entity rules are one rule whose tests run when
  the fact is made (only facts some rule fires on are asserted: :meth:`Runner._screened`),
  and a member entity enters a partition only as the first witness of some EXISTS/NOT
  pattern for its owner (:meth:`Runner._witnesses`).
- Each kind of fact has its own fact class (:func:`fact_type`): experta tests a fact's class
  first, so a target never walks the field tests of objective or solution patterns, and
  the network's root hands a fact only to the branches of its class (:class:`ClassRouting`).
"""

from __future__ import annotations

import bisect
import collections
import collections.abc
import inspect
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


def _import_experta() -> Any:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    added_alias = not hasattr(collections, "Mapping")
    if added_alias:
        collections.Mapping = collections.abc.Mapping  # type: ignore[attr-defined]
    try:
        import experta
        import experta.strategies  # noqa: F401
    finally:
        if added_alias:
            del collections.Mapping  # type: ignore[attr-defined]
        for handler in list(root.handlers):
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)
    return experta


experta = _import_experta()
from experta import AS, EXISTS, MATCH, NOT, TEST, Fact, KnowledgeEngine, P, Rule  # noqa: E402
from experta.abstract import Strategy  # noqa: E402
from experta.matchers import ReteMatcher  # noqa: E402
from experta.matchers.rete.nodes import BusNode  # noqa: E402
from experta.matchers.rete.token import Token  # noqa: E402
from experta.utils import unfreeze  # noqa: E402

from validator.facts import PlanView, View, entities, fact_fields  # noqa: E402
from validator.rulelang.compiler import Unit, firing  # noqa: E402

_FACT_TYPES: dict[str, type] = {}


def fact_type(kind: str) -> type:
    """The experta fact class of one kind of fact (an entity kind, ``concept``, ``summary``).

    experta routes a fact first by its class (its network tests ``type(fact)`` before any
    field), so a fact of one kind never walks the field tests of the others' patterns."""
    found = _FACT_TYPES.get(kind)
    if found is None:
        found = _FACT_TYPES[kind] = type(f"{kind.title()}Fact", (Fact,), {})
    return found


class _ClassBus(BusNode):
    """experta's bus node (the root of its network), handing a fact only to the branches
    that test the fact's class. experta's own hands every fact to every branch, and each
    copies the token before finding that the fact is of another class."""

    def __init__(self) -> None:
        super().__init__()
        self.routes: dict[type, list[Callable[[Any], None]]] = {}

    def add(self, fact: Any) -> None:
        self._send(fact, Token.valid(fact))

    def remove(self, fact: Any) -> None:
        self._send(fact, Token.invalid(fact))

    def _send(self, fact: Any, token: Any) -> None:
        found = self.routes.get(type(fact))
        if found is None:  # the network is built: its branches no longer change
            found = self.routes[type(fact)] = [
                child.callback for child in self.children
                if getattr(child.node.matcher, "fact_type", type(fact)) is type(fact)]
        for callback in found:
            callback(token)


class ClassRouting(ReteMatcher):
    """experta's Rete matcher with :class:`_ClassBus` for a root (every pattern of the
    network starts with a test of its fact's class)."""

    def __init__(self, engine: Any) -> None:
        super().__init__(engine)
        bus = _ClassBus()
        bus.children = self.root_node.children
        self.root_node = bus


class SafeStrategy(Strategy):
    """Depth-first agenda like experta's, but removal scans every activation of equal key."""

    @staticmethod
    def key(activation: Any) -> tuple[Any, ...]:
        facts = sorted((f["__factid__"] for f in activation.facts), reverse=True)
        return (activation.rule.salience, facts)

    def _update_agenda(self, agenda: Any, added: Iterable[Any], removed: Iterable[Any]) -> None:
        acts = agenda.activations
        for act in removed:
            act.key = self.key(act)
            lo, hi = bisect.bisect_left(acts, act), bisect.bisect_right(acts, act)
            acts[lo:hi] = [a for a in acts[lo:hi] if a != act]
        for act in added:
            act.key = self.key(act)
            bisect.insort(acts, act)


class _Test:
    """A TEST callable whose signature names the context variables it reads."""

    def __init__(self, fn: Callable[..., bool], names: list[str]) -> None:
        self.fn = fn
        self.__signature__ = inspect.Signature(
            [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY) for n in names])

    def __call__(self, **kwargs: Any) -> bool:
        return bool(self.fn(**kwargs))


@dataclass
class Hit:
    """A unit that fired: on which entity, with which summary values."""

    unit: Unit
    view: View
    served: dict[str, Any]


def _not_none(value: Any) -> bool:
    return value is not None


class Served:
    """A summary's focus entity and values, carried whole in one (unfrozen) fact field."""

    __slots__ = ("rule", "view", "values")

    def __init__(self, rule: str, view: Any, values: dict[str, Any]) -> None:
        self.rule, self.view, self.values = rule, view, values


def summary_only(unit: Unit) -> bool:
    """A unit whose only join would be with its own summary: it matches the summary alone."""
    return bool(unit.summaries) and not unit.members and not unit.concepts


def _rule_for(unit: Unit, salience: int, params: dict[str, Any]) -> Any:
    env_for = unit.env_for  # type: ignore[attr-defined]
    if summary_only(unit):
        # the summary fact carries its focus entity (summaries are made only for entities
        # that pass the focus test): one pattern, no join, so no partition is needed
        def holds(served: Any, test: Any = unit.test, name: str = unit.name) -> bool:
            # experta may order this test before the rule-name test: look at the name first
            # so a rule never evaluates another rule's summaries
            return isinstance(served, Served) and served.rule == name and test(
                env_for(served.view, served.values)) is True

        def fire_served(engine: Any, summary: Any) -> None:
            served = summary["served"]
            engine.hits.append(Hit(unit, served.view, served.values))
        fire_served.__name__ = f"{unit.name}#{unit.variant}"
        return Rule(AS.summary << fact_type("summary")(rule=unit.name, served=P(holds)),
                    salience=salience)(fire_served)
    focus_fields: dict[str, Any] = {"id": MATCH.f_id}
    for owner in sorted({m.owner_field for m in unit.members} - {"id"}):
        focus_fields[owner] = getattr(MATCH, "f_" + owner) & P(_not_none)
    if unit.focus_alpha is not None:  # type: ignore[attr-defined]
        focus_fields["ref"] = P(unit.focus_alpha)  # type: ignore[attr-defined]
    patterns: list[Any] = [AS.focus << fact_type(unit.kind)(**focus_fields)]
    for m in unit.members:
        member = {m.link_field: getattr(MATCH, "f_" + m.owner_field)}
        if m.cond is not None:
            member["ref"] = P(m.cond)
        fact = fact_type(m.kind)(**member)
        patterns.append(NOT(fact) if m.mode == "not" else EXISTS(fact))
    for c in unit.concepts:
        fact = fact_type("concept")(name=c.name, of=unit.kind, id=MATCH.f_id)
        patterns.append(NOT(fact) if c.negated else fact)
    names = ["focus"]
    if unit.summaries:
        patterns.append(AS.summary << fact_type("summary")(rule=unit.name, of=unit.kind,
                                           id=MATCH.f_id))
        names.append("summary")

    def served_of(ctx: dict[str, Any]) -> dict[str, Any]:
        # facts hold frozen copies (experta freezes lists and dicts): thaw them for rules
        return unfreeze(ctx["summary"]["values"]) if "summary" in ctx else {}

    def residual(**ctx: Any) -> bool:
        served = served_of(ctx)
        return unit.test(env_for(ctx["focus"]["ref"], served)) is True  # type: ignore[misc]
    if unit.residual:  # a join whose patterns carry the whole condition needs no test node
        patterns.append(TEST(_Test(residual, names)))

    def action(engine: Any, **ctx: Any) -> None:
        engine.hits.append(Hit(unit, ctx["focus"]["ref"], served_of(ctx)))
    action.__name__ = f"{unit.name}#{unit.variant}"
    return Rule(*patterns, salience=salience)(action)


def alpha_only(unit: Unit) -> bool:
    """A unit decided by one pattern on its focus fact (no joins, no summary)."""
    return not unit.joins


def _kind_rule(kind: str, units: list[Unit], salience: int) -> Any:
    """One rule for every single-pattern unit on one entity kind.

    experta costs about 8 µs per rule a fact passes through, whatever the rule tests, and
    60 µs or more per fact: sixty one-pattern rules over every target would cost more than
    the tests themselves. So each unit's test (one generated function) is applied when the
    fact is made (:meth:`Runner._screened`): a fact carries the units that fire on it
    (``fired``), only such facts are asserted, and this rule's pattern matches them.
    """
    def fire(engine: Any, focus: Any) -> None:
        view = focus["ref"]
        engine.hits.extend(Hit(units[i], view, {}) for i in focus["fired"])
    fire.__name__ = f"{kind}_checks"
    return Rule(AS.focus << fact_type(kind)(fired=P(bool)), salience=salience)(fire)


def _witness_patterns(units: list[Unit]) -> dict[str, list[tuple[int, str, Any]]]:
    """For each kind matched only by member patterns (never a focus): its patterns, as
    (number, link field, condition). See :meth:`Runner._witnesses`."""
    foci = {u.kind for u in units}
    out: dict[str, list[tuple[int, str, Any]]] = {}
    number = 0
    for unit in units:
        for m in unit.members:
            if m.kind not in foci:
                out.setdefault(m.kind, []).append((number, m.link_field, m.cond))
                number += 1
    return out


def _deffacts_once(engine: Any) -> list[Any]:
    """The engine's deffacts, found once per engine: ``reset()`` asks for them each time
    (experta looks them up with ``inspect.getmembers``), and engines are reset for every
    partition."""
    found = engine.__dict__.get("_deffacts_found")
    if found is None:
        found = engine._deffacts_found = KnowledgeEngine.get_deffacts(engine)
    return found


def _engine_class(name: str, units: list[Unit], params: dict[str, Any]) -> type:
    grouped: dict[str, list[Unit]] = {}
    for unit in units:
        if alpha_only(unit):
            grouped.setdefault(unit.kind, []).append(unit)
    # which of each kind's single-pattern units fire on an entity
    screens = {kind: firing(members) for kind, members in sorted(grouped.items())}
    body: dict[str, Any] = {"__strategy__": SafeStrategy, "__matcher__": ClassRouting,
                            "fields": _fields(units),
                            "screens": screens, "witnesses": _witness_patterns(units),
                            "get_deffacts": _deffacts_once}
    rules: list[tuple[str, Any]] = [(f"checks_{kind}", members)
                                    for kind, members in sorted(grouped.items())]
    rules += [(f"rule_{index}", unit) for index, unit in enumerate(units)
              if not alpha_only(unit)]
    for index, (attr, item) in enumerate(rules):
        salience = len(rules) - index
        if isinstance(item, list):
            kind = attr[len("checks_"):]
            body[attr] = _kind_rule(kind, item, salience)
        else:
            body[attr] = _rule_for(item, salience, params)
    return type(name, (KnowledgeEngine,), body)


BATCH_FACTS = 16  # objectives are run together until a partition holds about this many facts


def _fields(units: list[Unit]) -> frozenset[str]:
    """The entity-fact fields an engine's patterns read (others are left out of its facts;
    the kind is the fact's class)."""
    out = {"ref"}
    if any(alpha_only(u) for u in units):
        out.add("fired")
    for u in units:
        if u.joins:
            out |= {"id", *(m.owner_field for m in u.members), *(m.link_field for m in u.members)}
    return frozenset(out)


def _kinds(units: list[Unit]) -> set[str]:
    """The entity kinds an engine's patterns can match: its foci and its members."""
    return {u.kind for u in units} | {m.kind for u in units for m in u.members}


def _batches(plan: PlanView, kinds: set[str]) -> Iterable[list[View]]:
    """Whole objectives (with their solutions and targets), grouped into small partitions.

    Joins bind on owner ids, so objectives can share a partition; grouping a few amortises
    the engine's reset while each join still only sees a bounded number of facts.
    """
    batch: list[View] = []
    for o in plan.objectives:
        group = [v for v in (o, *o.solutions, *o.targets) if v.KIND in kinds]
        if batch and len(batch) + len(group) > BATCH_FACTS:
            yield batch
            batch = []
        batch.extend(group)
    if batch:
        yield batch


class Runner:
    """Runs the units of a rule set, stratum by stratum, over a list of plans."""

    def __init__(self, units: list[Unit], params: dict[str, Any],
                 concept_sets: dict[str, set[int]]) -> None:
        self.params = params
        self.concept_sets = concept_sets
        self.strata: list[dict[str, tuple[type, list[Unit]] | None]] = []
        for stratum in sorted({u.stratum for u in units}):
            levels: dict[str, tuple[type, list[Unit]] | None] = {}
            for level in ("entity", "objective", "plan"):
                chosen = [u for u in units if u.stratum == stratum
                          and ("entity" if summary_only(u) else u.level) == level]
                levels[level] = (_engine_class(f"Engine_{stratum}_{level}", chosen, params),
                                 chosen) if chosen else None
            self.strata.append(levels)
        self._engines: dict[type, Any] = {}

    def engine(self, cls: type) -> Any:
        found = self._engines.get(cls)
        if found is None:
            found = self._engines[cls] = cls()
        return found

    def _run(self, cls: type, facts: list[dict[str, Any]]) -> list[Hit]:
        engine = self.engine(cls)
        engine.reset()
        engine.hits = []
        keep = cls.fields  # type: ignore[attr-defined]
        if facts:
            engine.declare(*[fact_type(f["kind"])(**{
                k: v for k, v in f.items()
                if k != "kind" and (k in keep or f["kind"] in ("concept", "summary"))})
                for f in facts])
        engine.run()
        return engine.hits

    def run(self, plans: list[PlanView]) -> list[Hit]:
        for members in self.concept_sets.values():
            members.clear()
        fields = {id(v): fact_fields(v) for p in plans for v in entities(p)}
        concept_facts: dict[int, list[dict[str, Any]]] = collections.defaultdict(list)
        hits: list[Hit] = []
        for levels in self.strata:
            found: list[Hit] = []
            summaries = self._summaries([u for entry in (levels["objective"], levels["plan"])
                                         if entry for u in entry[1]], plans)
            entity = levels["entity"]
            if entity is not None:
                facts = self._screened(entity[0].screens, plans, fields)
                facts += self._screened_summaries(entity[1], plans)
                found += self._run(entity[0], facts)
            objective = levels["objective"]
            if objective is not None:
                kinds = _kinds(objective[1])
                for plan in plans:
                    for group in _batches(plan, kinds):
                        group = self._witnesses(objective[0].witnesses, group, fields)
                        found += self._run(objective[0], self._partition(
                            group, fields, concept_facts, summaries))
            plan_level = levels["plan"]
            if plan_level is not None:
                kinds = _kinds(plan_level[1])
                for plan in plans:
                    views = self._witnesses(plan_level[0].witnesses, [
                        v for v in entities(plan) if v.KIND in kinds], fields)
                    found += self._run(plan_level[0], self._partition(
                        views, fields, concept_facts, summaries))
            for hit in found:
                if hit.unit.concept is not None:
                    members = self.concept_sets.setdefault(hit.unit.concept, set())
                    if id(hit.view) not in members:
                        members.add(id(hit.view))
                        concept_facts[id(hit.view)].append(
                            {"kind": "concept", "name": hit.unit.concept, "of": hit.view.KIND,
                             "id": hit.view.id})
                else:
                    hits.append(hit)
        return hits

    @staticmethod
    def _screened(screens: dict[str, Any], plans: list[PlanView],
                  fields: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
        """The entity facts of the entity-level engine: those some single-pattern unit fires
        on, each carrying those units' positions (``fired``). An entity no unit fires on
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

    def _screened_summaries(self, units: list[Unit],
                            plans: list[PlanView]) -> list[dict[str, Any]]:
        """The summary facts of summary-only units that one of them fires on (as above: the
        rule's own test, applied before assertion)."""
        by_name: dict[str, list[Unit]] = {}
        for unit in units:
            if summary_only(unit):
                by_name.setdefault(unit.name, []).append(unit)

        def fires(name: str, view: View, values: dict[str, Any]) -> bool:
            return any(u.test(u.env_for(view, values)) is True  # type: ignore[attr-defined,misc]
                       for u in by_name[name])
        return [fact for group in self._summaries(units, plans, fires).values()
                for fact in group]

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

    def _summaries(self, units: list[Unit], plans: list[PlanView],
                   keep: Callable[[str, View, dict[str, Any]], bool] | None = None
                   ) -> dict[int, list[dict[str, Any]]]:
        """One summary fact per unit and focus entity that passes the unit's focus test (no
        other can fire): the unit's entity aggregates (values by key) and the ids each one
        counted; a summary-only unit's fact also carries its entity (``served``). With
        ``keep``, only the facts it keeps (given the rule, entity and values) are made."""
        by_kind: dict[str, list[Unit]] = {}
        for unit in units:
            if unit.summaries:
                by_kind.setdefault(unit.kind, []).append(unit)
        out: dict[int, list[dict[str, Any]]] = collections.defaultdict(list)
        for plan in plans:
            for view in entities(plan):
                done: set[str] = set()  # a rule's variants share its summary
                for unit in by_kind.get(view.KIND, ()):
                    if unit.name in done:
                        continue
                    done.add(unit.name)
                    if unit.focus_alpha is not None and not unit.focus_alpha(view):  # type: ignore
                        continue
                    env = {}
                    env[unit.var] = view
                    values = {s.key: s.compute(env) for s in unit.summaries}
                    if keep is not None and not keep(unit.name, view, values):
                        continue
                    fact = {"kind": "summary", "rule": unit.name, "of": unit.kind,
                            "id": view.id, "values": values,
                            "ids": {s.key: s.ids(env) for s in unit.summaries}}
                    if summary_only(unit):
                        fact["served"] = Served(unit.name, view, values)
                    out[id(view)].append(fact)
        return out
