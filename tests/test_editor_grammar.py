"""The TextMate grammar for rule files (editors/): valid, complete, and in agreement with the
real lexer (grammar/rules.lark) on every token of the bundled pack and the example pack."""

from __future__ import annotations

import json
import logging
import re

import pytest
from conftest import ROOT

from validator.core.resources import data_path

EDITORS = ROOT / "editors"
GRAMMAR = EDITORS / "plancheck-rules.tmLanguage.json"
RULE_FILES = sorted((ROOT / "rules" / "mpi2013").glob("*.rules")) + sorted(
    (ROOT / "examples" / "packs").rglob("*.rules"))

# every construct of the language, keywords included, in one rule file that parses
KITCHEN_SINK = '''# a comment
import "other.rules"
parameter limit = -1.5  # trailing comment
  doc vi "Giới hạn {x}" en "A \\"limit\\""
concept big
  title vi "Lớn" en "Big"
  rationale vi "a" en "b"
  for each target t
  where t.target > limit and t.unit is not missing
rule AB-01
  title vi "Tiêu đề" en "Title"
  severity info
  source "p.1"
  tags results-chain, smart
  rationale vi "r" en "r"
  for each objective o
  where o.kind = "specific" or not (exists c in o.children)
  let n = count(t in o.targets where t.category is one of ["input"])
  let s = sum(t.target * 2 - 1 / 3 for t in o.targets where t is big)
  require every t in o.targets where t.unit is present satisfies t.annual[2027] between 0 and 5
      and no t in o.targets where t.target = s within 2 percent
      and n >= 1 and n != 0 and n < 9 and n <= 8 and n > 0 and true and not false
      and len(o.targets) = 1 within 1 % and o.parent.kind is not one of ["general"]
  message vi "Mục tiêu {o.id}: {n}" en "Objective {o.id}: {n}"
  group vi "{count}/{total}: {ids}" en "{count} of {total}: {ids}"
rule AB-02 title vi "a" en "a" severity error for each plan p require true message vi "a" en "a"
rule AB-03 title vi "a" en "a" severity warning for each plan p require true message vi "a"
  en "a"
'''


def _quiet() -> None:
    logging.getLogger("textmate_grammar").setLevel(logging.ERROR)


@pytest.fixture(scope="module")
def tokenize():
    """Tokenize a text with the grammar (Oniguruma, as in VS Code): a map from (line,
    column), both 0-based, to the scopes of the character there."""
    parsers = pytest.importorskip("textmate_grammar.parsers.base")
    _quiet()
    parser = parsers.LanguageParser(json.loads(GRAMMAR.read_text(encoding="utf-8")))

    def run(text: str) -> dict[tuple[int, int], list[str]]:
        scopes: dict[tuple[int, int], list[str]] = {}
        for (line, column), content, names in parser.parse_string(text).flatten():
            for offset in range(len(content)):
                scopes[(line, column + offset)] = names
        return scopes
    return run


def _lark_tokens(text: str) -> list[tuple[str, str, int, int]]:
    """(type, value, line, column) of every token the real parser reads, and the comments."""
    from lark import Lark, Token

    source = (data_path("grammar") / "rules.lark").read_text(encoding="utf-8")
    comments: list[Token] = []
    tree = Lark(source, parser="lalr", lexer="contextual", keep_all_tokens=True,
                lexer_callbacks={"COMMENT": comments.append}).parse(text)
    tokens = [*tree.scan_values(lambda v: isinstance(v, Token)), *comments]
    return sorted((t.type, str(t), t.line, t.column) for t in tokens)


def _expected(kind: str, value: str) -> tuple[str, ...]:
    """The scope families a token of the real lexer may have."""
    table = {
        "STRING": ("string.quoted",), "NUMBER": ("constant.numeric",),
        "RULE_ID": ("entity.name.function.rule-id",), "TAG": ("entity.other.attribute-name.tag",),
        "SEVERITY": ("constant.language.severity",), "LANG": ("constant.language.lang",),
        "NAME": ("variable.", "support.function", "support.type", "entity.name.type"),
        "COMP_OP": ("keyword.operator.comparison",), "ADD_OP": ("keyword.operator.arithmetic",),
        "MUL_OP": ("keyword.operator.arithmetic",), "PERCENT": ("keyword.operator",),
        "COMMENT": ("comment.line",),
    }
    by_value = {"(": "punctuation", ")": "punctuation", "[": "punctuation",
                "]": "punctuation", ",": "punctuation", ".": "punctuation.accessor",
                "=": "keyword.operator.comparison", "-": "keyword.operator.arithmetic"}
    if kind in table:
        return table[kind]
    if value in by_value:
        return (by_value[value],)
    if value in ("true", "false", "missing", "present"):
        return ("constant.language",)
    assert re.fullmatch(r"[a-z]+", value), f"unexpected token {kind} {value!r}"
    return ("keyword.",)


def _agrees(text: str, scopes: dict[tuple[int, int], list[str]]) -> list[str]:
    wrong = []
    for kind, value, line, column in _lark_tokens(text):
        for offset in range(len(value)):
            names = scopes.get((line - 1, column - 1 + offset), [])
            if not any(n.startswith(e) for n in names[1:] for e in _expected(kind, value)):
                wrong.append(f"{line}:{column} {kind} {value!r} has scopes {names}")
                break
    return wrong


def test_the_grammar_is_valid_json_and_its_regexes_compile():
    grammar = json.loads(GRAMMAR.read_text(encoding="utf-8"))
    assert grammar["scopeName"] == "source.plancheck-rules" and "rules" in grammar["fileTypes"]

    def regexes(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("match", "begin", "end") and isinstance(value, str):
                    yield value
                yield from regexes(value)
        elif isinstance(node, list):
            for item in node:
                yield from regexes(item)
    found = list(regexes(grammar))
    assert len(found) > 20
    for pattern in found:
        re.compile(pattern)  # the grammar keeps to what Python and Oniguruma both read
    included = {i["include"][1:] for i in grammar["patterns"]}
    assert included == set(grammar["repository"])


def test_the_vscode_extension_points_at_the_grammar():
    package = json.loads((EDITORS / "vscode" / "package.json").read_text(encoding="utf-8"))
    language = package["contributes"]["languages"][0]
    grammar = package["contributes"]["grammars"][0]
    assert language["extensions"] == [".rules"] and grammar["language"] == language["id"]
    packaged = (EDITORS / "vscode" / grammar["path"]).resolve()  # inside the extension: vsce
    assert packaged.is_relative_to((EDITORS / "vscode").resolve())  # packs only those files
    assert packaged.read_bytes() == GRAMMAR.read_bytes(), "copy the grammar to vscode/syntaxes"
    assert grammar["scopeName"] == json.loads(GRAMMAR.read_text(encoding="utf-8"))["scopeName"]
    config = EDITORS / "vscode" / language["configuration"]
    assert json.loads(config.read_text(encoding="utf-8"))["comments"]["lineComment"] == "#"


def test_every_keyword_of_the_language_is_highlighted(tokenize):
    lark = (data_path("grammar") / "rules.lark").read_text(encoding="utf-8")
    code = "\n".join(line.split("//")[0] for line in lark.splitlines())
    words = set(re.findall(r'"([a-z]+)"', code)) | {"within", "not", "percent"}
    scopes = tokenize(KITCHEN_SINK)
    tokens = _lark_tokens(KITCHEN_SINK)
    for word in sorted(words):
        places = [(line, col) for _, value, line, col in tokens if value == word]
        assert places, f"the sample does not use {word!r}"
        for line, col in places:
            names = " ".join(scopes[(line - 1, col - 1)])
            assert "keyword." in names or "constant.language" in names, (word, names)


def test_the_sample_is_scoped_like_the_real_lexer_reads_it(tokenize):
    assert _agrees(KITCHEN_SINK, tokenize(KITCHEN_SINK)) == []
    scopes = tokenize(KITCHEN_SINK)
    line = KITCHEN_SINK.splitlines().index(next(x for x in KITCHEN_SINK.splitlines()
                                                if x.startswith("  message")))
    column = KITCHEN_SINK.splitlines()[line].index("{o.id}")
    assert any("placeholder" in n for n in scopes[(line, column)])


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_every_token_of_the_packs_is_scoped_like_the_real_lexer_reads_it(tokenize, path):
    text = path.read_text(encoding="utf-8")
    scopes = tokenize(text)
    assert _agrees(text, scopes) == []
    for number, line in enumerate(text.splitlines()):
        for column, char in enumerate(line):
            if not char.isspace():
                assert len(scopes.get((number, column), [])) > 1, (
                    f"{path.name}:{number + 1}:{column + 1} {char!r} has no scope")
