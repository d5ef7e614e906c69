"""Generate synthetic plan/1 files of a given size (number of targets), deterministically.

    python bench/generate.py 1000 -o /tmp/plan-1000.yaml

Each objective carries a solution and about 4.5 targets (input, output, outcome, and an
extra every other objective), phased over 2026-2030 with realistic, uneven yearly values.
A few flaws are planted at fixed intervals so the rules have something to find.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import Any

import yaml

FIELDS = [("economic", "agriculture-rural-development", "DARD"),
          ("social", "health", "DOH"), ("social", "education-training", "DOET"),
          ("environment", "environment-protection", "DONRE"),
          ("state", "public-administration", "DOHA")]
YEARS = list(range(2026, 2031))


def _phased(total: float, rng: random.Random, rollup: str, base: float) -> dict[int, float]:
    if rollup == "sum":
        weights = [rng.uniform(0.7, 1.3) for _ in YEARS]
        scale = total / sum(weights)
        values = [round(w * scale) for w in weights]
        values[-1] = round(total - sum(values[:-1]))
    else:
        steps = [rng.uniform(0.5, 1.5) for _ in YEARS]
        acc, values = 0.0, []
        for s in steps:
            acc += s
            values.append(round(base + (total - base) * acc / sum(steps), 1))
        values[-1] = total
    return dict(zip(YEARS, values, strict=True))


def generate(targets: int, seed: int = 7) -> dict[str, Any]:
    """A five-year provincial SEDP with about ``targets`` targets."""
    rng = random.Random(seed)
    objectives: list[dict[str, Any]] = [
        {"id": "G1", "kind": "general", "title": {"vi": "Tăng trưởng bền vững",
                                                   "en": "Sustainable growth"},
         "field": "macro", "targets": []}]
    count, n = 0, 0
    while count < targets:
        n += 1
        field, sector, agency = FIELDS[n % len(FIELDS)]
        oid = f"O{n}"
        sol = f"{oid}.S1"
        budget = rng.randint(20, 900)
        target_list = []
        specs = [("input", "billion VND", "sum", f"Vốn đầu tư chương trình {n}",
                  f"Investment in programme {n}", budget),
                 ("output", "household", "sum", f"Số hộ được hỗ trợ chương trình {n}",
                  f"Households supported by programme {n}", rng.randint(500, 20000)),
                 ("outcome", "%", "last", f"Tỷ lệ hộ đạt chuẩn chương trình {n}",
                  f"Share of households meeting the standard, programme {n}",
                  rng.randint(60, 95))]
        if n % 2 == 0:
            specs.append(("output", "km", "sum", f"Số km đường xây mới {n}",
                          f"Km of new road {n}", rng.randint(10, 300)))
        for j, (category, unit, rollup, vi, en, value) in enumerate(specs, start=1):
            if count >= targets:
                break
            base = round(value * rng.uniform(0.6, 0.9), 1) if rollup == "last" else 0
            t: dict[str, Any] = {
                "id": f"{oid}.T{j}", "indicator": {"vi": vi, "en": en}, "category": category,
                "unit": unit, "direction": "increase", "rollup": rollup, "target": value,
                "annual": _phased(value, rng, rollup, base), "frequency": "annual",
                "timing": "November", "data_source": "administrative records",
                "compiling_agency": agency, "providing_agencies": ["PSO"],
            }
            if category != "outcome":
                t["solution"] = sol
            else:
                t["baseline"] = {"year": 2025, "value": base}
            if count % 97 == 13:  # planted flaw: a missing year (PH-01)
                t["annual"].pop(2028)
            if count % 89 == 7:  # planted flaw: no unit (SMART-M)
                t.pop("unit")
            target_list.append(t)
            count += 1
        objectives.append({"id": oid, "kind": "specific", "parent": "G1",
                           "title": {"vi": f"Mục tiêu {n}", "en": f"Objective {n}"},
                           "field": field, "sector": sector,
                           "solutions": [{"id": sol, "title": f"Programme {n}",
                                          "budget": {"value": budget, "unit": "billion VND"}}],
                           "targets": target_list})
    return {"format": "plan/1",
            "plan": {"id": f"bench-{targets}", "title": {"vi": "Kế hoạch thử", "en": "Bench"},
                     "kind": "five_year_sedp", "level": "province", "locality": "Bench",
                     "period": [2026, 2030], "baseline_year": 2025,
                     "submitted": {"by": "DPI", "on": "2025-07-10"}},
            "objectives": objectives}


def write(targets: int, path: Path, seed: int = 7) -> Path:
    path.write_text(yaml.safe_dump(generate(targets, seed), allow_unicode=True,
                                   sort_keys=False), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", type=int)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    write(args.targets, args.output, args.seed)


if __name__ == "__main__":
    main()
