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

from validator.errors import InputError
from validator.rulelang import ast
from validator.rulelang.builtins import format_value
from validator.rulelang.compiler import conjuncts, free_names, walk
from validator.unparse import show

VERDICTS = {
    "vi": {"fired": "ĐÃ PHÁT HIỆN: điều kiện require sai",
           "not_applicable": "không áp dụng: một điều kiện where không đúng",
           "holds": "đạt: điều kiện require đúng",
           "unknown": "không kết luận: thiếu dữ liệu để xét điều kiện require",
           "true": "đúng", "false": "sai", "none": "chưa biết", "missing": "không có",
           "witnesses": "thỏa", "counterexamples": "vi phạm", "counted": "được tính",
           "values": "giá trị đã đọc", "of": "trong", "entities": "đối tượng",
           "summary": "{n} {kind}: {fired} phát hiện, {na} không áp dụng, {ok} đạt, "
                      "{unknown} không kết luận"},
    "en": {"fired": "FIRED: the requirement is false",
           "not_applicable": "not applicable: a where condition does not hold",
           "holds": "passed: the requirement holds",
           "unknown": "undecided: data is missing to judge the requirement",
           "true": "true", "false": "false", "none": "unknown", "missing": "missing",
           "witnesses": "matching", "counterexamples": "failing", "counted": "counted",
           "values": "values read", "of": "of", "entities": "entities",
           "summary": "{n} {kind} entities: {fired} fired, {na} not applicable, {ok} passed, "
                      "{unknown} undecided"},
}


def display(value: Any, lang: str = "en") -> str:
    """A value as it reads in an explanation: texts quoted, lists in brackets."""
    from validator.model import LocalText

    if value is None:
        return VERDICTS[lang]["missing"]
    if isinstance(value, bool):
        return VERDICTS[lang]["true" if value else "false"]
    if hasattr(value, "KIND"):
        return f"{value.KIND} {value.id}"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, LocalText):
        return " / ".join(f'"{t}"' for t in (value.vi, value.en) if t)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(display(v, lang) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {display(v, lang)}" for k, v in value.items()) + "}"
    return format_value(value)


def _truth(value: Any) -> Any:
    return value if value is None or isinstance(value, bool) else None


def _matched(node: ast.Expr, env: dict[str, Any], closures: Any) -> list[dict[str, Any]]:
    """The members each quantifier or aggregate of ``node`` matched (those evaluable here)."""
    from validator.rulelang.evaluate import members

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
    from validator.ruleset import jsonable

    value = _truth(closures.compiled(node)(env))
    item: dict[str, Any] = {"clause": clause, "text": show(node), "value": value}
    matched = _matched(node, env, closures)
    if matched:
        item["matched"] = [{**m, "members": [jsonable(x) for x in m["members"]]}
                           for m in matched]
    return item


def trace(ruleset: Any, rule: Any, view: Any, fired: bool | None = None) -> dict[str, Any]:
    """The trace of ``rule`` on ``view`` (run the rule set on the view's plans first)."""
    from validator.ruleset import jsonable

    unit = next(u for u in ruleset.units if u.rule is rule)
    closures = unit.closures  # type: ignore[attr-defined]
    env = unit.env_for(view, None, full=True)  # type: ignore[attr-defined]
    decl = rule.decl
    lets = [{"name": c.name, "text": show(c.expr), "value": jsonable(env.get(c.name))}
            for c in decl.clauses if isinstance(c, ast.Let)]
    where = [_condition(part, env, closures, "where") for c in decl.clauses
             if isinstance(c, ast.Where) for part in conjuncts(c.expr)]
    require = [_condition(part, env, closures, "require") for part in conjuncts(decl.require)]
    values = [r["value"] for r in require]
    if any(w["value"] is not True for w in where):
        verdict, deciding = "not_applicable", [next(w for w in where if w["value"] is not True)]
    elif False in values:
        verdict, deciding = "fired", [r for r in require if r["value"] is False]
    elif None in values:
        verdict, deciding = "unknown", [r for r in require if r["value"] is None]
    else:
        verdict, deciding = "holds", []
    evidence = ruleset.evidence(unit, env)
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
        "values": {k: v for k, v in evidence.items() if k not in let_names},
    }


def _views(plans: list[Any]) -> list[Any]:
    from validator.linking import knowledge_base

    return knowledge_base(plans)


def _entities(views: list[Any]) -> list[Any]:
    from validator.facts import entities

    return [e for plan in views for e in entities(plan)]


def explain(ruleset: Any, rule_id: str, plans: list[Any], entity: str | None = None,
            every: bool = False) -> dict[str, Any]:
    """Explain ``rule_id`` on loaded ``plans``: the rule, and a trace per entity (the one
    named, else those it fired on, else every entity of its kind)."""
    from validator.packs import suggest

    rule = ruleset.rule(rule_id)
    if rule is None:
        off = next((r for r in ruleset.disabled if r.id == rule_id), None)
        if off is not None:
            raise InputError.single(rule_id, f"rule {rule_id} is disabled by a pack's "
                                    "'disable' list; it does not run")
        known = {r.id for r in ruleset.rules}
        raise InputError.single(rule_id, f"no rule {rule_id} in the rule set"
                                f"{suggest(rule_id, known)}")
    views = _views(plans)
    findings = ruleset.evaluate(views)
    fired = {(f.location.file, f.entity_kind, f.entity) for f in findings if f.rule == rule_id}
    candidates = [e for e in _entities(views) if rule.kind == e.KIND]
    if entity is not None:
        chosen = [e for e in candidates if e.id == entity]
        if not chosen:
            others = [e for e in _entities(views) if e.id == entity]
            hint = (f"; {entity} is a {others[0].KIND}, and {rule_id} is about "
                    f"{rule.kind}s" if others else suggest(entity, {e.id for e in candidates}))
            raise InputError.single(entity, f"no {rule.kind} {entity!r} in the plans{hint}")
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


def attach_traces(result: Any) -> Any:
    """The result with a trace on each finding (re-runs the rule set on the result's plans)."""
    ruleset = result.ruleset
    views = _views(result.plans)
    ruleset.evaluate(views)
    by_key = {e.key(): e for e in _entities(views)}
    findings = []
    for f in result.findings:
        view = by_key.get((f.location.file, f.entity_kind, f.entity))
        rule = ruleset.rule(f.rule)
        if view is None or rule is None:
            findings.append(f)
            continue
        findings.append(dataclasses.replace(f, trace=trace(ruleset, rule, view, True)))
    result.findings = findings
    return result


# --- text ---------------------------------------------------------------------------------

def trace_lines(t: dict[str, Any], lang: str = "en", indent: str = "") -> list[str]:
    """A trace as text lines: the lets, each condition with its value, the members matched."""
    words = VERDICTS[lang]
    lines = [f"{indent}{words[t['verdict']]}"]
    for let in t["lets"]:
        value = display(let["value"], lang)
        lines.append(f"{indent}  let {let['name']} = {let['text']}  → {value}")
    for c in t["conditions"]:
        mark = {True: "✓", False: "✗", None: "?"}[c["value"]]
        if t["verdict"] == "not_applicable" and c["clause"] == "require":
            mark = "·"  # not needed: the rule does not apply
        value = words["none"] if c["value"] is None else display(c["value"], lang)
        lines.append(f"{indent}  {mark} {c['clause']} {c['text']}  → {value}")
        for m in c.get("matched", []):
            ids = ", ".join(format_value(x) for x in m["members"]) or "—"
            lines.append(f"{indent}      {words[m['role']]}: {ids}")
    if t["values"]:
        shown = "; ".join(f"{k} = {display(v, lang)}" for k, v in t["values"].items())
        lines.append(f"{indent}  {words['values']}: {shown}")
    return lines


def render_text(report: dict[str, Any], lang: str = "en") -> str:
    """The ``plancheck explain`` report as text."""
    rule = report["rule"]
    out = [f"rule {rule['id']} ({report['severity']}): {rule['title'].get(lang, '')}",
           f"  {rule['file']}:{rule['line']}", ""]
    out += ["  " + line for line in rule["text"].splitlines()]
    for t in report["traces"]:
        e = t["entity"]
        where = f"{e['file']}:{e['line']}" if e["line"] else e["file"]
        out += ["", f"{e['kind']} {e['id']}  ({where})"]
        out += trace_lines(t, lang, "  ")
    if report["counts"]:
        c = report["counts"]
        words = VERDICTS[lang]
        out += ["", words["summary"].format(n=report["candidates"], kind=rule["entity"],
                                            fired=c["fired"], na=c["not_applicable"],
                                            ok=c["holds"], unknown=c["unknown"])]
    return "\n".join(out) + "\n"
