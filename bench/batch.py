"""Benchmark: a batch of generated commune-sized plans checked by ``plancheck validate
--jobs N``, as a reviewer receiving hundreds of files would run it.

    python bench/batch.py [--files 1000] [--targets 24] [--jobs 2 1] [--limit 60]
                          [--rules PATH]

Writes --files plan files (``bench/generate.py``, a different seed per file, commune level,
about --targets targets each) to a temporary folder, then times the whole command for each
--jobs value: start-up, compiling the rules in every worker, loading, checking, and writing
the JSON report. Prints files, jobs, wall seconds, CPU seconds of all its processes (on a
busy machine wall time says little; CPU time divided by the cores is what an idle machine
needs), files per second and findings, and exits 1 when the first --jobs value takes longer
than --limit seconds.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

from generate import generate  # noqa: E402


def commune_plan(index: int, targets: int) -> dict:
    """A commune five-year SEDP of about ``targets`` targets, its agencies the commune's."""
    data = generate(targets, seed=index)
    data["plan"].update(id=f"commune-{index:04d}", level="commune",
                        locality=f"Xã {index:04d}", title={"vi": f"Kế hoạch xã {index}",
                                                           "en": f"Commune plan {index}"})
    data["plan"]["submitted"]["by"] = "CPC"
    data["plan"]["consultations"] = [
        {"with": "village-meetings", "on": "2025-04-15", "participants": 120 + index % 50},
        {"with": "commune-workshops", "on": "2025-05-08", "participants": 40}]
    for objective in data["objectives"]:
        for target in objective["targets"]:
            target["compiling_agency"] = "CPC"
            target["providing_agencies"] = ["CPC"]
            target["timing"] = {"vi": "Tháng 11 hằng năm", "en": "November each year"}
    return data


def write_batch(folder: Path, files: int, targets: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(files):
        path = folder / f"commune-{i:04d}.yaml"
        path.write_text(yaml.dump(commune_plan(i, targets), Dumper=DUMPER, allow_unicode=True,
                                  sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths


def run(folder: Path, jobs: int, report: Path, rules: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (all processes) and findings of one command."""
    command = [sys.executable, "-m", "validator", "validate", str(folder), "--jobs", str(jobs),
               "--format", "json", "-o", str(report), "--fail-on", "never"]
    command += [arg for path in rules for arg in ("--rules", path)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if done.returncode != 0:
        sys.exit(f"plancheck failed ({done.returncode}):\n{done.stderr}")
    return seconds, cpu, json.loads(report.read_text(encoding="utf-8"))["summary"]["findings"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--targets", type=int, default=24)
    parser.add_argument("--jobs", type=int, nargs="+", default=[2, 1])
    parser.add_argument("--limit", type=float, default=60.0)
    parser.add_argument("--rules", action="append", default=[],
                        help="rule files or packs (default: the bundled pack)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "plans"
        start = time.perf_counter()
        write_batch(folder, args.files, args.targets)
        print(f"generated {args.files:,} plans of ~{args.targets} targets in "
              f"{time.perf_counter() - start:.1f} s")
        print(f"{'files':>6} {'jobs':>4} {'wall s':>7} {'cpu s':>7} {'files/s':>8} "
              f"{'findings':>9}")
        first = None
        for jobs in args.jobs:
            seconds, cpu, findings = run(folder, jobs, Path(tmp) / f"report-{jobs}.json",
                                         [str(Path(r).resolve()) for r in args.rules])
            first = seconds if first is None else first
            print(f"{args.files:>6,} {jobs:>4} {seconds:>7.1f} {cpu:>7.1f} "
                  f"{args.files / seconds:>8.1f} {findings:>9,}")
    if first is not None and first > args.limit:
        sys.exit(f"over the limit: {first:.1f} s > {args.limit:.0f} s")


if __name__ == "__main__":
    main()
