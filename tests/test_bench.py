"""The performance bench runs and prints what README's Performance section reads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_run_bench_prints_times_and_ratios():
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "20", "60",
                           "--repeat", "1", "--cpu"], capture_output=True, text=True,
                          timeout=300, check=True)
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith("compile bundled pack (")
    assert lines[1].split()[:6] == ["targets", "load", "s", "validate", "s", "first"]
    rows = [line.split() for line in lines[2:]]
    assert [row[0] for row in rows] == ["20", "60"]
    assert all(row[5].endswith("x") and float(row[5][:-1]) > 0 for row in rows)
    assert rows[1][6] == "3x"  # the ratio of sizes
