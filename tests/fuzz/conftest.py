"""The fuzzers' options: ``--fuzz-long`` runs 10,000 cases per input kind."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--fuzz-long", action="store_true", default=False,
                     help="run each fuzzer for 10,000 cases (default: a short run)")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--fuzz-long", default=False):
        from . import fuzz_budget

        fuzz_budget.LONG = True
