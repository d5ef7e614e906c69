"""Shared fixtures: paths, a CLI runner, and a small plan factory; the ``--fuzz-long``
option (10,000 cases per fuzzer; see tests/fuzz/fuzz_budget.py)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

# the cache on disk of the tests' own processes: never the user's
os.environ.setdefault("PLANCHECK_CACHE_DIR", tempfile.mkdtemp(prefix="plancheck-tests-cache-"))

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOOD_EXAMPLES = sorted(EXAMPLES.glob("*.yaml"))
FLAWED_EXAMPLES = sorted((EXAMPLES / "flawed").glob("*.yaml"))
BROKEN_EXAMPLES = sorted((EXAMPLES / "broken").glob("*.yaml"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--fuzz-long", action="store_true", default=False,
                     help="run each fuzzer for 10,000 cases (default: a short run); the same "
                          "as PLANCHECK_FUZZ=long")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--fuzz-long", default=False):
        os.environ["PLANCHECK_FUZZ"] = "long"  # read when the fuzzers' budget is imported
        budget = sys.modules.get("fuzz.fuzz_budget")
        if budget is not None:
            budget.LONG = True


@pytest.fixture
def cli():
    """Invoke the plancheck CLI in-process; returns (exit code, stdout, stderr)."""
    from validator.cli import main

    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr
    return invoke


def small_plan(**header: Any) -> dict[str, Any]:
    """A valid plan/1 document with one objective and two targets."""
    plan = {"id": "p", "title": {"vi": "Kế hoạch", "en": "Plan"}, "kind": "five_year_sedp",
            "level": "province", "locality": "Lào Cai", "period": [2026, 2030],
            "baseline_year": 2025}
    plan.update(header)
    return {
        "format": "plan/1",
        "plan": plan,
        "objectives": [{
            "id": "O1", "kind": "general", "title": "Water", "field": "environment",
            "solutions": [{"id": "O1.S1", "title": "Pipes", "budget": {"value": 420,
                                                                       "unit": "billion VND"}}],
            "targets": [
                {"id": "O1.T1", "solution": "O1.S1", "indicator": "Households connected",
                 "category": "output", "unit": "household", "rollup": "sum", "target": 20000,
                 "annual": {2026: 2000, 2027: 3000, 2028: 4000, 2029: 5000, 2030: 6000},
                 "compiling_agency": "DOC", "providing_agencies": ["DARD"]},
                {"id": "O1.T2", "indicator": {"vi": "Tỷ lệ hộ dùng nước sạch"},
                 "category": "outcome", "unit": "%", "rollup": "last",
                 "baseline": {"year": 2025, "value": 61}, "target": 75},
            ],
        }],
    }


@pytest.fixture
def write_plan(tmp_path):
    """Write a plan document as YAML (or raw text) and return its path."""
    def write(data: Any, name: str = "plan.yaml") -> Path:
        path = tmp_path / name
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                            encoding="utf-8")
        return path
    return write
