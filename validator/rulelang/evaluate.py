"""Evaluate resolved expressions: each AST node becomes a Python closure over an environment.

Logic is three-valued: ``None`` is "unknown / missing". ``and``/``or``/``not`` follow Kleene's
tables, comparisons with a missing side are unknown, arithmetic propagates missing, and a
division by zero is missing. A rule reports a finding only when its requirement is known to
be false, so missing data never produces a finding by accident (rules that want a value to
be present say so with ``is present``).

Quantifiers and aggregates count only the members whose condition is known to be true:
``exists`` wants a witness, ``no`` wants none, ``every … satisfies T`` fails only on a member
for which ``T`` is known to be false. This is also what their engine patterns match.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from typing import Any

from validator.rulelang import ast
from validator.rulelang.builtins import BUILTINS, is_number

Env = dict[str, Any]
Fn = Callable[[Env], Any]

AGGREGATES = ("count", "sum", "min", "max", "mean", "collect")

_ORDER = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


_PLAIN_NUMBERS = (int, float)
_EMPTY_ABLE = (list, dict, tuple)


def _comparable(a: Any, b: Any) -> bool:
    ta, tb = type(a), type(b)
    if ta is tb and (ta is str or ta is float or ta is int):  # the common cases, at once
        return True
    if is_number(a) and is_number(b):
        return True
    return ta is tb and isinstance(a, str | dt.date)


def _equal(a: Any, b: Any) -> bool:
    if is_number(a) and is_number(b):
        return a == b
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    return a == b


def is_missing(v: Any) -> bool:
    if v is None:
        return True
    kind = type(v)
    if kind is str or kind in _EMPTY_ABLE:
        return not v
    if kind in _PLAIN_NUMBERS:
        return False
    return v == "" or (isinstance(v, _EMPTY_ABLE) and not v)


def members(coll: Any) -> list[Any]:
    if coll is None:
        return []
    if isinstance(coll, dict):
        return list(coll.keys())
    if isinstance(coll, list | tuple):
        return list(coll)
    return [coll]


def truth_all(values: list[Any]) -> Any:
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def index_value(container: Any, k: Any) -> Any:
    """``container[k]``: a dict's entry (a number key also finds its text form), a list's
    item (negative counts from the end), else missing."""
    if isinstance(container, dict):
        try:
            found = k in container
        except TypeError:  # an unhashable key (a list, a text in two languages)
            return None
        if found:
            return container[k]
        return container.get(str(k)) if not isinstance(k, str) else None
    if isinstance(container, list) and is_number(k) and -len(container) <= k < len(container):
        return container[int(k)]
    return None


def finish(func: str, values: list[Any]) -> Any:
    """An aggregate's value from the values its members gave."""
    if func == "count":
        return len(values)
    if func == "collect":
        return values
    nums = [v for v in values if is_number(v)]
    if func == "sum":
        return sum(nums)
    if not nums:
        return None
    if func == "mean":
        return sum(nums) / len(nums)
    return min(nums) if func == "min" else max(nums)


class Closures:
    """Turns expressions into closures. ``aggregate_hook`` lets the engine serve entity
    aggregates from summary facts instead of recomputing them."""

    def __init__(self, concepts: dict[str, set[int]] | None = None,
                 params: dict[str, Any] | None = None) -> None:
        self.concepts = concepts if concepts is not None else {}
        # parameters are constants of a compiled rule set (no variable may shadow one)
        self.params = params if params is not None else {}
        self._cache: dict[int, tuple[ast.Expr, Fn]] = {}
        self._keys: dict[int, str] = {}  # aggregate node id -> its key (aggregate_key)
        self._keyed: list[ast.Aggregate] = []  # those nodes, kept alive (their ids stay theirs)

    def __call__(self, node: ast.Expr) -> Fn:
        return self.compiled(node)

    def aggregate_key(self, node: ast.Aggregate) -> str:
        """The key under which a summary fact serves this aggregate's value: one per node,
        numbered (not its ``id``, so that it survives the cache on disk)."""
        key = self._keys.get(id(node))
        if key is None:
            key = self._keys[id(node)] = f"agg:{len(self._keyed)}"
            self._keyed.append(node)
        return key

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (:mod:`validator.rulelang.cache`) without what is keyed by ``id``: the
        closures are rebuilt when asked for, and each aggregate keeps its key."""
        return {"concepts": self.concepts, "params": self.params,
                "keys": [(node, self._keys[id(node)]) for node in self._keyed]}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["concepts"], state["params"])  # type: ignore[misc]
        for node, key in state["keys"]:
            self._keys[id(node)] = key
            self._keyed.append(node)

    def compiled(self, node: ast.Expr) -> Fn:
        """The closure of ``node``, built once per node (kept with the node, whose ``id``
        then stays its own)."""
        found = self._cache.get(id(node))
        if found is None:
            found = self._cache[id(node)] = (node, getattr(self, "_" + type(node).__name__)(node))
        return found[1]

    def member_ids(self, node: ast.Aggregate) -> Fn:
        """A closure giving the ids of the members an aggregate counts."""
        coll, var = self.compiled(node.coll), node.var
        cond = self.compiled(node.cond) if node.cond is not None else None

        def ids(env: Env) -> tuple[str, ...]:
            out = []
            for item in members(coll(env)):
                if cond is None or cond({**env, var: item}) is True:
                    out.append(str(getattr(item, "id", item)))
            return tuple(out)
        return ids

    def _Literal(self, n: ast.Literal) -> Fn:
        value = n.value
        return lambda env: value

    def _ListExpr(self, n: ast.ListExpr) -> Fn:
        items = [self(i) for i in n.items]
        return lambda env: [f(env) for f in items]

    def _Name(self, n: ast.Name) -> Fn:
        name = n.name
        if name in self.params:
            value = self.params[name]
            return lambda env: value
        return lambda env: env.get(name)

    def _Attr(self, n: ast.Attr) -> Fn:
        obj, name = self(n.obj), n.name

        def attr(env: Env) -> Any:
            target = obj(env)
            return None if target is None else getattr(target, name, None)
        return attr

    def _Index(self, n: ast.Index) -> Fn:
        obj, key = self(n.obj), self(n.key)

        def index(env: Env) -> Any:
            return index_value(obj(env), key(env))
        return index

    def _Call(self, n: ast.Call) -> Fn:
        fn = BUILTINS[n.func].fn
        args = [self(a) for a in n.args]

        def call(env: Env) -> Any:
            try:
                return fn(*[a(env) for a in args])
            except (ArithmeticError, ValueError, TypeError, OverflowError):
                return None
        return call

    def _Aggregate(self, n: ast.Aggregate) -> Fn:
        coll, var, func = self(n.coll), n.var, n.func
        cond = self(n.cond) if n.cond is not None else None
        expr = self(n.expr) if n.expr is not None else None
        key = self.aggregate_key(n)

        def compute(env: Env) -> Any:
            values = []
            for item in members(coll(env)):
                scope = {**env, var: item}
                if cond is not None and cond(scope) is not True:
                    continue
                values.append(item if expr is None else expr(scope))
            return finish(func, values)

        def aggregate(env: Env) -> Any:
            served = env.get("__summaries__")
            if served is not None and key in served:
                return served[key]
            return compute(env)
        aggregate.compute = compute  # type: ignore[attr-defined]
        aggregate.key = key  # type: ignore[attr-defined]
        return aggregate

    def _Quantifier(self, n: ast.Quantifier) -> Fn:
        coll, var, kind = self(n.coll), n.var, n.kind
        cond = self(n.cond) if n.cond is not None else None
        test = self(n.test) if n.test is not None else None

        def quantify(env: Env) -> Any:
            for item in members(coll(env)):
                scope = {**env, var: item}
                if cond is not None and cond(scope) is not True:
                    continue
                if kind == "every":
                    if test(scope) is False:  # type: ignore[misc]
                        return False
                else:
                    return kind == "exists"
            return kind != "exists"
        return quantify

    def _BinOp(self, n: ast.BinOp) -> Fn:
        left, right, op = self(n.left), self(n.right), n.op

        def binop(env: Env) -> Any:
            a, b = left(env), right(env)
            if op == "+" and isinstance(a, list | tuple) and isinstance(b, list | tuple):
                return [*a, *b]
            if op == "+" and isinstance(a, str) and isinstance(b, str):
                return a + b
            if not (is_number(a) and is_number(b)):
                return None
            if op == "+":
                return a + b
            if op == "-":
                return a - b
            if op == "*":
                return a * b
            return None if b == 0 else a / b
        return binop

    def _Neg(self, n: ast.Neg) -> Fn:
        operand = self(n.operand)

        def neg(env: Env) -> Any:
            v = operand(env)
            return -v if is_number(v) else None
        return neg

    def _Compare(self, n: ast.Compare) -> Fn:
        left, right, op = self(n.left), self(n.right), n.op
        tolerance = self(n.tolerance) if n.tolerance is not None else None
        relative = n.relative

        def compare(env: Env) -> Any:
            a, b = left(env), right(env)
            if a is None or b is None:
                return None
            if tolerance is not None:
                tol = tolerance(env)
                if not (is_number(a) and is_number(b) and is_number(tol)):
                    return None
                allowed = abs(b) * tol / 100 if relative else tol
                return abs(a - b) <= allowed + 1e-9
            if op == "=":
                return _equal(a, b)
            if op == "!=":
                return not _equal(a, b)
            if not _comparable(a, b):
                return None
            return _ORDER[op](a, b)
        return compare

    def _Between(self, n: ast.Between) -> Fn:
        value, low, high = self(n.value), self(n.low), self(n.high)

        def between(env: Env) -> Any:
            v, lo, hi = value(env), low(env), high(env)
            if v is None or lo is None or hi is None:
                return None
            if not (_comparable(v, lo) and _comparable(v, hi)):
                return None
            return lo <= v <= hi
        return between

    def _Is(self, n: ast.Is) -> Fn:
        value, negated = self(n.value), n.negated
        if n.test == "missing":
            return lambda env: is_missing(value(env)) != negated
        if n.test == "present":
            return lambda env: (not is_missing(value(env))) != negated
        if n.test == "one_of":
            options = self(n.arg)  # type: ignore[arg-type]

            def one_of(env: Env) -> Any:
                v, opts = value(env), options(env)
                if v is None or opts is None:
                    return None
                return any(_equal(v, o) for o in members(opts)) != negated
            return one_of
        members_of = self.concepts.setdefault(n.concept, set())

        def concept(env: Env) -> Any:
            v = value(env)
            if v is None:
                return None
            return (id(v) in members_of) != negated
        return concept

    def _BoolOp(self, n: ast.BoolOp) -> Fn:
        items = [self(i) for i in n.items]
        if n.op == "and":
            def conj(env: Env) -> Any:
                unknown = False
                for f in items:
                    v = f(env)
                    if v is False:
                        return False
                    unknown = unknown or v is None
                return None if unknown else True
            return conj

        def disj(env: Env) -> Any:
            unknown = False
            for f in items:
                v = f(env)
                if v is True:
                    return True
                unknown = unknown or v is None
            return None if unknown else False
        return disj

    def _Not(self, n: ast.Not) -> Fn:
        operand = self(n.operand)

        def negate(env: Env) -> Any:
            v = operand(env)
            return None if v is None else not v
        return negate


def truthy(v: Any) -> Any:
    """Coerce a condition's value: booleans and None pass; anything else is unknown."""
    return v if v is None or isinstance(v, bool) else None
