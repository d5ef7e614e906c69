"""The hostile inputs of the hardening issue (docs/robustness.md), each run against its
bounds: at most 10 CPU seconds and 1 GB of memory, exit 0, 1 or 2, no traceback.

    python bench/hostile.py [CASE...] [--quick] [--list] [--seconds 10] [--mb 1024]

Each case is built in a temporary folder (workbook bombs from their XML parts, a YAML
file with 40,000 bad values, rules and parameters with fuzzy patterns, deep expressions
and long numbers, deep configurations, a costly waiver glob, a cyclic RDF list) and run as
``python -m validator ...`` in a fresh process. Its CPU time (user + system) and peak
resident memory come from ``os.wait4`` for that process (its own children included), so
they hold on a loaded machine; wall time is printed beside them but moves with the load.
The builders are the tests' (``tests/test_xlsx_helpers.py``, ``tests/conftest.py``,
``tests/test_corners.py``) and run in a process of their own (``--build``): a process's
peak memory counts what the process it was started from held, and a builder holds up to
a 99 MiB table. ``--quick`` runs two cheap cases (the test of this script). The exit code
is 1 when any case breaks a bound.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(
    [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}  # before tests/ is imported
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the tests' builders, imported when used

WALL_LIMIT = 300  # a case still running after this many seconds is killed and fails
EXAMPLES = ROOT / "examples"
GOOD = EXAMPLES / "province-five-year-sedp.yaml"
TEXT = '<c r="{ref}" t="inlineStr"><is><t>x</t></is></c>'
Build = Callable[[Path], list[str]]  # builds a case in a folder; the plancheck arguments


def _book(folder: Path, rows: str = "", merges: list[str] = (),
          strings: list[str] | None = None) -> Path:
    from test_xlsx_helpers import patch_sheet, simple_book

    return patch_sheet(simple_book(folder / "book.xlsx"), 2, rows, list(merges), strings)


def _rules(folder: Path, require: str) -> Path:
    from test_corners import RULE

    path = folder / "r.rules"
    path.write_text(RULE.format(require=require), encoding="utf-8")
    return path


def _columns(n: int) -> list[str]:
    from openpyxl.utils import get_column_letter

    return [get_column_letter(c) for c in range(27, 27 + n)]


def _far_cell(folder: Path) -> list[str]:
    return ["validate", str(_book(folder, '<row r="1048576"><c r="XFD1048576"/></row>'))]


def _merge_in_corner(folder: Path) -> list[str]:
    return ["validate", str(_book(folder, merges=["XFC1048575:XFD1048576"]))]


def _last_row(folder: Path) -> list[str]:
    return ["validate", str(_book(folder, '<row r="1048576">' + TEXT.format(ref="A1048576")
                                  + "</row>"))]


def _thirty_merges(folder: Path) -> list[str]:
    return ["validate", str(_book(folder, merges=[f"{c}1:{c}1000000" for c in _columns(30)]))]


def _annotate_big_merge(folder: Path) -> list[str]:
    book = _book(folder, merges=["D100:ZZ20000"])
    return ["validate", str(book), "--annotate", str(folder / "copy.xlsx")]


def _annotate_merges_under_the_cap(folder: Path) -> list[str]:
    book = _book(folder, merges=["D100:ZZ240"])  # 699 x 141 = 98,559 cells, all merged
    return ["validate", str(book), "--annotate", str(folder / "copy.xlsx")]


def _formula_cells(folder: Path) -> list[str]:
    rows = "".join(f'<row r="{r}"><c r="K{r}"><f>1+1</f></c></row>'
                   for r in range(10, 1_000_011))
    return ["validate", str(_book(folder, rows))]


def _shared_strings(folder: Path) -> list[str]:
    count = 99 * 2**20 // len("<si><t>s1000000</t></si>")  # about 99 MiB of table
    return ["validate", str(_book(folder, strings=[f"s{i:07d}" for i in range(count)]))]


def _small_plan() -> dict[str, Any]:
    from conftest import small_plan

    return small_plan()


def _yaml(data: Any, flow: bool | None = False) -> str:
    import yaml

    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=flow,
                          width=200)


def _bad_values(folder: Path) -> list[str]:
    plan = _small_plan()  # 40,000 targets whose unit is a number: 40,000 located errors
    plan["objectives"][0]["targets"] = [
        {"id": f"O1.T{i}", "indicator": "x", "category": "output", "unit": 3, "target": 1}
        for i in range(40_000)]
    path = folder / "plan.yaml"
    path.write_text(_yaml(plan, flow=None), encoding="utf-8")  # 2.9 MB
    return ["validate", str(path)]


def _fuzzy_rule(folder: Path) -> list[str]:
    rules = _rules(folder, 'not matches(t.indicator, "(?:[a-z ]{1,40}){e<=12}")')
    return ["validate", str(GOOD), "--rules", str(rules)]


def _fuzzy_param(folder: Path) -> list[str]:
    return ["validate", str(GOOD), "--param", "month_pattern=(?:[a-z ]{1,40}){e<=12}"]


def _rule_check(require: str) -> Build:
    return lambda folder: ["rules", "check", str(_rules(folder, require))]


def _config(text: str) -> Build:
    def build(folder: Path) -> list[str]:
        path = folder / "plancheck.toml"
        path.write_text(text, encoding="utf-8")
        return ["validate", str(GOOD), "--config", str(path)]
    return build


def _param(value: str) -> Build:
    return lambda folder: ["validate", str(GOOD), "--param", value]


def _waiver_glob(folder: Path) -> list[str]:
    deep = folder.joinpath(*["a"] * 30)
    deep.mkdir(parents=True)
    plan = deep / "plan.yaml"
    plan.write_text(_yaml(_small_plan()), encoding="utf-8")
    waivers = folder / "waivers.yaml"
    waivers.write_text(_yaml([{"rule": "PAR-01", "path": "**/a/" * 10 + "x.yaml",
                               "reason": "r"}]), encoding="utf-8")
    return ["validate", str(plan), "--waivers", str(waivers)]


def _cyclic_list(folder: Path) -> list[str]:
    from validator.formats.write import write_plan
    from validator.load import load_plan

    ttl = write_plan(load_plan(EXAMPLES / "district-annual-sedp-2022.yaml").plan, "ttl")
    head = "<https://w3id.org/plancheck/data/lc-bacha-sedp-2022/G1.T2/providers>"
    end = f"{head} rdf:first agency:commune-pc ;\n    rdf:rest () ."
    assert end in ttl, "the example's Turtle changed: update the cyclic list case"
    path = folder / "cyclic.ttl"
    path.write_text(ttl.replace(end, end.replace("rdf:rest ()", f"rdf:rest {head}")),
                    encoding="utf-8")
    return ["validate", str(path)]


CASES: dict[str, Build] = {
    "small-plan (startup, for reference)": lambda folder: ["validate", str(GOOD)],
    "xlsx: blank cell at XFD1048576": _far_cell,
    "xlsx: merged range in that corner": _merge_in_corner,
    "xlsx: cell at A1048576": _last_row,
    "xlsx: 30 merged ranges of 1M cells": _thirty_merges,
    "xlsx: D100:ZZ20000 merged, --annotate": _annotate_big_merge,
    "xlsx: D100:ZZ240 merged, --annotate": _annotate_merges_under_the_cap,
    "xlsx: 1M formula-only cells": _formula_cells,
    "xlsx: 99 MiB shared strings": _shared_strings,
    "yaml: 40,000 bad values (2.9 MB)": _bad_values,
    "rule: fuzzy pattern {e<=12}": _fuzzy_rule,
    "--param: fuzzy month_pattern": _fuzzy_param,
    "rule: 300 nested not": _rule_check("not " * 300 + "t.target > 1"),
    "rule: 300 unary minus": _rule_check("t.target > " + "-" * 300 + "1"),
    "rule: 300-term sum": _rule_check("t.target > " + " + ".join(["1"] * 300)),
    "rule: 100,000-digit number": _rule_check("t.target > " + "9" * 100_000),
    "toml: nested 100,000 deep": _config("a = " + "[" * 100_000 + "]" * 100_000 + "\n"),
    "toml: 100,000-digit integer": _config("[params]\nphasing_tolerance = " + "9" * 100_000),
    "--param: list nested 100,000 deep": _param("vague_words=" + "[" * 100_000),
    "--param: 100,000-digit number": _param("phasing_tolerance=" + "9" * 100_000),
    "waiver glob **/a/ x10, deep path": _waiver_glob,
    "ttl: cyclic rdf:rest": _cyclic_list,
}
QUICK = ["xlsx: blank cell at XFD1048576", "rule: 300 nested not"]


@dataclass
class Result:
    case: str
    code: int | None  # None: killed after WALL_LIMIT
    cpu: float
    wall: float
    peak_mb: float
    traceback: bool
    message: str  # the first line of stderr

    def broken(self, seconds: float, mb: float) -> list[str]:
        """The bounds this run breaks."""
        out = []
        if self.code is None:
            out.append(f"killed after {WALL_LIMIT} s")
        elif self.code not in (0, 1, 2):
            out.append(f"exit {self.code}")
        if self.cpu > seconds:
            out.append(f"CPU > {seconds:g} s")
        if self.peak_mb > mb:
            out.append(f"memory > {mb:g} MB")
        if self.traceback:
            out.append("traceback")
        return out


def run(case: str) -> Result:
    """Build ``case`` in a fresh folder (in a process of its own) and run plancheck on it
    in a fresh process."""
    with tempfile.TemporaryDirectory(prefix="plancheck-hostile-") as name:
        folder = Path(name)
        built = subprocess.run([sys.executable, __file__, "--build", case, str(folder)],
                               capture_output=True, text=True, check=True)
        args = [sys.executable, "-m", "validator", *json.loads(built.stdout), "--lang", "en"]
        started = time.monotonic()
        with open(folder / "stderr", "w+b") as err:
            child = subprocess.Popen(args, cwd=folder, env=ENV, stdout=subprocess.DEVNULL,
                                     stderr=err)
            code: int | None = None
            while True:
                pid, status, usage = os.wait4(child.pid, os.WNOHANG)
                if pid:
                    code = os.waitstatus_to_exitcode(status)
                    break
                if time.monotonic() - started > WALL_LIMIT:
                    child.kill()
                    pid, status, usage = os.wait4(child.pid, 0)
                    break
                time.sleep(0.05)
            child.returncode = code if code is not None else -9  # reaped: Popen must not wait
            wall = time.monotonic() - started
            err.seek(0)
            text = err.read().decode("utf-8", "replace")
    return Result(case, code, usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024,
                  "Traceback" in text, text.strip().splitlines()[0][:110] if text.strip() else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="*", help="case names (or the start of one); all by "
                                                 "default")
    parser.add_argument("--quick", action="store_true", help=f"only {' and '.join(QUICK)}")
    parser.add_argument("--list", action="store_true", help="list the cases and stop")
    parser.add_argument("--seconds", type=float, default=10.0, help="CPU bound per case")
    parser.add_argument("--mb", type=float, default=1024.0, help="memory bound per case (MB)")
    parser.add_argument("--messages", action="store_true", help="print each case's first "
                                                                "line of stderr")
    parser.add_argument("--build", nargs=2, metavar=("CASE", "FOLDER"),
                        help="build CASE in FOLDER and print its plancheck arguments (JSON)")
    options = parser.parse_args(argv)
    if options.build:
        case, folder = options.build
        print(json.dumps(CASES[case](Path(folder))))
        return 0
    if options.list:
        print("\n".join(CASES))
        return 0
    chosen = QUICK if options.quick else [c for c in CASES if not options.cases or any(
        c.startswith(given) for given in options.cases)]
    if not chosen:
        parser.error(f"no such case; the cases: {', '.join(CASES)}")
    print(f"{'case':<40} {'exit':>4} {'CPU s':>7} {'wall s':>7} {'peak MB':>8}  bounds "
          f"({options.seconds:g} s CPU, {options.mb:g} MB)")
    broken = 0
    for case in chosen:
        result = run(case)
        faults = result.broken(options.seconds, options.mb)
        broken += bool(faults)
        code = "-" if result.code is None else str(result.code)
        print(f"{case:<40} {code:>4} {result.cpu:>7.2f} {result.wall:>7.2f} "
              f"{result.peak_mb:>8.1f}  {'BROKEN: ' + ', '.join(faults) if faults else 'ok'}",
              flush=True)
        if options.messages and result.message:
            print(f"    {result.message}")
    print(f"{len(chosen) - broken} of {len(chosen)} cases within the bounds")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
