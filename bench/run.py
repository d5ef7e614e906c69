"""Benchmark: load and validate generated plans of 100, 1,000 and 10,000 targets.

    python bench/run.py [--sizes 100 1000 10000] [--repeat 3] [--cpu]

Prints, per size, the time to load the plan (read, parse, validate the model) and the time
to validate it with the bundled pack (views, facts, engine, findings), the best of
--repeat runs; the first validation's time (the built-ins' lookup caches are filled by it);
validate time over load time; and the ratios between consecutive sizes. The rule set is
compiled once beforehand, as in a long-running process; its compile time is printed
separately.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generate import write  # noqa: E402

from validator.engine.runner import runner_for  # noqa: E402
from validator.load import load_plan  # noqa: E402
from validator.pipeline.check import check  # noqa: E402
from validator.rulelang.cache import load_ruleset  # noqa: E402

CLOCK = time.perf_counter


def timed(fn, repeat: int) -> tuple[float, float, object]:
    """The first and the best time of ``repeat`` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = CLOCK()
        result = fn()
        times.append(CLOCK() - start)
    return times[0], min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cpu", action="store_true",
                        help="measure CPU time of this process instead of wall-clock time "
                             "(steadier on a shared machine)")
    args = parser.parse_args()
    if args.cpu:
        global CLOCK
        CLOCK = time.process_time

    start = time.perf_counter()
    ruleset = load_ruleset()
    runner_for(ruleset)  # build the engines before timing
    print(f"compile bundled pack ({len(ruleset.rules)} rules): "
          f"{time.perf_counter() - start:.2f} s")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path = write(size, Path(tmp) / f"plan-{size}.yaml")
            _, load_s, loaded = timed(lambda path=path: load_plan(path), args.repeat)
            first_s, validate_s, findings = timed(
                lambda loaded=loaded: check([loaded], ruleset), args.repeat)
            rows.append((size, load_s, validate_s, first_s, len(findings)))
    print(f"{'targets':>8} {'load s':>8} {'validate s':>11} {'first s':>8} {'findings':>9} "
          f"{'validate/load':>14} {'x targets':>10} {'x load':>7} {'x validate':>11}")
    previous = None
    for size, load_s, validate_s, first_s, n in rows:
        ratio = ("", "", "") if previous is None else (
            f"{size / previous[0]:.0f}x", f"{load_s / previous[1]:.1f}x",
            f"{validate_s / previous[2]:.1f}x")
        print(f"{size:>8} {load_s:>8.3f} {validate_s:>11.3f} {first_s:>8.3f} {n:>9} "
              f"{validate_s / load_s:>13.2f}x {ratio[0]:>10} {ratio[1]:>7} {ratio[2]:>11}")
        previous = (size, load_s, validate_s)


if __name__ == "__main__":
    main()
