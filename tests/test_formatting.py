"""plancheck rules fmt: rule files in the house style, comments and line breaks kept, the
meaning never changed; the bundled pack is formatted (CI runs this file)."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

from validator.core.errors import InputError
from validator.rulelang.formatting import format_text
from validator.rulelang.parser import parse_rules

MESSY = '''import "a.rules"


# parameters
parameter x=-5   # a comment
rule  A-1
 title vi "a"   en "b"
  tags a,b-c ,  d
 severity error
  for each target t
    where t.annual [ 2027 ]>-1 and f (x) = t . unit
  let y = count(u in t.plan.targets
       where u.unit = "%")
  require( x+1 )*2 = -x  and exists u in t.plan.targets
      where u.id != "#not a comment"
  message vi "{t.id}" en "x"


'''

TIDY = '''import "a.rules"

# parameters
parameter x = -5  # a comment

rule A-1
  title vi "a" en "b"
  tags a, b-c, d
  severity error
  for each target t
  where t.annual[2027] > -1 and f(x) = t.unit
  let y = count(u in t.plan.targets
       where u.unit = "%")
  require (x + 1) * 2 = -x and exists u in t.plan.targets
      where u.id != "#not a comment"
  message vi "{t.id}" en "x"
'''


def test_a_messy_file_is_put_in_the_house_style():
    assert format_text(MESSY) == TIDY
    assert format_text(TIDY) == TIDY
    assert parse_rules(TIDY, "x") == parse_rules(MESSY, "x")


_PIECE = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*')


def _mess(text: str) -> str:
    """Spacing made ragged outside texts and comments; clauses indented by one space."""
    out = []
    for line in text.splitlines(keepends=True):
        line = re.sub(r"^  (where|let|require|message|for|title|severity) ", r" \1  ", line)
        pieces, at = [], 0
        for match in _PIECE.finditer(line):
            pieces.append(_ragged(line[at:match.start()]))
            pieces.append(match.group(0))
            at = match.end()
        pieces.append(_ragged(line[at:]))
        out.append("".join(pieces))
    return "".join(out)


def _ragged(code: str) -> str:
    return code.replace("(", "( ").replace(")", " )").replace(", ", " ,   ").replace(
        " = ", "=")


def _bundled() -> list:
    return sorted((ROOT / "rules").rglob("*.rules")) + sorted(
        (ROOT / "examples" / "packs").rglob("*.rules"))


@pytest.mark.parametrize("path", _bundled(), ids=lambda p: p.name)
def test_the_bundled_rules_are_formatted_and_come_back_from_a_mess(path):
    text = path.read_text(encoding="utf-8")
    assert format_text(text, str(path)) == text, f"run plancheck rules fmt {path}"
    messed = _mess(text).replace("\n\nrule ", "\n\n\n\nrule ")
    assert messed != text
    assert format_text(messed, str(path)) == text


def test_a_file_that_does_not_parse_is_not_formatted(tmp_path, cli):
    path = tmp_path / "bad.rules"
    path.write_text("rule X-1\n  requre t\n", encoding="utf-8")
    with pytest.raises(InputError):
        format_text(path.read_text(encoding="utf-8"), str(path))
    code, _, err = cli("rules", "fmt", path)
    assert code == 2 and "bad.rules:2:3" in err
    assert path.read_text(encoding="utf-8") == "rule X-1\n  requre t\n"


def test_rules_fmt_check_passes_on_the_bundled_pack(cli):
    code, out, _ = cli(
        "rules", "fmt", "--lang", "en", "--check", ROOT / "rules", ROOT / "examples" / "packs")
    assert code == 0 and re.search(r"^(\d+) of \1 files already formatted$", out, re.M)


def test_rules_fmt_writes_and_check_reports(tmp_path, cli):
    path = tmp_path / "a.rules"
    path.write_text(MESSY, encoding="utf-8")
    code, out, _ = cli("rules", "fmt", "--lang", "en", "--check", tmp_path)
    assert code == 1 and f"would format {path}" in out
    assert path.read_text(encoding="utf-8") == MESSY
    code, out, _ = cli("rules", "fmt", "--lang", "en", tmp_path)
    assert code == 0 and f"formatted {path}" in out
    assert path.read_text(encoding="utf-8") == TIDY
