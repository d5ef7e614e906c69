"""Fuzz the plan loaders (YAML, JSON, Turtle, JSON-LD, XLSX) through the library and the CLI.

Every generated file must load, or fail with a located InputError (exit 2 at the CLI).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from validator.cli import main
from validator.core.errors import InputError
from validator.load import PLAN_SUFFIXES, load_plan

from .fuzz_budget import fuzz_settings
from .fuzz_checks import assert_cli_clean, assert_located, no_logged_tracebacks
from .fuzz_inputs import (
    json_texts,
    jsonld_texts,
    mutated_workbooks,
    seed_workbook,
    turtle_texts,
    yaml_texts,
)


def _write(path: Path, data: str | bytes) -> Path:
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass"))
    return path


def _load(path: Path) -> None:
    with no_logged_tracebacks():
        try:
            load_plan(path)
        except InputError as exc:
            assert_located(exc, str(path))


@fuzz_settings(150)
@given(text=yaml_texts())
def test_yaml_plans(text: str, tmp_path: Path) -> None:
    _load(_write(tmp_path / "plan.yaml", text))


@fuzz_settings(150)
@given(text=json_texts())
def test_json_plans(text: str, tmp_path: Path) -> None:
    _load(_write(tmp_path / "plan.json", text))


@fuzz_settings(80)
@given(text=turtle_texts())
def test_turtle_plans(text: str, tmp_path: Path) -> None:
    _load(_write(tmp_path / "plan.ttl", text))


@fuzz_settings(80)
@given(text=jsonld_texts())
def test_jsonld_plans(text: str, tmp_path: Path) -> None:
    _load(_write(tmp_path / "plan.jsonld", text))


def _workbooks() -> st.SearchStrategy[bytes]:
    seed = seed_workbook() if ".xlsx" in PLAN_SUFFIXES else None
    return st.nothing() if seed is None else mutated_workbooks(seed)


@pytest.mark.skipif(".xlsx" not in PLAN_SUFFIXES, reason="load_plan does not read .xlsx yet")
@fuzz_settings(40)
@given(data=_workbooks())
def test_xlsx_plans(data: bytes, tmp_path: Path) -> None:
    _load(_write(tmp_path / "plan.xlsx", data))


_CLI_INPUTS = st.one_of(
    yaml_texts().map(lambda t: ("plan.yaml", t)), json_texts().map(lambda t: ("plan.json", t)),
    turtle_texts().map(lambda t: ("plan.ttl", t)),
    jsonld_texts().map(lambda t: ("plan.jsonld", t)))


@fuzz_settings(60)
@given(case=_CLI_INPUTS, command=st.sampled_from(["validate", "convert"]))
def test_cli_never_shows_a_traceback(case: tuple[str, str], command: str,
                                     tmp_path: Path) -> None:
    path = _write(tmp_path / case[0], case[1])
    args = ["validate", str(path), "--format", "json"] if command == "validate" else [
        "convert", str(path), "--to", "yaml"]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert_cli_clean(result.exit_code, result.stdout, result.stderr, str(path))
