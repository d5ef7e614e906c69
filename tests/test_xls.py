"""Excel 97-2003 (.xls) and OpenDocument (.ods) workbooks: the same plan, cells and findings
as the same workbook saved as .xlsx; what cannot be read says how to convert it."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import EXAMPLES
from test_xlsx_helpers import HEADER, PLAN_ROWS, ROW, make_book, make_xls

from validator.core.errors import InputError
from validator.load import load_plan

MANUAL_LAYOUT = EXAMPLES / "xlsx" / "province-five-year-manual-layout.xlsx"
SHEETS = {"Kế hoạch": PLAN_ROWS,
          "Đầu ra": [["KHUNG CHỈ TIÊU ĐẦU RA"], HEADER, ROW,
                     [None, "Tỷ lệ hộ dùng nước sạch", "%", 0.8, 0.85, "6,5 - 7", 0.9, 0.95,
                      "Sở Xây dựng"],
                     ["Mục tiêu 2: Giảm nghèo", "Tỷ lệ hộ nghèo", "%", 5, 4.5, 4, 3.5, 3,
                      "Sở LĐ-TB&XH"], [None, "Số hộ thoát nghèo", "hộ", 100, 100, 100, 100,
                                       100, None]]}
MERGES = {"Đầu ra": ["A3:A4", "A5:A6"]}
FORMATS = {"Đầu ra": {"D4": "0%", "E4": "0%"}}


def twins(tmp_path):
    xlsx = make_book(tmp_path / "plan.xlsx", SHEETS, MERGES, FORMATS)
    xls = make_xls(tmp_path / "plan.xls", SHEETS, MERGES, FORMATS)
    return load_plan(xlsx), load_plan(xls)


def test_an_xls_workbook_reads_as_the_same_xlsx_one(tmp_path):
    a, b = twins(tmp_path)
    assert a.plan.dump() == b.plan.dump()
    assert a.plan.objectives[0].targets[1].annual[2026] == 80  # a percentage cell
    assert a.source.cells == b.source.cells  # the same cells for every key path
    assert b.cell(("objectives", 1, "targets", 0, "unit")) == "'Đầu ra'!C5"


def test_an_xls_workbook_gives_the_same_findings_at_the_same_cells(cli, tmp_path):
    make_book(tmp_path / "plan.xlsx", SHEETS, MERGES, FORMATS)
    make_xls(tmp_path / "plan.xls", SHEETS, MERGES, FORMATS)
    found = {}
    for name in ("plan.xlsx", "plan.xls"):
        code, out, err = cli("validate", tmp_path / name, "--format", "json")
        assert code == 1, err
        found[name] = [(f["rule"], f["location"]["cell"], f["message"])
                       for f in json.loads(out)["findings"]]
        for f in json.loads(out)["findings"]:
            assert f["location"]["file"].endswith(name)
    assert found["plan.xlsx"] == found["plan.xls"] and found["plan.xls"]
    code, out, err = cli("validate", tmp_path / "plan.xls")
    assert f"{tmp_path / 'plan.xls'}:'Đầu ra'!" in out


def test_errors_in_an_xls_workbook_are_located_at_cells(tmp_path):
    sheets = {**SHEETS, "Đầu ra": [["KHUNG"], HEADER, ROW[:3] + ["35.000"] + ROW[4:]]}
    path = make_xls(tmp_path / "bad.xls", sheets)
    with pytest.raises(InputError) as caught:
        load_plan(path)
    assert f"{path}:'Đầu ra'!D3: '35.000' is ambiguous" in str(caught.value)


@pytest.mark.parametrize("content, words", [
    (b"not a workbook at all", "cannot read the Excel 97-2003 workbook"),
    (MANUAL_LAYOUT.read_bytes(), "an .xlsx workbook with the wrong extension; rename it"),
])
def test_what_is_not_an_xls_workbook_is_refused(content, words, tmp_path):
    path = tmp_path / "bad.xls"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        load_plan(path)
    assert str(caught.value).startswith(f"{path}: ") and words in str(caught.value)


def test_an_ods_file_without_libreoffice_says_how_to_convert_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANCHECK_NO_SOFFICE", "1")
    path = tmp_path / "plan.ods"
    path.write_bytes(b"PK")
    with pytest.raises(InputError) as caught:
        load_plan(path)
    message = caught.value.render("en")
    assert f"{path}: .ods files are not read directly" in message
    assert "soffice --headless --convert-to xlsx plan.ods" in message
    assert "chuyển" in caught.value.render("vi")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_with_libreoffice_xls_and_ods_saved_by_it_read_as_the_xlsx(tmp_path):
    import subprocess

    source = tmp_path / "m.xlsx"
    shutil.copyfile(MANUAL_LAYOUT, source)
    for to in ("xls", "ods"):
        subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
                        "--headless", "--convert-to", to, "--outdir", str(tmp_path),
                        str(source)], check=True, capture_output=True, timeout=120)
    a = load_plan(source)
    for to in ("xls", "ods"):
        b = load_plan(tmp_path / f"m.{to}")
        assert b.plan.dump() == a.plan.dump() and b.source.cells == a.source.cells
        assert b.file.endswith(f"m.{to}")
