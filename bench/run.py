"""Benchmark: everything issue 20 asks to measure, in one run, with its aims.

    python bench/run.py [--sections ...] [--sizes 1000 10000 100000] [--repeat 3] [--wall]
                        [--files 1000]

Sections (all by default, in this order):

- ``startup``: ``plancheck --version``; one small plan validated cold (an empty cache on
  disk) and warm (the cache filled), each a fresh process, as an installed program runs:
  with its modules' bytecode written once beforehand (``PYTHONPYCACHEPREFIX``; a
  ``PYTHONDONTWRITEBYTECODE`` of the environment would otherwise have every process
  compile plancheck's sources again, 0.17 s CPU);
- ``warm``: the same plan checked in one long-running process (``pipeline.warm.Checker``);
- ``sizes``: generated plans of ``--sizes`` targets loaded and validated with the bundled
  pack, each size in a fresh process (its peak memory is that process's); ratios between
  consecutive sizes;
- ``formats``: at 10,000 targets, the plan written as a workbook and read back, and read
  as JSON, against the same as YAML;
- ``batch``: ``--files`` commune plans with ``--jobs 1``, ``2`` and ``0``
  (``bench/batch.py``);
- ``crossplan``: a province's 112 linked plans (``bench/crossplan.py``);
- ``shacl``: pySHACL side by side (``bench/shacl_compare.py``; needs the bench extra).

Times are CPU seconds (this process, or a child's ``getrusage``) unless ``--wall``; wall
seconds are printed beside them where processes run in parallel. The machine this was
written on has 2 cores shared by several people: CPU time is the steadier figure, wall time
moves by a factor of two between runs. Each aim is printed with ``met`` or ``NOT met`` and
the run ends with the list of aims; the exit code is 0 either way (a bench measures).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from generate import write  # noqa: E402

SMALL_PLAN = ROOT / "examples" / "district-five-year-sedp.yaml"
SECTIONS = ["startup", "warm", "sizes", "formats", "batch", "crossplan", "shacl"]
AIMS: list[tuple[str, str, bool]] = []  # (aim, measured, met)
CLOCK = time.process_time


def aim(text: str, measured: str, met: bool) -> None:
    AIMS.append((text, measured, met))
    print(f"  aim: {text}: {measured} — {'met' if met else 'NOT met'}")


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """The first and the best time of ``repeat`` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = CLOCK()
        result = fn()
        times.append(CLOCK() - start)
    return times[0], min(times), result


def command(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """CPU and wall seconds of one plancheck command in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "validator", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        sys.exit(f"plancheck {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime), wall


# --- sections --------------------------------------------------------------------------

def startup(args: argparse.Namespace, tmp: Path) -> None:
    print("\n== one small plan, one command per process (CPU s, wall s; best of "
          f"{args.repeat}) ==")
    env = {**os.environ}
    env.pop("PLANCHECK_NO_CACHE", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(tmp / "bytecode")
    report = str(tmp / "small.json")
    validate = ["validate", str(SMALL_PLAN), "--format", "json", "-o", report]
    env["PLANCHECK_CACHE_DIR"] = str(tmp / "bytecode-cache")
    command(validate, env)  # writes the bytecode of every module a command imports
    version = min(command(["--version"], env) for _ in range(args.repeat))
    colds = []
    for i in range(args.repeat):
        env["PLANCHECK_CACHE_DIR"] = str(tmp / f"cold-cache-{i}")
        colds.append(command(validate, env))
    cold = min(colds)
    warm = min(command(validate, env) for _ in range(max(3, args.repeat)))
    text = ["validate", str(SMALL_PLAN), "--format", "text", "-o", str(tmp / "small.txt")]
    warm_text = min(command(text, env) for _ in range(max(3, args.repeat)))
    no_cache = min(command(["--no-cache", *validate], env) for _ in range(args.repeat))
    for label, (cpu, wall) in (("plancheck --version", version), ("validate, cold cache", cold),
                               ("validate, warm cache", warm),
                               ("  the same, text report", warm_text),
                               ("validate --no-cache", no_cache)):
        print(f"  {label:<24} {cpu:>6.2f} s CPU {wall:>6.2f} s wall")
    aim("warm small plan <= 0.3 s CPU", f"{warm[0]:.2f} s", warm[0] <= 0.3)
    aim("warm small plan <= 5x plancheck --version (CPU)", f"{warm[0] / version[0]:.1f}x",
        warm[0] <= 5 * version[0])


def warm(args: argparse.Namespace, tmp: Path) -> None:
    from validator.pipeline.warm import Checker

    print("\n== the same plan in a long-running process (pipeline.warm.Checker) ==")
    start = CLOCK()
    checker = Checker.compile()
    compile_s = CLOCK() - start
    first, best, findings = timed(lambda: checker.check_file(SMALL_PLAN), max(5, args.repeat))
    print(f"  compile once {compile_s:.2f} s; per plan: first {first * 1000:.0f} ms, best "
          f"{best * 1000:.0f} ms ({len(findings)} findings)")


def size_child(path: Path, repeat: int) -> None:
    """In a fresh process: load and validate one plan file (generated by the parent, so
    that this process's peak memory is the validation's); JSON on stdout."""
    from validator.engine.runner import runner_for
    from validator.load import load_plan
    from validator.pipeline.check import check
    from validator.rulelang.cache import load_ruleset

    ruleset = load_ruleset()
    runner_for(ruleset)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load_first, load_s, loaded = timed(lambda: load_plan(path), repeat)
    first_s, validate_s, findings = timed(lambda: check([loaded], ruleset), repeat)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = sum(len(o.targets) for o in loaded.plan.objectives)
    print(json.dumps({"size": size, "load": load_s, "validate": validate_s, "first": first_s,
                      "findings": len(findings), "peak_mb": peak, "before_mb": base}))


def sizes(args: argparse.Namespace, tmp: Path) -> None:
    clock = "wall" if args.wall else "CPU"
    print(f"\n== load and validate, bundled pack, one process per size ({clock} s, best of "
          f"{args.repeat}, 1 above 10,000) ==")
    rows = []
    for size in args.sizes:
        repeat = args.repeat if size <= 10_000 else 1
        path = write(size, tmp / f"plan-{size}.yaml")
        out = subprocess.run([sys.executable, __file__, "--child-plan", str(path),
                              "--repeat", str(repeat)] + (["--wall"] if args.wall else []),
                             capture_output=True, text=True, cwd=ROOT)
        if out.returncode != 0:
            print(f"  {size} targets failed:\n{out.stderr}")
            continue
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"{'targets':>8} {'load s':>8} {'validate s':>11} {'first s':>8} {'findings':>9} "
          f"{'validate/load':>14} {'x targets':>10} {'x load':>7} {'x validate':>11} "
          f"{'peak MB':>8}")
    previous = None
    for row in rows:
        ratio = ("", "", "") if previous is None else (
            f"{row['size'] / previous['size']:.0f}x", f"{row['load'] / previous['load']:.1f}x",
            f"{row['validate'] / previous['validate']:.1f}x")
        print(f"{row['size']:>8} {row['load']:>8.3f} {row['validate']:>11.3f} "
              f"{row['first']:>8.3f} {row['findings']:>9} "
              f"{row['validate'] / row['load']:>13.2f}x {ratio[0]:>10} {ratio[1]:>7} "
              f"{ratio[2]:>11} {row['peak_mb']:>8.0f}")
        previous = row
    by_size = {row["size"]: row for row in rows}
    if 10_000 in by_size:
        row = by_size[10_000]
        aim("validate <= 1.3x load at 10,000 targets", f"{row['validate'] / row['load']:.2f}x",
            row["validate"] <= 1.3 * row["load"])
    if 10_000 in by_size and 100_000 in by_size:
        small, large = by_size[10_000], by_size[100_000]
        grow = (large["load"] + large["validate"]) / (small["load"] + small["validate"])
        aim("10x targets (10,000 -> 100,000) <= 11x load + validate time", f"{grow:.1f}x",
            grow <= 11)
        aim("peak memory at 100,000 targets <= 1.2 GB", f"{large['peak_mb']:.0f} MB",
            large["peak_mb"] <= 1200)


def formats(args: argparse.Namespace, tmp: Path) -> None:
    from validator.formats.write import write_plan, write_plan_bytes
    from validator.load import load_plan

    size = 10_000
    print(f"\n== formats at {size:,} targets (CPU s, best of {min(args.repeat, 2)}) ==")
    path = write(size, tmp / f"formats-{size}.yaml")
    repeat = min(args.repeat, 2)
    _, yaml_load, loaded = timed(lambda: load_plan(path), repeat)
    plan = loaded.plan
    _, yaml_write, text = timed(lambda: write_plan(plan, "yaml"), repeat)
    _, xlsx_write, book = timed(lambda: write_plan_bytes(plan, "xlsx", "vi"), 1)
    (tmp / "formats.xlsx").write_bytes(book)
    _, xlsx_load, from_book = timed(lambda: load_plan(tmp / "formats.xlsx"), repeat)
    (tmp / "formats.json").write_text(write_plan(plan, "json"), encoding="utf-8")
    _, json_load, from_json = timed(lambda: load_plan(tmp / "formats.json"), repeat)
    print(f"  write: yaml {yaml_write:.2f} s, xlsx {xlsx_write:.2f} s "
          f"({xlsx_write / yaml_write:.1f}x)")
    print(f"  load:  yaml {yaml_load:.2f} s, xlsx {xlsx_load:.2f} s "
          f"({xlsx_load / yaml_load:.1f}x), json {json_load:.2f} s "
          f"({json_load / yaml_load:.2f}x)")
    print(f"  round trips equal: xlsx {'yes' if from_book.plan == plan else 'NO'}, json "
          f"{'yes' if from_json.plan == plan else 'NO'}")
    aim("xlsx load <= 2x YAML load at 10,000 targets", f"{xlsx_load / yaml_load:.1f}x",
        xlsx_load <= 2 * yaml_load)
    aim("xlsx convert <= 2x YAML convert at 10,000 targets", f"{xlsx_write / yaml_write:.1f}x",
        xlsx_write <= 2 * yaml_write)
    aim("JSON load <= YAML load (one parse)", f"{json_load / yaml_load:.2f}x",
        json_load <= yaml_load)


def batch(args: argparse.Namespace, tmp: Path) -> None:
    print(f"\n== {args.files:,} commune plans, plancheck validate --jobs N (bench/batch.py) ==")
    out = subprocess.run([sys.executable, str(HERE / "batch.py"), "--files", str(args.files),
                          "--jobs", "1", "2", "0", "--limit", "100000"],
                         capture_output=True, text=True, cwd=tmp)
    print("\n".join("  " + line for line in out.stdout.strip().splitlines()))
    rows = {}
    for line in out.stdout.splitlines():
        parts = line.split()
        if len(parts) == 6 and parts[1] in ("0", "1", "2"):
            rows[int(parts[1])] = (float(parts[2]), float(parts[3]))
    if {0, 1, 2} <= set(rows):
        aim("--jobs 2 <= 0.65x the wall time of --jobs 1", f"{rows[2][0] / rows[1][0]:.2f}x",
            rows[2][0] <= 0.65 * rows[1][0])
        aim("--jobs 0 not slower than --jobs 1 (wall)", f"{rows[0][0] / rows[1][0]:.2f}x",
            rows[0][0] <= rows[1][0])
        aim("--jobs 2 CPU (all processes) <= 1.1x the CPU of --jobs 1",
            f"{rows[2][1] / rows[1][1]:.2f}x", rows[2][1] <= 1.1 * rows[1][1])


def crossplan(args: argparse.Namespace, tmp: Path) -> None:
    print("\n== cross-plan: a province's linked plans (bench/crossplan.py, wall s) ==")
    out = subprocess.run([sys.executable, str(HERE / "crossplan.py"), "--repeat",
                          str(args.repeat)], capture_output=True, text=True, cwd=tmp)
    print("  " + (out.stdout.strip() or out.stderr.strip()[-400:]))


def shacl(args: argparse.Namespace, tmp: Path) -> None:
    print("\n== pySHACL side by side (bench/shacl_compare.py) ==")
    out = subprocess.run([sys.executable, str(HERE / "shacl_compare.py"), "--sizes", "100",
                          "1000", "10000", "--repeat", str(min(args.repeat, 2)), "--no-aims"],
                         capture_output=True, text=True, cwd=tmp)
    text = out.stdout.strip() or out.stderr.strip()[-600:]
    print("\n".join("  " + line for line in text.splitlines()))


def load_average() -> str:
    """The machine's load average over the last minute, and its CPUs (wall times mean
    little when the first is above the second)."""
    try:
        return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    except OSError:
        return f"{os.cpu_count()} CPUs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", nargs="+", choices=SECTIONS, default=SECTIONS)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--wall", action="store_true",
                        help="time in-process steps by the wall clock instead of CPU")
    parser.add_argument("--cpu", action="store_true", help="(the default; kept for scripts)")
    parser.add_argument("--child-plan", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.wall:
        global CLOCK
        CLOCK = time.perf_counter
    if args.child_plan:
        size_child(args.child_plan, args.repeat)
        return
    from validator import __version__

    print(f"plancheck {__version__}, Python {sys.version.split()[0]}, {load_average()}; "
          f"times in {'wall' if args.wall else 'CPU'} seconds")
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.sections:
            globals()[name](args, Path(tmp))
            print(f"  ({load_average()} after this section)")
    print("\n== aims ==")
    for text, measured, met in AIMS:
        print(f"  {'met    ' if met else 'NOT met'}  {text}: {measured}")
    print(f"  {sum(m for _, _, m in AIMS)} of {len(AIMS)} aims met")


if __name__ == "__main__":
    main()
