"""The warm path: one compiled rule set reused per request gives what a fresh run gives."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES, GOOD_EXAMPLES

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
