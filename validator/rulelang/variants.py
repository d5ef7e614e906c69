"""Compile resolved rules and concepts into variants: the engine's rules to be (no experta
here; validator.engine makes them experta rules).

A variant is one experta rule to be: a focus pattern on the entity the rule is about, optional
member patterns (``exists``/``no`` over related entities become EXISTS/NOT patterns joined on
the owner's id), concept patterns (derived facts matched by id), summary patterns (entity
aggregates computed before the run, one summary fact per focus entity carrying the value and
the ids it counted), and a residual test evaluated on the joined facts.

A requirement ``A and B and C`` fails when any part fails, so a rule whose requirement has
several compilable parts becomes several variants, numbered from 0; findings are deduplicated by
rule and entity. Variants are placed at a partition level:

- ``entity``: a single pattern, run once over all facts (alpha network only);
- ``objective``: joins stay inside one objective (its solutions and targets);
- ``plan``: joins span a plan.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from validator.rulelang import ast, codegen
from validator.rulelang.evaluate import Closures, Env, Fn
from validator.rulelang.resolver import Types
from validator.rulelang.schema import KINDS, LINKS, NAV_FIELDS


@dataclass
class MemberPattern:
    """EXISTS (``mode="exists"``) or NOT a member fact linked to an owner of the focus."""

    mode: str
    kind: str  # member fact kind
    link_field: str  # member fact field naming its owner
    owner_field: str  # focus fact field holding the owner's id ("id": the focus itself)
    var: str
    cond: Any  # cond(member entity) -> bool: the member counts (a witness or a counterexample)
    text: str  # for explanations: the quantifier as written


@dataclass
class ConceptPattern:
    name: str
    negated: bool


@dataclass
class Summary:
    key: str
    compute: Fn  # env(focus bound, params) -> value
    ids: Fn  # env -> tuple of the member ids the value summarises


@dataclass
class Variant:
    name: str  # rule id or "concept:NAME"
    number: int  # the rule's variants are numbered from 0
    kind: str  # focus entity kind
    var: str
    rule: Any  # the Rule (metadata), or None for a concept
    concept: str | None
    focus_test: Fn | None  # cheap where-conditions on the focus alone
    members: list[MemberPattern] = field(default_factory=list)
    concepts: list[ConceptPattern] = field(default_factory=list)
    summaries: list[Summary] = field(default_factory=list)
    test: Fn | None = None  # True when the variant fires (after the joins)
    residual: bool = True  # False when the patterns alone decide (``test`` is always true)
    level: str = "entity"
    stratum: int = 0
    salience: int = 0

    @property
    def joins(self) -> bool:
        return bool(self.members or self.concepts or self.summaries)


def conjuncts(expr: ast.Expr) -> list[ast.Expr]:
    if isinstance(expr, ast.BoolOp) and expr.op == "and":
        out: list[ast.Expr] = []
        for item in expr.items:
            out.extend(conjuncts(item))
        return out
    return [expr]


def free_names(expr: Any, bound: frozenset[str] = frozenset()) -> set[str]:
    """Names an expression uses that it does not bind itself."""
    if isinstance(expr, ast.Name):
        return set() if expr.name in bound else {expr.name}
    if isinstance(expr, ast.Aggregate | ast.Quantifier):
        inner = bound | {expr.var}
        out = free_names(expr.coll, bound)
        for part in (expr.cond, getattr(expr, "expr", None), getattr(expr, "test", None)):
            if part is not None:
                out |= free_names(part, inner)
        return out
    out: set[str] = set()
    if isinstance(expr, ast.Expr):
        for value in vars(expr).values():
            if isinstance(value, ast.Expr):
                out |= free_names(value, bound)
            elif isinstance(value, tuple):
                for item in value:
                    if isinstance(item, ast.Expr):
                        out |= free_names(item, bound)
    return out


def walk(expr: Any):
    """Every expression node under ``expr``, depth first."""
    if not isinstance(expr, ast.Expr):
        return
    yield expr
    for value in vars(expr).values():
        if isinstance(value, ast.Expr):
            yield from walk(value)
        elif isinstance(value, tuple):
            for item in value:
                yield from walk(item)


class VariantBuilder:
    """Compiles one rule set's declarations into variants."""

    def __init__(self, types: Types, params: dict[str, Any], concept_sets: dict[str, set[int]]):
        self.types = types
        self.params = params
        self.closures = Closures(concept_sets, params)
        self.memo_keys: dict[tuple[Any, ...], int] = {}

    # --- helpers ---------------------------------------------------------------------------
    def owner_field(self, coll: ast.Expr, focus_var: str,
                    focus_kind: str) -> tuple[str, str] | None:
        """For ``X.rel`` with X the focus or a navigation from it: (owner field, owner kind)."""
        if not isinstance(coll, ast.Attr):
            return None
        owner = coll.obj
        if isinstance(owner, ast.Name) and owner.name == focus_var:
            return "id", focus_kind
        if (isinstance(owner, ast.Attr) and isinstance(owner.obj, ast.Name)
                and owner.obj.name == focus_var and (focus_kind, owner.name) in NAV_FIELDS):
            kind = KINDS[focus_kind][owner.name].target_kind
            return NAV_FIELDS[(focus_kind, owner.name)], kind or ""
        return None

    def member_pattern(self, q: ast.Expr, focus_var: str, focus_kind: str,
                       positive: bool) -> MemberPattern | None:
        """A quantifier over related entities whose condition reads only its own variable."""
        if not isinstance(q, ast.Quantifier) or not isinstance(q.coll, ast.Attr):
            return None
        owner = self.owner_field(q.coll, focus_var, focus_kind)
        if owner is None:
            return None
        owner_field, owner_kind = owner
        link = LINKS.get((owner_kind, q.coll.name))
        if link is None:
            return None
        member_kind = KINDS[owner_kind][q.coll.name].target_kind or ""
        allowed = {q.var} | set(self.params)
        parts = [p for p in (q.cond, q.test) if p is not None]
        if any(not free_names(p) <= allowed for p in parts):
            return None
        cond = self.closures(q.cond) if q.cond is not None else None
        given = [q.cond] if q.cond is not None else []
        if q.kind == "every":  # a member that counts: a counterexample
            test = self.closures(q.test)  # type: ignore[arg-type]

            def counterexample(env: Env, cond=cond, test=test) -> bool:
                return (cond is None or cond(env) is True) and test(env) is False
            cond_fn: Fn | None = counterexample
            decision = codegen.Decision(q.var, given, [], [], [q.test])  # type: ignore[list-item]
            holds_when_absent = True
        else:  # a witness
            cond_fn = None if cond is None else (lambda env, c=cond: c(env) is True)
            decision = codegen.Decision(q.var, given, [], [], None)
            holds_when_absent = q.kind == "no"
        # the quantifier holds when a witness exists (exists) or none does (no / every)
        wanted_absent = holds_when_absent if positive else not holds_when_absent
        return MemberPattern("not" if wanted_absent else "exists", member_kind, link,
                             owner_field, q.var, self.predicate(decision, cond_fn),
                             _source(q))

    def predicate(self, decision: codegen.Decision, closure: Fn | None) -> Any:
        """A test of one entity, ``test(entity) -> bool``: generated, or by the closure (an
        environment binding the decision's variable) when that cannot be generated."""
        if closure is None:
            return None
        var = decision.var

        def by_closure(view: Any, memo: dict | None = None, fn: Fn = closure) -> bool:
            env = {}
            env[var] = view
            return fn(env) is True
        fires = codegen.decision(self.closures, decision, fallback=by_closure)
        return lambda view: fires(view, {})

    def concept_pattern(self, e: ast.Expr, focus_var: str) -> ConceptPattern | None:
        negated = False
        if isinstance(e, ast.Not):
            e, negated = e.operand, True
        if (isinstance(e, ast.Is) and e.test == "concept" and isinstance(e.value, ast.Name)
                and e.value.name == focus_var):
            return ConceptPattern(e.concept, negated != e.negated)
        return None

    def summaries(self, exprs: list[ast.Expr], focus_var: str) -> list[Summary]:
        """Entity aggregates that depend only on the focus (and params) become summaries."""
        out: dict[str, Summary] = {}
        allowed = {focus_var} | set(self.params)
        for expr in exprs:
            for node in walk(expr):
                if not isinstance(node, ast.Aggregate):
                    continue
                if not self.types.get(node.coll).startswith("entities:"):
                    continue
                if not free_names(node) <= allowed:
                    continue
                key = self.closures.compiled(node).key  # type: ignore[attr-defined]
                out[key] = Summary(key, codegen.expression(self.closures, node),
                                   codegen.member_ids(self.closures, node))
        return list(out.values())

    def memo_key(self, node: ast.Expr, var: str) -> int | None:
        """The per-entity memo key of a built-in call on the focus alone (and parameters):
        the same call in two rules, whatever their variable is named, has the same key."""
        if not isinstance(node, ast.Call) or not free_names(node) <= {var} | set(self.params):
            return None
        return self.memo_keys.setdefault(shape(node, var), len(self.memo_keys))

    # --- declarations --------------------------------------------------------------------
    def compile(self, name: str, rule: Any, concept: str | None, scope: ast.Scope,
                clauses: tuple[ast.Clause, ...], require: ast.Expr | None) -> list[Variant]:
        var, kind = scope.var, scope.kind
        let_decls = [c for c in clauses if isinstance(c, ast.Let)]
        lets = [(c.name, self.closures.compiled(c.expr)) for c in let_decls]
        let_names = {c.name for c in let_decls}
        # lets the decision needs (the others only feed messages and evidence, and are
        # computed when a finding is made)
        needed = set().union(*(free_names(c.expr) for c in clauses if isinstance(c, ast.Where)),
                             free_names(require) if require is not None else set())
        for c in reversed(let_decls):
            if c.name in needed:
                needed |= free_names(c.expr)
        decision_lets = [(n, fn) for n, fn in lets if n in needed]
        members: list[MemberPattern] = []
        concepts: list[ConceptPattern] = []
        cheap: list[Fn] = []
        cheap_parts: list[ast.Expr] = []
        residual_where: list[tuple[int, Fn]] = []  # (position among clauses, closure)
        residual_parts: list[ast.Expr] = []
        for index, clause in enumerate(clauses):
            if not isinstance(clause, ast.Where):
                continue
            for part in conjuncts(clause.expr):
                pattern = self.member_pattern(part, var, kind, positive=True)
                if pattern is not None:
                    members.append(pattern)
                    continue
                cp = self.concept_pattern(part, var)
                if cp is not None:
                    concepts.append(cp)
                    continue
                fn = self.closures.compiled(part)
                uses = free_names(part)
                has_entity_agg = any(isinstance(n, ast.Aggregate) for n in walk(part))
                if not (uses & let_names) and not has_entity_agg and uses <= {var} | set(
                        self.params):
                    cheap.append(fn)
                    cheap_parts.append(part)
                else:
                    residual_where.append((index, fn))
                    residual_parts.append(part)
        decision_exprs = [c.expr for c in clauses if isinstance(c, ast.Where)] + [
            c.expr for c in let_decls if c.name in needed] + ([require] if require else [])
        summaries = self.summaries(decision_exprs, var)
        params = self.params

        def env_for(view: Any, served: dict[str, Any] | None = None,
                    full: bool = False) -> Env:
            """The environment of a rule for one entity: params, the entity, the lets (all of
            them with ``full``, else those the decision needs)."""
            env: Env = dict(params) if full else {}  # messages read params by name
            env[var] = view
            if served:
                env["__summaries__"] = served
            for let_name, fn in lets if full else decision_lets:
                env[let_name] = fn(env)
            return env

        focus_test = None
        if cheap:
            def focus_test(env: Env, cheap=cheap) -> bool:
                return all(fn(env) is True for fn in cheap)
        focus_alpha = self.predicate(codegen.Decision(var, cheap_parts, [], [], None),
                                     focus_test)

        def base_ok(env: Env) -> bool:
            return all(fn(env) is True for _, fn in residual_where)

        alternatives: list[tuple[list[MemberPattern], list[ConceptPattern], Fn]] = []
        if require is None:  # a concept: fires when every where holds
            alternatives.append(([], [], base_ok))
        else:
            scalar: list[Fn] = []
            scalar_parts: list[ast.Expr] = []
            for part in conjuncts(require):
                pattern = self.member_pattern(part, var, kind, positive=False)
                if pattern is not None:
                    alternatives.append(([pattern], [], base_ok))
                    continue
                cp = self.concept_pattern(part, var)
                if cp is not None:
                    alternatives.append(([], [ConceptPattern(cp.name, not cp.negated)], base_ok))
                    continue
                scalar.append(self.closures.compiled(part))
                scalar_parts.append(part)
            if scalar:
                def fails(env: Env, scalar=scalar) -> bool:
                    if not base_ok(env):
                        return False
                    return any(fn(env) is False for fn in scalar)
                alternatives.append(([], [], fails))

        variants = []
        for number, (extra_members, extra_concepts, test) in enumerate(alternatives):
            variant = Variant(name=name, number=number, kind=kind, var=var, rule=rule,
                        concept=concept, focus_test=focus_test,
                        members=members + extra_members, concepts=concepts + extra_concepts,
                        summaries=summaries)
            variant.test = test
            variant.residual = test is not base_ok or bool(residual_where)
            variant.env_for = env_for  # type: ignore[attr-defined]
            variant.focus_alpha = focus_alpha  # type: ignore[attr-defined]
            variant.level = self.level(variant)
            if not variant.joins:  # decided on the entity alone: one generated function
                variant.decision = codegen.Decision(  # type: ignore[attr-defined]
                    var, cheap_parts, [(c.name, c.expr) for c in let_decls if c.name in needed],
                    residual_parts, scalar_parts if require is not None else None,
                    memo_key=lambda node, var=var: self.memo_key(node, var))
                variant.fires = codegen.decision(  # type: ignore[attr-defined]
                    self.closures, variant.decision, fallback=_closure_decision(variant),
                    label=f"{name}#{number}")
            variants.append(variant)
        return variants

    def level(self, variant: Variant) -> str:
        if not variant.joins:
            return "entity"
        if variant.kind in ("objective", "solution", "target") and all(
                m.owner_field in ("id", "objective", "solution") and not (
                    m.owner_field == "id" and variant.kind == "objective"
                    and m.link_field == "parent")
                for m in variant.members):
            return "objective"
        return "plan"


def firing(variants: list[Variant]) -> Any:
    """Which of these single-entity variants (of one kind) fire on an entity, by position:
    ``firing(variants)(entity, memo) -> tuple``; they share one memo of calls per entity."""
    tests = list(enumerate(u.fires for u in variants))  # type: ignore[attr-defined]

    def fired(view: Any, memo: dict) -> tuple[int, ...]:
        return tuple([i for i, fires in tests if fires(view, memo)])
    return fired


def shape(node: Any, var: str) -> Any:
    """An expression's structure, with the focus variable anonymous (a hashable key)."""
    if isinstance(node, ast.Name):
        return ("focus",) if node.name == var else ("name", node.name)
    if isinstance(node, ast.Literal):
        return ("literal", type(node.value).__name__, repr(node.value))
    if isinstance(node, tuple):
        return tuple(shape(item, var) for item in node)
    if isinstance(node, ast.Expr):
        return (type(node).__name__, *(shape(getattr(node, f.name), var)
                                       for f in dataclasses.fields(node) if f.name != "pos"))
    return repr(node)


def _closure_decision(variant: Variant) -> Any:
    """Whether a single-pattern variant fires on an entity, by its closures."""
    def fires(view: Any, memo: dict | None = None) -> bool:
        if variant.focus_test is not None:
            env = {}
            env[variant.var] = view
            if not variant.focus_test(env):
                return False
        return variant.test(variant.env_for(view)) is True  # type: ignore[attr-defined,misc]
    return fires


def _source(node: ast.Expr) -> str:
    return f"{type(node).__name__.lower()} at line {node.pos.line}"
