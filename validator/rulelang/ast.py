"""The typed AST of rule files: small frozen dataclasses, one per construct."""

from __future__ import annotations

from dataclasses import dataclass, field

from validator.core.i18n import in_lang


@dataclass(frozen=True)
class Pos:
    """A place in a rule file (1-based line and column)."""

    file: str
    line: int
    column: int


# --- expressions -----------------------------------------------------------------------

@dataclass(frozen=True)
class Expr:
    pos: Pos = field(compare=False, repr=False)


@dataclass(frozen=True)
class Literal(Expr):
    value: object = None


@dataclass(frozen=True)
class ListExpr(Expr):
    items: tuple[Expr, ...] = ()


@dataclass(frozen=True)
class Name(Expr):
    name: str = ""


@dataclass(frozen=True)
class Attr(Expr):
    obj: Expr = None  # type: ignore[assignment]
    name: str = ""


@dataclass(frozen=True)
class Index(Expr):
    obj: Expr = None  # type: ignore[assignment]
    key: Expr = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Call(Expr):
    func: str = ""
    args: tuple[Expr, ...] = ()


@dataclass(frozen=True)
class Aggregate(Expr):
    """``sum(e for v in coll where cond)`` or ``count(v in coll where cond)`` (expr None)."""

    func: str = ""
    var: str = ""
    coll: Expr = None  # type: ignore[assignment]
    cond: Expr | None = None
    expr: Expr | None = None


@dataclass(frozen=True)
class Quantifier(Expr):
    """``exists``/``no`` v in coll where cond; ``every`` v in coll where cond satisfies test."""

    kind: str = ""  # "exists" | "no" | "every"
    var: str = ""
    coll: Expr = None  # type: ignore[assignment]
    cond: Expr | None = None
    test: Expr | None = None


@dataclass(frozen=True)
class BinOp(Expr):
    op: str = ""
    left: Expr = None  # type: ignore[assignment]
    right: Expr = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Neg(Expr):
    operand: Expr = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Compare(Expr):
    op: str = ""
    left: Expr = None  # type: ignore[assignment]
    right: Expr = None  # type: ignore[assignment]
    tolerance: Expr | None = None
    relative: bool = False


@dataclass(frozen=True)
class Between(Expr):
    value: Expr = None  # type: ignore[assignment]
    low: Expr = None  # type: ignore[assignment]
    high: Expr = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Is(Expr):
    """``x is [not] missing|present|one of LIST|CONCEPT``."""

    test: str = ""  # "missing" | "present" | "one_of" | "concept"
    value: Expr = None  # type: ignore[assignment]
    negated: bool = False
    arg: Expr | None = None  # the list, for one_of
    concept: str = ""


@dataclass(frozen=True)
class BoolOp(Expr):
    op: str = ""  # "and" | "or"
    items: tuple[Expr, ...] = ()


@dataclass(frozen=True)
class Not(Expr):
    operand: Expr = None  # type: ignore[assignment]


# --- declarations ----------------------------------------------------------------------

@dataclass(frozen=True)
class Texts:
    """A text in several languages: ``vi "..." en "..."``."""

    values: tuple[tuple[str, str], ...]
    pos: Pos = field(compare=False, repr=False)

    def get(self, lang: str) -> str:
        return in_lang(dict(self.values), lang)

    def as_dict(self) -> dict[str, str]:
        return dict(self.values)


@dataclass(frozen=True)
class Scope:
    kind: str
    var: str
    pos: Pos = field(compare=False, repr=False)


@dataclass(frozen=True)
class Where:
    expr: Expr
    pos: Pos = field(compare=False, repr=False)


@dataclass(frozen=True)
class Let:
    name: str
    expr: Expr
    pos: Pos = field(compare=False, repr=False)


Clause = Where | Let


@dataclass(frozen=True)
class Import:
    path: str
    pos: Pos = field(compare=False, repr=False)


@dataclass(frozen=True)
class ParamDecl:
    name: str
    default: Expr
    doc: Texts | None
    pos: Pos = field(compare=False, repr=False)


@dataclass(frozen=True)
class ConceptDecl:
    name: str
    title: Texts | None
    rationale: Texts | None
    scope: Scope
    clauses: tuple[Clause, ...]
    pos: Pos = field(compare=False, repr=False)


@dataclass(frozen=True)
class RuleDecl:
    id: str
    title: Texts | None
    severity: str | None
    source: str | None
    tags: tuple[str, ...]
    rationale: Texts | None
    scope: Scope
    clauses: tuple[Clause, ...]
    require: Expr
    message: Texts
    pos: Pos = field(compare=False, repr=False)
    text: str = field(default="", compare=False, repr=False)
    group: Texts | None = None  # the message of one finding for many entities of a plan


@dataclass(frozen=True)
class RuleFile:
    path: str
    imports: tuple[Import, ...]
    params: tuple[ParamDecl, ...]
    concepts: tuple[ConceptDecl, ...]
    rules: tuple[RuleDecl, ...]
