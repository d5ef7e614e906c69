"""Name resolution and checks: every name, attribute, function, concept and code used by a
rule file must exist, with a located error and the nearest known names when it does not.

The resolver also infers a light type for each expression (``entity:target``,
``entities:target``, ``code:agency``, ``number``, …), which the compiler uses to tell
engine-level quantifiers (over related entities) from value-level ones (over lists).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from validator.core.errors import Problem, caret_excerpt
from validator.core.hints import did_you_mean
from validator.core.i18n import LANGS
from validator.plan.ontology import SCHEMES, canonical_code, codes
from validator.rulelang import ast
from validator.rulelang.builtins import BUILTINS
from validator.rulelang.evaluate import AGGREGATES
from validator.rulelang.matching import PATTERN_SITES, pattern_problem
from validator.rulelang.schema import KINDS

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_RETURNS = {
    "contains_any": "bool", "contains": "bool", "matches": "bool", "known": "bool",
    "agency_at_level": "bool", "is_quantitative": "bool", "all_equal": "bool",
    "all_numbers": "bool", "years_of": "list", "keys": "list", "values_of": "list",
    "years": "list", "without": "list", "diffs": "list", "text": "str", "lower": "str",
    "normalize": "str", "join": "str", "label": "str", "value_kind": "str", "unit_kind": "str",
    "date": "date",
}


@dataclass
class Types:
    """Inferred types by expression node identity."""

    of: dict[int, str] = field(default_factory=dict)

    def get(self, node: ast.Expr) -> str:
        return self.of.get(id(node), "any")



class Resolver:
    """Checks declarations against the schema, the built-ins, params and concepts."""

    def __init__(self, texts: dict[str, str], params: dict[str, Any],
                 concepts: dict[str, str]) -> None:
        self.texts = texts  # file -> text, for caret excerpts
        self.params = params  # name -> default value (python)
        self.concepts = concepts  # concept name -> entity kind
        self.types = Types()
        self.problems: list[Problem] = []
        self.bound_in_quantifiers: set[str] = set()

    # --- reporting -------------------------------------------------------------------
    def error(self, pos: ast.Pos, message: str) -> None:
        text = self.texts.get(pos.file, "")
        self.problems.append(Problem(pos.file, message, line=pos.line, column=pos.column,
                                     excerpt=caret_excerpt(text, pos.line, pos.column) or None))

    # --- declarations -----------------------------------------------------------------
    def check_texts(self, texts: ast.Texts | None, what: str, pos: ast.Pos,
                    names: dict[str, str] | None = None) -> None:
        if texts is None:
            self.error(pos, f"{what} is missing; give it in Vietnamese and English "
                            f'(vi "..." en "...")')
            return
        seen = [lang for lang, _ in texts.values]
        for lang in set(seen):
            if seen.count(lang) > 1:
                self.error(texts.pos, f"{what} gives {lang!r} twice")
        for lang in LANGS:
            if lang not in seen:
                self.error(texts.pos, f"{what} has no {'Vietnamese' if lang == 'vi' else 'English'}"
                                      f" text ({lang} \"...\")")
        if names is None:
            return
        for _lang, value in texts.values:
            for match in _PLACEHOLDER.finditer(value):
                self.check_placeholder(match.group(1).strip(), names, texts.pos, what)

    def check_placeholder(self, ref: str, names: dict[str, str], pos: ast.Pos, what: str) -> None:
        parts = ref.split(".")
        if not ref or not all(re.fullmatch(r"[a-z_][a-z0-9_]*", p) for p in parts):
            self.error(pos, f"{what}: {{{ref}}} is not a name or a dotted path like {{t.unit}}")
            return
        if parts[0] not in names:
            self.error(pos, f"{what}: unknown name {parts[0]!r} in {{{ref}}}"
                            f"{did_you_mean(parts[0], set(names), 3)}")
            return
        type_ = names[parts[0]]
        for part in parts[1:]:
            kind = type_.split(":", 1)[1] if type_.startswith("entity:") else None
            if kind is None:
                self.error(pos, f"{what}: {{{ref}}}: a {type_} has no attribute {part!r}")
                return
            attr = KINDS[kind].get(part)
            if attr is None:
                self.error(pos, f"{what}: unknown attribute {part!r} of {kind}"
                                f"{did_you_mean(part, set(KINDS[kind]), 3)}")
                return
            type_ = attr.type

    def scope(self, scope: ast.Scope) -> dict[str, str]:
        if scope.kind not in KINDS:
            self.error(scope.pos, f"unknown entity kind {scope.kind!r}"
                                  f"{did_you_mean(scope.kind, set(KINDS), 3)}; expected one of "
                                  f"{', '.join(KINDS)}")
            return {scope.var: "any"}
        if scope.var in self.params:
            self.error(scope.pos, f"{scope.var!r} is a parameter; choose another variable name")
        return {scope.var: f"entity:{scope.kind}"}

    def clauses(self, clauses: tuple[ast.Clause, ...], names: dict[str, str]) -> dict[str, str]:
        names = dict(names)
        for clause in clauses:
            if isinstance(clause, ast.Let):
                if clause.name in names or clause.name in self.params:
                    self.error(clause.pos, f"{clause.name!r} is already defined")
                names[clause.name] = self.expr(clause.expr, names)
            else:
                self.condition(clause.expr, names)
        return names

    def condition(self, expr: ast.Expr, names: dict[str, str]) -> None:
        type_ = self.expr(expr, names)
        if type_ not in ("bool", "any"):
            self.error(expr.pos, f"expected a condition (true or false), got a {type_}")

    # --- expressions ------------------------------------------------------------------
    def expr(self, node: ast.Expr, names: dict[str, str]) -> str:
        type_ = getattr(self, "_" + type(node).__name__)(node, names)
        self.types.of[id(node)] = type_
        return type_

    def _Literal(self, n: ast.Literal, names: dict[str, str]) -> str:
        if isinstance(n.value, bool):
            return "bool"
        return "number" if isinstance(n.value, int | float) else "str"

    def _ListExpr(self, n: ast.ListExpr, names: dict[str, str]) -> str:
        for item in n.items:
            self.expr(item, names)
        return "list"

    def _Name(self, n: ast.Name, names: dict[str, str]) -> str:
        if n.name in names:
            return names[n.name]
        if n.name in self.params:
            value = self.params[n.name]
            if isinstance(value, bool):
                return "bool"
            if isinstance(value, int | float):
                return "number"
            return "list" if isinstance(value, list) else "str"
        if n.name in KINDS:
            self.error(n.pos, f"{n.name!r} is an entity kind, not a value; bind it with "
                              f"'for each {n.name} x' or a quantifier")
        elif n.name in self.bound_in_quantifiers:
            self.error(n.pos, f"{n.name!r} is bound only inside its quantifier's condition, "
                              "which ends at the first 'and'/'or'; put a longer condition in "
                              "parentheses: where (a and b)")
        else:
            known = set(names) | set(self.params)
            self.error(n.pos, f"unknown name {n.name!r}{did_you_mean(n.name, known, 3)}")
        return "any"

    def _Attr(self, n: ast.Attr, names: dict[str, str]) -> str:
        obj = self.expr(n.obj, names)
        if obj == "any":  # an entity of unknown kind: still only the schema's attributes
            known = {name for attrs in KINDS.values() for name in attrs}
            if n.name not in known:
                self.error(n.pos, f"unknown attribute {n.name!r}{did_you_mean(n.name, known, 3)}")
            return "any"
        if not obj.startswith("entity:"):
            self.error(n.pos, f"a {obj} has no attribute {n.name!r}")
            return "any"
        kind = obj.split(":", 1)[1]
        attr = KINDS[kind].get(n.name)
        if attr is None:
            self.error(n.pos, f"unknown attribute {n.name!r} of {kind}"
                              f"{did_you_mean(n.name, set(KINDS[kind]), 3)}")
            return "any"
        return attr.type

    def _Index(self, n: ast.Index, names: dict[str, str]) -> str:
        obj = self.expr(n.obj, names)
        self.expr(n.key, names)
        if obj not in ("series", "list", "any"):
            self.error(n.pos, f"a {obj} cannot be indexed; only series and lists can")
        return "value" if obj == "series" else "any"

    def _Call(self, n: ast.Call, names: dict[str, str]) -> str:
        for arg in n.args:
            self.expr(arg, names)
        fn = BUILTINS.get(n.func)
        if fn is None:
            self.error(n.pos, f"unknown function {n.func!r}"
                              f"{did_you_mean(n.func, set(BUILTINS), 3)}")
            return "any"
        if not fn.min_args <= len(n.args) <= fn.max_args:
            self.error(n.pos, f"{fn.signature} takes {fn.min_args}"
                              f"{'' if fn.min_args == fn.max_args else f'-{fn.max_args}'} "
                              f"argument(s), got {len(n.args)}")
        if n.func in ("matches", "count_matches") and len(n.args) == 2:
            self.check_pattern(n.args[1])
        if (n.func in ("known", "label") and n.args and isinstance(n.args[0], ast.Literal)
                and n.args[0].value not in SCHEMES):
            self.error(n.args[0].pos, f"unknown scheme {n.args[0].value!r}"
                                      f"{did_you_mean(str(n.args[0].value), set(SCHEMES), 3)}")
        return _RETURNS.get(n.func, "number" if n.func in (
            "number", "low", "high", "mid", "len", "sum", "min", "max", "mean", "count", "abs",
            "round", "cagr", "mean_growth", "growth", "periods_per_year", "year",
            "period_year") else "any")

    def check_pattern(self, arg: ast.Expr) -> None:
        """A pattern is a constant (a text, or a text parameter) that builtins accept."""
        if isinstance(arg, ast.Literal) and isinstance(arg.value, str):
            pattern, what = arg.value, "the pattern"
        elif isinstance(arg, ast.Name) and isinstance(self.params.get(arg.name), str):
            pattern, what = self.params[arg.name], f"parameter {arg.name}"
        else:
            self.error(arg.pos, "a pattern must be a text in quotes or a text parameter, so "
                                "that it can be checked before the rules run")
            return
        problem = pattern_problem(pattern)
        if problem is not None:
            self.error(arg.pos, f"{what} {pattern!r}: {problem}")
            return
        text = self.texts.get(arg.pos.file, "")
        PATTERN_SITES.setdefault(pattern, Problem(
            arg.pos.file, "", line=arg.pos.line, column=arg.pos.column,
            excerpt=caret_excerpt(text, arg.pos.line, arg.pos.column) or None))

    def _element(self, coll: ast.Expr, names: dict[str, str], what: str) -> str:
        type_ = self.expr(coll, names)
        if type_.startswith("entities:"):
            return "entity:" + type_.split(":", 1)[1]
        if type_ in ("list", "series", "any"):
            return "number" if type_ == "series" else "any"
        self.error(coll.pos, f"{what} needs a collection (a relation like o.targets, a list or "
                             f"a series), got a {type_}")
        return "any"

    def _bind(self, var: str, element: str, names: dict[str, str], pos: ast.Pos) -> dict[str, str]:
        self.bound_in_quantifiers.add(var)
        if var in names or var in self.params:
            self.error(pos, f"{var!r} is already defined; choose another name")
        return {**names, var: element}

    def _Aggregate(self, n: ast.Aggregate, names: dict[str, str]) -> str:
        if n.func not in AGGREGATES:
            self.error(n.pos, f"{n.func!r} is not an aggregate; use one of "
                              f"{', '.join(AGGREGATES)}{did_you_mean(n.func, set(AGGREGATES), 3)}")
        if n.expr is None and n.func != "count":
            self.error(n.pos, f"write {n.func}(EXPR for {n.var} in ...) — only count takes "
                              f"'{n.var} in ...' alone")
        inner = self._bind(n.var, self._element(n.coll, names, n.func), names, n.pos)
        if n.cond is not None:
            self.condition(n.cond, inner)
        if n.expr is not None:
            self.expr(n.expr, inner)
        return "list" if n.func == "collect" else "number"

    def _Quantifier(self, n: ast.Quantifier, names: dict[str, str]) -> str:
        inner = self._bind(n.var, self._element(n.coll, names, n.kind), names, n.pos)
        if n.cond is not None:
            self.condition(n.cond, inner)
        if n.test is not None:
            self.condition(n.test, inner)
        return "bool"

    def _BinOp(self, n: ast.BinOp, names: dict[str, str]) -> str:
        left, right = self.expr(n.left, names), self.expr(n.right, names)
        if n.op == "+" and "list" in (left, right):
            return "list"
        return "number"

    def _Neg(self, n: ast.Neg, names: dict[str, str]) -> str:
        self.expr(n.operand, names)
        return "number"

    def check_code(self, type_: str, lit: ast.Expr) -> None:
        if not type_.startswith("code:") or not isinstance(lit, ast.Literal):
            return
        if not isinstance(lit.value, str):
            self.error(lit.pos, f"a {type_.split(':')[1]} code is a text, not {lit.value!r}")
            return

        scheme = type_.split(":", 1)[1]
        if canonical_code(scheme, lit.value) is None:
            self.error(lit.pos, f"unknown {scheme} code {lit.value!r}"
                                f"{did_you_mean(lit.value, set(codes(scheme)), 3)}")

    def _Compare(self, n: ast.Compare, names: dict[str, str]) -> str:
        left, right = self.expr(n.left, names), self.expr(n.right, names)
        if n.tolerance is not None:
            self.expr(n.tolerance, names)
        if n.op in ("=", "!="):
            self.check_code(left, n.right)
            self.check_code(right, n.left)
        for side, type_ in ((n.left, left), (n.right, right)):
            if type_.startswith(("entity:", "entities:")):
                self.error(side.pos, "compare an attribute of the entity (like .id), not the "
                                     "entity itself")
        return "bool"

    def _Between(self, n: ast.Between, names: dict[str, str]) -> str:
        for part in (n.value, n.low, n.high):
            self.expr(part, names)
        return "bool"

    def _Is(self, n: ast.Is, names: dict[str, str]) -> str:
        type_ = self.expr(n.value, names)
        if n.test == "one_of":
            self.expr(n.arg, names)  # type: ignore[arg-type]
            if isinstance(n.arg, ast.ListExpr):
                for item in n.arg.items:
                    self.check_code(type_, item)
        elif n.test == "concept":
            kind = self.concepts.get(n.concept)
            if kind is None:
                self.error(n.pos, f"unknown concept {n.concept!r}"
                                  f"{did_you_mean(n.concept, set(self.concepts), 3)}")
            elif type_ != "any" and type_ != f"entity:{kind}":
                self.error(n.pos, f"concept {n.concept!r} is about a {kind}, but this is a "
                                  f"{type_.removeprefix('entity:')}")
        return "bool"

    def _BoolOp(self, n: ast.BoolOp, names: dict[str, str]) -> str:
        for item in n.items:
            self.condition(item, names)
        return "bool"

    def _Not(self, n: ast.Not, names: dict[str, str]) -> str:
        self.condition(n.operand, names)
        return "bool"


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
