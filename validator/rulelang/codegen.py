"""Code generation: resolved expressions become Python functions, for speed.

The closures of :mod:`validator.rulelang.evaluate` are the reference semantics (explanations
and traces use them). This pass turns the same expressions into straight-line Python source,
compiled once per rule set, that computes the same values without a function call per node:
a rule's decision on one entity becomes one function.

Rule text never reaches the generated source. Every literal, parameter value, attribute name,
built-in function and concept set is a constant the source refers to by a generated name
(``_k12``); variables become generated locals (``v3``); the rest is this module's own fixed
templates. The functions run with no ``__builtins__`` beyond the few named in ``_SAFE``. When
an expression cannot be generated (Python's limits on nested blocks, say), the caller keeps
the closure.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import CodeType
from typing import Any

from validator.rulelang import ast
from validator.rulelang.builtins import BUILTINS
from validator.rulelang.evaluate import (
    Closures,
    Fn,
    _comparable,
    finish,
    index_value,
    is_missing,
    members,
)


class _Unset:
    """What a let or memo entry holds before its value is computed (one object: a rule set
    read from the cache on disk refers to this one, not to a copy)."""

    def __reduce__(self) -> str:
        return "UNSET"


UNSET = _Unset()
_SAFE = {"isinstance": isinstance, "getattr": getattr, "abs": abs, "id": id, "any": any,
         "bool": bool, "str": str, "tuple": tuple}
_PLAIN = frozenset({str, int, float, bool})  # types whose equality a set lookup decides
_HELPERS = {"_members": members, "_index": index_value, "_finish": finish,
            "_missing": is_missing, "_comparable": _comparable,
            "_ERRORS": (ArithmeticError, ValueError, TypeError, OverflowError),
            "_NUM": (int, float), "_SEQ": (list, tuple), "_UNSET": UNSET,
            "_PLAIN": _PLAIN, "_type": type}
_ORDERS = {"<": "<", "<=": "<=", ">": ">", ">=": ">="}


_NOT_CONSTANT = object()
MAX_LINES = 20_000  # a longer function is not generated (each use of a let holds its code)


class Unsupported(Exception):
    """The expression cannot be generated; the closure is used instead."""


class _Function:
    """The source of one generated function: its lines, constants and fresh names."""

    def __init__(self, closures: Closures,
                 memo_key: Callable[[ast.Expr], int | None] | None = None) -> None:
        self.closures = closures
        self.memo_key = memo_key  # a call's key in the per-entity memo, or None
        self.lazy: dict[str, tuple[ast.Expr, dict[str, str]]] = {}  # let local -> definition
        self.lines: list[str] = []
        self.consts: dict[str, Any] = {}
        self._const_ids: dict[int, str] = {}
        self._names = itertools.count()

    def fresh(self, prefix: str = "t") -> str:
        return f"{prefix}{next(self._names)}"

    def const(self, value: Any) -> str:
        """A generated name for a value (the same object always gets the same name)."""
        found = self._const_ids.get(id(value))
        if found is None:
            found = self._const_ids[id(value)] = f"_k{len(self.consts)}"
            self.consts[found] = value
        return found

    def emit(self, depth: int, line: str) -> None:
        if len(self.lines) >= MAX_LINES:
            raise Unsupported("too long")
        self.lines.append("    " * depth + line)

    # --- expressions: each emits statements and returns a simple Python expression --------
    def expr(self, node: ast.Expr, scope: dict[str, str], depth: int) -> str:
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise Unsupported(type(node).__name__)
        return method(node, scope, depth)

    def _Literal(self, n: ast.Literal, scope: dict[str, str], depth: int) -> str:
        return self.const(n.value)

    def _ListExpr(self, n: ast.ListExpr, scope: dict[str, str], depth: int) -> str:
        items = [self.expr(i, scope, depth) for i in n.items]
        out = self.fresh()
        self.emit(depth, f"{out} = [{', '.join(items)}]")
        return out

    def _Name(self, n: ast.Name, scope: dict[str, str], depth: int) -> str:
        if n.name in scope:
            local = scope[n.name]
            pending = self.lazy.get(local)
            if pending is not None:  # a let: computed where it is first needed
                self.emit(depth, f"if {local} is _UNSET:")
                value = self.expr(pending[0], pending[1], depth + 1)
                self.emit(depth + 1, f"{local} = {value}")
            return local
        if n.name in self.closures.params:
            return self.const(self.closures.params[n.name])
        local = scope.get("\0env")
        if local is None:  # no environment: a name nobody bound is missing
            return "None"
        out = self.fresh()
        self.emit(depth, f"{out} = {local}.get({self.const(n.name)})")
        return out

    def _Attr(self, n: ast.Attr, scope: dict[str, str], depth: int) -> str:
        obj = self.expr(n.obj, scope, depth)
        out = self.fresh()
        self.emit(depth, f"{out} = None if {obj} is None else getattr({obj}, "
                         f"{self.const(n.name)}, None)")
        return out

    def _Index(self, n: ast.Index, scope: dict[str, str], depth: int) -> str:
        obj, key = self.expr(n.obj, scope, depth), self.expr(n.key, scope, depth)
        out = self.fresh()
        self.emit(depth, f"{out} = _index({obj}, {key})")
        return out

    def _Call(self, n: ast.Call, scope: dict[str, str], depth: int) -> str:
        out = self.fresh()
        key = self.memo_key(n) if self.memo_key is not None else None
        if key is not None:  # built-ins are pure: one value per entity, shared by its rules
            key_name = self.const(key)
            self.emit(depth, f"{out} = memo.get({key_name}, _UNSET)")
            self.emit(depth, f"if {out} is _UNSET:")
            depth += 1
        self.emit(depth, "try:")
        builtin, call_args = BUILTINS[n.func], list(n.args)
        fn = self.const(builtin.fn)
        if builtin.prepare is not None and len(call_args) >= 2:
            constant = self.constant(call_args[-1])
            if constant is not _NOT_CONSTANT:  # the built-in's work on it is done now
                fn = self.const(builtin.prepare(constant[0]))
                call_args.pop()
        args = [self.expr(a, scope, depth + 1) for a in call_args]
        self.emit(depth + 1, f"{out} = {fn}({', '.join(args)})")
        self.emit(depth, "except _ERRORS:")
        self.emit(depth + 1, f"{out} = None")
        if key is not None:
            self.emit(depth, f"memo[{key_name}] = {out}")
        return out

    def _option_set(self, node: ast.Expr | None) -> frozenset[Any] | None:
        """The options of ``is one of`` as a set, when they are a constant list of plain
        values (texts, numbers; no NaN), where membership is equality; else None."""
        constant = self.constant(node) if node is not None else _NOT_CONSTANT
        if constant is _NOT_CONSTANT or not isinstance(constant[0], list):
            return None
        options = constant[0]
        if not all(type(o) in _PLAIN and o == o for o in options):
            return None
        return frozenset(options)

    def constant(self, node: ast.Expr) -> Any:
        """``(value,)`` of a constant expression (a literal, a parameter, a list of them), or
        ``_NOT_CONSTANT``."""
        if isinstance(node, ast.Literal):
            return (node.value,)
        if isinstance(node, ast.Name) and node.name in self.closures.params:
            return (self.closures.params[node.name],)
        if isinstance(node, ast.ListExpr):
            items = [self.constant(i) for i in node.items]
            if all(i is not _NOT_CONSTANT for i in items):
                return ([i[0] for i in items],)
        return _NOT_CONSTANT

    def _loop(self, var: str, coll: ast.Expr, cond: ast.Expr | None, scope: dict[str, str],
              depth: int) -> tuple[str, dict[str, str]]:
        """Open ``for item in members(coll)`` with the condition's filter; returns the item's
        local and the inner scope (the body goes at ``depth + 1``)."""
        items = self.expr(coll, scope, depth)
        item = self.fresh("v")
        inner = {**scope, var: item}
        self.emit(depth, f"for {item} in _members({items}):")
        if cond is not None:
            test = self.expr(cond, inner, depth + 1)
            self.emit(depth + 1, f"if {test} is not True:")
            self.emit(depth + 2, "continue")
        return item, inner

    def _Aggregate(self, n: ast.Aggregate, scope: dict[str, str], depth: int) -> str:
        out, values = self.fresh(), self.fresh()
        served = scope.get("\0served")
        body = depth
        if served is not None:
            key = self.const(self.closures.aggregate_key(n))
            self.emit(depth, f"if {served} is not None and {key} in {served}:")
            self.emit(depth + 1, f"{out} = {served}[{key}]")
            self.emit(depth, "else:")
            body = depth + 1
        self.emit(body, f"{values} = []")
        item, inner = self._loop(n.var, n.coll, n.cond, scope, body)
        value = item if n.expr is None else self.expr(n.expr, inner, body + 1)
        self.emit(body + 1, f"{values}.append({value})")
        self.emit(body, f"{out} = _finish({self.const(n.func)}, {values})")
        return out

    def _Quantifier(self, n: ast.Quantifier, scope: dict[str, str], depth: int) -> str:
        out = self.fresh()
        self.emit(depth, f"{out} = {n.kind != 'exists'}")
        item, inner = self._loop(n.var, n.coll, n.cond, scope, depth)
        if n.kind == "every":
            test = self.expr(n.test, inner, depth + 1)  # type: ignore[arg-type]
            self.emit(depth + 1, f"if {test} is False:")
            self.emit(depth + 2, f"{out} = False")
            self.emit(depth + 2, "break")
        else:
            self.emit(depth + 1, f"{out} = {n.kind == 'exists'}")
            self.emit(depth + 1, "break")
        return out

    @staticmethod
    def _number(v: str) -> str:
        return f"(isinstance({v}, _NUM) and not isinstance({v}, bool))"

    def _BinOp(self, n: ast.BinOp, scope: dict[str, str], depth: int) -> str:
        a, b = self.expr(n.left, scope, depth), self.expr(n.right, scope, depth)
        out = self.fresh()
        numbers = f"{self._number(a)} and {self._number(b)}"
        if n.op == "+":
            self.emit(depth, f"if isinstance({a}, _SEQ) and isinstance({b}, _SEQ):")
            self.emit(depth + 1, f"{out} = [*{a}, *{b}]")
            self.emit(depth, f"elif isinstance({a}, str) and isinstance({b}, str):")
            self.emit(depth + 1, f"{out} = {a} + {b}")
            self.emit(depth, f"elif {numbers}:")
            self.emit(depth + 1, f"{out} = {a} + {b}")
            self.emit(depth, "else:")
            self.emit(depth + 1, f"{out} = None")
        elif n.op in ("-", "*"):
            self.emit(depth, f"{out} = {a} {n.op} {b} if {numbers} else None")
        elif n.op == "/":
            self.emit(depth, f"{out} = (None if {b} == 0 else {a} / {b}) if {numbers} else None")
        else:
            raise Unsupported(n.op)
        return out

    def _Neg(self, n: ast.Neg, scope: dict[str, str], depth: int) -> str:
        v = self.expr(n.operand, scope, depth)
        out = self.fresh()
        self.emit(depth, f"{out} = -{v} if {self._number(v)} else None")
        return out

    def _Compare(self, n: ast.Compare, scope: dict[str, str], depth: int) -> str:
        a, b = self.expr(n.left, scope, depth), self.expr(n.right, scope, depth)
        out = self.fresh()
        self.emit(depth, f"if {a} is None or {b} is None:")
        self.emit(depth + 1, f"{out} = None")
        self.emit(depth, "else:")
        inner = depth + 1
        if n.tolerance is not None:
            tol = self.expr(n.tolerance, scope, inner)
            self.emit(inner, f"if not ({self._number(a)} and {self._number(b)} and "
                             f"{self._number(tol)}):")
            self.emit(inner + 1, f"{out} = None")
            self.emit(inner, "else:")
            allowed = f"abs({b}) * {tol} / 100" if n.relative else tol
            self.emit(inner + 1, f"{out} = abs({a} - {b}) <= {allowed} + 1e-9")
        elif n.op == "=":
            self.emit(inner, f"{out} = {a} == {b}")
        elif n.op == "!=":
            self.emit(inner, f"{out} = not ({a} == {b})")
        elif n.op in _ORDERS:
            self.emit(inner, f"{out} = {a} {_ORDERS[n.op]} {b} if _comparable({a}, {b}) "
                             "else None")
        else:
            raise Unsupported(n.op)
        return out

    def _Between(self, n: ast.Between, scope: dict[str, str], depth: int) -> str:
        v = self.expr(n.value, scope, depth)
        lo, hi = self.expr(n.low, scope, depth), self.expr(n.high, scope, depth)
        out = self.fresh()
        self.emit(depth, f"if {v} is None or {lo} is None or {hi} is None or not ("
                         f"_comparable({v}, {lo}) and _comparable({v}, {hi})):")
        self.emit(depth + 1, f"{out} = None")
        self.emit(depth, "else:")
        self.emit(depth + 1, f"{out} = {lo} <= {v} <= {hi}")
        return out

    def _Is(self, n: ast.Is, scope: dict[str, str], depth: int) -> str:
        v = self.expr(n.value, scope, depth)
        out = self.fresh()
        if n.test == "missing":
            self.emit(depth, f"{out} = _missing({v}) != {n.negated}")
        elif n.test == "present":
            self.emit(depth, f"{out} = (not _missing({v})) != {n.negated}")
        elif n.test == "one_of" and (found := self._option_set(n.arg)) is not None:
            # a constant list of plain values: a set lookup for a plain value
            self.emit(depth, f"if {v} is None:")
            self.emit(depth + 1, f"{out} = None")
            self.emit(depth, f"elif _type({v}) in _PLAIN:")
            self.emit(depth + 1, f"{out} = ({v} in {self.const(found)}) != {n.negated}")
            self.emit(depth, "else:")
            self.emit(depth + 1, f"{out} = any({v} == o for o in {self.const(tuple(found))}) "
                                 f"!= {n.negated}")
        elif n.test == "one_of":
            options = self.expr(n.arg, scope, depth)  # type: ignore[arg-type]
            self.emit(depth, f"if {v} is None or {options} is None:")
            self.emit(depth + 1, f"{out} = None")
            self.emit(depth, "else:")
            self.emit(depth + 1, f"{out} = any({v} == o for o in _members({options})) "
                                 f"!= {n.negated}")
        elif n.test == "concept":
            found = self.const(self.closures.concepts.setdefault(n.concept, set()))
            self.emit(depth, f"{out} = None if {v} is None else "
                             f"((id({v}) in {found}) != {n.negated})")
        else:
            raise Unsupported(n.test)
        return out

    def _BoolOp(self, n: ast.BoolOp, scope: dict[str, str], depth: int) -> str:
        # Kleene: the deciding value (False for and, True for or) stops the evaluation
        decide = n.op == "or"
        out = self.fresh()
        self.emit(depth, f"{out} = {not decide}")
        for number, item in enumerate(n.items):
            inner = depth
            if number:
                self.emit(depth, f"if {out} is not {decide}:")
                inner = depth + 1
            v = self.expr(item, scope, inner)
            self.emit(inner, f"if {v} is {decide}:")
            self.emit(inner + 1, f"{out} = {decide}")
            self.emit(inner, f"elif {v} is None:")
            self.emit(inner + 1, f"{out} = None")
        return out

    def _Not(self, n: ast.Not, scope: dict[str, str], depth: int) -> str:
        v = self.expr(n.operand, scope, depth)
        out = self.fresh()
        self.emit(depth, f"{out} = None if {v} is None else not {v}")
        return out

    # --- whole functions -------------------------------------------------------------------
    def build(self, name: str, params: str, label: str = "") -> Callable[..., Any]:
        """Compile the function; ``label`` (a rule id, say) names it in tracebacks and
        profiles as ``<rule LABEL>`` (a file name, never source)."""
        source = f"def {name}({params}):\n" + "\n".join(self.lines) + "\n"
        namespace: dict[str, Any] = {"__builtins__": dict(_SAFE), **_HELPERS, **self.consts}
        file = f"<rule {label or name}>"
        code = COMPILED.get((file, source))
        if code is None:
            code = COMPILED[(file, source)] = compile(source, file, "exec")
        exec(code, namespace)  # noqa: S102 - source built from this module's templates only
        fn = namespace[name]
        fn.source = source
        return fn


#: generated sources compiled, by (file name, source): compiling them is about a third of
#: compiling the bundled pack, so :mod:`validator.rulelang.cache` keeps a rule set's on disk
COMPILED: dict[tuple[str, str], CodeType] = {}

_LIMITS = (Unsupported, SyntaxError, RecursionError, MemoryError, ValueError, OverflowError)


def expression(closures: Closures, node: ast.Expr) -> Fn:
    """``node`` as a function of an environment, like ``closures.compiled(node)``."""
    try:
        f = _Function(closures)
        scope = {"\0env": "env", "\0served": "served"}
        f.emit(1, 'served = env.get("__summaries__")')
        value = f.expr(node, scope, 1)
        f.emit(1, f"return {value}")
        return f.build("expression", "env")
    except _LIMITS:
        return closures.compiled(node)


def member_ids(closures: Closures, node: ast.Aggregate) -> Fn:
    """The ids of the members an aggregate counts, as a function of an environment, like
    ``closures.member_ids(node)``."""
    try:
        f = _Function(closures)
        scope = {"\0env": "env"}
        out = f.fresh()
        f.emit(1, f"{out} = []")
        item, _ = f._loop(node.var, node.coll, node.cond, scope, 1)
        f.emit(2, f"{out}.append(str(getattr({item}, 'id', {item})))")
        f.emit(1, f"return tuple({out})")
        return f.build("member_ids", "env")
    except _LIMITS:
        return closures.member_ids(node)


@dataclass
class Decision:
    """A single-entity rule's decision, in parts: it fires on an entity when every ``focus``
    part is true, then (after the ``lets``, in order) every ``where`` part is true, and then
    some part of ``require`` is known false (with ``require=None``, as for a concept, when
    the wheres hold). Calls that ``memo_key`` names are computed once per entity."""

    var: str
    focus: list[ast.Expr]
    lets: list[tuple[str, ast.Expr]]
    wheres: list[ast.Expr]
    require: list[ast.Expr] | None
    memo_key: Callable[[ast.Expr], int | None] | None = None

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without ``memo_key``: it serves only while the code is generated (and
        holds the builder with its types, keyed by ``id``)."""
        return {**self.__dict__, "memo_key": None}


def _emit_decision(f: _Function, d: Decision, depth: int, skip: str) -> None:
    """The decision's statements: ``return True`` when it fires, ``skip`` when it does not."""
    f.memo_key = d.memo_key
    scope = {d.var: "focus"}

    def all_true(parts: Iterable[ast.Expr]) -> None:
        for part in parts:
            value = f.expr(part, scope, depth)
            f.emit(depth, f"if {value} is not True:")
            f.emit(depth + 1, skip)
    all_true(d.focus)
    for name, expr in d.lets:  # computed when first read (see _Name), each at most once
        local = f.fresh("let")
        f.emit(depth, f"{local} = _UNSET")
        f.lazy[local] = (expr, scope)
        scope = {**scope, name: local}
    all_true(d.wheres)
    if d.require is None:
        f.emit(depth, "return True")
        return
    for part in d.require:
        value = f.expr(part, scope, depth)
        f.emit(depth, f"if {value} is False:")
        f.emit(depth + 1, "return True")
    f.emit(depth, skip)


Fires = Callable[[Any, dict], bool]


def decision(closures: Closures, d: Decision, fallback: Fires, label: str = "") -> Fires:
    """Whether the rule fires on an entity, as one function: ``fires(entity, memo)``; the
    rules of one entity kind share ``memo`` (a dict per entity)."""
    try:
        f = _Function(closures)
        _emit_decision(f, d, 1, "return False")
        return f.build("decision", "focus, memo", label)
    except _LIMITS:
        return fallback
