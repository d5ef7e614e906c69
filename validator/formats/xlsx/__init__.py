"""Excel workbooks: plans in (intake) and plans out (templates, conversion).

The workbook layout follows the MPI 2013 manual's M&E frameworks; docs/xlsx.md is its
reference. The annotated copy of a submission is a report (:mod:`validator.report.annotate`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from validator.plan.data import plan_from_data
from validator.plan.loaded import LoadedPlan
from validator.plan.model import Plan

# .xlsm is read only to be refused with a located message (validator.formats.xlsx.guard);
# .xls with xlrd (validator.formats.xlsx.xls); .ods converted by LibreOffice when present
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}


def load_xlsx(path: str | Path, given: Mapping[str, Any] | None = None) -> LoadedPlan:
    """Load a plan workbook, or raise a located :class:`~validator.core.errors.InputError`;
    ``given`` header fields (``--plan``) fill in what it does not say."""
    # openpyxl costs about 0.1 s to import: only commands that read a workbook pay it
    from validator.formats.xlsx.assemble import formula_findings
    from validator.formats.xlsx.grid import read_sheets
    from validator.formats.xlsx.guard import check_workbook
    from validator.formats.xlsx.inferred import empty_finding, header_finding
    from validator.formats.xlsx.reader import Reader

    path = Path(path)
    file = str(path)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        from validator.formats.xlsx.xls import read_xls_sheets

        sheets = read_xls_sheets(path, file)
    elif suffix == ".ods":
        from validator.formats.office import converted

        with converted(path, "xlsx") as workbook:
            check_workbook(workbook)
            sheets = read_sheets(workbook, file)
    else:
        check_workbook(path)
        sheets = read_sheets(path, file)
    reader = Reader(file, sheets, given)
    plan = plan_from_data(reader.read(), reader.map)
    findings = (header_finding(reader, plan.plan.id) + formula_findings(reader, plan.plan.id)
                + empty_finding(reader, plan.plan.id, len(plan.objectives)))
    return LoadedPlan(plan, file, reader.map, findings)


def write_xlsx(plan: Plan, lang: str = "vi") -> bytes:
    """A plan as a workbook in the layout of docs/xlsx.md (drop-downs included)."""
    from validator.formats.xlsx.writer import plan_workbook  # openpyxl, as above

    return plan_workbook(plan, lang)
