"""Fuzz rule files: mutated bundled rules and generated rules, parsed, resolved, compiled
and run over plans. Every rule file is accepted and runs, or fails with a located
InputError (exit 2 at the CLI)."""

from __future__ import annotations

import functools
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given

from validator.cli import main
from validator.core.errors import InputError
from validator.load import load_plan
from validator.pipeline.check import check
from validator.plan.loaded import LoadedPlan
from validator.rulelang.build import build_ruleset

from .fuzz_budget import fuzz_settings
from .fuzz_checks import assert_cli_clean, assert_located, no_logged_tracebacks
from .fuzz_inputs import ROOT, rule_texts, seed_texts


@functools.cache
def _plans(folder: str) -> tuple[LoadedPlan, ...]:
    seed = Path(folder) / "seed.yaml"
    seed.write_text(seed_texts()["yaml"], encoding="utf-8")
    return (load_plan(seed), load_plan(ROOT / "examples" / "province-five-year-sedp.yaml"))


@fuzz_settings(120)
@given(text=rule_texts())
def test_rule_files_load_and_run_or_fail_located(text: str, tmp_path: Path) -> None:
    path = tmp_path / "fuzz.rules"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    with no_logged_tracebacks():
        try:
            ruleset = build_ruleset([str(path)])
        except InputError as exc:
            assert_located(exc, str(path))
            return
        check(list(_plans(str(tmp_path))), ruleset)


@fuzz_settings(30)
@given(text=rule_texts())
def test_rules_check_cli_never_shows_a_traceback(text: str, tmp_path: Path) -> None:
    path = tmp_path / "fuzz.rules"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    result = CliRunner().invoke(main, ["rules", "check", str(path)], catch_exceptions=False)
    assert_cli_clean(result.exit_code, result.stdout, result.stderr, str(path))
