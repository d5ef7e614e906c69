"""The warm path: one compiled rule set reused per request gives what a fresh run gives."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES, GOOD_EXAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st

from validator.core.errors import InputError
from validator.pipeline.validate import validate
from validator.pipeline.warm import Checker

FLAWED = sorted((EXAMPLES / "flawed").glob("*.yaml"))


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker.compile()


@pytest.mark.parametrize("path", [*GOOD_EXAMPLES, *FLAWED[:6]], ids=lambda p: p.name)
def test_same_findings_as_a_run(checker, path):
    expected = validate([str(path)]).findings
    assert checker.check_file(path) == expected
    assert checker.check_file(path) == expected  # and again: nothing kept between requests
    assert checker.check_text(path.read_text(encoding="utf-8"), str(path)) == expected


def test_a_flawed_plan_has_findings_and_a_bad_one_is_an_input_error(checker, tmp_path):
    assert any(checker.check_file(p) for p in FLAWED)
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: plan/1\nplan: [1\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        checker.check_file(bad)
    assert raised.value.problems[0].file == str(bad) and raised.value.problems[0].line
    with pytest.raises(InputError):
        checker.check_text("x", "plan.xlsx")  # a workbook is not text


def test_params_are_compiled_in(tmp_path):
    plan = GOOD_EXAMPLES[0]
    default = Checker.compile()
    assert Checker.compile().ruleset is default.ruleset  # compiled once per process
    other = Checker.compile(params={"growth_max": 1})
    assert other.ruleset is not default.ruleset
    assert other.ruleset.values["growth_max"] == 1
    assert len(other.check_file(plan)) > len(default.check_file(plan))


def test_the_program_spares_its_exit_the_collections(cli, tmp_path):
    """Called as the program, the command line freezes the collector at the exit (the last
    collections cost a third of a small plan's command); through click's test runner, as
    here, it changes nothing in the calling process."""
    import gc
    import os
    import subprocess
    import sys

    from conftest import ROOT

    from validator.core import diskcache

    plan = GOOD_EXAMPLES[0]
    assert cli("validate", plan, "--format", "json")[0] in (0, 1)
    assert not diskcache._state.get("freeze") and gc.get_freeze_count() == 0
    probe = ("import atexit, gc, sys\n"
             "atexit.register(lambda: print('FROZEN', gc.get_freeze_count() > 0, "
             "file=sys.stderr))\n"  # registered first: runs last
             f"sys.argv = ['plancheck', 'validate', {str(plan)!r}, '--format', 'json']\n"
             "from validator.cli import main; main()\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={**os.environ})
    assert done.returncode in (0, 1) and "FROZEN True" in done.stderr, done.stderr


_PIECES = ["a", "b", " ", "\t", "\n", "\r", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "[", "]",
           ":", ":smile:", "[bold]", "中", "é", "e\u0301", "\u200b", "😀", "\u2028", "x" * 30]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(_PIECES), max_size=8).map("".join),
                          st.sampled_from(["", "bold", "dim", "bold red"])),
                min_size=1, max_size=4))
def test_the_plain_text_report_writes_lines_as_rich_does(parts):
    """Without colour the text report does not import rich: its lines are what rich wrote."""
    import io

    from rich.console import Console
    from rich.text import Text

    from validator.report import text_report

    mine = text_report.Console(color=False)
    line = text_report.Text(*parts[0])
    for text, style in parts[1:]:
        line.append(text, style)
    mine.print(line)
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=False, no_color=True, width=100,
                      highlight=False, soft_wrap=True)
    theirs = Text(*parts[0])
    for text, style in parts[1:]:
        theirs.append(text, style=style)
    console.print(theirs)
    assert mine.getvalue() == buffer.getvalue()


def test_the_control_codes_rich_drops_are_the_plain_reports():
    from rich.control import STRIP_CONTROL_CODES

    from validator.report import text_report

    assert sorted(text_report._DROPPED) == sorted(STRIP_CONTROL_CODES)


@settings(max_examples=2000, deadline=None)
@given(st.one_of(st.integers(-10**16, 10**16), st.floats(allow_nan=True, allow_infinity=True),
                 st.floats(-1e6, 1e6).map(lambda x: round(x, 3)), st.just(-0.0)),
       st.integers(0, 3), st.sampled_from(["vi", "en"]))
def test_numbers_read_as_babel_writes_them(value, digits, lang):
    """Numbers in messages are grouped without importing Babel; they read the same."""
    from babel.numbers import format_decimal

    from validator.core.i18n import _LOCALES, Number

    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    try:
        expected = format_decimal(value, format=pattern, locale=_LOCALES[lang])
    except ArithmeticError:  # Babel cannot write it either (1e300 to two decimals)
        with pytest.raises(ArithmeticError):
            Number(value, digits).render(lang)
        return
    assert Number(value, digits).render(lang) == expected
