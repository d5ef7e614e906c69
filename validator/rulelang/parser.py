"""Parse rule files with the lark grammar and transform the tree into the typed AST."""

from __future__ import annotations

import functools
import re

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from validator import __version__
from validator.core import diskcache
from validator.core.errors import InputError, Problem, caret_excerpt
from validator.core.hints import close_matches, either
from validator.core.i18n import Message, _
from validator.core.resources import data_path
from validator.rulelang import ast

# what a token is, as the error that expected it says (the punctuation needs no words)
_TOKEN_NAMES: dict[str, str | Message] = {
    "NAME": _("a name"), "STRING": _("a text in double quotes"), "NUMBER": _("a number"),
    "RULE_ID": _("a rule id like CAT-04"), "TAG": _("a tag"),
    "LANG": _("a language (vi or en)"), "SEVERITY": _("a severity (error, warning or info)"),
    "COMP_OP": _("a comparison"), "ADD_OP": either(["'+'", "'-'"]),
    "MUL_OP": either(["'*'", "'/'"]), "LPAR": "'('", "RPAR": "')'",
    "LSQB": "'['", "RSQB": "']'", "COMMA": "','", "DOT": "'.'", "EQUAL": "'='",
    "MINUS": "'-'", "NOT": "'not'", "WITHIN": "'within'", "PERCENT": "'percent'",
}


_OPTIONS = {"parser": "lalr", "lexer": "contextual", "propagate_positions": True,
            "maybe_placeholders": False}


@functools.cache
def grammar_parser() -> Lark:
    """The lark parser for rule files (built once per process; its tables are kept in the
    cache on disk, keyed by the grammar's text and lark's version)."""
    import io

    import lark

    text = (data_path("grammar") / "rules.lark").read_text(encoding="utf-8")
    key = diskcache.fingerprint(text, lark.__version__, repr(sorted(_OPTIONS.items())),
                                version=__version__)
    saved = diskcache.get("grammar", key)
    if isinstance(saved, bytes):
        try:
            return Lark.load(io.BytesIO(saved))
        except Exception:  # lark cannot read it (another layout): build it again
            pass
    parser = Lark(text, **_OPTIONS)
    out = io.BytesIO()
    parser.save(out)
    diskcache.put("grammar", key, out.getvalue())
    return parser


def _unescape(token: str) -> str:
    body = token[1:-1]
    return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1),
                                                                     m.group(1)), body)


def _describe_expected(expected: set[str]) -> tuple[str | Message, ...]:
    """The tokens a parser expected, as words (rendered in the reader's language)."""
    names: list[str | Message] = []
    for name in sorted(expected):
        if name in _TOKEN_NAMES:
            names.append(_TOKEN_NAMES[name])
        elif name.isupper() and name.isalpha():
            names.append(f"'{name.lower()}'")
        else:
            names.append(name)
    names = sorted(set(names), key=str)
    if len(names) > 8:
        names = names[:8] + ["…"]
    return tuple(names)


#: the words of the language, for "did you mean" on a misspelt one
KEYWORDS = frozenset({
    "import", "parameter", "doc", "concept", "rule", "title", "severity", "source", "tags",
    "rationale", "for", "each", "where", "let", "require", "message", "and", "or", "not",
    "exists", "no", "every", "satisfies", "in", "within", "between", "is", "missing",
    "present", "one", "of", "percent", "true", "false", "error", "warning", "info"})
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _keywords(expected: set[str]) -> set[str]:
    return {name.lower() for name in expected if name.lower() in KEYWORDS}


def keyword_typo(text: str, line: int, column: int,
                 expected: set[str]) -> tuple[str, str, int] | None:
    """(word, keyword, column) when the word at the error, or the word just before it, is a
    misspelt keyword: ``requre`` (expected: 'require'), ``exist u in …``."""
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return None
    source = lines[line - 1]
    here = _WORD.match(source, column - 1)
    if here is not None and here.group(0) not in KEYWORDS:
        word = here.group(0)
        close = close_matches(word, _keywords(expected)) or close_matches(word, KEYWORDS)
        if close:
            return word, close[0], column
    before = list(_WORD.finditer(source[:column - 1]))
    if before and before[-1].group(0) not in KEYWORDS and not source[
            before[-1].end():column - 1].strip():
        word = before[-1].group(0)
        close = close_matches(word, {"exists", "every", "no", "not", "where", "satisfies"})
        if close and len(word) > 2:
            return word, close[0], before[-1].start() + 1
    return None


def _syntax_error(exc: UnexpectedInput, text: str, file: str) -> InputError:
    line, column = exc.line or 1, exc.column or 1
    if isinstance(exc, UnexpectedToken):
        if exc.token.type == "$END":
            reason = _("the file ends too early")
        else:
            reason = _("unexpected {token}", token=repr(exc.token.value))
        expected = _describe_expected(set(exc.expected))
        message = _("{reason}; expected {names}", reason=reason, names=expected) \
            if expected else reason
        typo = keyword_typo(text, line, column, set(exc.expected)) if exc.token.type != (
            "$END") else None
        if typo is not None:
            word, keyword, column = typo
            message = _("unexpected {word}; did you mean {keyword}?{expected}",
                        word=repr(word), keyword=repr(keyword),
                        expected=_(" (expected {names})", names=expected)
                        if expected and column == exc.column else "")
    elif isinstance(exc, UnexpectedCharacters):
        char = text[exc.pos_in_stream] if exc.pos_in_stream < len(text) else "?"
        message = _("unexpected character {char}", char=repr(char))
        if exc.allowed:
            message = _("{reason}; expected {names}", reason=message,
                        names=_describe_expected(set(exc.allowed)))
        typo = keyword_typo(text, line, column, set(exc.allowed or ()))
        if typo is not None:
            word, keyword, column = typo
            message = _("unexpected {word}; did you mean {keyword}?{expected}",
                        word=repr(word), keyword=repr(keyword), expected="")
    elif isinstance(exc, UnexpectedEOF):
        message = _("the file ends too early")
    else:  # pragma: no cover - lark has no other kinds
        message = _("syntax error")
    return InputError([Problem(file, message, line=line, column=column,
                               excerpt=caret_excerpt(text, line, column) or None)])


MAX_NUMBER_DIGITS = 30  # more than any quantity a plan holds; int() refuses 4,300


@v_args(meta=True, inline=True)
class _ToAst(Transformer):
    def __init__(self, file: str, text: str) -> None:
        super().__init__()
        self.file = file
        self.text = text

    def _pos(self, meta: object) -> ast.Pos:
        return ast.Pos(self.file, getattr(meta, "line", 1), getattr(meta, "column", 1))

    def _tpos(self, token: Token) -> ast.Pos:
        return ast.Pos(self.file, token.line or 1, token.column or 1)

    # declarations
    def start(self, meta, *items):
        return list(items)

    def import_decl(self, meta, path):
        target = _unescape(path)
        if not target.endswith(".rules"):  # nothing but rule files: no data, no code
            raise InputError([Problem(self.file, _(
                "import {target}: a rule file can import only other rule files (ending in "
                ".rules)", target=repr(target)),
                                      line=meta.line, column=meta.column,
                                      excerpt=caret_excerpt(self.text, meta.line, meta.column))])
        return ast.Import(target, self._pos(meta))

    def param_decl(self, meta, name, default, doc=None):
        return ast.ParamDecl(str(name), default, doc, self._pos(meta))

    def param_doc(self, meta, texts):
        return texts

    def texts(self, meta, *tokens):
        values: list[tuple[str, str]] = []
        for token in tokens:
            if token.type == "LANG":
                values.append((str(token), ""))
            else:
                lang, so_far = values[-1]
                piece = _unescape(token)
                values[-1] = (lang, f"{so_far} {piece}".strip() if so_far else piece)
        return ast.Texts(tuple(values), self._pos(meta))

    def meta_title(self, meta, texts):
        return ("title", texts)

    def meta_rationale(self, meta, texts):
        return ("rationale", texts)

    def meta_severity(self, meta, token):
        return ("severity", str(token))

    def meta_source(self, meta, token):
        return ("source", _unescape(token))

    def meta_tags(self, meta, *tags):
        return ("tags", tuple(str(t) for t in tags))

    def scope(self, meta, kind, var):
        return ast.Scope(str(kind), str(var), self._pos(meta))

    def where_clause(self, meta, expr):
        return ast.Where(expr, self._pos(meta))

    def let_clause(self, meta, name, expr):
        return ast.Let(str(name), expr, self._pos(meta))

    def require(self, meta, expr):
        return ("require", expr)

    def message(self, meta, texts):
        return ("message", texts)

    def group(self, meta, texts):
        return ("group", texts)

    def _meta_dict(self, parts, what: Message, pos: ast.Pos) -> dict:
        found: dict = {}
        for key, value in parts:
            if key in found:
                raise InputError([Problem(self.file, _("{what} has {key} twice", what=what,
                                                       key=repr(str(key))),
                                          line=pos.line, column=pos.column)])
            found[key] = value
        return found

    def concept_decl(self, meta, name, *rest):
        pos = self._pos(meta)
        metas = [r for r in rest if isinstance(r, tuple)]
        scope = next(r for r in rest if isinstance(r, ast.Scope))
        clauses = tuple(r for r in rest if isinstance(r, ast.Where | ast.Let))
        found = self._meta_dict(metas, _("concept {name}", name=str(name)), pos)
        return ast.ConceptDecl(str(name), found.get("title"), found.get("rationale"), scope,
                               clauses, pos)

    def rule_decl(self, meta, rule_id, *rest):
        pos = self._pos(meta)
        metas = [r for r in rest
                 if isinstance(r, tuple) and r[0] not in ("require", "message", "group")]
        found = self._meta_dict(metas, _("rule {id}", id=str(rule_id)), pos)
        scope = next(r for r in rest if isinstance(r, ast.Scope))
        clauses = tuple(r for r in rest if isinstance(r, ast.Where | ast.Let))
        require = next(r[1] for r in rest if isinstance(r, tuple) and r[0] == "require")
        message = next(r[1] for r in rest if isinstance(r, tuple) and r[0] == "message")
        group = next((r[1] for r in rest if isinstance(r, tuple) and r[0] == "group"), None)
        lines = self.text.splitlines()
        source_text = "\n".join(lines[meta.line - 1: meta.end_line]).strip()
        return ast.RuleDecl(str(rule_id), found.get("title"), found.get("severity"),
                            found.get("source"), found.get("tags", ()), found.get("rationale"),
                            scope, clauses, require, message, pos, source_text, group)

    # expressions
    def number(self, meta, token):
        text = str(token)
        if len(text.replace("_", "")) > MAX_NUMBER_DIGITS:  # int() of 100,000 digits fails
            raise InputError([Problem(self.file, _(
                "a number of {n} digits; numbers in rules have at most {limit}",
                n=len(text), limit=MAX_NUMBER_DIGITS), line=meta.line, column=meta.column,
                excerpt=caret_excerpt(self.text, meta.line, meta.column))])
        value = float(text) if "." in text else int(text)
        return ast.Literal(self._pos(meta), value)

    def string(self, meta, token):
        return ast.Literal(self._pos(meta), _unescape(token))

    def true(self, meta):
        return ast.Literal(self._pos(meta), True)

    def false(self, meta):
        return ast.Literal(self._pos(meta), False)

    def list(self, meta, *items):
        return ast.ListExpr(self._pos(meta), tuple(i for i in items if i is not None))

    def name(self, meta, token):
        return ast.Name(self._pos(meta), str(token))

    def attr(self, meta, obj, token):
        return ast.Attr(self._tpos(token), obj, str(token))

    def index(self, meta, obj, key):
        return ast.Index(self._pos(meta), obj, key)

    def call(self, meta, func, *args):
        return ast.Call(self._pos(meta), str(func), tuple(a for a in args if a is not None))

    def count_of(self, meta, func, var, coll, cond=None):
        return ast.Aggregate(self._pos(meta), str(func), str(var), coll, cond, None)

    def aggregate(self, meta, func, expr, var, coll, cond=None):
        return ast.Aggregate(self._pos(meta), str(func), str(var), coll, cond, expr)

    def exists(self, meta, var, coll, cond=None):
        return ast.Quantifier(self._pos(meta), "exists", str(var), coll, cond, None)

    def no(self, meta, var, coll, cond=None):
        return ast.Quantifier(self._pos(meta), "no", str(var), coll, cond, None)

    def every(self, meta, var, coll, *rest):
        cond, test = (rest[0], rest[1]) if len(rest) == 2 else (None, rest[0])
        return ast.Quantifier(self._pos(meta), "every", str(var), coll, cond, test)

    def binop(self, meta, left, op, right):
        return ast.BinOp(self._pos(meta), str(op), left, right)

    def neg(self, meta, operand):
        return ast.Neg(self._pos(meta), operand)

    def compare(self, meta, left, op, right, *rest):
        tolerance = relative = None
        for item in rest:
            if isinstance(item, Token) and item.type == "PERCENT":
                relative = True
            elif isinstance(item, ast.Expr):
                tolerance = item
        if tolerance is not None and str(op) != "=":
            raise InputError([Problem(self.file, _("'within' goes with '=' only"),
                                      line=meta.line, column=meta.column,
                                      excerpt=caret_excerpt(self.text, meta.line, meta.column))])
        return ast.Compare(self._pos(meta), str(op), left, right, tolerance, bool(relative))

    def between(self, meta, value, low, high):
        return ast.Between(self._pos(meta), value, low, high)

    def _is(self, meta, test, value, rest, arg=None, concept=""):
        negated = any(isinstance(r, Token) and r.type == "NOT" for r in rest)
        return ast.Is(self._pos(meta), test, value, negated, arg, concept)

    def is_missing(self, meta, value, *rest):
        return self._is(meta, "missing", value, rest)

    def is_present(self, meta, value, *rest):
        return self._is(meta, "present", value, rest)

    def is_one_of(self, meta, value, *rest):
        return self._is(meta, "one_of", value, rest[:-1], arg=rest[-1])

    def is_concept(self, meta, value, *rest):
        return self._is(meta, "concept", value, rest[:-1], concept=str(rest[-1]))

    def and_expr(self, meta, *items):
        return ast.BoolOp(self._pos(meta), "and", tuple(items))

    def or_expr(self, meta, *items):
        return ast.BoolOp(self._pos(meta), "or", tuple(items))

    def not_(self, meta, _token, operand):
        return ast.Not(self._pos(meta), operand)


def parse_rules(text: str, file: str) -> ast.RuleFile:
    """Parse the text of one rule file into its AST, or raise a located InputError."""
    try:
        tree = grammar_parser().parse(text)
    except UnexpectedInput as exc:
        raise _syntax_error(exc, text, file) from None
    try:
        items = _ToAst(file, text).transform(tree)
    except Exception as exc:  # lark wraps errors raised inside the transformer
        inner = getattr(exc, "orig_exc", exc)
        if isinstance(inner, InputError):
            raise inner from None
        raise
    return ast.RuleFile(
        file,
        tuple(i for i in items if isinstance(i, ast.Import)),
        tuple(i for i in items if isinstance(i, ast.ParamDecl)),
        tuple(i for i in items if isinstance(i, ast.ConceptDecl)),
        tuple(i for i in items if isinstance(i, ast.RuleDecl)),
    )
