"""Word plans (.docx): the target tables of a plan document or its appendices (Phụ lục),
read with the workbook reader's header vocabulary, the header from the document's title
lines; legacy .doc converted by LibreOffice when it is installed. docs/docx.md is the
reference; the annotated copy is :mod:`validator.report.annotate_docx`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from validator.core.errors import InputError
from validator.plan.data import plan_from_data
from validator.plan.loaded import LoadedPlan

DOCUMENT_SUFFIXES = {".docx", ".doc"}


def load_docx(path: str | Path, given: Mapping[str, Any] | None = None) -> LoadedPlan:
    """Load a Word plan, or raise an :class:`InputError` located at its tables' cells."""
    path = Path(path)
    if path.suffix.lower() == ".doc":
        from validator.formats.office import converted

        with converted(path, "docx") as document:
            return _load(document, str(path), given)
    return _load(path, str(path), given)


def _load(path: Path, file: str, given: Mapping[str, Any] | None) -> LoadedPlan:
    from validator.formats.docx.document import read_document
    from validator.formats.docx.locate import Places
    from validator.formats.xlsx.inferred import empty_finding, header_finding
    from validator.formats.xlsx.reader import Reader

    document = read_document(path, file)
    places = Places(document, file)
    reader = Reader(file, [document.title, *document.tables], given)
    try:
        data = reader.read()
        source = places.cell_map(reader.map)
        plan = plan_from_data(data, source)
    except InputError as exc:
        raise InputError([places.problem(p) for p in exc.problems]) from None
    findings = [places.finding(f) for f in header_finding(reader, plan.plan.id)
                + empty_finding(reader, plan.plan.id, len(plan.objectives))]
    return LoadedPlan(plan, file, source, findings)
