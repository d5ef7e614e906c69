"""Side by side: plancheck and pySHACL on the same plans and the same constraints.

    python bench/shacl_compare.py [--sizes 100 1000 10000] [--repeat 3] [--no-aims]

For each size, a generated plan (``bench/generate.py``, with a few extra planted flaws) is
loaded once, lifted to RDF (``validator.lift.plan_to_graph``) and validated twice: by
pySHACL with ``bench/shapes.ttl`` over the graph, and by plancheck with
``bench/equivalent.rules`` over the plan (views, facts, engine, findings). Both state six
constraints: an input, an output and an outcome target per objective; a unit and a
compiling agency per target; % values within 0–100. The script prints the times (best of
--repeat for both; pySHACL is not repeated once a run takes over 10 s), the ratio per size
(validation alone, and with the lift pySHACL needs first), the violations per constraint
from each side, and fails (exit 1) unless both report the same (constraint, entity) pairs.

Then it checks the project's aims on the largest size: the full bundled pack costs at most
2x the time to load the plan, and peak memory (``bench/memory.py``, in a subprocess) stays
under 500 MB.
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import yaml  # noqa: E402
from generate import generate  # noqa: E402

from validator.engine.runner import runner_for  # noqa: E402
from validator.formats.rdf.lift import plan_to_graph  # noqa: E402
from validator.load import load_plan  # noqa: E402
from validator.pipeline.check import check  # noqa: E402
from validator.rulelang.cache import load_ruleset  # noqa: E402

SHAPES = HERE / "shapes.ttl"
RULES = HERE / "equivalent.rules"
CONSTRAINTS = ("EQ-IN", "EQ-OUT", "EQ-OUTCOME", "EQ-UNIT", "EQ-AGENCY", "EQ-PCT")
SPEEDUP_AIM, PACK_LOAD_AIM, MEMORY_AIM_MB = 10.0, 2.0, 500.0

Violations = set[tuple[str, str]]  # (constraint, entity id)


def plant(data: dict[str, Any]) -> dict[str, Any]:
    """Add flaws for the constraints the generator does not plant, at fixed intervals."""
    targets = [t for o in data["objectives"] for t in o["targets"]]
    for i, t in enumerate(targets):
        if i % 61 == 5:
            t.pop("compiling_agency", None)
        if t.get("unit") == "%" and i % 53 == 2:
            t["target"] = 104
        if t.get("unit") == "%" and i % 59 == 11:
            t["annual"][2027] = {"min": -3, "max": 40}
    for n, o in enumerate(data["objectives"]):
        if n % 47 == 9:
            o["targets"] = [t for t in o["targets"] if t["category"] != "outcome"]
        if n % 71 == 30:
            o["targets"] = [t for t in o["targets"] if t["category"] != "input"]
    return data


def shacl_violations(graph: Any, shapes: Any) -> tuple[Violations, int]:
    """Run pySHACL; return its (shape id, focus id) pairs and its raw result count."""
    from pyshacl import validate
    from rdflib import RDF
    from rdflib.namespace import SH

    _conforms, results, _text = validate(graph, shacl_graph=shapes, inference="none",
                                         advanced=False, meta_shacl=False, debug=False)
    out: Violations = set()
    raw = 0
    for result in results.subjects(RDF.type, SH.ValidationResult):
        raw += 1
        shape = str(results.value(result, SH.sourceShape)).rsplit("#", 1)[-1]
        focus = str(results.value(result, SH.focusNode)).rsplit("/", 1)[-1]
        out.add((shape, unquote(focus)))
    return out, raw


def timed(fn: Any, repeat: int = 1, enough: float = float("inf")) -> tuple[float, Any]:
    """The best time of ``repeat`` calls (stopping once a call takes ``enough`` seconds)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
        if best >= enough:
            break
    return best, result


def compare(sizes: list[int], repeat: int, tmp: Path) -> bool:
    from rdflib import Graph

    shapes = Graph().parse(SHAPES, format="turtle")
    ruleset = load_ruleset([str(RULES)])
    runner_for(ruleset)  # build the engines before timing
    rows, agree = [], True
    per_constraint: dict[int, tuple[collections.Counter, collections.Counter]] = {}
    for size in sizes:
        path = tmp / f"plan-{size}.yaml"
        path.write_text(yaml.safe_dump(plant(generate(size)), allow_unicode=True,
                                       sort_keys=False), encoding="utf-8")
        load_s, loaded = timed(lambda path=path: load_plan(path))
        lift_s, graph = timed(lambda loaded=loaded: plan_to_graph(loaded.plan))
        shacl_s, (theirs, raw) = timed(lambda graph=graph: shacl_violations(graph, shapes),
                                       repeat, enough=10.0)
        ours_s, findings = timed(lambda loaded=loaded: check([loaded], ruleset), repeat)
        ours = {(f.rule, f.entity) for f in findings}
        same = ours == theirs
        agree &= same
        if not same:
            for pair in sorted(ours ^ theirs)[:10]:
                side = "plancheck only" if pair in ours else "pySHACL only"
                print(f"  {size}: {side}: {pair}", file=sys.stderr)
        per_constraint[size] = (collections.Counter(c for c, _ in theirs),
                                collections.Counter(c for c, _ in ours))
        rows.append((size, len(graph), load_s, lift_s, shacl_s, ours_s, len(theirs), raw,
                     len(ours), same))
        print(f"  {size:>6} targets done: pySHACL {shacl_s:.2f} s, plancheck {ours_s:.3f} s",
              file=sys.stderr, flush=True)

    print(f"{'targets':>8} {'triples':>8} {'load s':>7} {'lift s':>7} {'pySHACL s':>10} "
          f"{'plancheck s':>12} {'x faster':>9} {'x w/ lift':>10} {'violations':>11} "
          f"{'same':>5}")
    for size, triples, load_s, lift_s, shacl_s, ours_s, _theirs, _raw, n_ours, same in rows:
        print(f"{size:>8} {triples:>8} {load_s:>7.3f} {lift_s:>7.3f} {shacl_s:>10.3f} "
              f"{ours_s:>12.3f} {shacl_s / ours_s:>8.1f}x {(lift_s + shacl_s) / ours_s:>9.1f}x "
              f"{n_ours:>11} {'yes' if same else 'NO':>5}")
    print("\nviolations per constraint, pySHACL / plancheck (distinct entities; pySHACL's raw "
          "result count in the last column)")
    print(f"{'targets':>8} " + " ".join(f"{c:>11}" for c in CONSTRAINTS) + f" {'raw':>6}")
    for size, *_rest, raw, _n, _same in rows:
        theirs_c, ours_c = per_constraint[size]
        cells = " ".join(f"{f'{theirs_c[c]}/{ours_c[c]}':>11}" for c in CONSTRAINTS)
        print(f"{size:>8} {cells} {raw:>6}")
    slow = [r for r in rows if r[0] >= 1000 and r[4] / r[5] < SPEEDUP_AIM]
    print(f"\naim: plancheck >= {SPEEDUP_AIM:.0f}x faster than pySHACL from 1,000 targets: "
          f"{'met' if not slow else 'NOT met'}")
    print(f"both report the same violations: {'yes' if agree else 'NO'}")
    return agree


def pack_and_memory(size: int, repeat: int, tmp: Path) -> None:
    """The full bundled pack against load time, and peak memory in a subprocess."""
    path = tmp / f"pack-{size}.yaml"
    path.write_text(yaml.safe_dump(generate(size), allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    ruleset = load_ruleset()
    runner_for(ruleset)  # build the engines before timing
    load_s, loaded = timed(lambda: load_plan(path), repeat)
    pack_s, findings = timed(lambda: check([loaded], ruleset), repeat)
    ratio = pack_s / load_s
    print(f"\nfull bundled pack ({len(ruleset.rules)} rules) on {size:,} targets: load "
          f"{load_s:.2f} s, validate {pack_s:.2f} s ({len(findings)} findings), "
          f"validate/load {ratio:.2f}x; aim <= {PACK_LOAD_AIM:.0f}x: "
          f"{'met' if ratio <= PACK_LOAD_AIM else 'NOT met'}")
    out = subprocess.run([sys.executable, str(HERE / "memory.py"), "--plan", str(path),
                          "--json"], capture_output=True, text=True, check=True).stdout
    peak = json.loads(out)["peak_rss_mb"]
    print(f"peak memory (RSS, load + validate in a fresh process): {peak:.0f} MB; aim < "
          f"{MEMORY_AIM_MB:.0f} MB: {'met' if peak < MEMORY_AIM_MB else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-aims", action="store_true",
                        help="skip the bundled-pack and memory checks")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        agree = compare(sorted(args.sizes), args.repeat, Path(tmp))
        if not args.no_aims:
            pack_and_memory(max(args.sizes), args.repeat, Path(tmp))
    sys.exit(0 if agree else 1)


if __name__ == "__main__":
    main()
