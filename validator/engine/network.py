"""Variants made experta rules, and the engine classes that hold them.

experta costs about 60 µs per fact it is given and 8 µs per rule a fact passes through, so
facts are made lean: a kind's single-entity variants are one rule whose tests run when the
fact is made (only facts some variant fires on are asserted: :meth:`Runner._screened
<validator.engine.runner.Runner._screened>`), and every variant gets its own salience.
Engine classes are built once per rule set (the network is built in ``__init__``) and
reused with ``reset()`` for each partition.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from validator.engine.adapter import (
    AS,
    EXISTS,
    MATCH,
    NOT,
    TEST,
    ClassRouting,
    KnowledgeEngine,
    P,
    Rule,
    SafeStrategy,
    Test,
    fact_type,
    unfreeze,
)
from validator.facts.views import View
from validator.rulelang.variants import MemberPattern, Variant, firing


@dataclass
class Hit:
    """A variant that fired: on which entity, with which summary values."""

    variant: Variant
    view: View
    served: dict[str, Any]


def _not_none(value: Any) -> bool:
    return value is not None


class Served:
    """A summary's focus entity and values, carried whole in one (unfrozen) fact field."""

    __slots__ = ("rule", "view", "values")

    def __init__(self, rule: str, view: Any, values: dict[str, Any]) -> None:
        self.rule, self.view, self.values = rule, view, values


def summary_only(variant: Variant) -> bool:
    """A variant whose only join would be with its own summary: it matches the summary alone."""
    return bool(variant.summaries) and not variant.members and not variant.concepts


def plan_wide(member: MemberPattern) -> bool:
    """A member pattern over the whole of the focus's plan (``exists u in t.plan.targets
    where ...``). Its condition reads the member alone, so whether it holds depends on the
    plan, not on the focus: it is decided once per plan before the run
    (:meth:`Runner._plan_witnesses <validator.engine.runner.Runner._plan_witnesses>`) and
    matched as one ``witness`` fact. Joined as a member instead, it would put every entity
    of the plan in one partition, where experta's joins cost the square of their size."""
    return member.owner_field == "plan" and member.link_field == "plan"


def pattern_key(variant: Variant, index: int) -> str:
    """The name of a variant's ``index``-th member pattern in ``witness`` facts."""
    return f"{variant.name}#{variant.number}/{index}"


def engine_level(variant: Variant) -> str:
    """The partition level a variant runs at: its own level, except that plan-wide member
    patterns (:func:`plan_wide`) do not make it span the plan, and a variant joined only by
    such patterns needs no engine at all (``decided``: :meth:`Runner._decided
    <validator.engine.runner.Runner._decided>`). The rest is the compiler's
    rule (:meth:`validator.rulelang.variants.Compiler.level`): joins on the focus, its
    objective or its solution stay inside an objective; an objective's parent does not."""
    if summary_only(variant):
        return "entity"
    if variant.members and not variant.concepts and not variant.summaries and all(
            plan_wide(m) for m in variant.members):
        return "decided"
    if variant.level != "plan" or variant.kind not in ("objective", "solution", "target"):
        return variant.level
    local = [m for m in variant.members if not plan_wide(m)]
    if len(local) < len(variant.members) and all(
            m.owner_field in ("id", "objective", "solution") and not (
                m.owner_field == "id" and variant.kind == "objective"
                and m.link_field == "parent")
            for m in local):
        return "objective"
    return "plan"


def _rule_for(variant: Variant, salience: int, params: dict[str, Any]) -> Any:
    env_for = variant.env_for  # type: ignore[attr-defined]
    if summary_only(variant):
        # the summary fact carries its focus entity (summaries are made only for entities
        # that pass the focus test): one pattern, no join, so no partition is needed
        def holds(served: Any, test: Any = variant.test, name: str = variant.name) -> bool:
            # experta may order this test before the rule-name test: look at the name first
            # so a rule never evaluates another rule's summaries
            return isinstance(served, Served) and served.rule == name and test(
                env_for(served.view, served.values)) is True

        def fire_served(engine: Any, summary: Any) -> None:
            served = summary["served"]
            engine.hits.append(Hit(variant, served.view, served.values))
        fire_served.__name__ = f"{variant.name}#{variant.number}"
        return Rule(AS.summary << fact_type("summary")(rule=variant.name, served=P(holds)),
                    salience=salience)(fire_served)
    focus_fields: dict[str, Any] = {"id": MATCH.f_id}
    for owner in sorted({m.owner_field for m in variant.members} - {"id"}):
        focus_fields[owner] = getattr(MATCH, "f_" + owner) & P(_not_none)
    if variant.focus_alpha is not None:  # type: ignore[attr-defined]
        focus_fields["ref"] = P(variant.focus_alpha)  # type: ignore[attr-defined]
    patterns: list[Any] = [AS.focus << fact_type(variant.kind)(**focus_fields)]
    for index, m in enumerate(variant.members):
        if plan_wide(m):
            fact = fact_type("witness")(pattern=pattern_key(variant, index), plan=MATCH.f_plan)
            patterns.append(NOT(fact) if m.mode == "not" else EXISTS(fact))
            continue
        member = {m.link_field: getattr(MATCH, "f_" + m.owner_field)}
        if m.cond is not None:
            member["ref"] = P(m.cond)
        fact = fact_type(m.kind)(**member)
        patterns.append(NOT(fact) if m.mode == "not" else EXISTS(fact))
    for c in variant.concepts:
        fact = fact_type("concept")(name=c.name, of=variant.kind, id=MATCH.f_id)
        patterns.append(NOT(fact) if c.negated else fact)
    names = ["focus"]
    if variant.summaries:
        patterns.append(AS.summary << fact_type("summary")(rule=variant.name, of=variant.kind,
                                           id=MATCH.f_id))
        names.append("summary")

    def served_of(ctx: dict[str, Any]) -> dict[str, Any]:
        # facts hold frozen copies (experta freezes lists and dicts): thaw them for rules
        return unfreeze(ctx["summary"]["values"]) if "summary" in ctx else {}

    def residual(**ctx: Any) -> bool:
        served = served_of(ctx)
        return variant.test(env_for(ctx["focus"]["ref"], served)) is True  # type: ignore[misc]
    if variant.residual:  # a join whose patterns carry the whole condition needs no test node
        patterns.append(TEST(Test(residual, names)))

    def action(engine: Any, **ctx: Any) -> None:
        engine.hits.append(Hit(variant, ctx["focus"]["ref"], served_of(ctx)))
    action.__name__ = f"{variant.name}#{variant.number}"
    return Rule(*patterns, salience=salience)(action)


def alpha_only(variant: Variant) -> bool:
    """A variant decided by one pattern on its focus fact (no joins, no summary)."""
    return not variant.joins


def _kind_rule(kind: str, variants: list[Variant], salience: int) -> Any:
    """One rule for every single-pattern variant on one entity kind.

    experta costs about 8 µs per rule a fact passes through, whatever the rule tests, and
    60 µs or more per fact: sixty one-pattern rules over every target would cost more than
    the tests themselves. So each variant's test (one generated function) is applied when the
    fact is made (:meth:`Runner._screened`): a fact carries the variants that fire on it
    (``fired``), only such facts are asserted, and this rule's pattern matches them.
    """
    def fire(engine: Any, focus: Any) -> None:
        view = focus["ref"]
        engine.hits.extend(Hit(variants[i], view, {}) for i in focus["fired"])
    fire.__name__ = f"{kind}_checks"
    return Rule(AS.focus << fact_type(kind)(fired=P(bool)), salience=salience)(fire)


def _witness_patterns(variants: list[Variant]) -> dict[str, list[tuple[int, str, Any]]]:
    """For each kind matched only by member patterns (never a focus): its patterns, as
    (number, link field, condition). See :meth:`Runner._witnesses`."""
    foci = {u.kind for u in variants}
    out: dict[str, list[tuple[int, str, Any]]] = {}
    number = 0
    for variant in variants:
        for m in variant.members:
            if m.kind not in foci and not plan_wide(m):
                out.setdefault(m.kind, []).append((number, m.link_field, m.cond))
                number += 1
    return out


def _plan_patterns(variants: list[Variant]) -> list[tuple[str, str, Any]]:
    """The plan-wide member patterns of an engine's variants (:func:`plan_wide`), as (key,
    member kind, condition)."""
    return [(pattern_key(variant, index), m.kind, m.cond) for variant in variants
            for index, m in enumerate(variant.members) if plan_wide(m)]


def _deffacts_once(engine: Any) -> list[Any]:
    """The engine's deffacts, found once per engine: ``reset()`` asks for them each time
    (experta looks them up with ``inspect.getmembers``), and engines are reset for every
    partition."""
    found = engine.__dict__.get("_deffacts_found")
    if found is None:
        found = engine._deffacts_found = KnowledgeEngine.get_deffacts(engine)
    return found


def engine_class(name: str, variants: list[Variant], params: dict[str, Any]) -> type:
    grouped: dict[str, list[Variant]] = {}
    for variant in variants:
        if alpha_only(variant):
            grouped.setdefault(variant.kind, []).append(variant)
    # which of each kind's single-pattern variants fire on an entity
    screens = {kind: firing(members) for kind, members in sorted(grouped.items())}
    body: dict[str, Any] = {"__strategy__": SafeStrategy, "__matcher__": ClassRouting,
                            "fields": _fields(variants),
                            "screens": screens, "witnesses": _witness_patterns(variants),
                            "plan_patterns": _plan_patterns(variants),
                            "get_deffacts": _deffacts_once}
    rules: list[tuple[str, Any]] = [(f"checks_{kind}", members)
                                    for kind, members in sorted(grouped.items())]
    rules += [(f"rule_{index}", variant) for index, variant in enumerate(variants)
              if not alpha_only(variant)]
    for index, (attr, item) in enumerate(rules):
        salience = len(rules) - index
        if isinstance(item, list):
            kind = attr[len("checks_"):]
            body[attr] = _kind_rule(kind, item, salience)
        else:
            body[attr] = _rule_for(item, salience, params)
    return type(name, (KnowledgeEngine,), body)


def _fields(variants: list[Variant]) -> frozenset[str]:
    """The entity-fact fields an engine's patterns read (others are left out of its facts;
    the kind is the fact's class)."""
    out = {"ref"}
    if any(alpha_only(u) for u in variants):
        out.add("fired")
    for u in variants:
        if u.joins:
            out |= {"id", *(m.owner_field for m in u.members), *(m.link_field for m in u.members)}
    return frozenset(out)
