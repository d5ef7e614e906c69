"""Why a rule fired on an entity, or why it did not: its lets, each condition's value, the
members its quantifiers and aggregates matched.

A trace re-evaluates the rule's own closures (validator/rulelang/evaluate.py) on the entity,
after the rule set has run on the plans (so derived concepts are known). A rule fires when
every ``where`` condition is true and the ``require`` condition is known to be false; the
trace names the condition that decided, with the values it read.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from validator.core.errors import InputError
from validator.core.hints import close_matches
from validator.core.i18n import Message, _
from validator.facts.linking import linked_views
from validator.facts.views import PlanView, View, entities
from validator.findings.build import evidence, jsonable
from validator.findings.result import Result
from validator.pipeline.check import fire
from validator.report.reading import KIND_NAMES
from validator.rulelang import ast
from validator.rulelang.evaluate import members
from validator.rulelang.unparse import show
from validator.rulelang.variants import conjuncts, free_names, walk


def _truth(value: Any) -> Any:
    return value if value is None or isinstance(value, bool) else None


def _matched(node: ast.Expr, env: dict[str, Any], closures: Any) -> list[dict[str, Any]]:
    """The members each quantifier or aggregate of ``node`` matched (those evaluable here)."""
    out = []
    for sub in walk(node):
        if not isinstance(sub, ast.Quantifier | ast.Aggregate) or not free_names(sub) <= set(env):
            continue
        cond = closures.compiled(sub.cond) if sub.cond is not None else None
        test = (closures.compiled(sub.test) if isinstance(sub, ast.Quantifier)
                and sub.test is not None else None)
        picked = []
        for item in members(closures.compiled(sub.coll)(env)):
            scope = {**env, sub.var: item}
            if cond is not None and cond(scope) is not True:
                continue
            if test is not None and test(scope) is not False:
                continue
            picked.append(item)
        role = ("counted" if isinstance(sub, ast.Aggregate) else
                "counterexamples" if sub.kind == "every" else "witnesses")
        out.append({"text": show(sub), "role": role,
                    "members": [getattr(m, "id", m) for m in picked]})
    return out


def _condition(node: ast.Expr, env: dict[str, Any], closures: Any, clause: str
               ) -> dict[str, Any]:
    value = _truth(closures.compiled(node)(env))
    item: dict[str, Any] = {"clause": clause, "text": show(node), "value": value}
    matched = _matched(node, env, closures)
    if matched:
        item["matched"] = [{**m, "members": [jsonable(x) for x in m["members"]]}
                           for m in matched]
    return item


def trace(ruleset: Any, rule: Any, view: Any, fired: bool | None = None) -> dict[str, Any]:
    """The trace of ``rule`` on ``view`` (run the rule set on the view's plans first)."""
    variant = next(u for u in ruleset.variants if u.rule is rule)
    closures = variant.closures  # type: ignore[attr-defined]
    env = variant.env_for(view, None, full=True)  # type: ignore[attr-defined]
    decl = rule.decl
    lets = [{"name": c.name, "text": show(c.expr), "value": jsonable(env.get(c.name))}
            for c in decl.clauses if isinstance(c, ast.Let)]
    where = [_condition(part, env, closures, "where") for c in decl.clauses
             if isinstance(c, ast.Where) for part in conjuncts(c.expr)]
    require = [_condition(part, env, closures, "require") for part in conjuncts(decl.require)]
    outcomes = [r["value"] for r in require]
    if any(w["value"] is not True for w in where):
        verdict, deciding = "not_applicable", [next(w for w in where if w["value"] is not True)]
    elif False in outcomes:
        verdict, deciding = "fired", [r for r in require if r["value"] is False]
    elif None in outcomes:
        verdict, deciding = "unknown", [r for r in require if r["value"] is None]
    else:
        verdict, deciding = "holds", []
    values = evidence(variant, env)
    let_names = {c.name for c in decl.clauses if isinstance(c, ast.Let)}
    where_at = view.locate()
    return {
        "rule": rule.id,
        "entity": {"kind": view.KIND, "id": view.id, "file": view.source.file,
                   "line": where_at[0] if where_at else None},
        "verdict": verdict,
        "fired": verdict == "fired" if fired is None else fired,
        "because": [d["text"] for d in deciding],
        "lets": lets,
        "conditions": where + require,
        "values": {k: v for k, v in values.items() if k not in let_names},
    }


def _hint(word: str, known: set[str]) -> Message | str:
    """``; did you mean 'CAT-04'?`` in the reader's language, or nothing."""
    close = close_matches(word, known, 2)
    return _("; did you mean {names}?", names=" / ".join(repr(c) for c in close)) if close else ""


def _entities(views: list[PlanView]) -> list[View]:
    return [e for plan in views for e in entities(plan)]


def explain(ruleset: Any, rule_id: str, plans: list[Any], entity: str | None = None,
            every: bool = False) -> dict[str, Any]:
    """Explain ``rule_id`` on loaded ``plans``: the rule, and a trace per entity (the one
    named, else those it fired on, else every entity of its kind)."""
    rule = ruleset.rule(rule_id)
    if rule is None:
        off = next((r for r in ruleset.disabled if r.id == rule_id), None)
        if off is not None:
            raise InputError.single(rule_id, _("rule {rule} is disabled by a pack's 'disable' "
                                               "list; it does not run", rule=rule_id))
        known = {r.id for r in ruleset.rules}
        raise InputError.single(rule_id, _("no rule {rule} in the rule set{hint}", rule=rule_id,
                                           hint=_hint(rule_id, known)))
    views = linked_views(plans)
    findings = fire(views, ruleset)
    fired = {(f.location.file, f.plan, f.entity_kind, f.entity) for f in findings
             if f.rule == rule_id}
    candidates = [e for e in _entities(views) if rule.kind == e.KIND]
    if entity is not None:
        chosen = [e for e in candidates if e.id == entity]
        if not chosen:
            others = [e for e in _entities(views) if e.id == entity]
            kind = KIND_NAMES.get(rule.kind, rule.kind)
            hint = (_("; {rule} is about entities of the kind '{kind}', and {entity} is of the "
                      "kind '{other}'", entity=entity, rule=rule_id, kind=kind,
                      other=KIND_NAMES.get(others[0].KIND, others[0].KIND))
                    if others else _hint(entity, {e.id for e in candidates}))
            raise InputError.single(entity, _("no {kind} {entity} in the plans{hint}",
                                              kind=kind, entity=repr(entity), hint=hint))
    else:
        chosen = [e for e in candidates if e.key() in fired] or candidates
        if every:
            chosen = candidates
    if entity is None:
        every_trace = {e.key(): trace(ruleset, rule, e, e.key() in fired) for e in candidates}
        traces = [every_trace[e.key()] for e in chosen]
        counts = {v: sum(1 for t in every_trace.values() if t["verdict"] == v)
                  for v in ("fired", "not_applicable", "holds", "unknown")}
    else:
        traces, counts = [trace(ruleset, rule, e, e.key() in fired) for e in chosen], {}
    return {"rule": rule.summary(), "severity": rule.severity, "traces": traces,
            "counts": counts, "candidates": len(candidates)}


def attach_traces(result: Result) -> Result:
    """The result with a trace on each finding (re-runs the rule set on the result's plans)."""
    ruleset = result.ruleset
    views = linked_views(result.plans)
    fire(views, ruleset)
    by_key = {e.key(): e for e in _entities(views)}

    def traced(f: Any) -> Any:
        if f.members:  # a grouped finding: each entity it stands for has its trace
            return dataclasses.replace(f, members=tuple(traced(m) for m in f.members))
        view = by_key.get((f.location.file, f.plan, f.entity_kind, f.entity))
        rule = ruleset.rule(f.rule)
        if view is None or rule is None:
            return f
        return dataclasses.replace(f, trace=trace(ruleset, rule, view, True))
    return dataclasses.replace(result, findings=[traced(f) for f in result.findings])
