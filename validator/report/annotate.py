"""An annotated copy of a submitted workbook: each finding as a comment on its cell (each
entity of a grouped finding on its own), the cell filled by severity, and a findings sheet
with a link to every cell.

The copy is inert: it is the submitter's workbook as the values it was checked on. Every
formula is replaced by the value the file cached for it (the value intake read), so nothing
recalculates when a reviewer opens the copy: no DDE, no ``WEBSERVICE``, no link to another
file. External links (and the DDE links stored with them), macros, pivot caches,
conditional formats and the defined names and data validations that call functions or
point outside the workbook are left out; values, merged cells, styles, comments and plain
drop-down lists stay. Merged ranges are kept as ranges: the cells inside them are not
materialised one by one (a range of millions of cells costs what a small one does).
"""

from __future__ import annotations

import contextlib
import warnings
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from validator.core.findings import SEVERITY_RANK, Finding
from validator.core.i18n import LANGS, _, render
from validator.core.marker import ANNOTATED_MARK
from validator.core.output import write_file
from validator.formats.xlsx.grid import split_cell
from validator.formats.xlsx.writer import save_stable
from validator.report.cite import citation
from validator.report.reading import SEVERITY_NAMES, Names, evidence_sentence, place
from validator.report.trace_text import reviewer_rows

FILLS = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}
# the findings sheet: re-annotating a copy finds it by its name in either language and
# replaces it (a reworded name leaves an older copy's sheet beside the new one)
SHEET = _("Findings")
HEADS = (_("Severity"), _("Rule"), _("Cell"), _("Entity"), _("Problem"), _("Message"),
         _("Looked at"), _("Source"))
WIDTHS = (11, 10, 20, 30, 36, 70, 40, 28)
FINDINGS_SHEETS = {render(SHEET, lang) for lang in LANGS}
AUTHOR = "plancheck"


def comment_text(finding: Finding, lang: str) -> str:
    """One finding as comment text: severity, rule, message and the manual's page."""
    severity = render(SEVERITY_NAMES[finding.severity], lang)
    text = f"[{severity}] {finding.rule}: {finding.message_in(lang)}"
    if finding.source:
        text += render(_(" (source: {source})", source=citation(finding.source, lang)), lang)
    return text


def annotate_workbook(loaded: Any, findings: list[Finding], lang: str, out: Path) -> int:
    """Write the annotated copy of ``loaded`` (a workbook plan) to ``out``; returns the
    number of findings placed on cells. A grouped finding is placed entity by entity: one
    comment on each cell it stands for."""
    ours = [m for f in findings for m in f.cells() if m.location.file == loaded.file]
    book = inert_copy(loaded.file)
    for name in FINDINGS_SHEETS & set(book.sheetnames):
        del book[name]  # re-annotating an annotated copy replaces its findings sheet
    by_cell: dict[str, list[Finding]] = defaultdict(list)
    for finding in ours:
        cell = finding.location.cell or loaded.cell(("plan",))
        if cell:
            by_cell[cell].append(finding)
    placed = 0
    for name, group in by_cell.items():
        sheet_name, ref = split_cell(name)
        if sheet_name not in book.sheetnames:
            continue
        cell = book[sheet_name][ref]
        text = "\n\n".join(comment_text(f, lang) for f in group)
        if cell.comment is not None and cell.comment.author != AUTHOR:
            text = cell.comment.text + "\n\n" + text
        comment = Comment(text, AUTHOR)
        comment.width, comment.height = 360, min(60 + 70 * len(group), 600)
        cell.comment = comment
        worst = max(group, key=lambda f: SEVERITY_RANK[f.severity]).severity
        cell.fill = PatternFill("solid", fgColor=FILLS[worst])
        placed += len(group)
    _findings_sheet(book, ours, by_cell, lang, Names([loaded]))
    book.properties.keywords = ANNOTATED_MARK  # a folder scan skips plancheck's own copies
    write_file(out, save_stable(book))
    return placed


@contextlib.contextmanager
def _ranges_not_cells() -> Iterator[None]:
    """While openpyxl loads a workbook, keep each merged range as a range: openpyxl would
    otherwise make an object for every cell inside it (gigabytes for one large range)."""
    clean = Worksheet._clean_merge_range
    Worksheet._clean_merge_range = lambda self, mcr: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        Worksheet._clean_merge_range = clean  # type: ignore[method-assign]


def _calls_out(formula: Any) -> bool:
    """Whether a formula of a defined name or a data validation can do more than point at
    cells of this workbook: call a function, or reach another file (``[1]Sheet!A1``)."""
    return formula is not None and any(ch in str(formula) for ch in "([")


def inert_copy(file: str) -> Any:
    """The workbook at ``file`` as an openpyxl workbook that cannot run anything when it is
    opened (see the module docstring)."""
    with warnings.catch_warnings(), _ranges_not_cells():
        warnings.simplefilter("ignore")
        book = load_workbook(file, data_only=True, keep_vba=False, keep_links=False)
    book.calculation.fullCalcOnLoad = False
    for name in [n for n, d in book.defined_names.items() if _calls_out(d.attr_text)]:
        del book.defined_names[name]
    for sheet in book.worksheets:
        for name in [n for n, d in sheet.defined_names.items() if _calls_out(d.attr_text)]:
            del sheet.defined_names[name]
        sheet.conditional_formatting = ConditionalFormattingList()
        sheet._pivots = []
        validations = sheet.data_validations.dataValidation
        sheet.data_validations.dataValidation = [
            v for v in validations if not (_calls_out(v.formula1) or _calls_out(v.formula2))]
    return book


def _looked_at(finding: Finding, lang: str) -> str:
    """The values the rule looked at; with validate --explain, also what its deciding
    condition picked out (the trace's rows)."""
    if finding.trace is None:
        return evidence_sentence(finding, lang)
    return "; ".join(f"{label}: {value}" for label, value in reviewer_rows(finding.trace, lang))


def _findings_sheet(book: Any, findings: list[Finding], by_cell: dict[str, list[Finding]],
                    lang: str, names: Names) -> None:
    sheet = book.create_sheet(render(SHEET, lang), 0)
    heading = _("PLANCHECK FINDINGS — click a cell to go to it in the workbook")
    sheet.cell(1, 1, render(heading, lang)).font = Font(bold=True, size=12)
    for col, head in enumerate(HEADS, start=1):
        cell = sheet.cell(3, col, render(head, lang))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DCE6F1")
    cell_of = {id(f): name for name, group in by_cell.items() for f in group}
    row = 4
    ordered = sorted(findings, key=lambda f: (-SEVERITY_RANK[f.severity], f.rule, f.entity))
    for finding in ordered:
        where = cell_of.get(id(finding))
        values = (render(SEVERITY_NAMES[finding.severity], lang), finding.rule,
                  where or place(finding, lang), names.entity(finding, lang),
                  finding.title_in(lang), finding.message_in(lang),
                  _looked_at(finding, lang), citation(finding.source, lang))
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row, col, value)
            if cell.data_type == "f":
                cell.data_type = "s"  # a message is text, even if it starts with "="
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(row, 1).fill = PatternFill("solid", fgColor=FILLS[finding.severity])
        if where:
            link = sheet.cell(row, 3)
            sheet_name, ref = split_cell(where)
            quoted = sheet_name.replace("'", "''")
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{quoted}'!{ref}")
            link.font = Font(color="0563C1", underline="single")
        row += 1
    if not findings:
        sheet.cell(4, 1, render(_("No findings."), lang))
    for col, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = "A4"
