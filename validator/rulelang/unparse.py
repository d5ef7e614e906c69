"""Rule-language expressions back to text: ``show(parse(x))`` parses to the same AST.

Used by explanations (each condition as written) and by the rule-set lint (conditions
compared by their text, with the rule's variable and ``let`` names replaced).
"""

from __future__ import annotations

from collections.abc import Callable

from validator.rulelang import ast

# binding strength, loosest first (as in grammar/rules.lark)
OR, AND, NOT, CMP, SUM, PRODUCT, UNARY, ATOM = range(1, 9)

Rename = Callable[[str], str | None]


def literal(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{escaped}"'
    if isinstance(value, float):
        text = repr(value)
        return f"{value:.12f}".rstrip("0").rstrip(".") if "e" in text else text
    return str(value)


def show(node: ast.Expr, rename: Rename | None = None) -> str:
    """The expression as rule-language text; ``rename`` may replace names (None: keep)."""
    return _Shower(rename).show(node, 0)


class _Shower:
    def __init__(self, rename: Rename | None) -> None:
        self.rename = rename

    def show(self, node: ast.Expr | None, outer: int) -> str:
        if node is None:
            return ""
        text, strength = getattr(self, "_" + type(node).__name__)(node)
        return f"({text})" if strength < outer else text

    def _where(self, cond: ast.Expr | None, strength: int) -> str:
        return "" if cond is None else f" where {self.show(cond, strength)}"

    def _Literal(self, n: ast.Literal) -> tuple[str, int]:
        text = literal(n.value)
        return text, (UNARY if text.startswith("-") else ATOM)

    def _ListExpr(self, n: ast.ListExpr) -> tuple[str, int]:
        return "[" + ", ".join(self.show(i, 0) for i in n.items) + "]", ATOM

    def _Name(self, n: ast.Name) -> tuple[str, int]:
        new = self.rename(n.name) if self.rename else None
        return (new if new is not None else n.name), ATOM

    def _Attr(self, n: ast.Attr) -> tuple[str, int]:
        return f"{self.show(n.obj, ATOM)}.{n.name}", ATOM

    def _Index(self, n: ast.Index) -> tuple[str, int]:
        return f"{self.show(n.obj, ATOM)}[{self.show(n.key, 0)}]", ATOM

    def _Call(self, n: ast.Call) -> tuple[str, int]:
        return f"{n.func}({', '.join(self.show(a, 0) for a in n.args)})", ATOM

    def _Aggregate(self, n: ast.Aggregate) -> tuple[str, int]:
        head = "" if n.expr is None else f"{self.show(n.expr, 0)} for "
        return (f"{n.func}({head}{n.var} in {self.show(n.coll, SUM)}"
                f"{self._where(n.cond, 0)})", ATOM)

    def _Quantifier(self, n: ast.Quantifier) -> tuple[str, int]:
        text = f"{n.kind} {n.var} in {self.show(n.coll, SUM)}{self._where(n.cond, NOT)}"
        if n.kind == "every":
            text += f" satisfies {self.show(n.test, NOT)}"
        return text, NOT

    def _BinOp(self, n: ast.BinOp) -> tuple[str, int]:
        strength = SUM if n.op in "+-" else PRODUCT
        return (f"{self.show(n.left, strength)} {n.op} {self.show(n.right, strength + 1)}",
                strength)

    def _Neg(self, n: ast.Neg) -> tuple[str, int]:
        return f"-{self.show(n.operand, UNARY)}", UNARY

    def _Compare(self, n: ast.Compare) -> tuple[str, int]:
        text = f"{self.show(n.left, SUM)} {n.op} {self.show(n.right, SUM)}"
        if n.tolerance is not None:
            text += f" within {self.show(n.tolerance, SUM)}" + (" percent" if n.relative else "")
        return text, CMP

    def _Between(self, n: ast.Between) -> tuple[str, int]:
        return (f"{self.show(n.value, SUM)} between {self.show(n.low, SUM)} and "
                f"{self.show(n.high, SUM)}", CMP)

    def _Is(self, n: ast.Is) -> tuple[str, int]:
        test = {"missing": "missing", "present": "present"}.get(n.test)
        if n.test == "one_of":
            test = f"one of {self.show(n.arg, SUM)}"
        elif n.test == "concept":
            test = n.concept
        return f"{self.show(n.value, SUM)} is {'not ' if n.negated else ''}{test}", CMP

    def _BoolOp(self, n: ast.BoolOp) -> tuple[str, int]:
        strength = AND if n.op == "and" else OR
        inner = NOT  # an 'and' inside an 'or' gets parentheses, for the reader
        return f" {n.op} ".join(self.show(i, inner) for i in n.items), strength

    def _Not(self, n: ast.Not) -> tuple[str, int]:
        return f"not {self.show(n.operand, NOT)}", NOT
