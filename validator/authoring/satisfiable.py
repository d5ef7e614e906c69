"""Conditions that can never hold, found statically: ``x > 5 and x < 3``, ``x = "a" and
x = "b"``, ``x is missing and x > 0``.

A conjunction is read as constraints on each compared expression (keyed by its text):
bounds from comparisons and ``between`` with a constant (a literal or a parameter's value),
allowed and excluded values from ``=``, ``!=`` and ``is one of``, and presence from ``is
missing``/``is present``. A comparison can only be true when both sides are known, so it
implies presence. Anything else (function calls compared with each other, ``or``) is left
alone: the check finds contradictions, it never proves that a condition can hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from validator.rulelang import ast
from validator.rulelang.unparse import show

_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}
_NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "=": "!=", "!=": "="}


def constant(node: ast.Expr, params: dict[str, Any]) -> tuple[bool, Any]:
    """The value of a literal, a negated number or a parameter (lists: one of)."""
    if isinstance(node, ast.Literal):
        return True, node.value
    if isinstance(node, ast.Neg) and isinstance(node.operand, ast.Literal) and _number(
            node.operand.value):
        return True, -node.operand.value  # type: ignore[operator]
    if isinstance(node, ast.Name) and node.name in params:
        return True, params[node.name]
    if isinstance(node, ast.ListExpr):
        values = [constant(i, params) for i in node.items]
        if all(ok for ok, _ in values):
            return True, [v for _, v in values]
    return False, None


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass
class _Facts:
    """What a conjunction says about one expression."""

    low: tuple[Any, bool] | None = None  # (value, strict)
    high: tuple[Any, bool] | None = None
    allowed: list[Any] | None = None  # None: any value
    excluded: list[Any] = field(default_factory=list)
    present: bool | None = None
    conflict: bool = False  # said to be both missing and present
    why: list[str] = field(default_factory=list)

    def presence(self, present: bool) -> None:
        if self.present is not None and self.present != present:
            self.conflict = True
        self.present = present if self.present is None else self.present

    def bound(self, op: str, value: Any) -> None:
        if op == "=":
            self.allow([value])
        elif op == "!=":
            self.excluded.append(value)
        elif not _number(value):
            return
        elif op in (">", ">=") and (self.low is None or value > self.low[0] or (
                value == self.low[0] and op == ">")):
            self.low = (value, op == ">")
        elif op in ("<", "<=") and (self.high is None or value < self.high[0] or (
                value == self.high[0] and op == "<")):
            self.high = (value, op == "<")

    def allow(self, values: list[Any]) -> None:
        if self.allowed is None:
            self.allowed = list(values)
        else:
            self.allowed = [v for v in self.allowed if any(_same(v, w) for w in values)]

    def fits(self, value: Any) -> bool:
        if any(_same(value, e) for e in self.excluded):
            return False
        if not _number(value):
            return self.low is None and self.high is None
        if self.low and (value < self.low[0] or (value == self.low[0] and self.low[1])):
            return False
        return not (self.high and (value > self.high[0] or (
            value == self.high[0] and self.high[1])))

    def impossible(self) -> bool:
        if self.conflict:
            return True
        if self.low and self.high and (self.low[0] > self.high[0] or (
                self.low[0] == self.high[0] and (self.low[1] or self.high[1]))):
            return True
        return self.allowed is not None and not any(self.fits(v) for v in self.allowed)


def _same(a: Any, b: Any) -> bool:
    return a == b and isinstance(a, str) == isinstance(b, str) and _number(a) == _number(b)


def _read(node: ast.Expr, params: dict[str, Any], facts: dict[str, _Facts]) -> None:
    """Record what ``node`` (a conjunct that must be true) says, when it is understood."""
    negated = False
    if isinstance(node, ast.Not) and isinstance(node.operand, ast.Compare | ast.Is):
        node, negated = node.operand, True
    text = f"not ({show(node)})" if negated else show(node)
    if isinstance(node, ast.Compare) and node.tolerance is None:
        op = _NEGATE[node.op] if negated else node.op
        for subject, other, flip in ((node.left, node.right, False),
                                     (node.right, node.left, True)):
            ok, value = constant(other, params)
            if ok and not constant(subject, params)[0] and not isinstance(value, list):
                entry = facts.setdefault(show(subject), _Facts())
                entry.bound(_FLIP[op] if flip else op, value)
                if value != "":  # an empty text counts as missing
                    entry.presence(True)
                entry.why.append(text)
                return
    elif isinstance(node, ast.Between) and not negated:
        low, high = constant(node.low, params), constant(node.high, params)
        if low[0] and high[0] and _number(low[1]) and _number(high[1]):
            entry = facts.setdefault(show(node.value), _Facts())
            entry.bound(">=", low[1])
            entry.bound("<=", high[1])
            entry.presence(True)
            entry.why.append(text)
    elif isinstance(node, ast.Is) and node.test in ("missing", "present"):
        entry = facts.setdefault(show(node.value), _Facts())
        entry.presence((node.test == "present") != (node.negated != negated))
        entry.why.append(text)
    elif isinstance(node, ast.Is) and node.test == "one_of" and node.arg is not None:
        ok, values = constant(node.arg, params)
        if ok and isinstance(values, list) and "" not in values:
            entry = facts.setdefault(show(node.value), _Facts())
            if node.negated != negated:
                entry.excluded.extend(values)
            else:
                entry.allow(values)
            entry.presence(True)
            entry.why.append(text)


def contradiction(conjuncts: list[ast.Expr], params: dict[str, Any]) -> list[str] | None:
    """The conditions (as text) that cannot hold together, or None when none is found."""
    facts: dict[str, _Facts] = {}
    for node in conjuncts:
        _read(node, params, facts)
    for entry in facts.values():
        if entry.impossible():
            return entry.why
    return None


def negation(node: ast.Expr) -> ast.Expr | None:
    """A condition true exactly when ``node`` is known to be false (None when not simple)."""
    if isinstance(node, ast.Compare) and node.tolerance is None:
        return ast.Compare(node.pos, _NEGATE[node.op], node.left, node.right)
    if isinstance(node, ast.Is) and node.test in ("missing", "present", "one_of"):
        return ast.Is(node.pos, node.test, node.value, not node.negated, node.arg, node.concept)
    if isinstance(node, ast.Not):
        return node.operand
    return None
