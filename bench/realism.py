"""The bundled pack on the published plans of tests/realism, measured against a reviewer.

    python bench/realism.py [--missing]

Prints one row per plan (kind, level, targets, findings, the reviewer's remarks, precision,
recall, volume) and an overall row, from tests/realism/reviewed.yaml and a fresh run of the
pack. ``--missing`` also lists the remarks no finding covers. Aims (issue 16): precision
>= 90 %, recall >= 95 %, volume <= 1.5x on every plan.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _metrics():
    """tests/realism/metrics.py, loaded by path (this script is itself named realism)."""
    sys.path.insert(0, str(ROOT))
    spec = importlib.util.spec_from_file_location("realism_metrics",
                                                  ROOT / "tests" / "realism" / "metrics.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--missing", action="store_true",
                        help="also list the reviewer's remarks that no finding covers")
    args = parser.parse_args(argv)
    metrics = _metrics()
    measured = metrics.measure_all()
    print(metrics.table(measured))
    incomplete = [m.plan for m in measured if not m.complete]
    if incomplete:
        print(f"\nnot fully reviewed (run pytest tests/realism): {', '.join(incomplete)}")
    if args.missing:
        reviews = metrics.load_reviewed()
        print("\nremarks no finding covers:")
        for m in measured:
            for remark in reviews[m.plan].remarks:
                if remark.id in m.uncovered:
                    print(f"  {m.plan} {remark.id} {remark.rule}: {', '.join(remark.entities)}")
        print("\nremarks re-reviewed as outside the manual (listed, not counted):")
        for m in measured:
            for remark in reviews[m.plan].remarks:
                if remark.outside_manual is not None:
                    print(f"  {m.plan} {remark.id} {remark.rule}: {', '.join(remark.entities)}")
    return 1 if incomplete else 0


if __name__ == "__main__":
    sys.exit(main())
