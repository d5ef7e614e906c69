"""The annotated workbook: comments at the finding cells in the chosen language, fills by
severity, a findings sheet with links; it opens in LibreOffice (converted to PDF)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from conftest import EXAMPLES
from openpyxl import load_workbook
from test_xlsx_helpers import cache_value, patch_sheet, simple_book

from validator.formats.xlsx import write_xlsx
from validator.formats.xlsx.grid import split_cell
from validator.load import load_plan
from validator.report.annotate import FILLS
from validator.report.cite import citation

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
        assert citation(finding["source"], "vi") in text  # as a reviewer cites it
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


def test_annotating_keeps_the_submitters_cells_with_formulas_as_their_values(cli, tmp_path):
    path = simple_book(tmp_path / "plan.xlsx",
                       [["Mục tiêu 1", "Số hộ", None, 1, 2, 3, 4, "=D3+E3", "=D3*2"]])
    cache_value(path, 2, "I3", 2)
    out = tmp_path / "out.xlsx"
    assert cli("validate", path, "--annotate", out)[0] == 1
    book = load_workbook(out)
    assert book["Đầu ra"]["I3"].value == 2  # the cached value, not the formula
    assert book["Đầu ra"]["H3"].value is None  # no value was saved for it
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


def _armed_book(tmp_path, url: str):
    """A submission whose formulas would call out when recalculated: WEBSERVICE to ``url``,
    a DDE link, an external link, a conditional format and a defined name calling a
    function; each formula with a cached value, as Excel saves them."""
    path = simple_book(tmp_path / "armed.xlsx",
                       [["Mục tiêu 1", "Số hộ", None, 1, 2, 3, 4, 5, 6]])
    rows = (f'<row r="5"><c r="K5" t="str"><f>_xlfn.WEBSERVICE("{url}")</f><v>cached</v></c>'
            '<c r="L5"><f>DDE("cmd";"/c calc";"x")</f><v>7</v></c>'
            "<c r=\"M5\"><f>[1]Sheet1!A1</f><v>8</v></c></row>")
    book = load_workbook(path)
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.workbook.defined_name import DefinedName

    book["Đầu ra"].conditional_formatting.add("A1:A2", FormulaRule(
        formula=[f'LEN(WEBSERVICE("{url}"))>0']))
    book.defined_names["callout"] = DefinedName("callout", attr_text=f'WEBSERVICE("{url}")')
    book.save(path)
    return patch_sheet(path, 2, rows)  # after openpyxl, which drops cached values


def test_the_annotated_copy_holds_no_formula_link_or_recalculation(cli, tmp_path):
    """The copy kept the submitter's formulas, dropped their cached values and asked for a
    full recalculation on load: DDE or WEBSERVICE ran when the reviewer opened it."""
    import zipfile

    path = _armed_book(tmp_path, "http://127.0.0.1:9/hit")
    out = tmp_path / "copy.xlsx"
    assert cli("validate", path, "--annotate", out)[0] in (0, 1)
    with zipfile.ZipFile(out) as archive:
        parts = {n: archive.read(n).decode("utf-8", "replace") for n in archive.namelist()}
    sheets = {n: x for n, x in parts.items() if n.startswith("xl/worksheets/sheet")}
    assert sheets and not any("<f>" in x or "<f " in x for x in sheets.values())
    assert not any("conditionalFormatting" in x for x in sheets.values())
    everything = "".join(parts.values())
    assert "WEBSERVICE" not in everything and "DDE(" not in everything
    assert not any("externalLink" in n for n in parts)
    assert 'fullCalcOnLoad="1"' not in parts["xl/workbook.xml"]
    book = load_workbook(out)
    assert [book["Đầu ra"][ref].value for ref in ("K5", "L5", "M5")] == ["cached", 7, 8]


def test_a_huge_merged_range_is_annotated_without_materialising_its_cells(cli, tmp_path):
    """One range D100:ZZ20000 made --annotate take 5.3 GB and 176 s (openpyxl made an object
    for each of its 14 million cells)."""
    import resource
    import time

    from validator.formats.xlsx import guard
    from validator.report.annotate import inert_copy

    path = patch_sheet(simple_book(tmp_path / "merged.xlsx"), 2, merges=["D100:ZZ20000"])
    assert guard.MAX_MERGED_CELLS < 14_000_000  # intake refuses it; the copy must cope too
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    book = inert_copy(str(path))
    assert time.monotonic() - started < 10
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 300_000  # KiB
    assert "D100:ZZ20000" in {str(r) for r in book["Đầu ra"].merged_cells.ranges}


# a LibreOffice profile that recalculates every formula of an .xlsx file when it loads it and
# updates links without asking: the reviewer's worst case
_RECALCULATE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Content/Update">
  <prop oor:name="Link" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; "
                    ".ci/run installs libreoffice-calc-nogui")
def test_libreoffice_opening_the_copy_runs_nothing(cli, tmp_path):
    """LibreOffice, set to recalculate everything on load, opens the submission and the copy
    (converting each sheet to CSV). In the submission the WEBSERVICE formula runs: its cached
    value is replaced by what LibreOffice computed (its own block on external content stops
    the request there). In the copy nothing runs: the cached value is shown as it was, and
    the local server the formula names, which writes a file for each request, gets none."""
    import http.server
    import threading

    marker = tmp_path / "requested"

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server name
            marker.write_text(self.path, encoding="utf-8")  # the file the formula writes
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"fetched")

        def log_message(self, *args: object) -> None:
            pass

    profile = tmp_path / "lo-profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_RECALCULATE, encoding="utf-8")

    def shown(book, name: str) -> str:
        folder = tmp_path / name
        result = subprocess.run(
            [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,"
             "false,false,-1", "--outdir", str(folder), str(book)],
            capture_output=True, text=True, timeout=240)
        sheet = [p for p in folder.glob("*.csv") if "Đầu ra" in p.name]
        assert sheet, result.stdout + result.stderr
        return sheet[0].read_text(encoding="utf-8", errors="replace").splitlines()[-1]

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        path = _armed_book(tmp_path, f"http://127.0.0.1:{server.server_port}/hit")
        out = tmp_path / "copy.xlsx"
        assert cli("validate", path, "--annotate", out)[0] in (0, 1)
        submitted = shown(path, "submitted")
        assert "cached" not in submitted.split(","), submitted  # it ran there
        copied = shown(out, "copy")
        assert copied.split(",")[-3:] == ["cached", "7", "8"], copied  # nothing ran here
        assert not marker.exists(), marker.read_text(encoding="utf-8")
    finally:
        server.shutdown()
        server.server_close()


def test_with_explain_the_findings_sheet_shows_the_trace_as_sentences(cli, tmp_path):
    import json

    from validator.report.trace_text import reviewer_rows

    plan = EXAMPLES / "flawed" / "cat02-cat06-smartm2-catalogue.yaml"
    book = tmp_path / "submitted.xlsx"
    book.write_bytes(write_xlsx(load_plan(plan).plan, "vi"))
    out = tmp_path / "annotated.xlsx"
    code, report, err = cli("validate", book, "--annotate", out, "--explain", "--format",
                            "json")
    assert code == 1, err
    traces = {(f["rule"], f["entity"]["id"]): f["trace"]
              for f in json.loads(report)["findings"] if "trace" in f}
    sheet = load_workbook(out)["Phát hiện"]
    looked = {(row[1], row[3].split('"')[0].split()[-1]): row[6]  # kind ID "name"
              for row in sheet.iter_rows(min_row=4, values_only=True)}
    cat06 = next(key for key in traces if key[0] == "CAT-06")
    assert "Liên quan: O1.T1" in looked[cat06]  # what the deciding condition picked out
    for key, trace in traces.items():
        rows = reviewer_rows(trace, "vi")
        assert looked[key] == "; ".join(f"{label}: {value}" for label, value in rows)
        assert "require" not in (looked[key] or "")
