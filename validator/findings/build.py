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
from validator.plan.shown import code_label, number_text, unit_text, value_text
from validator.rulelang import ast, schema
from validator.rulelang.builtins import is_number
from validator.rulelang.ruleset import Rule
from validator.rulelang.variants import Variant, walk

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def findings_of(hits: Iterable[Hit]) -> list[Finding]:
    """One finding per rule and entity (a rule's variants may fire on the same entity), in
    the order the engine found them."""
    seen: set[tuple[str, str, str, str, str]] = set()
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
    grouping = None
    if rule.decl.group is not None and view.KIND != "plan":
        grouping = ({lang: render_template(text, env, lang, keep=GROUP_KEEP)
                     for lang, text in rule.decl.group.values},
                    len(getattr(view.plan, view.KIND + "s", ())))
    return Finding(rule=rule.id, severity=rule.severity, title=rule.title.as_dict(),
                   message=messages, entity_kind=view.KIND, entity=view.id,
                   plan=view.plan.id if view.KIND != "plan" else view.id,
                   objective=objective, location=location, source=rule.source,
                   tags=rule.tags, evidence=evidence(variant, env), grouping=grouping)


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


RAW = "!raw"  # {t.frequency!raw}: the code (or number) as the plan writes it


def lookup(env: dict[str, Any], ref: str) -> Any:
    return typed_lookup(env, ref)[0]


def typed_lookup(env: dict[str, Any], ref: str) -> tuple[Any, str | None, str]:
    """The value of ``ref`` (``t.plan.level``), the schema type of its last attribute
    (``code:level``; None for a rule's own names) and that attribute's name."""
    parts = ref.strip().split(".")
    value = env.get(parts[0])
    type_: str | None = None
    for part in parts[1:]:
        owner = value
        value = None if owner is None else getattr(owner, part, None)
        kind = getattr(owner, "KIND", None)
        found = schema.attribute(kind, part) if isinstance(kind, str) else None
        type_ = found.type if found is not None else None
    return value, type_, parts[-1]


def shown(value: Any, type_: str | None, name: str, lang: str, count: Any = None) -> str:
    """A value in a message as a reviewer reads it: a code by its label, a number in the
    language's convention, a unit as the language writes it (validator.plan.shown), after
    ``count`` when it follows a quantity ("{t.target} {t.unit}": 40 communes)."""
    if isinstance(value, list) and value and hasattr(value[0], "KIND"):
        return ", ".join(v.id for v in value)
    if hasattr(value, "KIND"):
        return str(value.id)
    if value is None:
        return "—"
    scheme = type_.split(":", 1)[1] if type_ and type_.startswith("code:") else None
    if scheme is None and name in ("providing_agencies",):
        scheme = "agency"
    if scheme is not None:
        if isinstance(value, list | tuple):
            return ", ".join(code_label(scheme, v, lang).strip('"') for v in value)
        return code_label(scheme, value, lang).strip('"')
    if name in ("unit", "budget_unit") and isinstance(value, str):
        return unit_text(value, lang, count)
    if type_ == "int" or (type_ in (None, "list") and "year" in name):  # years: 2032
        if is_number(value):
            return number_text(value, lang, grouped=False)  # 2032, not 2.032
        if isinstance(value, list | tuple) and all(is_number(v) for v in value):
            return ", ".join(number_text(v, lang, grouped=False) for v in value)
    return value_text(value, lang)


GROUP_KEEP = frozenset({"count", "total", "ids"})  # filled in when findings are grouped


def render_template(text: str, env: dict[str, Any], lang: str,
                    keep: frozenset[str] = frozenset()) -> str:
    """Fill ``{name}`` and ``{var.attr}`` placeholders for a reader of ``lang``: texts in
    that language, codes by their labels, numbers and dates in its convention;
    ``{var.attr!raw}`` keeps the value as the plan writes it. Names in ``keep`` stay as
    they are, to be filled in later (a group message's {count}, {total}, {ids})."""
    before: list[tuple[int, Any]] = [(-1, None)]  # where the last placeholder ended, its value

    def fill(match: re.Match[str]) -> str:
        ref = match.group(1).strip()
        if ref in keep:
            return match.group(0)
        if ref.endswith(RAW):
            value = lookup(env, ref.removesuffix(RAW))
            if hasattr(value, "KIND"):
                value = value.id
            return format_value(value)
        value, type_, name = typed_lookup(env, ref)
        end, last = before[0]
        count = last if text[end:match.start()].isspace() else None  # "{t.target} {t.unit}"
        before[0] = (match.end(), value)
        return shown(value, type_, name, lang, count)
    return _PLACEHOLDER.sub(fill, text)
