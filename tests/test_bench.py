"""The performance bench runs and prints what README's Performance section reads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_run_bench_prints_times_ratios_and_aims():
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--sections",
                           "startup", "warm", "sizes", "--sizes", "20", "60", "--repeat", "1"],
                          capture_output=True, text=True, timeout=600, check=True)
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith("plancheck ") and "CPU seconds" in lines[0]
    assert any(line.strip().startswith("validate, warm cache") for line in lines)
    assert any("per plan: first" in line for line in lines)
    header = next(i for i, line in enumerate(lines) if line.split()[:2] == ["targets", "load"])
    rows = [line.split() for line in lines[header + 1:header + 3]]
    assert [row[0] for row in rows] == ["20", "60"]
    assert all(row[5].endswith("x") and float(row[5][:-1]) > 0 for row in rows)
    assert rows[1][6] == "3x"  # the ratio of sizes
    assert float(rows[1][-1]) > 10  # peak MB of the size's own process
    aims = lines[lines.index("== aims ==") + 1:]
    assert len(aims) == 3 and all(a.strip().startswith(("met", "NOT met")) for a in aims[:-1])
    assert aims[-1].strip() == f"{sum(a.strip().startswith('met') for a in aims[:-1])} of 2 " \
                               "aims met"


def test_ratio_bench_runs_fresh_processes_and_summarises_the_ratios():
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "ratio.py"), "--targets", "40",
                           "--processes", "2", "--repeat", "2"], capture_output=True, text=True,
                          timeout=300, check=True)
    lines = done.stdout.strip().splitlines()
    assert lines[0].split() == ["process", "load", "s", "first", "s", "best", "s",
                                "first/load", "best/load"]
    rows = [line.split() for line in lines[1:3]]
    assert [row[0] for row in rows] == ["1", "2"]
    assert all(float(row[3]) <= float(row[2]) for row in rows)  # best is at most the first
    assert lines[3].startswith("first validation / load over 2 processes: median ")
    assert lines[4].startswith("best validation / load over 2 processes: median ")


def test_hostile_bench_measures_each_case_against_its_bounds():
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "hostile.py"), "--quick"],
                          capture_output=True, text=True, timeout=600)
    lines = done.stdout.strip().splitlines()
    assert lines[0].split()[:5] == ["case", "exit", "CPU", "s", "wall"], done.stdout
    rows = lines[1:-1]
    assert [row.split()[:2] for row in rows] == [["xlsx:", "blank"], ["rule:", "300"]]
    for row in rows:
        *_, code, cpu, wall, peak, verdict = row.split()
        assert verdict == "ok", row
        assert code in ("1", "2") and 0 < float(cpu) < 10 and float(wall) > 0, row
        assert 10 < float(peak) < 1024, row  # a Python process's resident memory, in MB
    assert lines[-1] == "2 of 2 cases within the bounds" and done.returncode == 0
    tight = subprocess.run([sys.executable, str(ROOT / "bench" / "hostile.py"), "rule: 300",
                            "--seconds", "0.01"], capture_output=True, text=True, timeout=600)
    assert "BROKEN: CPU > 0.01 s" in tight.stdout and tight.returncode == 1, tight.stdout
