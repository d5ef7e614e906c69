"""The annotated workbook: comments at the finding cells in the chosen language, fills by
severity, a findings sheet with links; it opens in LibreOffice (converted to PDF)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from conftest import EXAMPLES
from openpyxl import load_workbook
from test_xlsx_helpers import simple_book

from validator.formats.xlsx import write_xlsx
from validator.formats.xlsx.grid import split_cell
from validator.load import load_plan
from validator.report.annotate import FILLS

FLAWED = EXAMPLES / "flawed" / "ph04-dir01-sum-mismatch-poverty-rises.yaml"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture
def annotated(cli, tmp_path):
    """A flawed plan as a workbook, validated with --annotate (Vietnamese comments)."""
    book = tmp_path / "submitted.xlsx"
    book.write_bytes(write_xlsx(load_plan(FLAWED).plan, "vi"))
    out = tmp_path / "annotated.xlsx"
    code, report, err = cli("validate", book, "--annotate", out, "--format", "json")
    assert code == 1, err
    return book, out, report


def _comments(path):
    book = load_workbook(path)
    found = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.comment is not None:
                    found[(sheet.title, cell.coordinate)] = (cell.comment.text,
                                                             cell.fill.fgColor.rgb)
    return book, found


def test_each_finding_is_a_comment_at_its_cell_with_a_severity_fill(annotated):
    import json

    _, out, report = annotated
    findings = json.loads(report)["findings"]
    book, comments = _comments(out)
    for finding in findings:
        sheet, ref = split_cell(finding["location"]["cell"])
        text, fill = comments[(sheet, ref)]
        assert f"{finding['rule']}: {finding['message']}" in text  # in Vietnamese
        assert finding["source"] in text
    ph04 = next(f for f in findings if f["rule"] == "PH-04")
    text, fill = comments[split_cell(ph04["location"]["cell"])]
    assert text.startswith("[lỗi] PH-04") and fill.endswith(FILLS["error"])
    sheet = book["Phát hiện"]
    assert book.sheetnames[0] == "Phát hiện"
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert len(rows) == len(findings)
    links = [sheet.cell(r, 3).hyperlink for r in range(4, 4 + len(findings))]
    assert all(link is not None and link.location for link in links)
    assert {split_cell(link.location) for link in links} == {
        split_cell(f["location"]["cell"]) for f in findings}


def test_the_annotated_copy_loads_as_the_same_plan_and_can_be_annotated_again(annotated, cli,
                                                                              tmp_path):
    book, out, _ = annotated
    assert load_plan(out).plan == load_plan(book).plan
    again = tmp_path / "again.xlsx"
    assert cli("validate", out, "--annotate", again, "--lang", "en")[0] == 1
    workbook, comments = _comments(again)
    assert "Findings" in workbook.sheetnames and "Phát hiện" not in workbook.sheetnames
    assert all(text.startswith("[") for text, _ in comments.values())
    assert any("[error] PH-04" in text for text, _ in comments.values())


def test_annotating_keeps_the_submitters_cells_and_formulas(cli, tmp_path):
    path = simple_book(tmp_path / "plan.xlsx",
                       [["Mục tiêu 1", "Số hộ", None, 1, 2, 3, 4, "=D3+E3"]])
    out = tmp_path / "out.xlsx"
    assert cli("validate", path, "--annotate", out)[0] == 1
    book = load_workbook(out)
    assert book["Đầu ra"]["H3"].value == "=D3+E3"  # recomputed when opened
    assert book["Đầu ra"]["B3"].value == "Số hộ"
    _, comments = _comments(out)
    assert "XLSX-01" in comments[("Đầu ra", "H3")][0]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; "
                    ".ci/run installs libreoffice-calc-nogui")
def test_the_annotated_copy_opens_in_libreoffice(annotated, tmp_path):
    """LibreOffice renders it to PDF, and saving it again keeps every comment in place."""
    _, out, report = annotated

    def convert(fmt: str, folder: str):
        result = subprocess.run(
            [SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
             "--headless", "--norestore", "--convert-to", fmt, "--outdir",
             str(tmp_path / folder), str(out)], capture_output=True, text=True, timeout=180)
        made = tmp_path / folder / f"annotated.{fmt}"
        assert made.exists(), result.stdout + result.stderr
        return made

    pdf = convert("pdf", "pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and re.search(rb"/Type\s*/Page\b", pdf)
    _, before = _comments(out)
    _, after = _comments(convert("xlsx", "resaved"))
    assert {cell: text for cell, (text, _) in after.items()} == {
        cell: text for cell, (text, _) in before.items()}
    assert any("PH-04" in text for text, _ in after.values())
