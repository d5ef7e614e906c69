"""Where each key of a TOML file stands (1-based line and column), so a configuration
error can point at ``plancheck.toml:5:1`` like a plan's errors do: ``tomllib`` gives values,
not positions.

The file has already been parsed by ``tomllib`` when this runs, so it is valid TOML; the
scan only has to follow its structure (tables, arrays of tables, dotted keys, inline tables
and arrays). It is iterative (a configuration may nest deeply) and never raises: a
construct it does not follow ends the scan with the positions found so far, and a key
without a position is then reported at its nearest ancestor.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

from validator.core.sourcemap import KeyPath

_TOKEN = re.compile(r"""
    (?P<space>[ \t]+) | (?P<comment>\#[^\n]*) | (?P<nl>\r?\n)
  | (?P<string>'''.*?'''(?!') | \"\"\"(?:\\.|[^\\])*?\"\"\"(?!\") | '[^'\n]*' | "(?:\\.|[^"\\\n])*")
  | (?P<punct>[\[\]{}=,.])
  | (?P<bare>[^\s\[\]{}=,.\#'"]+)
""", re.X | re.S)


@dataclass(slots=True)
class _Token:
    kind: str
    text: str
    line: int
    column: int


@dataclass
class _Open:
    """An inline table or an array being read: the key path of its value, and for an
    array the index of its next item."""

    array: bool
    path: KeyPath
    index: int = 0


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    line, start, pos = 1, 0, 0
    while pos < len(text):
        found = _TOKEN.match(text, pos)
        if found is None:
            break  # not TOML after all: keep what was found
        kind = found.lastgroup or ""
        if kind not in ("space", "comment"):
            out.append(_Token(kind, found.group(), line, pos - start + 1))
        newlines = found.group().count("\n")
        if newlines:
            line += newlines
            start = found.start() + found.group().rindex("\n") + 1
        pos = found.end()
    return out


def _key_part(token: _Token) -> str:
    """A key as TOML reads it: a bare key as written, a quoted one unescaped."""
    if token.kind != "string":
        return token.text
    try:
        return str(tomllib.loads(f"k = {token.text}")["k"])
    except tomllib.TOMLDecodeError:  # not a key after all: the scan is lost, not wrong
        return token.text


def toml_places(text: str) -> dict[KeyPath, tuple[int, int]]:
    """``(line, column)`` of every key, table header and array item of a valid TOML text,
    by key path (an array of tables' entries by index: ``("server", 1, "port")``)."""
    tokens = _tokens(text)
    places: dict[KeyPath, tuple[int, int]] = {}
    tables: dict[KeyPath, int] = {}  # the last index of each array of tables
    table: KeyPath = ()
    stack: list[_Open] = []
    i, n = 0, len(tokens)

    def dotted(i: int) -> tuple[list[str], int]:
        parts: list[str] = []
        while i < n and tokens[i].kind in ("bare", "string"):
            parts.append(_key_part(tokens[i]))
            i += 1
            if i < n and tokens[i].text == "." and i + 1 < n:
                i += 1
                continue
            break
        return parts, i

    def mark(base: KeyPath, parts: list[str], token: _Token) -> None:
        for k in range(1, len(parts) + 1):
            places.setdefault((*base, *parts[:k]), (token.line, token.column))

    def value(i: int, path: KeyPath) -> int:
        """Skip a scalar, or open an array or inline table; the index after."""
        if i < n and tokens[i].text in "[{" and tokens[i].kind == "punct":
            stack.append(_Open(tokens[i].text == "[", path))
            return i + 1
        while i < n and tokens[i].kind != "nl" and tokens[i].text not in ",]}":
            i += 1
        return i

    while i < n:
        token = tokens[i]
        if token.kind == "nl":
            i += 1
            continue
        if stack:
            top = stack[-1]
            if token.text in ("]", "}") and token.kind == "punct" or token.text == ",":
                if token.text != ",":
                    stack.pop()
                i += 1
                continue
            if top.array:
                path = (*top.path, top.index)
                top.index += 1
                places.setdefault(path, (token.line, token.column))
                i = value(i, path)
                continue
            parts, j = dotted(i)
            if not parts or j >= n or tokens[j].text != "=":
                return places
            mark(top.path, parts, token)
            i = value(j + 1, (*top.path, *parts))
            continue
        if token.text == "[" and token.kind == "punct":
            double = (i + 1 < n and tokens[i + 1].text == "["
                      and tokens[i + 1].column == token.column + 1)
            parts, j = dotted(i + (2 if double else 1))
            if not parts or j >= n or tokens[j].text != "]":
                return places
            header = _resolved(parts, tables)
            mark((), list(header), tokens[i + (2 if double else 1)])
            if double:
                index = tables[header] = tables.get(header, -1) + 1
                header = (*header, index)
                places.setdefault(header, (token.line, token.column))
            table = header
            i = j + (2 if double else 1)
            continue
        parts, j = dotted(i)
        if not parts or j >= n or tokens[j].text != "=":
            return places
        mark(table, parts, token)
        i = value(j + 1, (*table, *parts))
    return places


def _resolved(parts: list[str], tables: dict[KeyPath, int]) -> KeyPath:
    """A header's key path, with the current index after each array of tables it is in
    (``[[a]]`` then ``[a.b]``: ``("a", 0, "b")``)."""
    path: KeyPath = ()
    for k, part in enumerate(parts):
        path = (*path, part)
        if path in tables and k < len(parts) - 1:
            path = (*path, tables[path])
    return path
