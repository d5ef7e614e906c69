"""``plancheck rules fmt``: rule files in the house style, comments and line breaks kept.

The formatter works on lines and tokens, not on the AST, so nothing an author wrote is lost
(comments, where long conditions and texts break). It sets:

- declarations (``rule``, ``concept``, ``parameter``, ``import``) at the margin, one blank
  line before each ``rule`` and ``concept`` (a comment just above stays attached), never
  more than one blank line in a row, no blank line at the end;
- clauses (``title``, ``severity``, ``source``, ``tags``, ``rationale``, ``for``, ``where``,
  ``let``, ``require``, ``message``, ``group``, ``doc``) two spaces in; a continuation line
  keeps its own indentation (at least four spaces), which aligns texts and conditions;
- one space between tokens and around operators, none inside brackets, before ``,`` and
  ``(`` of a call, or around ``.``; ``, `` between tags; a unary minus sticks to its
  operand; an end-of-line comment two spaces after the code (or where it was, when further);
- no tabs, no trailing spaces, one newline at the end.

The result must parse to the same rules as the text it came from (:func:`format_text`
checks), so formatting can never change what a rule means.
"""

from __future__ import annotations

import re

from validator.core.errors import InputError, Problem
from validator.core.i18n import _
from validator.rulelang.parser import parse_rules

DECLARATIONS = ("rule", "concept", "parameter", "import")
CLAUSES = ("title", "severity", "source", "tags", "rationale", "for", "where", "let",
           "require", "message", "group", "doc")
# words after which a bracket or parenthesis opens a value, not a call or an index
_WORDS = frozenset({
    "and", "or", "not", "is", "in", "where", "let", "require", "for", "each", "exists", "no",
    "every", "satisfies", "within", "between", "of", "one", "missing", "present", "percent",
    "rule", "concept", "parameter", "import", "title", "severity", "source", "tags",
    "rationale", "message", "group", "doc", "vi", "en", "true", "false"})
_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*|[0-9]+(?:\.[0-9]+)?|[A-Za-z_][A-Za-z0-9_]*'
                    r"|!=|<=|>=|[-+*/%<>=()\[\],.]|\S")
_BINARY = frozenset({"=", "!=", "<", "<=", ">", ">=", "+", "*", "/"})
_OPENERS = frozenset({"(", "["})


def _tokens(code: str) -> list[str]:
    return _TOKEN.findall(code)


def _unary(previous: str | None) -> bool:
    return previous is None or previous in _BINARY | _OPENERS | {",", "-"} or previous in _WORDS


def _join(tokens: list[str]) -> str:
    """Tokens of one line with the house spacing."""
    out = ""
    previous: str | None = None
    unary_minus = False
    for token in tokens:
        if previous is None or unary_minus or token in (",", ")", "]") or previous in _OPENERS \
                or "." in (previous, token):
            space = ""
        elif token == "(" and (previous[0].isalpha() or previous[0] == "_") \
                and previous not in _WORDS:
            space = ""  # a call: f(x)
        elif token == "[" and (previous in (")", "]") or (
                previous[0].isalnum() or previous[0] == "_") and previous not in _WORDS):
            space = ""  # an index: t.annual[2027]
        else:
            space = " "
        unary_minus = token == "-" and _unary(previous)
        out += space + token
        previous = token
    return out


def _code_and_comment(line: str) -> tuple[str, str, int]:
    """The code of a line, its end-of-line comment and the comment's column (0: none)."""
    for match in _TOKEN.finditer(line):
        if match.group(0).startswith("#"):
            return line[:match.start()], match.group(0), match.start()
    return line, "", 0


def _layout_line(body: str, head: str) -> str:
    """The code of one line in the house style; ``head`` is its first word."""
    if head == "rule":
        return " ".join(body.split())
    if head == "tags":
        parts = body.split(None, 1)
        tags = [t.strip() for t in parts[1].split(",")] if len(parts) > 1 else []
        return "tags " + ", ".join(tags)
    return _join(_tokens(body))


def format_text(text: str, file: str = "<rules>") -> str:
    """The text of a rule file in the house style; an InputError when it does not parse
    (nothing is formatted then) or, which would be a bug, when formatting changed it."""
    before = parse_rules(text, file)
    lines = text.expandtabs(4).splitlines()
    out: list[str] = []
    inside = False  # within a declaration (clauses follow)
    depth = 0  # brackets still open: the next line continues an expression
    quantified = False  # the clause so far has a quantifier, which a 'where' may continue
    for raw in lines:
        stripped = raw.strip()
        if not stripped:
            if out and out[-1] != "":
                out.append("")
            continue
        indent = len(raw) - len(raw.lstrip())
        code, comment, column = _code_and_comment(raw)
        tokens = _tokens(code)
        head = tokens[0] if tokens else ""
        if not code.strip():  # a comment line keeps its place
            out.append(" " * indent + comment.rstrip())
            continue
        if head in DECLARATIONS and depth == 0:
            inside = head in ("rule", "concept", "parameter")
            if head in ("rule", "concept") and out and out[-1] != "" and not out[
                    -1].lstrip().startswith("#"):
                out.append("")
            margin = 0
        elif head in CLAUSES and inside and depth == 0 and not (
                head == "where" and quantified and indent > 3):  # it continues a quantifier
            margin = 2
        else:  # a continuation: inside brackets, or a line that does not start a clause
            margin = max(indent, 4) if inside else indent
        if margin < 4:  # a new declaration or clause
            quantified = False
        quantified = quantified or bool({"exists", "no", "every"} & set(tokens))
        depth = max(0, depth + sum({"(": 1, "[": 1, ")": -1, "]": -1}.get(t, 0)
                                   for t in tokens))
        line = " " * margin + _layout_line(code.strip(), head)
        if comment:
            gap = max(2, column - len(line)) if column > len(line) else 2
            line += " " * gap + comment.rstrip()
        out.append(line.rstrip())
    while out and out[-1] == "":
        out.pop()
    while out and out[0] == "":
        out.pop(0)
    result = "\n".join(out) + "\n" if out else ""
    after = parse_rules(result, file)
    if after != before:  # pragma: no cover - a formatter bug, never a user's mistake
        raise InputError([Problem(file, _("formatting would change the rules of this file; "
                                          "it is left as it is"))])
    return result
