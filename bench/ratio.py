"""Benchmark: the full bundled pack against loading, over several fresh processes.

    python bench/ratio.py [--targets 10000] [--processes 7] [--repeat 3]

Each process (a fresh interpreter, as for one `plancheck validate`) compiles the bundled
pack, loads a generated plan and validates it ``--repeat`` times, timing CPU. It reports
the load time, the first validation (what a one-shot command pays: its caches start empty)
and the best validation, each over the load. The summary gives the median, lowest and
highest ratio over the processes: the machine's noise moves single runs by ±20% or more.
Aim (issue #9): validation costs at most twice the load.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def child(path: Path, repeat: int) -> None:
    sys.path.insert(0, str(HERE.parent))
    from validator.engine.runner import runner_for
    from validator.load import load_plan
    from validator.pipeline.check import check
    from validator.rulelang.cache import load_ruleset

    ruleset = load_ruleset()
    runner_for(ruleset)  # build the engines before timing
    start = time.process_time()
    loaded = load_plan(path)
    load = time.process_time() - start
    runs = []
    for _ in range(repeat):
        start = time.process_time()
        check([loaded], ruleset)
        runs.append(time.process_time() - start)
    print(json.dumps({"load": load, "first": runs[0], "best": min(runs)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=10000)
    parser.add_argument("--processes", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.repeat)
        return
    sys.path.insert(0, str(HERE))
    from generate import write

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = write(args.targets, Path(tmp) / f"plan-{args.targets}.yaml")
        print(f"{'process':>8} {'load s':>7} {'first s':>8} {'best s':>7} "
              f"{'first/load':>11} {'best/load':>10}")
        for n in range(1, args.processes + 1):
            out = subprocess.run([sys.executable, __file__, "--child", str(path),
                                  "--repeat", str(args.repeat)],
                                 check=True, capture_output=True, text=True).stdout
            row = json.loads(out.splitlines()[-1])
            rows.append(row)
            print(f"{n:>8} {row['load']:>7.3f} {row['first']:>8.3f} {row['best']:>7.3f} "
                  f"{row['first'] / row['load']:>10.2f}x {row['best'] / row['load']:>9.2f}x")
    for key in ("first", "best"):
        ratios = sorted(r[key] / r["load"] for r in rows)
        print(f"{key} validation / load over {len(rows)} processes: median "
              f"{statistics.median(ratios):.2f}x, lowest {ratios[0]:.2f}x, "
              f"highest {ratios[-1]:.2f}x")


if __name__ == "__main__":
    main()
