"""Generate a province's plans across levels, optionally with planted inconsistencies, and
time validating them together.

    python bench/crossplan.py [--districts 10] [--communes 10] [--cycle 2021-2025] [--repeat 3]

The set of the 2021-2025 cycle: a provincial five-year SEDP, its districts' five-year SEDPs,
each district's communes' five-year SEDPs, and the province's annual plan for 2021 with
mid-year and year-end actuals, naming the bodies of that time (DPI, DARD, the district
divisions). The set of the 2026-2030 cycle has no districts (Law 72/2025/QH15): the same
districts × communes communes roll up directly into the province, and the plans name the
bodies of the two-level state (the Department of Finance, the commune Economic Division).
Values add up exactly (province = Σ districts = Σ communes for flows;
rates are means, so they lie within their parts' range), every plan is phased unevenly,
and the annual plan takes its values from the five-year phasing. ``plant`` can break it in
three known ways (see :data:`PLANTS`). Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CYCLES = ("2021-2025", "2026-2030")
YEARS = list(range(2021, 2026))  # the years of the cycle being generated (set by generate_set)
AGENCIES = {  # cycle -> level -> (budget, output, outcome) compiling agencies
    "2021-2025": {"province": ("DPI", "DOLISA", "PSO"),
                  "district": ("finance-planning-division", "DPC", "DSO"),
                  "commune": ("CPC", "CPC", "CPC")},
    "2026-2030": {"province": ("DOF", "DOHA", "PSO"),
                  "commune": ("commune-economic-division", "CPC", "commune-economic-division")},
}
SUBMITTERS = {"2021-2025": {"province": "DPI", "district": "DPC", "commune": "CPC"},
              "2026-2030": {"province": "DOF", "commune": "CPC"}}
THEMES = [  # (sector, field, input, output, outcome)
    ("vocational-training-jobs", "social",
     ("Vốn cho chương trình đào tạo nghề", "Funding for vocational training"),
     ("Số lao động được đào tạo nghề", "Number of workers trained"),
     ("Tỷ lệ lao động qua đào tạo", "Share of trained workers")),
    ("environment-protection", "environment",
     ("Vốn đầu tư cấp nước sạch nông thôn", "Investment in rural clean water"),
     ("Số hộ được đấu nối nước sạch mới", "Number of households newly connected"),
     ("Tỷ lệ hộ nông thôn dùng nước sạch", "Share of rural households using clean water")),
    ("new-rural-development", "economic",
     ("Vốn xây dựng đường giao thông nông thôn", "Investment in rural roads"),
     ("Số km đường nông thôn được cứng hóa", "Km of rural road paved"),
     ("Tỷ lệ xã đạt tiêu chí giao thông", "Share of communes meeting the transport criterion")),
]
LEADS = {"2021-2025": {"vocational-training-jobs": "DOLISA", "environment-protection": "DONRE",
                       "new-rural-development": "DARD"},
         "2026-2030": {"vocational-training-jobs": "DOHA", "environment-protection": "DAE",
                       "new-rural-development": "DAE"}}
CONSULTATIONS = {  # level -> (who, month) in the bottom-up calendar (source 003)
    "commune": [("village meetings (thôn, bản)", 4), ("commune planning workshop", 5)],
    "district": [("commune leaders and village heads", 5), ("district consensus workshop", 6)],
    "province": [("district People's Committees", 6), ("provincial consensus workshop", 7)],
}
OUTPUT_UNITS = ("person", "household", "km")
PLANTS = {
    "district_sum": "RU-02: the province's value of one flow is below the sum of its districts "
                    "(of its communes in 2026-2030)",
    "annual_phase": "PH-02: the annual plan's value of one target is not the five-year phase",
    "off_track": "MON-02: one annual actual reaches only 70% of its plan",
}


def _split(total: float, rng: random.Random, whole: bool) -> list[float]:
    weights = [rng.uniform(0.7, 1.3) for _ in YEARS]
    parts = [total * w / sum(weights) for w in weights]
    parts = [round(p) if whole else round(p, 1) for p in parts]
    parts[-1] = round(total - sum(parts[:-1]), 0 if whole else 1)
    return parts


def _path(base: float, end: float, rng: random.Random) -> list[float]:
    steps = [rng.uniform(0.5, 1.5) for _ in YEARS]
    out, acc = [], 0.0
    for s in steps:
        acc += s
        out.append(round(base + (end - base) * acc / sum(steps), 1))
    out[-1] = end
    return out


class _Values:
    """Targets of one plan as numbers: flows by year, rates by year, baselines."""

    def __init__(self) -> None:
        self.flows: dict[tuple[int, int], list[float]] = {}  # (theme, 0 input|1 output)
        self.rates: dict[int, list[float]] = {}
        self.base: dict[int, float] = {}


def _leaf(rng: random.Random) -> _Values:
    v = _Values()
    for i in range(len(THEMES)):
        v.flows[(i, 0)] = _split(rng.randint(5, 40), rng, whole=False)
        v.flows[(i, 1)] = _split(rng.randint(50, 900), rng, whole=True)
        base = round(rng.uniform(40, 70), 1)
        v.base[i] = base
        v.rates[i] = _path(base, round(base + rng.uniform(8, 20), 1), rng)
    return v


def _combine(parts: list[_Values]) -> _Values:
    v = _Values()
    for key in parts[0].flows:
        v.flows[key] = [round(sum(p.flows[key][y] for p in parts), 1 if key[1] == 0 else 0)
                        for y in range(len(YEARS))]
    for i in parts[0].rates:
        v.rates[i] = [round(sum(p.rates[i][y] for p in parts) / len(parts), 1)
                      for y in range(len(YEARS))]
        v.base[i] = round(sum(p.base[i] for p in parts) / len(parts), 1)
    return v


def _plan(pid: str, level: str, parent: str | None, locality: str, v: _Values,
          kind: str = "five_year_sedp", year: int | None = None,
          cycle: str = "2021-2025") -> dict[str, Any]:
    budget, output, outcome = AGENCIES[cycle][level]
    objectives: list[dict[str, Any]] = [{
        "id": "G1", "kind": "general", "field": "macro",
        "title": {"vi": "Phát triển kinh tế – xã hội bền vững",
                  "en": "Sustainable socio-economic development"}}]
    for i, (sector, field, inp, out, res) in enumerate(THEMES):
        oid = f"O{i + 1}"
        if level == "province":  # the sector's lead department compiles its results
            output = outcome = LEADS[cycle][sector]
        years = YEARS if year is None else [year]
        idx = [YEARS.index(y) for y in years]

        def series(values: list[float], idx: list[int] = idx) -> dict[int, float]:
            return {YEARS[j]: values[j] for j in idx}

        def total(values: list[float], whole: bool, idx: list[int] = idx) -> float:
            return round(sum(values[j] for j in idx), 0 if whole else 1)
        targets = [
            {"id": f"{oid}.T1", "solution": f"{oid}.S1", "indicator": {"vi": inp[0], "en": inp[1]},
             "category": "input", "unit": "billion VND", "direction": "increase",
             "rollup": "sum", "target": total(v.flows[(i, 0)], False),
             "annual": series(v.flows[(i, 0)]), "frequency": "quarterly",
             "timing": "end of each quarter", "compiling_agency": budget,
             "providing_agencies": [budget], "data_source": "budget reports"},
            {"id": f"{oid}.T2", "solution": f"{oid}.S1", "indicator": {"vi": out[0], "en": out[1]},
             "category": "output", "unit": OUTPUT_UNITS[i], "direction": "increase",
             "rollup": "sum", "target": total(v.flows[(i, 1)], True),
             "annual": series(v.flows[(i, 1)]), "frequency": "semiannual",
             "timing": "end of June and December", "compiling_agency": output,
             "providing_agencies": [output], "data_source": "administrative records"},
            {"id": f"{oid}.T3", "indicator": {"vi": res[0], "en": res[1]},
             "category": "outcome", "unit": "%", "direction": "increase", "rollup": "last",
             "baseline": {"year": (year or YEARS[0]) - 1,
                          "value": v.base[i] if year is None
                          else ([v.base[i], *v.rates[i]][YEARS.index(year)])},
             "target": v.rates[i][idx[-1]], "annual": series(v.rates[i]),
             "frequency": "annual", "timing": "November", "compiling_agency": outcome,
             "providing_agencies": [outcome, "PSO"] if level == "province" else [outcome],
             "data_source": "statistical survey"},
        ]
        objectives.append({
            "id": oid, "kind": "specific", "parent": "G1", "field": field, "sector": sector,
            "title": {"vi": f"Mục tiêu {i + 1}: {res[0]}", "en": f"Objective {i + 1}: {res[1]}"},
            "solutions": [{"id": f"{oid}.S1", "title": {"vi": inp[0], "en": inp[1]},
                           "budget": {"value": total(v.flows[(i, 0)], False),
                                      "unit": "billion VND"}}],
            "targets": targets})
    period = [YEARS[0], YEARS[-1]] if year is None else [year, year]
    header: dict[str, Any] = {
        "id": pid, "title": {"vi": f"Kế hoạch {locality}", "en": f"Plan of {locality}"},
        "kind": kind, "level": level, "locality": locality, "period": period,
        "baseline_year": period[0] - 1,
        "excerpt": True,  # three themes of a framework, not a whole SEDP
        "submitted": {"by": SUBMITTERS[cycle][level], "on": f"{period[0] - 1}-07-10"},
        "consultations": [{"with": who, "on": f"{period[0] - 1}-{month:02d}-05",
                           "participants": 20 + 5 * month} for who, month in CONSULTATIONS[level]]}
    if parent:
        header["parent"] = parent
    return {"format": "plan/1", "plan": header, "objectives": objectives}


def generate_set(folder: Path, districts: int = 10, communes: int = 10, seed: int = 11,
                 plant: tuple[str, ...] = (), cycle: str = "2021-2025") -> dict[str, Path]:
    """Write the set of ``cycle`` into ``folder``; return the files by plan id. In the
    2026-2030 cycle the districts × communes communes (``prov-c001`` ...) sit directly
    under the province."""
    if cycle not in CYCLES:
        raise ValueError(f"cycle {cycle!r} is not one of {', '.join(CYCLES)}")
    first = int(cycle[:4])
    YEARS[:] = range(first, first + 5)
    rng = random.Random(seed)
    files: dict[str, Path] = {}

    def write(data: dict[str, Any]) -> None:
        path = folder / f"{data['plan']['id']}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
        files[data["plan"]["id"]] = path

    parts = []
    if cycle == "2021-2025":
        for d in range(1, districts + 1):
            did = f"prov-d{d:02d}"
            leaves = [_leaf(rng) for _ in range(communes)]
            for c, leaf in enumerate(leaves, start=1):
                write(_plan(f"{did}-c{c:02d}", "commune", did, f"Xã {c}, huyện {d}", leaf,
                            cycle=cycle))
            combined = _combine(leaves)
            parts.append(combined)
            write(_plan(did, "district", "prov", f"Huyện {d}", combined, cycle=cycle))
    else:  # two-level local government: communes roll up directly into the province
        for c in range(1, districts * communes + 1):
            leaf = _leaf(rng)
            parts.append(leaf)
            write(_plan(f"prov-c{c:03d}", "commune", "prov", f"Xã {c}", leaf, cycle=cycle))
    province = _combine(parts)
    five_year = _plan("prov", "province", None, "Tỉnh mẫu", province, cycle=cycle)
    annual = _plan(f"prov-{first}", "province", "prov", "Tỉnh mẫu", province,
                   kind="annual_sedp", year=first, cycle=cycle)
    for objective in annual["objectives"][1:]:
        for t in objective["targets"]:
            plan = t["target"]
            if t["rollup"] == "sum":
                t["actual"] = {f"{first}-H1": round(plan * 0.55, 1),
                               str(first): round(plan * 0.98, 1)}
            else:
                t["actual"] = {str(first): plan}
    if "district_sum" in plant:  # the province says less than its districts add up to
        t = five_year["objectives"][2]["targets"][1]
        t["target"] = round(t["target"] * 0.9)
        last = YEARS[-1]
        t["annual"][last] = t["target"] - sum(v for y, v in t["annual"].items() if y != last)
    if "annual_phase" in plant:  # the annual plan departs from the phasing, with no note
        t = annual["objectives"][1]["targets"][1]
        t["target"] = t["annual"][first] = round(t["target"] * 1.2)
        t["actual"] = {f"{first}-H1": round(t["target"] * 0.55),
                       str(first): round(t["target"] * 0.98)}
    if "off_track" in plant:  # a year-end actual far below its plan
        t = annual["objectives"][3]["targets"][1]
        t["actual"][str(first)] = round(t["target"] * 0.7, 1)
    write(five_year)
    write(annual)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--districts", type=int, default=10)
    parser.add_argument("--communes", type=int, default=10)
    parser.add_argument("--cycle", choices=CYCLES, default="2021-2025")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from validator.pipeline.validate import validate

    with tempfile.TemporaryDirectory() as tmp:
        files = generate_set(Path(tmp), args.districts, args.communes, cycle=args.cycle)
        validate([tmp], params={"rollup_complete": True})  # compile the rules once
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = validate([tmp], params={"rollup_complete": True})
            times.append(time.perf_counter() - start)
        targets = sum(len(p.plan.objectives) * 3 - 3 for p in result.plans)
        print(f"{len(files)} plans ({args.districts} districts × {args.communes} communes, "
              f"about {targets} targets) validated together in {min(times):.2f} s "
              f"(best of {args.repeat}); {len(result.findings)} findings")


if __name__ == "__main__":
    main()
