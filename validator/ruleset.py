"""Rule sets: load rule files (with imports), resolve them, compile them once, run them.

``load_ruleset(paths)`` takes rule files, folders of ``*.rules`` files, or the name of a
bundled pack (``mpi2013``); with no paths it loads the bundled ``mpi2013`` pack. A compiled
rule set is cached per process for the same files, contents and parameters.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from validator.errors import InputError, Problem, caret_excerpt
from validator.findings import Finding, Location, sort_findings
from validator.rulelang import ast
from validator.rulelang.builtins import format_value, is_number
from validator.rulelang.compiler import Unit, UnitCompiler, walk
from validator.rulelang.parser import parse_rules
from validator.rulelang.resolver import SEVERITIES, Resolver, literal_value

DEFAULT_PACK = "mpi2013"
RULE_SUFFIX = ".rules"
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass
class Param:
    name: str
    default: Any
    doc: ast.Texts | None
    file: str
    line: int


@dataclass
class Rule:
    """A rule's metadata and declaration."""

    id: str
    decl: ast.RuleDecl
    file: str
    pack: str = ""  # the pack whose files declare it ("" for plain rule files)
    severity_override: str | None = None  # set by a pack's ``severity:``
    shadows: Rule | None = None  # the inherited rule of the same id it replaces

    @property
    def severity(self) -> str:
        return self.severity_override or self.decl.severity or "warning"

    @property
    def title(self) -> ast.Texts:
        return self.decl.title  # type: ignore[return-value]

    @property
    def message(self) -> ast.Texts:
        return self.decl.message

    @property
    def tags(self) -> tuple[str, ...]:
        return self.decl.tags

    @property
    def source(self) -> str:
        return self.decl.source or ""

    @property
    def kind(self) -> str:
        return self.decl.scope.kind

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id, "severity": self.severity, "title": self.title.as_dict(),
            "source": self.source, "tags": list(self.tags), "entity": self.kind,
            "rationale": self.decl.rationale.as_dict() if self.decl.rationale else {},
            "file": self.file, "line": self.decl.pos.line, "text": self.decl.text,
            "pack": self.pack,
        }


@dataclass
class RuleSet:
    """Resolved and compiled rules, ready to run."""

    files: list[str]
    params: dict[str, Param]
    concepts: dict[str, ast.ConceptDecl]
    rules: list[Rule]
    values: dict[str, Any] = field(default_factory=dict)  # effective parameter values
    units: list[Unit] = field(default_factory=list)
    concept_sets: dict[str, set[int]] = field(default_factory=dict)
    packs: list[Any] = field(default_factory=list)  # validator.packs.Pack, ancestors first
    layers: list[Any] = field(default_factory=list)  # validator.packs.Layer
    disabled: list[Rule] = field(default_factory=list)  # rules a pack's ``disable:`` removed
    _runner: Any = None

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    @property
    def runner(self) -> Any:
        if self._runner is None:
            from validator.engine import Runner

            self._runner = Runner(self.units, self.values, self.concept_sets)
        return self._runner

    def evaluate(self, plans: list[Any]) -> list[Finding]:
        """Run the rules over plan views and return sorted findings."""
        from validator.sourcemap import paused_gc

        seen: set[tuple[str, str, str, str]] = set()
        findings = []
        with paused_gc():
            hits = self.runner.run(plans)
        for hit in hits:
            key = (hit.unit.name, *hit.view.key())
            if key in seen:
                continue
            seen.add(key)
            findings.append(self.finding(hit.unit, hit.view, hit.served))
        return sort_findings(findings)

    def finding(self, unit: Unit, view: Any, served: dict[str, Any]) -> Finding:
        rule: Rule = unit.rule
        env = unit.env_for(view, served, full=True)  # type: ignore[attr-defined]
        messages = {lang: render_template(text, env, lang)
                    for lang, text in rule.message.values}
        where = view.locate()
        from validator.errors import format_path

        path = format_path(view.path)
        location = Location(view.source.file, where[0] if where else None,
                            where[1] if where else None, path,
                            cell=_cell_of(view))
        objective = getattr(getattr(view, "objective", None), "id", None)
        if view.KIND == "objective":
            objective = view.id
        return Finding(rule=rule.id, severity=rule.severity, title=rule.title.as_dict(),
                       message=messages, entity_kind=view.KIND, entity=view.id,
                       plan=view.plan.id if view.KIND != "plan" else view.id,
                       objective=objective, location=location, source=rule.source,
                       tags=rule.tags, evidence=self.evidence(unit, env))

    def evidence(self, unit: Unit, env: dict[str, Any]) -> dict[str, Any]:
        """The values a rule looked at: its lets and the focus attributes it read."""
        decl = unit.rule.decl
        out: dict[str, Any] = {}
        for clause in decl.clauses:
            if isinstance(clause, ast.Let):
                out[clause.name] = jsonable(env.get(clause.name))
        closures = unit.closures  # type: ignore[attr-defined]
        for expr in [c.expr for c in decl.clauses if isinstance(c, ast.Where)] + [decl.require]:
            for node in walk(expr):
                if not isinstance(node, ast.Attr) or not _rooted_at(node, unit.var):
                    continue
                text = _dotted(node)
                value = closures(node)(env)
                if text in out or hasattr(value, "KIND") or (
                        isinstance(value, list) and value and hasattr(value[0], "KIND")):
                    continue  # entities and relations are not evidence; their attributes are
                out[text] = jsonable(value)
        return dict(sorted(out.items()))


def _cell_of(view: Any) -> str | None:
    """The workbook cell (``Đầu ra!D14``) of an entity loaded from .xlsx, else None."""
    find = getattr(view.source, "cell", None)
    return find(view.path) if find else None


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
    from validator.model import AtLeast, AtMost, LocalText, Range

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
    from validator.model import LocalText

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


# --- loading -------------------------------------------------------------------------------

def _expand(paths: tuple[str, ...] | list[str]) -> list[Path]:
    """The rule files of a rule set: each pack's chain (see validator/packs.py), folders of
    ``*.rules`` files, or files."""
    from validator.packs import layers

    return [f for layer in layers(list(paths) or [DEFAULT_PACK]) for f in layer.files]


MAX_RULE_FILE_BYTES = 1024 * 1024  # the bundled pack's largest file is about 35 KB


def _read(path: Path) -> str:
    from validator.loader import read_text

    return read_text(path, MAX_RULE_FILE_BYTES, "rule files")


def parse_files(paths: list[Path]) -> tuple[list[ast.RuleFile], dict[str, str]]:
    """Parse files and, transitively, their imports (each file once)."""
    parsed: list[ast.RuleFile] = []
    texts: dict[str, str] = {}
    seen: set[Path] = set()
    queue = [(p, None) for p in paths]
    problems: list[Problem] = []
    while queue:
        path, importer = queue.pop(0)
        resolved = path.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        if importer is not None and not path.is_file():
            file, pos = importer
            problems.append(Problem(file, f"imported file {str(path)!r} does not exist"
                                    " or is not a file",
                                    line=pos.line, column=pos.column,
                                    excerpt=caret_excerpt(texts[file], pos.line, pos.column)))
            continue
        text = _read(path)
        texts[str(path)] = text
        try:
            rule_file = _parse_cached(text, str(path))
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        parsed.append(rule_file)
        for imp in rule_file.imports:
            queue.append((path.parent / imp.path, (str(path), imp.pos)))
    if problems:
        raise InputError(problems)
    return parsed, texts


_PARSED: dict[tuple[str, str], ast.RuleFile] = {}


def _parse_cached(text: str, file: str) -> ast.RuleFile:
    """Parse a rule file, reusing the AST of the same file and text (ASTs are immutable)."""
    found = _PARSED.get((file, text))
    if found is None:
        if len(_PARSED) >= 256:
            _PARSED.pop(next(iter(_PARSED)))
        found = _PARSED[(file, text)] = parse_rules(text, file)
    return found


def parse_param_value(name: str, raw: str, default: Any) -> Any:
    """A command-line or config value, read as the type of the parameter's default."""
    text = raw.strip()
    if isinstance(default, bool):
        if text.lower() in ("true", "yes", "1"):
            return True
        if text.lower() in ("false", "no", "0"):
            return False
        raise InputError.single("--param", f"{name} expects true or false, got {raw!r}")
    if is_number(default):
        try:
            return int(text) if re.fullmatch(r"-?\d+", text) else float(text)
        except ValueError:
            raise InputError.single("--param", f"{name} expects a number, got {raw!r}") from None
    if isinstance(default, list):
        if text.startswith("["):
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                raise InputError.single("--param", f"{name}: invalid list: {exc.msg}") from None
            if not isinstance(value, list):
                raise InputError.single("--param", f"{name} expects a list")
            return value
        return [item.strip() for item in text.split(",") if item.strip()]
    return raw


def check_param_type(name: str, value: Any, default: Any) -> Any:
    """A typed value (from a config file or a case) must match its default's type."""
    def kind(v: Any) -> str:
        if isinstance(v, bool):
            return "true or false"
        if is_number(v):
            return "a number"
        return "a list" if isinstance(v, list) else "a text"
    if kind(value) != kind(default):
        raise InputError.single("params", f"parameter {name} expects {kind(default)}, got "
                                f"{value!r}")
    return value


def build_ruleset(paths: tuple[str, ...] | list[str],
                  overrides: dict[str, Any] | None = None) -> RuleSet:
    """Parse, resolve and compile a rule set (no caching).

    Packs are applied in layers (validator/packs.py): a pack's rule of an inherited id
    replaces the inherited rule, then each pack's params, severities and disabled rules.
    """
    from validator.packs import apply_settings, layers

    stack = layers(list(paths) or [DEFAULT_PACK])
    files, texts, origin = _parse_layers(stack)
    problems: list[Problem] = []
    params: dict[str, Param] = {}
    concepts: dict[str, ast.ConceptDecl] = {}
    rules: dict[str, Rule] = {}

    def err(pos: ast.Pos, message: str) -> None:
        problems.append(Problem(pos.file, message, line=pos.line, column=pos.column,
                                excerpt=caret_excerpt(texts.get(pos.file, ""), pos.line,
                                                      pos.column) or None))

    for rf in files:
        for p in rf.params:
            ok, value = literal_value(p.default)
            if not ok:
                err(p.pos, f"parameter {p.name!r}: a default must be a number, text, true/false "
                           "or a list of them")
            if p.name in params:
                first = params[p.name]
                err(p.pos, f"parameter {p.name!r} is already declared at {first.file}:{first.line}")
            params[p.name] = Param(p.name, value, p.doc, rf.path, p.pos.line)
        for c in rf.concepts:
            if c.name in concepts:
                first = concepts[c.name]
                err(c.pos, f"concept {c.name!r} is already declared at "
                           f"{first.pos.file}:{first.pos.line}")
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
                err(r.pos, f"rule {r.id} is already declared at {first.decl.pos.file}:"
                           f"{first.decl.pos.line}")
            rules[r.id] = rule

    values = {name: p.default for name, p in params.items()}
    packs = [layer.pack for layer in stack if layer.pack is not None]
    disabled, pack_problems = apply_settings(packs, rules, params, values)
    if pack_problems:
        raise InputError(pack_problems)
    for name, raw in (overrides or {}).items():
        if name not in params:
            from validator.rulelang.resolver import suggest

            raise InputError.single("--param", f"unknown parameter {name!r}"
                                    f"{suggest(name, set(params))}")
        values[name] = parse_param_value(name, raw, params[name].default) if isinstance(
            raw, str) and not isinstance(params[name].default, str) else check_param_type(
            name, raw, params[name].default)

    resolver = Resolver(texts, values, {c.name: c.scope.kind for c in concepts.values()})
    for c in concepts.values():
        names = resolver.scope(c.scope)
        resolver.clauses(c.clauses, names)
        resolver.check_texts(c.title, f"concept {c.name}: title", c.pos) if c.title else None
    for r in rules.values():
        d = r.decl
        names = resolver.scope(d.scope)
        names = resolver.clauses(d.clauses, names)
        resolver.condition(d.require, names)
        if d.severity is None:
            err(d.pos, f"rule {d.id} has no severity (severity error|warning|info)")
        if d.severity is not None and d.severity not in SEVERITIES:
            err(d.pos, f"unknown severity {d.severity!r}")
        resolver.check_texts(d.title, f"rule {d.id}: title", d.pos)
        template_names = {**names, **{p: "param" for p in values}}
        resolver.check_texts(d.message, f"rule {d.id}: message", d.pos, template_names)
    problems.extend(resolver.problems)
    strata = _strata(concepts, err)
    if problems:
        problems.sort(key=lambda p: (p.file, p.line or 0, p.column or 0))
        raise InputError(problems)

    ruleset = RuleSet([rf.path for rf in files], params, concepts,
                      [r for r in rules.values() if r.id not in disabled], values, packs=packs,
                      layers=stack, disabled=[r for r in rules.values() if r.id in disabled])
    compiler = UnitCompiler(resolver.types, values, ruleset.concept_sets)
    units: list[Unit] = []
    for name, c in concepts.items():
        for unit in compiler.compile(f"concept:{name}", None, name, c.scope, c.clauses, None):
            unit.stratum = strata[name]
            units.append(unit)
    for r in ruleset.rules:
        used = _concepts_used([*[c.expr for c in r.decl.clauses], r.decl.require])
        for unit in compiler.compile(r.id, r, None, r.decl.scope, r.decl.clauses, r.decl.require):
            unit.stratum = 1 + max((strata[n] for n in used), default=-1)
            units.append(unit)
    for unit in units:
        unit.closures = compiler.closures  # type: ignore[attr-defined]
    ruleset.units = units
    return ruleset


def _parse_layers(stack: list[Any]) -> tuple[list[ast.RuleFile], dict[str, str], dict[str, Any]]:
    """Parse each layer's files (with their imports); also the layer of each file."""
    files: list[ast.RuleFile] = []
    texts: dict[str, str] = {}
    origin: dict[str, Any] = {}
    problems: list[Problem] = []
    for layer in stack:
        try:
            parsed, found = parse_files(layer.files)
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
            err(concepts[name].pos, f"concepts depend on each other in a cycle: {cycle}")
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


def _fingerprint(paths: tuple[str, ...]) -> str:
    from validator.packs import layers

    digest = hashlib.sha256()
    stack = layers(list(paths) or [DEFAULT_PACK])
    pack_files = [layer.pack.file for layer in stack if layer.pack is not None]
    for path in pack_files + [f for layer in stack for f in layer.files]:
        digest.update(str(path.resolve()).encode())
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()


_CACHE: dict[tuple[str, tuple[str, ...], str], RuleSet] = {}


def load_ruleset(paths: tuple[str, ...] | list[str] = (),
                 overrides: dict[str, Any] | None = None) -> RuleSet:
    """A compiled rule set, cached per process for the same files, contents and params.

    Imported files are not part of the cache key; edit the importing file or use
    :func:`build_ruleset` when imports change during one process.
    """
    key = (_fingerprint(tuple(paths)), tuple(paths),
           json.dumps(overrides or {}, sort_keys=True, default=str))
    found = _CACHE.get(key)
    if found is None:
        if len(_CACHE) >= 16:
            _CACHE.pop(next(iter(_CACHE)))
        found = _CACHE[key] = build_ruleset(paths, overrides)
    return found
