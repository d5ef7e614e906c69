"""Static types of the rule language: what each expression can hold, and the signatures of
operators and built-ins, so a rule that compares a text with a number is refused when it is
loaded instead of silently never firing.

A :class:`Type` is a kind (``number``, ``year``, ``text``, ``date``, ``bool``, ``value`` — a
period value: a number, range, bound or text —, ``period`` — a series key: a year or
``"2026-H1"`` —, ``series``, ``list``, ``entity``, ``relation``, ``code``, ``any``) with
its argument (a list's item type, a series' key type, an entity kind, a code scheme) and
whether it can be missing. ``any`` is what an already-reported mistake gives: it fits
everything, so one mistake is reported once.

Built-ins declare their signature beside their registration (``@builtin(...,
types="(list[T]) -> T?")``, see :func:`parse_signature`): parameter types, ``=`` after an
optional one, ``...`` after a repeated one, and ``?`` after a result that can be missing
even when no argument is. A result can also be missing when an argument can.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from validator.core.i18n import Message, _
from validator.rulelang.schema import KindName

_NUMERIC = frozenset({"number", "year", "value", "period"})
_TEXTUAL = frozenset({"text", "code", "value", "period"})
_ATOMIC = frozenset({"number", "year", "text", "date", "bool", "value", "period", "series",
                     "any", "code"})


@dataclass(frozen=True)
class Type:
    """One expression's type (compare with :meth:`same`, which ignores missing-ness)."""

    kind: str
    arg: Any = None  # list/series: a Type; entity/relation: a kind; code: a scheme
    maybe: bool = True  # can be missing

    def sure(self) -> Type:
        return replace(self, maybe=False)

    def missing_able(self, maybe: bool = True) -> Type:
        return replace(self, maybe=maybe)

    def same(self, other: Type) -> bool:
        return self.kind == other.kind and _strip(self.arg) == _strip(other.arg)

    def legacy(self) -> str:
        """The compiler's light type: ``entities:target``, ``entity:plan``, ``code:unit``,
        ``number``, ``list``, ``series``, ``bool``, ``str``, ``date``, ``value``, ``any``."""
        if self.kind == "relation":
            return f"entities:{self.arg}"
        if self.kind in ("entity", "code"):
            return f"{self.kind}:{self.arg}"
        return {"year": "number", "text": "str", "period": "value"}.get(self.kind, self.kind)

    def describe(self) -> Message:
        """``a number``, ``a list of texts``, ``a target``, ``a unit code`` (in either
        language)."""
        if self.kind == "list":
            item = self.arg if isinstance(self.arg, Type) else ANY
            return _("a list of {items}", items=item.plural()) if item.kind != "any" else _(
                "a list")
        if self.kind == "relation":
            return _("the {kind}s of a relation", kind=KindName(self.arg))
        if self.kind == "entity":
            return _("an entity ({kind})", kind=KindName(self.arg))
        if self.kind == "code":
            return _("a {scheme} code", scheme=self.arg)
        if self.kind == "union":
            first, *rest = self.arg
            return first.describe() if not rest else _(
                "{first} or {second}", first=first.describe(),
                second=Type("union", tuple(rest), False).describe())
        return _SINGULAR.get(self.kind, _SINGULAR["any"])()

    def plural(self) -> Message:
        if self.kind in ("entity", "relation"):
            return _("entities ({kind})", kind=KindName(self.arg))
        if self.kind == "code":
            return _("{scheme} codes", scheme=self.arg)
        if self.kind == "list":
            return _("lists")
        if self.kind == "union":
            return self.arg[0].plural()
        return _PLURAL.get(self.kind, _PLURAL["any"])()

    def __str__(self) -> str:
        return signature_text(self)


def _strip(arg: Any) -> Any:
    return arg.sure() if isinstance(arg, Type) else arg


# the texts of the atomic kinds, as functions so the message catalogue sees each msgid
_SINGULAR = {
    "number": lambda: _("a number"), "year": lambda: _("a year"), "text": lambda: _("a text"),
    "date": lambda: _("a date"), "bool": lambda: _("a condition (true or false)"),
    "value": lambda: _("a period value"), "period": lambda: _("a period key"),
    "series": lambda: _("a series"), "any": lambda: _("a value"),
}
_PLURAL = {
    "number": lambda: _("numbers"), "year": lambda: _("years"), "text": lambda: _("texts"),
    "date": lambda: _("dates"), "bool": lambda: _("conditions"),
    "value": lambda: _("period values"), "period": lambda: _("period keys"),
    "series": lambda: _("series"), "any": lambda: _("values"),
}

ANY = Type("any")
NUMBER = Type("number")
YEAR = Type("year")
TEXT = Type("text")
DATE = Type("date")
BOOL = Type("bool")
VALUE = Type("value")
PERIOD = Type("period")


def list_of(item: Type, maybe: bool = True) -> Type:
    return Type("list", item, maybe)


def series_of(key: Type) -> Type:
    return Type("series", key)


def entity(kind: str, maybe: bool = True) -> Type:
    return Type("entity", kind, maybe)


def relation(kind: str) -> Type:
    return Type("relation", kind, False)


def code(scheme: str) -> Type:
    return Type("code", scheme)


# --- how types meet --------------------------------------------------------------------

def domains(t: Type) -> frozenset[str]:
    """What a value of ``t`` can be compared as: ``numeric``, ``textual``, ``date``, …"""
    out = set()
    if t.kind in _NUMERIC:
        out.add("numeric")
    if t.kind in _TEXTUAL:
        out.add("textual")
    if t.kind in ("date", "bool", "series", "entity"):
        out.add(t.kind)
    if t.kind in ("list", "relation"):
        out.add("list")
    return frozenset(out)


def comparable(a: Type, b: Type) -> bool:
    """``a = b`` can be true: the two can hold values of one domain."""
    if a.kind == "any" or b.kind == "any":
        return True
    return bool(domains(a) & domains(b))


def orderable(a: Type, b: Type) -> bool:
    """``a < b`` can be known: both numbers, both dates, or both plain texts."""
    if a.kind == "any" or b.kind == "any":
        return True
    if "numeric" in domains(a) and "numeric" in domains(b):
        return True
    if a.kind == b.kind == "date":
        return True
    return a.kind in ("text", "code") and b.kind in ("text", "code")


def numeric(t: Type) -> bool:
    return t.kind == "any" or "numeric" in domains(t)


def join(a: Type, b: Type) -> Type:
    """The type of a value that is either an ``a`` or a ``b`` (list items, coalesce)."""
    maybe = a.maybe or b.maybe
    if a.kind == "any":
        return b.missing_able(maybe)
    if b.kind == "any" or a.same(b):
        return a.missing_able(maybe)
    kinds = {a.kind, b.kind}
    if kinds <= {"number", "year"}:
        return NUMBER.missing_able(maybe)
    if kinds <= {"text", "code"}:
        return TEXT.missing_able(maybe)
    if kinds <= _NUMERIC | {"text", "code"} and kinds & {"value", "period"}:
        return (VALUE if "value" in kinds else PERIOD).missing_able(maybe)
    if kinds <= _NUMERIC | {"text", "code"}:
        return VALUE.missing_able(maybe)
    if a.kind in ("list", "relation") and b.kind in ("list", "relation"):
        return list_of(join(item_type(a), item_type(b)), maybe)
    return ANY


def item_type(t: Type) -> Type:
    """What a quantifier or aggregate over ``t`` binds: a relation's entities, a list's items,
    a series' keys."""
    if t.kind == "relation":
        return entity(t.arg, maybe=False)
    if t.kind in ("list", "series"):
        return t.arg if isinstance(t.arg, Type) else ANY
    return ANY


def accepts(param: Type, arg: Type, bound: dict[str, Type]) -> bool:
    """An argument of type ``arg`` fits a parameter of type ``param`` (binding type variables
    in ``bound``)."""
    if param.kind == "union":
        return any(accepts(p, arg, bound) for p in param.arg)
    if param.kind == "var":  # every argument of a T is of one kind (a year is a number)
        found = bound.get(param.arg)
        if found is not None and not comparable(found, arg):
            return False
        bound[param.arg] = arg if found is None else join(found, arg)
        return True
    if param.kind == "any" or arg.kind == "any":
        return True
    if param.kind in ("number", "year"):
        return numeric(arg)
    if param.kind in ("text", "code"):
        return "textual" in domains(arg)
    if param.kind == "value":  # a period value: a number, range or bound (not a plain text)
        return numeric(arg)
    if param.kind == "list":
        if arg.kind not in ("list", "relation"):
            return False
        return accepts(param.arg, item_type(arg), bound) if isinstance(param.arg, Type) else True
    if param.kind == "series" and isinstance(param.arg, Type):
        return arg.kind == "series" and accepts(param.arg, item_type(arg), bound)
    if param.kind == "entity":
        return arg.kind == "entity" and (param.arg is None or param.arg == arg.arg)
    return param.kind == arg.kind


def substitute(t: Type, bound: dict[str, Type]) -> Type:
    if t.kind == "var":
        return bound.get(t.arg, ANY).missing_able(t.maybe or bound.get(t.arg, ANY).maybe)
    if t.kind == "list" and isinstance(t.arg, Type):
        return list_of(substitute(t.arg, bound), t.maybe)
    return t


# --- signatures ----------------------------------------------------------------------

@dataclass(frozen=True)
class Signature:
    """A built-in's parameter types and result; ``rest`` repeats the last parameter."""

    params: tuple[Type, ...]
    optional: int  # how many of the last params may be left out
    rest: bool
    result: Type

    def describe(self, name: str) -> str:
        parts = [signature_text(p) + ("=" if i >= len(self.params) - self.optional else "")
                 for i, p in enumerate(self.params)]
        if self.rest:
            parts[-1] += "..."
        return f"{name}({', '.join(parts)}) -> {signature_text(self.result)}"


_TYPE_TOKEN = re.compile(r"\s*([A-Za-z_]+|\[|\]|\||\?|,)")


def parse_type(text: str) -> Type:
    """``number``, ``list[text]``, ``code[unit]``, ``entity[target]``, ``T``,
    ``list|series``, a trailing ``?``: a type of a signature."""
    tokens = [m.group(1) for m in _TYPE_TOKEN.finditer(text)]
    if "".join(tokens) != re.sub(r"\s+", "", text):
        raise ValueError(f"bad type {text!r}")
    found, rest = _parse_union(tokens)
    maybe = False
    if rest and rest[0] == "?":
        maybe, rest = True, rest[1:]
    if rest:
        raise ValueError(f"bad type {text!r}")
    return found.missing_able(maybe)


def _parse_union(tokens: list[str]) -> tuple[Type, list[str]]:
    options = []
    while True:
        one, tokens = _parse_one(tokens)
        options.append(one)
        if not tokens or tokens[0] != "|":
            break
        tokens = tokens[1:]
    return (options[0] if len(options) == 1 else Type("union", tuple(options), False)), tokens


def _parse_one(tokens: list[str]) -> tuple[Type, list[str]]:
    if not tokens:
        raise ValueError("a type is missing")
    name, tokens = tokens[0], tokens[1:]
    if re.fullmatch(r"[A-Z]", name):
        return Type("var", name, False), tokens
    arg: Any = None
    if tokens and tokens[0] == "[":
        if name in ("list", "series"):
            arg, tokens = _parse_union(tokens[1:])
        else:
            arg, tokens = tokens[1], tokens[2:]
        if not tokens or tokens[0] != "]":
            raise ValueError(f"']' expected after {name}[")
        tokens = tokens[1:]
    if name not in _ATOMIC | {"list", "entity", "relation"}:
        raise ValueError(f"unknown type {name!r}")
    return Type(name, arg, False), tokens


def parse_signature(text: str) -> Signature:
    """``(list[T], number=) -> T?``: a built-in's signature (see the module's docstring)."""
    match = re.fullmatch(r"\s*\((.*)\)\s*->\s*(.+?)\s*", text)
    if match is None:
        raise ValueError(f"bad signature {text!r}: expected '(params) -> result'")
    params: list[Type] = []
    optional = 0
    rest = False
    for part in [p.strip() for p in _split(match.group(1))] if match.group(1).strip() else []:
        if rest:
            raise ValueError(f"bad signature {text!r}: '...' goes on the last parameter")
        if part.endswith("..."):
            rest, part = True, part[:-3]
        if part.endswith("="):
            optional, part = optional + 1, part[:-1]
        elif optional:
            raise ValueError(f"bad signature {text!r}: optional parameters come last")
        params.append(parse_type(part))
    return Signature(tuple(params), optional, rest, parse_type(match.group(2)))


def _split(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in text:
        depth += {"[": 1, "]": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def signature_text(t: Type) -> str:
    """A type as signatures write it: ``list[number]``, ``code[unit]``, ``number?``."""
    if t.kind == "union":
        text = "|".join(signature_text(o) for o in t.arg)
    elif t.kind == "var":
        text = t.arg
    elif t.kind == "list":
        text = "list" + (f"[{signature_text(t.arg.sure())}]" if isinstance(
            t.arg, Type) and t.arg.kind != "any" else "")
    elif t.kind == "series":
        text = "series" + (f"[{signature_text(t.arg)}]" if isinstance(t.arg, Type) and t.arg.kind
                           == "var" else "")
    elif t.arg is not None:
        text = f"{t.kind}[{t.arg}]"
    else:
        text = t.kind
    return text + ("?" if t.maybe and t.kind not in ("any", "union") else "")


# --- the schema's attributes -----------------------------------------------------------

_SCHEMA_TYPES = {"str": TEXT, "text": TEXT, "number": NUMBER, "value": VALUE, "date": DATE,
                 "bool": BOOL, "int": NUMBER}
_SPECIAL = {
    ("plan", "years"): list_of(YEAR.sure(), maybe=False),
    ("target", "providing_agencies"): list_of(code("agency").sure()),
    ("target", "annual"): series_of(YEAR.sure()),
    ("target", "actual"): series_of(PERIOD.sure()),
}


def attribute_type(kind: str, name: str, schema_type: str) -> Type:
    """The static type of attribute ``name`` of an entity ``kind`` (schema type
    ``schema_type``): ids are always there, everything else can be missing."""
    special = _SPECIAL.get((kind, name))
    if special is not None:
        return special
    if schema_type.startswith("entities:"):
        return relation(schema_type.split(":", 1)[1])
    if schema_type.startswith("entity:"):
        return entity(schema_type.split(":", 1)[1])
    if schema_type.startswith("code:"):
        return code(schema_type.split(":", 1)[1])
    if schema_type == "int" and (name.endswith("_year") or name.startswith("period_")):
        return YEAR if name != "id" else YEAR.sure()
    found = _SCHEMA_TYPES.get(schema_type, ANY)
    return found.sure() if name == "id" else found


def constant_type(value: Any) -> Type:
    """The type of a literal or a parameter's value (never missing)."""
    if isinstance(value, bool):
        return BOOL.sure()
    if isinstance(value, int | float):
        return NUMBER.sure()
    if isinstance(value, str):
        return TEXT.sure()
    if isinstance(value, list | tuple):
        item = ANY
        for i, x in enumerate(value):
            item = constant_type(x) if i == 0 else join(item, constant_type(x))
        return list_of(item, maybe=False)
    return ANY
