"""``plancheck rules lint``: mistakes a rule set can carry while still loading.

The lint looks at the rules of the packs (or plain rule files) named on the command line,
in the context of the whole effective rule set (what they extend):

- ``duplicate-id``: a rule, concept or parameter declared twice;
- ``missing-language``: a title, message, rationale or parameter doc without vi or en;
- ``unknown-tag``: a tag outside the vocabulary the packs declare (``tags:`` in pack.yaml);
- ``placeholder``: a ``TODO`` text or tag left from ``plancheck rules new``;
- ``shadowed-rule``: a rule with an inherited id, not listed under ``overrides:``;
- ``needless-override``: an ``overrides:`` entry that replaces no inherited rule;
- ``unused-param``: a parameter no enabled rule or concept uses (also one pack.yaml sets);
- ``same-conditions``: two rules about the same kind of entity with the same conditions;
- ``constant-condition``: a ``where`` or ``require`` whose truth the types decide
  (``count(...) is missing`` is never true, ``t.id is present`` always);
- ``impossible-condition``: conditions that can never hold together (``x > 5 and x < 3``),
  a requirement that can never hold, or a rule that can never fire.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from validator.authoring.satisfiable import contradiction, negation
from validator.core.errors import Problem, caret_excerpt
from validator.core.hints import did_you_mean
from validator.core.i18n import Message, _
from validator.findings.grouping import GROUP_PARAM
from validator.rulelang import ast
from validator.rulelang.build import build_ruleset, parse_layers
from validator.rulelang.packs import layers
from validator.rulelang.ruleset import DEFAULT_PACK
from validator.rulelang.unparse import show
from validator.rulelang.variants import conjuncts, walk

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# what a declaration is, and the parts of a rule or concept a text belongs to (the rule
# language's keywords, named in the reader's language)
_KINDS = {"rule": _("rule"), "concept": _("concept"), "parameter": _("parameter")}
_PARTS = {"title": _("title"), "message": _("message"), "rationale": _("rationale")}
_ATOMS = (ast.Name, ast.Attr, ast.Index, ast.Call, ast.Literal, ast.ListExpr, ast.Aggregate)


@dataclass(frozen=True)
class LintFinding:
    code: str
    problem: Problem

    def __str__(self) -> str:
        return self.render("en")

    def render(self, lang: str) -> str:
        p = self.problem
        text = f"{p.location()}: {self.code}: {p.text(lang)}"
        return text + ("\n" + p.excerpt if p.excerpt else "")

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {"code": self.code, **self.problem.to_dict(lang)}

    def sort_key(self) -> tuple[Any, ...]:
        p = self.problem
        return (p.file, p.line or 0, p.column or 0, self.code, p.text())


class Linter:
    """Collects lint findings over parsed rule files and, when it loads, the rule set."""

    def __init__(self, paths: list[str]) -> None:
        self.paths = paths or [DEFAULT_PACK]
        self.stack = layers(self.paths)
        self.files, self.texts, self.origin = parse_layers(self.stack)
        self.found: list[LintFinding] = []
        self.fatal = False  # a finding the rule set cannot load with (it is not built)

    # --- helpers -----------------------------------------------------------------------
    def own(self, rf: ast.RuleFile) -> bool:
        layer = self.origin.get(rf.path)
        return layer is not None and layer.top

    def add(self, code: str, pos: ast.Pos, message: Message) -> None:
        excerpt = caret_excerpt(self.texts.get(pos.file, ""), pos.line, pos.column) or None
        self.found.append(LintFinding(code, Problem(pos.file, message, line=pos.line,
                                                    column=pos.column, excerpt=excerpt)))

    def keyword_pos(self, decl: ast.RuleDecl, keyword: str) -> ast.Pos:
        """Where a rule's line starting with ``keyword`` is (else the rule itself)."""
        lines = self.texts.get(decl.pos.file, "").splitlines()
        for number in range(decl.pos.line, decl.pos.line + len(decl.text.splitlines())):
            if number <= len(lines) and lines[number - 1].strip().startswith(keyword + " "):
                line = lines[number - 1]
                return ast.Pos(decl.pos.file, number, len(line) - len(line.lstrip()) + 1)
        return decl.pos

    # --- checks on the parsed files ----------------------------------------------------
    def declarations(self) -> None:
        """Duplicate ids, shadowed rules, needless overrides."""
        seen: dict[tuple[str, str], tuple[ast.Pos, Any]] = {}
        shadowing: set[tuple[int, str]] = set()  # (id of the layer, rule id)
        for rf in self.files:
            layer = self.origin.get(rf.path)
            items = ([("rule", r.id, r.pos) for r in rf.rules]
                     + [("concept", c.name, c.pos) for c in rf.concepts]
                     + [("parameter", p.name, p.pos) for p in rf.params])
            for kind, name, pos in items:
                first = seen.get((kind, name))
                if first is None:
                    seen[(kind, name)] = (pos, layer)
                    continue
                first_pos, first_layer = first
                inherited = (kind == "rule" and layer and first_layer and layer.pack
                             and first_layer.pack and layer.pack.inherits_from(first_layer.pack))
                if inherited:
                    seen[(kind, name)] = (pos, layer)
                    shadowing.add((id(layer), name))
                    if layer.top and name not in layer.pack.overrides:
                        self.add("shadowed-rule", pos, _(
                            "rule {rule} replaces the rule of pack {pack} ({file}:{line}); "
                            "list it under 'overrides' in {pack_file} if that is meant",
                            rule=name, pack=first_layer.pack.name, file=first_pos.file,
                            line=first_pos.line, pack_file=layer.pack.file))
                elif self.own(rf) or (first_layer is not None and first_layer.top):
                    self.fatal = True
                    self.add("duplicate-id", pos, _(
                        "{kind} {name} is already declared at {file}:{line}",
                        kind=_KINDS[kind], name=name, file=first_pos.file, line=first_pos.line))
        for layer in self.stack:
            if layer.top and layer.pack is not None:
                for i, rule_id in enumerate(layer.pack.overrides):
                    if (id(layer), rule_id) not in shadowing:
                        self.add_pack(layer.pack, ("overrides", i), "needless-override", _(
                            "{rule} is listed under 'overrides' but this pack does not "
                            "redefine an inherited rule of that id", rule=rule_id))

    def add_pack(self, pack: Any, path: tuple[str | int, ...], code: str,
                 message: Message) -> None:
        self.found.append(LintFinding(code, pack.problem(path, message)))

    def texts_of(self) -> None:
        """Missing languages and placeholders in the own files' texts."""
        for rf in self.files:
            if not self.own(rf):
                continue
            for r in rf.rules:
                for what, texts in (("title", r.title), ("message", r.message),
                                    ("rationale", r.rationale)):
                    self.languages(_("rule {rule}: {part}", rule=r.id, part=_PARTS[what]),
                                   texts, r.pos, required=what != "rationale")
                self.placeholders(r)
            for c in rf.concepts:
                for what, texts in (("title", c.title), ("rationale", c.rationale)):
                    self.languages(_("concept {concept}: {part}", concept=c.name,
                                     part=_PARTS[what]), texts, c.pos, required=False)
            for p in rf.params:
                self.languages(_("parameter {param}: doc", param=p.name), p.doc, p.pos,
                               required=False)

    def languages(self, what: Message, texts: ast.Texts | None, pos: ast.Pos,
                  required: bool) -> None:
        self.fatal = self.fatal or required and (texts is None or {
            lang for lang, text in texts.values if text.strip()} < {"vi", "en"})
        if texts is None:
            if required:
                self.add("missing-language", pos, _(
                    "{what} is missing; give it in Vietnamese and English", what=what))
            return
        given = {lang: text for lang, text in texts.values if text.strip()}
        for lang, message in (("vi", _("{what} has no Vietnamese text ({code})", what=what,
                                       code='vi "..."')),
                              ("en", _("{what} has no English text ({code})", what=what,
                                       code='en "..."'))):
            if lang not in given:
                self.add("missing-language", texts.pos, message)

    def placeholders(self, r: ast.RuleDecl) -> None:
        texts = [t for x in (r.title, r.message, r.rationale) if x for _, t in x.values]
        if "todo" in r.tags or any("TODO" in t for t in [*texts, r.source or ""]):
            self.add("placeholder", r.pos, _(
                "rule {rule} still has TODO placeholders from 'plancheck rules new'; fill "
                "them in", rule=r.id))

    def tags(self) -> None:
        vocabulary = {t for layer in self.stack if layer.pack for t in layer.pack.tags}
        if not vocabulary:
            return
        for rf in self.files:
            if not self.own(rf):
                continue
            for r in rf.rules:
                for tag in r.tags:
                    if tag not in vocabulary and tag != "todo":
                        hint = did_you_mean(tag, vocabulary)
                        self.add("unknown-tag", self.keyword_pos(r, "tags"), _(
                            "rule {rule}: unknown tag {tag}{hint} (add it under 'tags' in "
                            "pack.yaml if it is new)", rule=r.id, tag=repr(tag), hint=hint))

    # --- checks on the loaded rule set -------------------------------------------------
    def unused_params(self, ruleset: Any) -> None:
        used: set[str] = set()
        decls = [(r.decl.clauses, r.decl.require,
                  [r.decl.message, *([r.decl.group] if r.decl.group else [])])
                 for r in ruleset.rules]
        if any(r.decl.group for r in ruleset.rules):
            used.add(GROUP_PARAM)  # the threshold of the rules that group their findings
        decls += [(c.clauses, None, [c.title] if c.title else [])
                  for c in ruleset.concepts.values()]
        for clauses, require, texts in decls:
            exprs = [c.expr for c in clauses] + ([require] if require is not None else [])
            used |= {n.name for e in exprs for n in walk(e) if isinstance(n, ast.Name)}
            used |= {m.group(1).strip().split(".")[0] for t in texts
                     for _, text in t.values for m in _PLACEHOLDER.finditer(text)}
        for rf in self.files:
            if self.own(rf):
                for p in rf.params:
                    if p.name not in used:
                        self.add("unused-param", p.pos, _(
                            "parameter {param} is used by no enabled rule or concept",
                            param=p.name))
        for layer in self.stack:
            if layer.top and layer.pack is not None:
                for name in layer.pack.params:
                    if name not in used:
                        self.add_pack(layer.pack, ("params", name), "unused-param", _(
                            "sets parameter {param}, which no enabled rule or concept uses",
                            param=name))

    def same_conditions(self, ruleset: Any) -> None:
        first: dict[tuple[Any, ...], Any] = {}
        for rule in ruleset.rules:
            key = signature(rule.decl)
            other = first.setdefault(key, rule)
            if other is rule:
                continue
            layer = self.origin.get(rule.file)
            if layer is not None and layer.top:
                at = other.decl.pos
                self.add("same-conditions", rule.decl.pos, _(
                    "rule {rule} has the same conditions as rule {other} ({file}:{line}); "
                    "merge them or tell them apart", rule=rule.id, other=other.id,
                    file=at.file, line=at.line))

    def impossible(self, ruleset: Any) -> None:
        params = ruleset.values
        for rule in ruleset.rules:
            layer = self.origin.get(rule.file)
            if layer is None or not layer.top:
                continue
            self.rule_conditions(rule.decl, params)
        for concept in ruleset.concepts.values():
            layer = self.origin.get(concept.pos.file)
            if layer is not None and layer.top:
                where = [p for c in concept.clauses if isinstance(c, ast.Where)
                         for p in conjuncts(c.expr)]
                self.never(where, params, concept.pos, _(
                    "concept {concept}: its where conditions can never all hold",
                    concept=concept.name))

    def constant(self, ruleset: Any) -> None:
        for problem in ruleset.type_notes:
            layer = self.origin.get(problem.file)
            if layer is not None and layer.top:
                self.found.append(LintFinding("constant-condition", problem))

    def never(self, parts: list[ast.Expr], params: dict[str, Any], pos: ast.Pos,
              what: Message) -> bool:
        why = contradiction(parts, params) if parts else None
        if why:  # the conditions that clash, as the rule writes them
            self.add("impossible-condition", pos, _("{what}: {why}", what=what,
                                                    why=" and ".join(why)))
        return bool(why)

    def rule_conditions(self, decl: ast.RuleDecl, params: dict[str, Any]) -> None:
        where = [p for c in decl.clauses if isinstance(c, ast.Where) for p in conjuncts(c.expr)]
        require = conjuncts(decl.require)
        if self.never(where, params, decl.pos, _(
                "rule {rule} never applies; its where conditions can never all hold",
                rule=decl.id)):
            return
        if self.never(require, params, decl.pos, _(
                "rule {rule}: the requirement can never hold, so every entity it applies to "
                "is reported", rule=decl.id)):
            return
        negated = [negation(part) for part in require]
        if where and all(n is not None for n in negated) and all(
                contradiction([*where, n], params) for n in negated):  # type: ignore[list-item]
            self.add("impossible-condition", decl.pos, _(
                "rule {rule} can never fire: whenever {where} holds, so does {require}",
                rule=decl.id, where=" and ".join(map(show, where)),
                require=show(decl.require)))
            return
        for node in [*where, *require]:  # an 'and' nested in an 'or' or a quantifier
            for sub in walk(node):
                if isinstance(sub, ast.BoolOp) and sub.op == "and" and sub is not node:
                    self.never(list(sub.items), params, sub.pos, _(
                        "rule {rule}: this condition can never hold", rule=decl.id))


def signature(decl: ast.RuleDecl) -> tuple[Any, ...]:
    """A rule's conditions with its variable and ``let`` names replaced, order-free."""
    lets = {c.name: c.expr for c in decl.clauses if isinstance(c, ast.Let)}

    def rename(name: str) -> str | None:
        if name == decl.scope.var:
            return "$"
        if name in lets:
            text = show(lets[name], rename)
            return text if isinstance(lets[name], _ATOMS) else f"({text})"
        return None

    where = sorted(show(p, rename) for c in decl.clauses if isinstance(c, ast.Where)
                   for p in conjuncts(c.expr))
    require = sorted(show(p, rename) for p in conjuncts(decl.require))
    return (decl.scope.kind, tuple(where), tuple(require))


def lint(paths: list[str] | tuple[str, ...]) -> list[LintFinding]:
    """Lint the packs or rule files at ``paths``; InputError when they cannot be read."""
    linter = Linter(list(paths))
    linter.declarations()
    linter.texts_of()
    linter.tags()
    if not linter.fatal:
        ruleset = build_ruleset(list(paths))
        linter.unused_params(ruleset)
        linter.same_conditions(ruleset)
        linter.impossible(ruleset)
        linter.constant(ruleset)
    return sorted(set(linter.found), key=LintFinding.sort_key)
