"""An annotated copy of a submitted Word plan: each finding as a Word comment (author
``plancheck``) on the table cell of its entity, the cell shaded by the worst severity there;
findings about the plan as a whole are comments on the document's first paragraph.

The copy is the submitted document as python-docx reads and writes it: text, tables,
styles and existing comments stay. Its core properties carry :data:`ANNOTATED_MARK`, so a
folder scan knows it is plancheck's own output and not a submission.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from validator.core.findings import SEVERITY_RANK, Finding
from validator.core.marker import ANNOTATED_MARK
from validator.report.annotate import AUTHOR, FILLS, comment_text


def annotate_document(loaded: Any, findings: list[Finding], lang: str, out: Path) -> int:
    """Write the annotated copy of ``loaded`` (a Word plan) to ``out``; returns the number
    of findings placed on table cells. A grouped finding is placed entity by entity, as in
    the annotated workbook: one comment on each cell it stands for."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document(loaded.file)
    tables = [child for child in document.element.body.iterchildren()
              if child.tag == qn("w:tbl")]
    grid = getattr(loaded.source, "grid", {})
    by_cell: dict[tuple[int, int, int], list[Finding]] = defaultdict(list)
    loose: list[Finding] = []
    for finding in (m for f in findings for m in f.cells() if m.location.file == loaded.file):
        where = grid.get(finding.location.cell or "")
        (by_cell[where] if where else loose).append(finding)
    placed = 0
    for (table, row, col), found in sorted(by_cell.items()):
        tc = _cell(tables[table - 1], row, col, qn)
        if tc is None:
            loose.extend(found)
            continue
        worst = max(found, key=lambda f: SEVERITY_RANK[f.severity]).severity
        _shade(tc, FILLS[worst], OxmlElement, qn)
        run = _run_in(tc, document)
        for finding in found:
            document.add_comment(run, comment_text(finding, lang), author=AUTHOR,
                                 initials="PC")
            placed += 1
    if loose:
        first = next((p for p in document.paragraphs if p.text.strip()), None)
        run = (first.runs[0] if first is not None and first.runs else
               (first or document.add_paragraph()).add_run(""))
        for finding in loose:
            document.add_comment(run, comment_text(finding, lang), author=AUTHOR,
                                 initials="PC")
    document.core_properties.keywords = ANNOTATED_MARK
    document.save(str(out))
    return placed


def _cell(tbl: Any, row: int, col: int, qn: Any) -> Any:
    """The ``w:tc`` at grid column ``col`` of row ``row`` (1-based), or None."""
    rows = list(tbl.iterchildren(qn("w:tr")))
    if not 1 <= row <= len(rows):
        return None
    tr = rows[row - 1]
    at = 1 + int(tr.grid_before or 0)
    for tc in tr.iterchildren(qn("w:tc")):
        width = int(tc.grid_span or 1)
        if at <= col < at + width:
            return tc
        at += width
    return None


def _shade(tc: Any, fill: str, element: Any, qn: Any) -> None:
    properties = tc.get_or_add_tcPr()
    for old in properties.findall(qn("w:shd")):
        properties.remove(old)
    shading = element("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _run_in(tc: Any, document: Any) -> Any:
    """A run of the cell's first paragraph to anchor comments on (added when empty)."""
    from docx.table import _Cell

    cell = _Cell(tc, document)
    paragraph = cell.paragraphs[0]
    return paragraph.runs[0] if paragraph.runs else paragraph.add_run("")
