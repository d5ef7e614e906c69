"""Findings made from what the engine found: one per rule and entity, with the rule's
messages filled in for the entity, its location, and the values the rule looked at."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from validator.core.errors import format_path
from validator.core.findings import Finding, Location
from validator.engine.runner import Hit
from validator.facts.views import View
from validator.plan.model import AtLeast, AtMost, LocalText, Range, format_value
from validator.rulelang import ast
from validator.rulelang.builtins import is_number
from validator.rulelang.ruleset import Rule
from validator.rulelang.variants import Variant, walk

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def findings_of(hits: Iterable[Hit]) -> list[Finding]:
    """One finding per rule and entity (a rule's variants may fire on the same entity), in
    the order the engine found them."""
    seen: set[tuple[str, str, str, str]] = set()
    findings = []
    for hit in hits:
        key = (hit.variant.name, *hit.view.key())
        if key not in seen:
            seen.add(key)
            findings.append(finding(hit.variant, hit.view, hit.served))
    return findings


def finding(variant: Variant, view: View, served: dict[str, Any]) -> Finding:
    """The finding of one variant that fired on ``view``: messages filled in, located."""
    rule: Rule = variant.rule
    env = variant.env_for(view, served, full=True)  # type: ignore[attr-defined]
    messages = {lang: render_template(text, env, lang)
                for lang, text in rule.message.values}
    where = view.locate()
    location = Location(view.source.file, where[0] if where else None,
                        where[1] if where else None, format_path(view.path),
                        cell=view.source.cell(view.path))
    objective = getattr(getattr(view, "objective", None), "id", None)
    if view.KIND == "objective":
        objective = view.id
    return Finding(rule=rule.id, severity=rule.severity, title=rule.title.as_dict(),
                   message=messages, entity_kind=view.KIND, entity=view.id,
                   plan=view.plan.id if view.KIND != "plan" else view.id,
                   objective=objective, location=location, source=rule.source,
                   tags=rule.tags, evidence=evidence(variant, env))


def evidence(variant: Variant, env: dict[str, Any]) -> dict[str, Any]:
    """The values a rule looked at: its lets and the focus attributes it read."""
    decl = variant.rule.decl
    out: dict[str, Any] = {}
    for clause in decl.clauses:
        if isinstance(clause, ast.Let):
            out[clause.name] = jsonable(env.get(clause.name))
    closures = variant.closures  # type: ignore[attr-defined]
    for expr in [c.expr for c in decl.clauses if isinstance(c, ast.Where)] + [decl.require]:
        for node in walk(expr):
            if not isinstance(node, ast.Attr) or not _rooted_at(node, variant.var):
                continue
            text = _dotted(node)
            value = closures(node)(env)
            if text in out or hasattr(value, "KIND") or (
                    isinstance(value, list) and value and hasattr(value[0], "KIND")):
                continue  # entities and relations are not evidence; their attributes are
            out[text] = jsonable(value)
    return dict(sorted(out.items()))



def _rooted_at(node: ast.Expr, var: str) -> bool:
    while isinstance(node, ast.Attr):
        node = node.obj
    return isinstance(node, ast.Name) and node.name == var


def _dotted(node: ast.Expr) -> str:
    if isinstance(node, ast.Attr):
        return f"{_dotted(node.obj)}.{node.name}"
    return node.name if isinstance(node, ast.Name) else "?"


def jsonable(value: Any) -> Any:
    """A value as JSON data (views become their ids)."""
    if value is None or isinstance(value, bool | str) or is_number(value):
        return value
    if isinstance(value, Range):
        return {"min": value.min, "max": value.max}
    if isinstance(value, AtLeast):
        return {"at_least": value.at_least}
    if isinstance(value, AtMost):
        return {"at_most": value.at_most}
    if isinstance(value, LocalText):
        return {k: v for k, v in (("vi", value.vi), ("en", value.en)) if v is not None}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if hasattr(value, "KIND"):  # an entity: name its file too (it may be another document)
        return f"{value.source.file}#{value.id}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def lookup(env: dict[str, Any], ref: str) -> Any:
    parts = ref.strip().split(".")
    value = env.get(parts[0])
    for part in parts[1:]:
        value = None if value is None else getattr(value, part, None)
    return value


def render_template(text: str, env: dict[str, Any], lang: str) -> str:
    """Fill ``{name}`` and ``{var.attr}`` placeholders; texts in ``lang``."""
    def fill(match: re.Match[str]) -> str:
        value = lookup(env, match.group(1))
        if isinstance(value, LocalText):
            return (value.vi or value.en or "") if lang == "vi" else (value.en or value.vi or "")
        if isinstance(value, list) and value and hasattr(value[0], "KIND"):
            value = [v.id for v in value]
        if hasattr(value, "KIND"):
            value = value.id
        return format_value(value)
    return _PLACEHOLDER.sub(fill, text)
