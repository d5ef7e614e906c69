"""Word plans (.docx): target tables read with the workbook vocabulary, the header from the
title lines, findings and errors at "table 3, row 7, column '...'" (bảng, dòng, cột in
Vietnamese), the annotated copy; legacy .doc says how to convert."""

from __future__ import annotations

import json
import shutil
import subprocess

import docx
import pytest
from test_xls import FORMATS, MERGES, SHEETS
from test_xlsx_helpers import HEADER, ROW, make_book, make_docx

from validator.core.errors import InputError
from validator.core.marker import is_annotated_copy
from validator.load import load_plan

TITLE = ["ỦY BAN NHÂN DÂN HUYỆN BẢO THẮNG", "KẾ HOẠCH",
         "Phát triển kinh tế - xã hội 5 năm 2026-2030 huyện Bảo Thắng",
         "Căn cứ Nghị quyết về kế hoạch 5 năm 2021-2025 của tỉnh;"]
OUTPUT = {"Phụ lục 1. KHUNG CHỈ TIÊU ĐẦU RA": SHEETS["Đầu ra"][1:]}


def test_a_word_plan_reads_as_the_same_workbook(tmp_path):
    book = load_plan(make_book(tmp_path / "plan.xlsx", SHEETS, MERGES, FORMATS))
    merges = {"Kế hoạch": [], "Đầu ra": MERGES["Đầu ra"]}
    document = load_plan(make_docx(tmp_path / "plan.docx", SHEETS, merges, FORMATS))
    assert document.plan.dump() == book.plan.dump()
    assert document.cell(("objectives", 1, "targets", 0, "unit")) == \
        "table 2, row 5, column 'Đơn vị tính'"
    assert document.cell(("objectives", 0, "targets", 0, "annual", 2027)) == \
        "table 2, row 3, column 'Kế hoạch 2027'"


def test_the_header_comes_from_the_title_lines_and_citations_are_not_titles(tmp_path):
    loaded = load_plan(make_docx(tmp_path / "plan.docx", OUTPUT, title=TITLE))
    header = loaded.plan.plan
    assert (header.id, header.kind, header.level, header.locality, header.period) == (
        "bao-thang-five-year-sedp-2026-2030", "five_year_sedp", "district", "Bảo Thắng",
        (2026, 2030))
    assert header.title == "KẾ HOẠCH Phát triển kinh tế - xã hội 5 năm 2026-2030 huyện Bảo Thắng"
    [info] = [f for f in loaded.findings if f.rule == "XLSX-02"]
    assert "from the issuing body at title line 1" in info.message["en"]
    assert "từ cơ quan ban hành tại ô dòng tiêu đề văn bản 1" in info.message["vi"]
    assert loaded.plan.objectives[0].targets[0].category == "output"


def test_findings_are_located_by_table_row_and_column_in_both_languages(cli, tmp_path):
    path = make_docx(tmp_path / "plan.docx", OUTPUT, title=TITLE)
    code, out, err = cli("validate", path, "--format", "json")
    assert code == 1, err
    cells = {f["location"]["cell"] for f in json.loads(out)["findings"]}
    assert "table 1, row 3, column 'Chỉ tiêu đầu ra'" in cells
    code, out, err = cli("validate", path, "--lang", "vi")
    assert f"{path}: bảng 1, dòng 3, cột 'Chỉ tiêu đầu ra'" in out
    code, out, err = cli("validate", path, "--lang", "en")
    assert f"{path}: table 1, row 3, column 'Chỉ tiêu đầu ra'" in out


def test_errors_in_a_word_table_are_located_at_its_cells(cli, tmp_path):
    bad = {"Phụ lục 1. KHUNG CHỈ TIÊU ĐẦU RA": [HEADER, ROW, ROW]}
    path = make_docx(tmp_path / "plan.docx", bad, title=TITLE)
    with pytest.raises(InputError) as caught:
        load_plan(path)
    assert caught.value.render("en").startswith(
        f"{path}: table 1, row 3, column 'Chỉ tiêu đầu ra': target 'Số hộ được cấp nước sạch'"
        " appears twice (first at table 1, row 2, column 'Chỉ tiêu đầu ra')")
    code, out, err = cli("validate", path, "--lang", "vi")
    assert code == 2 and f"{path}: bảng 1, dòng 3, cột 'Chỉ tiêu đầu ra': " in err


def test_the_annotated_copy_has_comments_on_cells_and_is_marked(cli, tmp_path):
    path = make_docx(tmp_path / "plan.docx", OUTPUT, title=TITLE)
    out_path = tmp_path / "plan-nhan-xet.docx"
    code, out, err = cli("validate", path, "--annotate", out_path, "--lang", "vi")
    assert code == 1, err
    copy = docx.Document(str(out_path))
    texts = [c.text for c in copy.comments]
    assert any(t.startswith("[lỗi] FR-01") for t in texts)
    assert all(c.author == "plancheck" for c in copy.comments)
    cell = copy.tables[0].cell(2, 1)  # row 3, the indicator of the first target
    assert cell._tc.tcPr.xpath("w:shd/@w:fill") == ["FFC7CE"]  # shaded as an error
    assert is_annotated_copy(out_path) and not is_annotated_copy(path)
    assert load_plan(out_path).plan.dump() == load_plan(path).plan.dump()


@pytest.mark.parametrize("name, content, words", [
    ("plan.docx", b"not a zip", "not a Word document"),
    ("plan.doc", b"\xd0\xcf\x11\xe0 old word", "soffice --headless --convert-to docx plan.doc"),
])
def test_what_is_not_a_readable_word_plan_is_refused(name, content, words, tmp_path,
                                                    monkeypatch):
    monkeypatch.setenv("PLANCHECK_NO_SOFFICE", "1")
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        load_plan(path)
    assert str(caught.value).startswith(f"{path}: ") and words in str(caught.value)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_doc_is_converted_by_libreoffice_when_it_is_installed(tmp_path):
    source = make_docx(tmp_path / "plan.docx", OUTPUT, title=TITLE)
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
                    "--headless", "--convert-to", "doc", "--outdir", str(tmp_path / "old"),
                    str(source)], check=True, capture_output=True, timeout=120)
    old = tmp_path / "old" / "plan.doc"
    if not old.is_file():
        pytest.skip("this LibreOffice cannot convert Word documents (no Writer)")
    loaded = load_plan(old)
    assert loaded.plan.dump() == load_plan(source).plan.dump()
    assert loaded.file == str(old) and loaded.cell(("objectives", 0)).startswith("table 1, ")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_doc_libreoffice_cannot_convert_says_how_to_convert_it(tmp_path, monkeypatch):
    monkeypatch.delenv("PLANCHECK_NO_SOFFICE", raising=False)
    path = tmp_path / "plan.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0 not really a Word file")
    with pytest.raises(InputError) as caught:
        load_plan(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: LibreOffice could not convert the file")
    assert "soffice --headless --convert-to docx plan.doc" in message
