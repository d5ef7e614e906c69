"""``--fuzz-long`` gives every fuzzer 10,000 cases (the hardening issue's long runs), and a
plain run keeps each short."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ROOT

from .fuzz_budget import LONG_EXAMPLES

# pytest collects tests/fuzz with --fuzz-long (or without), then each fuzzer's budget is read
_SCRIPT = """
import json, sys, pytest
pytest.main([*sys.argv[1:], "--collect-only", "-q", "-p", "no:cacheprovider", "tests/fuzz"])
budget = {}
for name, module in sorted(sys.modules.items()):
    if name.startswith("fuzz.test_"):
        for attr, value in vars(module).items():
            found = getattr(value, "_hypothesis_internal_use_settings", None)
            if attr.startswith("test_") and found is not None:
                budget[f"{name}.{attr}"] = found.max_examples
print("BUDGET", json.dumps(budget))
"""

HOSTILE = ["test_hostile_workbooks_are_bounded", "test_hostile_rule_files_are_located_errors",
           "test_hostile_configuration_and_params_are_located_errors",
           "test_outputs_never_destroy_an_input"]


def _budget(*args: str) -> dict[str, int]:
    env = {k: v for k, v in os.environ.items() if k != "PLANCHECK_FUZZ"}
    done = subprocess.run([sys.executable, "-c", _SCRIPT, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    line = next(x for x in done.stdout.splitlines() if x.startswith("BUDGET "))
    return json.loads(line.removeprefix("BUDGET "))


def test_fuzz_long_gives_every_fuzzer_ten_thousand_cases() -> None:
    long, short = _budget("--fuzz-long"), _budget()
    assert {f"fuzz.test_fuzz_hostile.{name}" for name in HOSTILE} <= set(long)
    assert len(long) >= 10 and set(long) == set(short)
    assert set(long.values()) == {LONG_EXAMPLES} == {10_000}
    assert max(short.values()) <= 200
