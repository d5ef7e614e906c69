"""Build a rule set: read its packs' layers and rule files, resolve every declaration, apply
the packs' settings and parameters, and compile the rules into variants.

Packs are applied in layers (:mod:`validator.rulelang.packs`): a pack's rule of an inherited
id replaces the inherited rule, then each pack's params, severities and disabled rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from validator.core.errors import InputError, Problem, caret_excerpt, format_location
from validator.core.findings import SEVERITIES
from validator.core.hints import did_you_mean
from validator.core.i18n import Message, _
from validator.rulelang import ast
from validator.rulelang import types as ty
from validator.rulelang.files import parse_files
from validator.rulelang.packs import apply_settings, layers
from validator.rulelang.params import ParamError, check_param_type, parse_param_value
from validator.rulelang.resolver import Resolver, literal_value
from validator.rulelang.ruleset import DEFAULT_PACK, Param, Rule, RuleSet
from validator.rulelang.schema import KindName
from validator.rulelang.variants import Variant, VariantBuilder, walk

#: the parse of a rule set's layers: its files, their texts, and the layer of each file
Parsed = tuple[list[ast.RuleFile], dict[str, str], dict[str, Any]]


def build_ruleset(paths: tuple[str, ...] | list[str],
                  overrides: dict[str, Any] | None = None, *,
                  parsed: Callable[[list[Any]], Parsed] | None = None) -> RuleSet:
    """Parse, resolve and compile a rule set (no caching; ``parsed`` may supply the parse
    of the layers, as :mod:`validator.rulelang.cache` does from its cache on disk).

    Packs are applied in layers (validator/packs.py): a pack's rule of an inherited id
    replaces the inherited rule, then each pack's params, severities and disabled rules.
    """
    stack = layers(list(paths) or [DEFAULT_PACK])
    files, texts, origin = (parsed or parse_layers)(stack)
    problems: list[Problem] = []
    params: dict[str, Param] = {}
    concepts: dict[str, ast.ConceptDecl] = {}
    rules: dict[str, Rule] = {}

    def err(pos: ast.Pos, message: Message) -> None:
        problems.append(Problem(pos.file, message, line=pos.line, column=pos.column,
                                excerpt=caret_excerpt(texts.get(pos.file, ""), pos.line,
                                                      pos.column) or None))

    for rf in files:
        for p in rf.params:
            ok, value = literal_value(p.default)
            if not ok:
                err(p.pos, _("parameter {name}: a default must be a number, text, true/false "
                             "or a list of them", name=repr(p.name)))
            if p.name in params:
                first = params[p.name]
                place = format_location(first.file, first.line, None)
                err(p.pos, _("parameter {name} is already declared at {place}",
                             name=repr(p.name), place=place))
            params[p.name] = Param(p.name, value, p.doc, rf.path, p.pos.line)
        for c in rf.concepts:
            if c.name in concepts:
                first = concepts[c.name]
                place = format_location(first.pos.file, first.pos.line, None)
                err(c.pos, _("concept {name} is already declared at {place}",
                             name=repr(c.name), place=place))
            concepts[c.name] = c
        layer = origin.get(rf.path)
        for r in rf.rules:
            rule = Rule(r.id, r, rf.path, pack=layer.name if layer else "")
            if r.id in rules:
                first = rules[r.id]
                if _inherits(layer, origin.get(first.file)):
                    rule.shadows = first
                    rules[r.id] = rule
                    continue
                err(r.pos, _("rule {id} is already declared at {place}", id=r.id,
                             place=format_location(first.decl.pos.file,
                                                   first.decl.pos.line, None)))
            rules[r.id] = rule

    values = {name: p.default for name, p in params.items()}
    packs = [layer.pack for layer in stack if layer.pack is not None]
    disabled, pack_problems = apply_settings(packs, rules, params, values)
    if pack_problems:
        raise InputError(pack_problems)
    for name, raw in (overrides or {}).items():
        try:
            if name not in params:
                raise InputError.single("--param", _("unknown parameter {name}{hint}",
                                                     name=repr(name),
                                                     hint=did_you_mean(name, params)))
            values[name] = parse_param_value(name, raw, params[name].default) if isinstance(
                raw, str) and not isinstance(params[name].default, str) else check_param_type(
                name, raw, params[name].default)
        except InputError as exc:  # named, for the caller to say where the value was given
            raise ParamError(exc.problems, name) from None

    resolver = Resolver(texts, values, {c.name: c.scope.kind for c in concepts.values()})
    for c in concepts.values():
        names = resolver.scope(c.scope)
        resolver.clauses(c.clauses, names)
        resolver.constant_conditions(_("concept {name}", name=c.name), c.clauses, None)
        if c.title:
            resolver.check_texts(c.title, _("concept {name}: title", name=c.name), c.pos)
    for r in rules.values():
        d = r.decl
        names = resolver.scope(d.scope)
        names = resolver.clauses(d.clauses, names)
        resolver.condition(d.require, names)
        resolver.constant_conditions(_("rule {id}", id=d.id), d.clauses, d.require)
        if d.severity is None:
            err(d.pos, _("rule {id} has no severity (severity error|warning|info)", id=d.id))
        if d.severity is not None and d.severity not in SEVERITIES:
            err(d.pos, _("unknown severity {severity}", severity=repr(d.severity)))
        resolver.check_texts(d.title, _("rule {id}: title", id=d.id), d.pos)
        template_names = {**names, **resolver.param_names()}
        resolver.check_texts(d.message, _("rule {id}: message", id=d.id), d.pos,
                             template_names)
        if d.group is not None:
            _check_group(d, resolver, values, err)
    problems.extend(resolver.problems)
    strata = _strata(concepts, err)
    if problems:
        problems.sort(key=lambda p: (p.file, p.line or 0, p.column or 0))
        raise InputError(problems)

    ruleset = RuleSet([rf.path for rf in files], params, concepts,
                      [r for r in rules.values() if r.id not in disabled], values, packs=packs,
                      layers=stack, disabled=[r for r in rules.values() if r.id in disabled])
    ruleset.type_notes = resolver.notes
    ruleset.patterns = resolver.patterns
    builder = VariantBuilder(resolver.types, values, ruleset.concept_sets)
    variants: list[Variant] = []
    for name, c in concepts.items():
        for variant in builder.compile(f"concept:{name}", None, name, c.scope, c.clauses, None):
            variant.stratum = strata[name]
            variants.append(variant)
    for r in ruleset.rules:
        used = _concepts_used([*[c.expr for c in r.decl.clauses], r.decl.require])
        decl = r.decl
        for variant in builder.compile(r.id, r, None, decl.scope, decl.clauses, decl.require):
            variant.stratum = 1 + max((strata[n] for n in used), default=-1)
            variants.append(variant)
    for variant in variants:
        variant.closures = builder.closures  # type: ignore[attr-defined]
    ruleset.variants = variants
    return ruleset


GROUP_NAMES = {"count": ty.NUMBER, "total": ty.NUMBER, "ids": ty.TEXT}


def _check_group(d: ast.RuleDecl, resolver: Resolver, values: dict[str, Any], err: Any) -> None:
    """A group message speaks of the plan, never of one entity: it may use {count},
    {total}, {ids}, parameters and the plan's attributes (``{t.plan.level}``)."""
    what = _("rule {id}: group", id=d.id)
    if d.scope.kind == "plan":
        err(d.group.pos, _("{what}: a rule for each plan finds one finding per plan; only "
                           "rules about objectives, solutions, targets or consultations are "
                           "grouped", what=what))
        return
    names = {**GROUP_NAMES, **resolver.param_names(), d.scope.var: ty.entity(d.scope.kind)}
    resolver.check_texts(d.group, what, d.pos, names)
    for _lang, text in d.group.values:
        for match in _GROUP_REF.finditer(text):
            parts = match.group(1).strip().split(".")
            if parts[0] == d.scope.var and parts[1:2] != ["plan"]:
                err(d.group.pos, _("{what}: {{{ref}}} names one {kind}; a group message may "
                                   "read only its plan ({{{var}.plan...}}), {{count}}, "
                                   "{{total}}, {{ids}} and parameters", what=what,
                                   ref=match.group(1), kind=KindName(d.scope.kind),
                                   var=d.scope.var))


_GROUP_REF = re.compile(r"\{([^{}]*)\}")


def parse_layers(stack: list[Any]) -> Parsed:
    """Parse each layer's files (with their imports); also the layer of each file."""
    files: list[ast.RuleFile] = []
    texts: dict[str, str] = {}
    origin: dict[str, Any] = {}
    problems: list[Problem] = []
    # imports stay inside the packs and the folders of the files given
    roots: set[Path] = set()
    for layer in stack:
        roots.update([layer.pack.folder] if layer.pack else [f.parent for f in layer.files])
    for layer in stack:
        try:
            parsed, found = parse_files(layer.files, sorted(roots, key=str))
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        for rf in parsed:
            if rf.path not in origin:
                origin[rf.path] = layer
                files.append(rf)
        texts.update(found)
    if problems:
        raise InputError(problems)
    return files, texts, origin


def _inherits(layer: Any, other: Any) -> bool:
    """True when ``layer``'s pack extends (directly or not) the pack of ``other``."""
    return bool(layer and other and layer.pack and other.pack
                and layer.pack.inherits_from(other.pack))


def _concepts_used(exprs: list[ast.Expr]) -> set[str]:
    return {n.concept for e in exprs for n in walk(e) if isinstance(n, ast.Is)
            and n.test == "concept"}


def _strata(concepts: dict[str, ast.ConceptDecl], err: Any) -> dict[str, int]:
    """Stratum of each concept: one more than the concepts it uses; cycles are errors."""
    strata: dict[str, int] = {}
    visiting: list[str] = []

    def visit(name: str) -> int:
        if name in strata:
            return strata[name]
        if name in visiting:
            cycle = " -> ".join([*visiting[visiting.index(name):], name])
            err(concepts[name].pos, _("concepts depend on each other in a cycle: {cycle}",
                                      cycle=cycle))
            return 0
        visiting.append(name)
        used = _concepts_used([c.expr for c in concepts[name].clauses])
        level = 1 + max((visit(u) for u in used if u in concepts), default=-1)
        visiting.pop()
        strata[name] = level
        return level

    for name in concepts:
        visit(name)
    return strata
