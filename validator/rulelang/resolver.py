"""Name resolution and type checks: every name, attribute, function, concept and code used by
a rule file must exist, and every operator and built-in must get the types it works on, with
a located error (and the nearest known names, or what was meant) when it does not.

Each expression gets a static type (:mod:`validator.rulelang.types`): the compiler reads
the light form (``entities:target`` for a relation, ``entity:plan``, ``number``, …) to tell
engine-level quantifiers from value-level ones, and the lint reads the conditions whose
truth the types decide (``notes``). An expression that is already wrong gets the type
``any``, which fits everywhere, so each mistake is reported once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from validator.core.errors import Problem, caret_excerpt
from validator.core.hints import did_you_mean
from validator.core.i18n import LANGS, Message, _
from validator.plan.ontology import SCHEMES, canonical_code, codes
from validator.rulelang import ast
from validator.rulelang import types as ty
from validator.rulelang.builtins import BUILTINS
from validator.rulelang.evaluate import AGGREGATES
from validator.rulelang.matching import PATTERN_SITES, pattern_problem
from validator.rulelang.schema import KINDS, KindName
from validator.rulelang.types import Type
from validator.rulelang.unparse import show

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_UNIT_ATTRS = frozenset({"unit", "budget_unit"})

Names = dict[str, Type]


@dataclass
class Types:
    """Inferred types by expression node identity."""

    of: dict[int, Type] = field(default_factory=dict)

    def get(self, node: ast.Expr) -> str:
        """The light type the compiler reads (``entities:target``, ``number``, ``any``)."""
        found = self.of.get(id(node))
        return found.legacy() if found is not None else "any"

    def type_of(self, node: ast.Expr) -> Type:
        return self.of.get(id(node), ty.ANY)


def suggest(names: list[str]) -> Message | str:
    """``; did you mean 'a'?`` in the reader's language (empty when nothing is close)."""
    if not names:
        return ""
    return _("; did you mean {names}?", names=" / ".join(names))


class Resolver:
    """Checks declarations against the schema, the built-ins, params and concepts."""

    def __init__(self, texts: dict[str, str], params: dict[str, Any],
                 concepts: dict[str, str]) -> None:
        self.texts = texts  # file -> text, for caret excerpts
        self.params = params  # name -> default value (python)
        self.concepts = concepts  # concept name -> entity kind
        self.types = Types()
        self.problems: list[Problem] = []
        self.rows: set[int] = set()  # list literals that are rows of a table
        self.notes: list[Problem] = []  # conditions the types decide (rules lint reports them)
        self.bound_in_quantifiers: set[str] = set()
        self.patterns: dict[str, Problem] = {}  # the rules' patterns, each where first used

    # --- reporting -------------------------------------------------------------------
    def error(self, pos: ast.Pos, message: str | Message) -> None:
        text = self.texts.get(pos.file, "")
        problem = Problem(pos.file, message, line=pos.line, column=pos.column,
                          excerpt=caret_excerpt(text, pos.line, pos.column) or None)
        if problem not in self.problems:  # one root cause, one error (vi and en texts)
            self.problems.append(problem)

    # --- declarations -----------------------------------------------------------------
    def check_texts(self, texts: ast.Texts | None, what: str, pos: ast.Pos,
                    names: Names | None = None) -> None:
        if texts is None:
            self.error(pos, _('{what} is missing; give it in Vietnamese and English '
                              '(vi "..." en "...")', what=what))
            return
        seen = [lang for lang, _text in texts.values]
        for lang in set(seen):
            if seen.count(lang) > 1:
                self.error(texts.pos, _("{what} gives {lang} twice", what=what,
                                        lang=repr(lang)))
        for lang in LANGS:
            if lang not in seen:
                self.error(texts.pos, (_('{what} has no Vietnamese text (vi "...")', what=what)
                                       if lang == "vi" else _(
                                           '{what} has no English text (en "...")', what=what)))
        if names is None:
            return
        for _lang, value in texts.values:
            for match in _PLACEHOLDER.finditer(value):
                ref = match.group(1).strip().removesuffix("!raw")  # the value as written
                self.check_placeholder(ref.strip(), names, texts.pos, what)

    def check_placeholder(self, ref: str, names: Names, pos: ast.Pos, what: str) -> None:
        parts = ref.split(".")
        if not ref or not all(re.fullmatch(r"[a-z_][a-z0-9_]*", p) for p in parts):
            self.error(pos, _("{what}: {{{ref}}} is not a name or a dotted path like "
                              "{{t.unit}}", what=what, ref=ref))
            return
        if parts[0] not in names:
            self.error(pos, _("{what}: unknown name {name} in {{{ref}}}{hint}", what=what,
                              name=repr(parts[0]), ref=ref,
                              hint=did_you_mean(parts[0], set(names), 3)))
            return
        type_ = names[parts[0]]
        for part in parts[1:]:
            if type_.kind == "any":  # already reported where it was defined
                return
            if type_.kind != "entity":
                self.error(pos, _("{what}: {{{ref}}}: {type} has no attribute {name}",
                                  what=what, ref=ref, type=type_.describe(), name=repr(part)))
                return
            attr = KINDS[type_.arg].get(part)
            if attr is None:
                self.error(pos, _("{what}: unknown attribute {name} of {kind}{hint}",
                                  what=what, name=repr(part), kind=KindName(type_.arg),
                                  hint=did_you_mean(part, set(KINDS[type_.arg]), 3)))
                return
            type_ = ty.attribute_type(type_.arg, part, attr.type)

    def param_names(self) -> Names:
        """Each parameter's type (computed once: every rule's message template reads them,
        and typing a long word list is not free; do not modify the result)."""
        found = getattr(self, "_param_names", None)
        if found is None:
            found = self._param_names = {name: ty.constant_type(value)
                                         for name, value in self.params.items()}
        return found

    def scope(self, scope: ast.Scope) -> Names:
        if scope.kind not in KINDS:
            self.error(scope.pos, _("unknown entity kind {kind}{hint}; expected one of {kinds}",
                                    kind=repr(scope.kind),
                                    hint=did_you_mean(scope.kind, set(KINDS), 3),
                                    kinds=", ".join(KINDS)))
            return {scope.var: ty.ANY}
        if scope.var in self.params:
            self.error(scope.pos, _("{name} is a parameter; choose another variable name",
                                    name=repr(scope.var)))
        return {scope.var: ty.entity(scope.kind, maybe=False)}

    def clauses(self, clauses: tuple[ast.Clause, ...], names: Names) -> Names:
        names = dict(names)
        for clause in clauses:
            if isinstance(clause, ast.Let):
                if clause.name in names or clause.name in self.params:
                    self.error(clause.pos, _("{name} is already defined",
                                             name=repr(clause.name)))
                names[clause.name] = self.expr(clause.expr, names)
            else:
                self.condition(clause.expr, names)
        return names

    def condition(self, expr: ast.Expr, names: Names) -> None:
        type_ = self.expr(expr, names)
        if type_.kind not in ("bool", "any"):
            self.error(start(expr), _("expected a condition (true or false), got {type} ({expr})",
                                   type=type_.describe(), expr=show(expr)))

    def truth(self, node: ast.Expr) -> bool | None:
        """The value a condition has whatever the data, for type reasons alone (``x is
        missing`` of something that is never missing is false), or None."""
        if isinstance(node, ast.Literal) and isinstance(node.value, bool):
            return node.value
        if isinstance(node, ast.Is) and node.test in ("missing", "present"):
            value = self.types.of.get(id(node.value))
            if isinstance(node.value, ast.ListExpr):
                present = bool(node.value.items)
            elif isinstance(node.value, ast.Literal):
                present = node.value.value != ""
            elif value is None or value.maybe or value.kind in ("any", "list", "series") or (
                    value.kind == "text" and not (isinstance(node.value, ast.Attr)
                                                  and node.value.name == "id")) or (
                    isinstance(node.value, ast.Name) and node.value.name in self.params):
                return None  # texts and lists can be empty; a parameter can be overridden
            else:
                present = True
            return (node.test == "present" and present or node.test == "missing"
                    and not present) != node.negated
        if isinstance(node, ast.Not):
            inner = self.truth(node.operand)
            return None if inner is None else not inner
        if isinstance(node, ast.BoolOp):
            values = [self.truth(item) for item in node.items]
            decisive = node.op == "or"  # True decides an 'or', False an 'and'
            if decisive in values:
                return decisive
            return (not decisive) if all(v is not None for v in values) else None
        return None

    def constant_conditions(self, what: str, clauses: tuple[ast.Clause, ...],
                            require: ast.Expr | None) -> None:
        """Notes (for the lint) on a ``where`` or ``require`` the types decide."""
        for clause in clauses:
            if isinstance(clause, ast.Where):
                value = self.truth(clause.expr)
                if value is not None:
                    self.note(clause.expr, _("{what}: this where condition is always {value} "
                                             "whatever the data ({expr})", what=what,
                                             value=_("true") if value else _("false"),
                                             expr=show(clause.expr)))
        exprs = [c.expr for c in clauses] + ([require] if require is not None else [])
        for node in (n for e in exprs for n in _walk(e)):
            if isinstance(node, ast.Quantifier | ast.Aggregate) and node.cond is not None:
                inner = self.truth(node.cond)
                if inner is not None:
                    self.note(node.cond, _("{what}: the condition of '{quantifier}' is always "
                                           "{value} whatever the data ({expr})", what=what,
                                           quantifier=getattr(node, "kind", "") or node.func,
                                           value=_("true") if inner else _("false"),
                                           expr=show(node.cond)))
        value = self.truth(require) if require is not None else None
        if value is not None:
            self.note(require, _("{what}: the requirement is always {value} whatever the "
                                 "data ({expr}), so the rule {outcome}", what=what,
                                 value=_("true") if value else _("false"),
                                 expr=show(require),  # type: ignore[arg-type]
                                 outcome=_("never fires") if value else _(
                                     "reports every entity it applies to")))

    def note(self, node: ast.Expr, message: Message) -> None:
        pos = start(node)
        text = self.texts.get(pos.file, "")
        self.notes.append(Problem(pos.file, message, line=pos.line, column=pos.column,
                                  excerpt=caret_excerpt(text, pos.line, pos.column) or None))

    # --- expressions ------------------------------------------------------------------
    def expr(self, node: ast.Expr, names: Names) -> Type:
        type_ = getattr(self, "_" + type(node).__name__)(node, names)
        self.types.of[id(node)] = type_
        return type_

    def _Literal(self, n: ast.Literal, names: Names) -> Type:
        return ty.constant_type(n.value)

    def _ListExpr(self, n: ast.ListExpr, names: Names) -> Type:
        """A list's items are of one kind (numbers or texts, …), except in a table's rows
        (``lookup([["%", 100], …], …)``)."""
        item = ty.ANY
        row = id(n) in self.rows
        self.rows.update(id(i) for i in n.items if isinstance(i, ast.ListExpr))
        for i, node in enumerate(n.items):
            t = self.expr(node, names)
            if i and not row and not ty.comparable(item, t):
                self.error(start(node), _("the items of a list are of one kind: {type} "
                                          "({expr}) among {items}", type=t.describe(),
                                          expr=show(node), items=item.plural()))
                return ty.ANY
            item = t if i == 0 else ty.join(item, t)
        if n.items and all(isinstance(i, ast.ListExpr) for i in n.items):
            self.check_columns(n.items)  # type: ignore[arg-type]
        return ty.list_of(item, maybe=False)

    def check_columns(self, rows: tuple[ast.ListExpr, ...]) -> None:
        """A table's rows may mix kinds, but each column keeps one (its keys, its values)."""
        columns: dict[int, Type] = {}
        for row in rows:
            for j, node in enumerate(row.items):
                t = self.types.type_of(node)
                first = columns.setdefault(j, t)
                if not ty.comparable(first, t):
                    self.error(start(node), _("the items of a list are of one kind: {type} "
                                              "({expr}) among {items}", type=t.describe(),
                                              expr=show(node), items=first.plural()))
                    return

    def _Name(self, n: ast.Name, names: Names) -> Type:
        if n.name in names:
            return names[n.name]
        if n.name in self.params:
            return ty.constant_type(self.params[n.name])
        if n.name in KINDS:
            self.error(n.pos, _("{name} is an entity kind, not a value; bind it with "
                                "'for each {kind} x' or a quantifier", name=repr(n.name),
                                kind=n.name))
        elif n.name in self.bound_in_quantifiers:
            self.error(n.pos, _("{name} is bound only inside its quantifier's condition, "
                                "which ends at the first 'and'/'or'; put a longer condition in "
                                "parentheses: where (a and b)", name=repr(n.name)))
        else:
            known = set(names) | set(self.params)
            self.error(n.pos, _("unknown name {name}{hint}", name=repr(n.name),
                                hint=did_you_mean(n.name, known, 3)))
        return ty.ANY

    def _Attr(self, n: ast.Attr, names: Names) -> Type:
        obj = self.expr(n.obj, names)
        if obj.kind == "any":  # an entity of unknown kind: still only the schema's attributes
            known = {name for attrs in KINDS.values() for name in attrs}
            if n.name not in known:
                self.error(n.pos, _("unknown attribute {name}{hint}", name=repr(n.name),
                                    hint=did_you_mean(n.name, known, 3)))
            return ty.ANY
        if obj.kind != "entity":
            self.error(n.pos, _("{type} ({expr}) has no attribute {name}", type=obj.describe(),
                                expr=show(n.obj), name=repr(n.name)))
            return ty.ANY
        attr = KINDS[obj.arg].get(n.name)
        if attr is None:
            self.error(n.pos, _("unknown attribute {name} of {kind}{hint}", name=repr(n.name),
                                kind=KindName(obj.arg),
                                hint=did_you_mean(n.name, set(KINDS[obj.arg]), 3)))
            return ty.ANY
        found = ty.attribute_type(obj.arg, n.name, attr.type)
        return found.missing_able(True) if obj.maybe and found.kind != "relation" else found

    def _Index(self, n: ast.Index, names: Names) -> Type:
        obj = self.expr(n.obj, names)
        key = self.expr(n.key, names)
        if obj.kind == "series":
            if not (ty.numeric(key) or "textual" in ty.domains(key)):
                self.mismatch(n.key, key, _("a year or a period as the key of a series"))
            return ty.VALUE
        if obj.kind == "list":
            if not ty.numeric(key):
                self.mismatch(n.key, key, _("a number as the position in a list"))
            return ty.item_type(obj).missing_able()
        if obj.kind != "any":
            self.error(start(n), _("{type} ({expr}) cannot be indexed; only series and lists can",
                                type=obj.describe(), expr=show(n.obj)))
        return ty.ANY

    def mismatch(self, node: ast.Expr, got: Type, expected: Message,
                 hint: Message | str = "") -> None:
        self.error(start(node), _("expected {expected}, got {type} ({expr}){hint}",
                               expected=expected, type=got.describe(), expr=show(node),
                               hint=hint or ""))

    def _Call(self, n: ast.Call, names: Names) -> Type:
        args = [self.expr(arg, names) for arg in n.args]
        fn = BUILTINS.get(n.func)
        if fn is None:
            self.error(n.pos, _("unknown function {name}{hint}", name=repr(n.func),
                                hint=did_you_mean(n.func, set(BUILTINS), 3)))
            return ty.ANY
        if not fn.min_args <= len(n.args) <= fn.max_args:
            wanted = str(fn.min_args) if fn.min_args == fn.max_args else \
                f"{fn.min_args}-{fn.max_args}"
            self.error(n.pos, _("{signature} takes {wanted} argument(s), got {n}",
                                signature=fn.signature, wanted=wanted, n=len(n.args)))
            return ty.ANY
        if n.func in ("matches", "count_matches") and len(n.args) == 2:
            self.check_pattern(n.args[1])
        if (n.func in ("known", "label", "canonical") and n.args
                and isinstance(n.args[0], ast.Literal) and n.args[0].value not in SCHEMES):
            self.error(n.args[0].pos, _("unknown scheme {scheme}{hint}",
                                        scheme=repr(n.args[0].value),
                                        hint=did_you_mean(str(n.args[0].value), set(SCHEMES),
                                                          3)))
        sig = fn.types
        bound: dict[str, Type] = {}
        ok = True
        for i, (node, arg) in enumerate(zip(n.args, args, strict=True)):
            param = sig.params[min(i, len(sig.params) - 1)]
            before = bound.get(param.arg) if param.kind == "var" else None
            if not ty.accepts(param, arg, bound):
                ok = False
                expected = param.describe() if before is None else _(
                    "{type} like the other arguments", type=before.describe())
                self.error(start(node), _("{name}() takes {expected} as argument {n}, got {type} "
                                       "({expr}){hint}; {signature}",
                                       name=n.func, expected=expected, n=i + 1,
                                       type=arg.describe(), expr=show(node),
                                       hint=_argument_hint(n.func, param, arg, node),
                                       signature=sig.describe(n.func)))
        if not ok:
            return ty.ANY
        result = ty.substitute(sig.result, bound)
        if n.func == "coalesce":
            return result.missing_able(all(a.maybe for a in args))
        return result.missing_able(result.maybe or any(a.maybe for a in args))

    def check_pattern(self, arg: ast.Expr) -> None:
        """A pattern is a constant (a text, or a text parameter) that builtins accept."""
        if isinstance(arg, ast.Literal) and isinstance(arg.value, str):
            pattern, what = arg.value, _("the pattern")
        elif isinstance(arg, ast.Name) and isinstance(self.params.get(arg.name), str):
            pattern, what = self.params[arg.name], _("parameter {name}", name=arg.name)
        else:
            self.error(arg.pos, _("a pattern must be a text in quotes or a text parameter, so "
                                  "that it can be checked before the rules run"))
            return
        problem = pattern_problem(pattern)
        if problem is not None:
            self.error(arg.pos, _("{what} {pattern}: {problem}", what=what,
                                  pattern=repr(pattern), problem=problem))
            return
        text = self.texts.get(arg.pos.file, "")
        site = PATTERN_SITES.setdefault(pattern, Problem(
            arg.pos.file, "", line=arg.pos.line, column=arg.pos.column,
            excerpt=caret_excerpt(text, arg.pos.line, arg.pos.column) or None))
        self.patterns.setdefault(pattern, site)

    def _element(self, coll: ast.Expr, names: Names, what: str) -> Type:
        type_ = self.expr(coll, names)
        if type_.kind in ("relation", "list", "series", "any"):
            return ty.item_type(type_)
        self.error(coll.pos, _("{what} needs a collection (a relation like o.targets, a list or "
                               "a series), got {type} ({expr})", what=what,
                               type=type_.describe(), expr=show(coll)))
        return ty.ANY

    def _bind(self, var: str, element: Type, names: Names, pos: ast.Pos) -> Names:
        self.bound_in_quantifiers.add(var)
        if var in names or var in self.params:
            self.error(pos, _("{name} is already defined; choose another name",
                              name=repr(var)))
        return {**names, var: element}

    def _Aggregate(self, n: ast.Aggregate, names: Names) -> Type:
        if n.func not in AGGREGATES:
            self.error(n.pos, _("{name} is not an aggregate; use one of {names}{hint}",
                                name=repr(n.func), names=", ".join(AGGREGATES),
                                hint=did_you_mean(n.func, set(AGGREGATES), 3)))
        if n.expr is None and n.func != "count":
            self.error(n.pos, _("write {func}(EXPR for {var} in ...) — only count takes "
                                "'{var} in ...' alone", func=n.func, var=n.var))
        inner = self._bind(n.var, self._element(n.coll, names, n.func), names, n.pos)
        if n.cond is not None:
            self.condition(n.cond, inner)
        value = self.expr(n.expr, inner) if n.expr is not None else ty.ANY
        if n.func == "collect":
            return ty.list_of(value, maybe=False)
        if n.func in ("sum", "min", "max", "mean") and n.expr is not None and not ty.numeric(
                value):
            self.mismatch(n.expr, value, _("a number to aggregate with {func}", func=n.func))
            return ty.ANY
        return ty.NUMBER.missing_able(n.func in ("min", "max", "mean"))

    def _Quantifier(self, n: ast.Quantifier, names: Names) -> Type:
        inner = self._bind(n.var, self._element(n.coll, names, n.kind), names, n.pos)
        if n.cond is not None:
            self.condition(n.cond, inner)
        if n.test is not None:
            self.condition(n.test, inner)
        return ty.BOOL.sure()

    def _BinOp(self, n: ast.BinOp, names: Names) -> Type:
        left, right = self.expr(n.left, names), self.expr(n.right, names)
        maybe = left.maybe or right.maybe or n.op == "/"
        if left.kind == "any" or right.kind == "any":
            return ty.ANY
        if n.op == "+" and left.kind in ("list", "relation") and right.kind in ("list",
                                                                                 "relation"):
            items = ty.item_type(left), ty.item_type(right)
            if not ty.comparable(*items):
                self.error(start(n.right), _("cannot join {type} ({expr}) to {other} "
                                             "({other_expr}): the items of a list are of one "
                                             "kind", type=right.describe(), expr=show(n.right),
                                             other=left.describe(), other_expr=show(n.left)))
                return ty.ANY
            return ty.join(left, right).missing_able(maybe)
        if n.op == "+" and left.kind in ("text", "code") and right.kind in ("text", "code"):
            return ty.TEXT.missing_able(maybe)
        if ty.numeric(left) and ty.numeric(right) and not (
                left.kind == "period" or right.kind == "period"):
            return ty.NUMBER.missing_able(maybe)
        bad, good = (n.left, left), (n.right, right)
        if ty.numeric(left) and left.kind != "period":  # the left side is fine
            bad, good = good, bad
        verb = {"+": _("add"), "-": _("subtract"), "*": _("multiply"), "/": _("divide")}[n.op]
        self.error(start(bad[0]), _("cannot {verb} {type} ({expr}) and {other} ({other_expr}): "
                                 "'{op}' works on numbers{lists}{hint}",
                                 verb=verb, type=bad[1].describe(), expr=show(bad[0]),
                                 other=good[1].describe(), other_expr=show(good[0]), op=n.op,
                                 lists=_(", and joins two lists or two texts") if n.op == "+"
                                 else "", hint=_number_hint(bad[0], bad[1])))
        return ty.ANY

    def _Neg(self, n: ast.Neg, names: Names) -> Type:
        operand = self.expr(n.operand, names)
        if not ty.numeric(operand):
            self.mismatch(n.operand, operand, _("a number after '-'"))
            return ty.ANY
        return ty.NUMBER.missing_able(operand.maybe)

    def check_code(self, type_: Type, lit: ast.Expr) -> None:
        if type_.kind != "code" or not isinstance(lit, ast.Literal):
            return
        if not isinstance(lit.value, str):
            self.error(lit.pos, _("a {scheme} code is a text, not {value}", scheme=type_.arg,
                                  value=repr(lit.value)))
            return
        scheme = type_.arg
        if canonical_code(scheme, lit.value) is None:
            self.error(lit.pos, _("unknown {scheme} code {value}{hint}", scheme=scheme,
                                  value=repr(lit.value),
                                  hint=did_you_mean(lit.value, set(codes(scheme)), 3)))

    def _Compare(self, n: ast.Compare, names: Names) -> Type:
        left, right = self.expr(n.left, names), self.expr(n.right, names)
        maybe = left.maybe or right.maybe
        if n.tolerance is not None:
            tol = self.expr(n.tolerance, names)
            if not ty.numeric(tol):
                self.mismatch(n.tolerance, tol, _("a number after 'within'"))
            for side, type_ in ((n.left, left), (n.right, right)):
                if not ty.numeric(type_):
                    self.mismatch(side, type_, _("a number on each side of '= … within'"))
                    return ty.BOOL
            return ty.BOOL.missing_able(maybe)
        for side, type_ in ((n.left, left), (n.right, right)):
            if type_.kind in ("entity", "relation"):
                self.error(side.pos, _("compare an attribute of the entity (like .id), not "
                                       "the entity itself"))
                return ty.BOOL
        if n.op in ("=", "!="):
            if left.kind == "code" and isinstance(n.right, ast.Literal):
                self.check_code(left, n.right)
                return ty.BOOL.missing_able(maybe)
            if right.kind == "code" and isinstance(n.left, ast.Literal):
                self.check_code(right, n.left)
                return ty.BOOL.missing_able(maybe)
            fits = ty.comparable(left, right) and not _quoted_number(
                (n.left, left), (n.right, right))
        else:
            fits = ty.orderable(left, right)
        if not fits:
            self.cannot_compare(n.op, (n.left, left), (n.right, right))
        return ty.BOOL.missing_able(maybe)

    def cannot_compare(self, op: str, left: tuple[ast.Expr, Type],
                       right: tuple[ast.Expr, Type]) -> None:
        """``cannot compare a text (t.unit) with a number; did you mean unit_kind(t.unit)?``,
        at the side that is likely wrong (the one that is not a literal)."""
        first, second = left, right
        if isinstance(left[0], ast.Literal) and not isinstance(right[0], ast.Literal):
            first, second = right, left
        hint = _compare_hint(first[0], first[1], second[1]) or _compare_hint(
            second[0], second[1], first[1])
        self.error(start(first[0]), _("cannot compare {type} ({expr}) with {other} ({other_expr}):"
                                   " '{op}' would never be true{hint}",
                                   type=first[1].describe(), expr=show(first[0]),
                                   other=second[1].describe(), other_expr=show(second[0]),
                                   op=op, hint=hint))

    def _Between(self, n: ast.Between, names: Names) -> Type:
        value, low, high = (self.expr(part, names) for part in (n.value, n.low, n.high))
        for node, bound in ((n.low, low), (n.high, high)):
            if not ty.orderable(value, bound):
                self.cannot_compare("between", (n.value, value), (node, bound))
                return ty.BOOL
        return ty.BOOL.missing_able(value.maybe or low.maybe or high.maybe)

    def _Is(self, n: ast.Is, names: Names) -> Type:
        type_ = self.expr(n.value, names)
        if n.test == "one_of":
            options = self.expr(n.arg, names)  # type: ignore[arg-type]
            if options.kind not in ("list", "any"):
                self.mismatch(n.arg, options, _("a list after 'is one of'"))  # type: ignore[arg-type]
                return ty.BOOL
            if isinstance(n.arg, ast.ListExpr):
                for item in n.arg.items:
                    self.check_code(type_, item)
            item = ty.item_type(options)
            if type_.kind in ("entity", "relation"):
                self.error(n.value.pos, _("compare an attribute of the entity (like .id), "
                                          "not the entity itself"))
            elif not ty.comparable(type_, item) and not (type_.kind == "code" and isinstance(
                    n.arg, ast.ListExpr)):
                self.cannot_compare("is one of", (n.value, type_), (n.arg, item))  # type: ignore[arg-type]
            return ty.BOOL.missing_able(type_.maybe)
        if n.test == "concept":
            kind = self.concepts.get(n.concept)
            if kind is None:
                known = {*self.concepts, "missing", "present"}
                self.error(n.pos, _("unknown concept {name}{hint}", name=repr(n.concept),
                                    hint=did_you_mean(n.concept, known, 3)))
            elif type_.kind != "any" and not (type_.kind == "entity" and type_.arg == kind):
                what = KindName(type_.arg) if type_.kind == "entity" else type_.describe()
                self.error(n.pos, _("concept {name} is about a {kind}, but this is a {what}",
                                    name=repr(n.concept), kind=KindName(kind), what=what))
            return ty.BOOL.missing_able(type_.maybe)
        return ty.BOOL.sure()

    def _BoolOp(self, n: ast.BoolOp, names: Names) -> Type:
        maybe = False
        for item in n.items:
            self.condition(item, names)
            maybe = maybe or self.types.type_of(item).maybe
        return ty.BOOL.missing_able(maybe)

    def _Not(self, n: ast.Not, names: Names) -> Type:
        self.condition(n.operand, names)
        return ty.BOOL.missing_able(self.types.type_of(n.operand).maybe)


def _walk(node: ast.Expr) -> list[ast.Expr]:
    """The node and every expression inside it."""
    out, stack = [], [node]
    while stack:
        current = stack.pop()
        out.append(current)
        for value in vars(current).values():
            items = value if isinstance(value, tuple) else (value,)
            stack.extend(i for i in items if isinstance(i, ast.Expr))
    return out


def start(node: ast.Expr) -> ast.Pos:
    """Where an expression's text begins (an attribute's own position is its name's)."""
    while isinstance(node, ast.Attr | ast.Index | ast.BinOp | ast.Compare):
        node = node.obj if isinstance(node, ast.Attr | ast.Index) else node.left
    return node.pos


# --- what the author probably meant -----------------------------------------------------

def _quoted_number(*sides: tuple[ast.Expr, Type]) -> bool:
    """A number in quotes (``"5"``) compared with something that holds numbers: a value is
    a number or a text, but a text that reads as a number is a number put in quotes."""
    for (node, _type), (_other_node, other) in (sides, sides[::-1]):
        if (isinstance(node, ast.Literal) and isinstance(node.value, str)
                and re.fullmatch(r"\s*-?[0-9]+(\.[0-9]+)?\s*", node.value)
                and other.kind in ("number", "year", "value")):
            return True
    return False


def _number_hint(node: ast.Expr, type_: Type) -> Message | str:
    """What gives a number from a value of ``type_``."""
    expr = show(node)
    if isinstance(node, ast.Literal) and isinstance(node.value, str):
        return _("; a number is written without quotes (3, not \"3\")")
    if type_.kind == "date":
        return suggest([f"year({expr})"])
    if type_.kind in ("list", "relation", "series"):
        return suggest([f"len({expr})"])
    if isinstance(node, ast.Attr) and node.name in _UNIT_ATTRS:
        return suggest([f"unit_kind({expr})"])
    return ""


def _compare_hint(node: ast.Expr, type_: Type, other: Type) -> Message | str:
    return _number_hint(node, type_) if ty.numeric(other) else ""


def _argument_hint(func: str, param: Type, arg: Type, node: ast.Expr) -> Message | str:
    if func == "len" and arg.kind in ("text", "code"):
        return _("; len() counts the items of a list, not the letters of a text")
    if param.kind in ("number", "year") or param.kind == "list" and arg.kind in (
            "number", "year"):
        return _number_hint(node, arg)
    if param.kind == "date" and arg.kind in ("number", "year"):
        return suggest(["date(year, month, day)"])
    return ""


def literal_value(expr: ast.Expr) -> tuple[bool, Any]:
    """The Python value of a constant expression (parameters are constants)."""
    if isinstance(expr, ast.Literal):
        return True, expr.value
    if isinstance(expr, ast.Neg):
        ok, value = literal_value(expr.operand)
        if ok and isinstance(value, int | float) and not isinstance(value, bool):
            return True, -value
        return False, None
    if isinstance(expr, ast.ListExpr):
        values = []
        for item in expr.items:
            ok, value = literal_value(item)
            if not ok:
                return False, None
            values.append(value)
        return True, values
    return False, None
