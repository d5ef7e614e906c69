"""Excel workbooks: plans in (intake), plans out (templates, conversion), annotated copies.

The workbook layout follows the MPI 2013 manual's M&E frameworks; docs/xlsx.md is its
reference. openpyxl is imported only when a workbook is read or written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def load_xlsx(path: str | Path) -> Any:
    """Load a plan workbook as a :class:`~validator.loader.LoadedPlan` (or raise a located
    :class:`~validator.errors.InputError`)."""
    from validator.loader import LoadedPlan, plan_from_data
    from validator.xlsx.assemble import formula_findings
    from validator.xlsx.grid import read_sheets
    from validator.xlsx.guard import check_workbook
    from validator.xlsx.reader import Reader

    path = Path(path)
    file = str(path)
    check_workbook(path)
    reader = Reader(file, read_sheets(path, file))
    data = reader.read()
    plan = plan_from_data(data, reader.map)  # type: ignore[arg-type]
    reader.map.findings = formula_findings(reader, plan.plan.id)
    return LoadedPlan(plan, file, reader.map)  # type: ignore[arg-type]


def load_findings(plans: list[Any]) -> list[Any]:
    """Findings made while loading workbooks (formulas saved without a computed value)."""
    return [f for loaded in plans for f in getattr(loaded.source, "findings", None) or []]


def write_xlsx(plan: Any, lang: str = "vi") -> bytes:
    """A plan as a workbook in the layout of docs/xlsx.md (drop-downs included)."""
    from validator.xlsx.writer import plan_workbook

    return plan_workbook(plan, lang)
