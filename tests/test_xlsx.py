"""Excel intake and output: round trips, templates, the manual's five-year layout written by
hand, findings at cells, located errors, formulas and untrusted files."""

from __future__ import annotations

import json
import zipfile

import pytest
from conftest import EXAMPLES, FLAWED_EXAMPLES, GOOD_EXAMPLES, ROOT
from openpyxl import load_workbook
from test_xlsx_helpers import HEADER, PLAN_ROWS, ROW, cache_value, make_book, simple_book

from validator.core.errors import InputError
from validator.formats.xlsx import write_xlsx
from validator.formats.xlsx.writer import skeleton, template_workbook
from validator.load import load_plan
from validator.plan.model import PlanHeader, Range
from validator.plan.ontology import codes

MANUAL_LAYOUT = EXAMPLES / "xlsx" / "province-five-year-manual-layout.xlsx"


def load_error(path) -> str:
    with pytest.raises(InputError) as caught:
        load_plan(path)
    return str(caught.value)


# --- round trips -------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("path", GOOD_EXAMPLES, ids=lambda p: p.name)
def test_bundled_examples_round_trip_through_xlsx(path, lang, tmp_path):
    plan = load_plan(path).plan
    out = tmp_path / "plan.xlsx"
    out.write_bytes(write_xlsx(plan, lang))
    assert load_plan(out).plan == plan


@pytest.mark.parametrize("path", FLAWED_EXAMPLES, ids=lambda p: p.name)
def test_flawed_examples_round_trip_through_xlsx(path, tmp_path):
    plan = load_plan(path).plan
    out = tmp_path / "plan.xlsx"
    out.write_bytes(write_xlsx(plan, "en"))
    assert load_plan(out).plan == plan


def test_texts_that_look_like_formulas_stay_texts_and_blank_codes_stay_blank(tmp_path):
    from validator.plan.model import Plan

    plan = Plan.model_validate({
        "format": "plan/1",
        "plan": {"id": "p", "title": '=HYPERLINK("http://example.com","x")', "kind": "own",
                 "level": "province", "locality": "=1+1", "period": [2026, 2026]},
        "objectives": [{"id": "O1", "kind": "general", "title": "=cmd|' /c calc'!A0",
                        "targets": [{"id": "T1", "indicator": "=2*3", "target": "=5",
                                     "annual": {2026: 1}, "actual": {"2026-H1": 1}}]}]})
    out = tmp_path / "plan.xlsx"
    out.write_bytes(write_xlsx(plan, "vi"))
    assert load_plan(out).plan == plan  # no category read from a title, no formula run
    book = load_workbook(out)
    cells = [c for s in book for row in s.iter_rows() for c in row]
    assert all(c.value.startswith("=IF(AND(ISNUMBER(") for c in cells if c.data_type == "f")
    texts = {c.value: c.data_type for c in cells if c.value in {"=1+1", "=2*3", "=5"}}
    assert texts == {"=1+1": "s", "=2*3": "s", "=5": "s"}


def test_writing_is_deterministic():
    plan = load_plan(GOOD_EXAMPLES[0]).plan
    assert write_xlsx(plan, "vi") == write_xlsx(plan, "vi")


def test_the_writer_covers_every_header_field():
    from validator.formats.xlsx.writer import ADOPTION_ROWS
    from validator.formats.xlsx.writer import PLAN_ROWS as WRITTEN

    covered = {"id", "title", "kind", "level", "locality", "sector", "period", "baseline_year",
               "parent", "excerpt", "submitted", "consultations", "document", "adopted",
               "not_encoded"}  # not_encoded: not on the plan sheet yet
    assert set(PlanHeader.model_fields) == covered, "a new plan field needs a workbook row"
    assert {"first_year", "last_year", "submitted_by", "submitted_on"} <= set(WRITTEN)
    assert {"document", "adopted_act", "adopted_on", "adopted_by"} <= set(ADOPTION_ROWS)


def test_convert_to_xlsx_and_back(cli, tmp_path):
    source = EXAMPLES / "province-five-year-sedp.yaml"
    book = tmp_path / "plan.xlsx"
    assert cli("convert", source, "--to", "xlsx", "-o", book, "--lang", "en")[0] == 0
    back = tmp_path / "back.yaml"
    assert cli("convert", book, "--to", "yaml", "-o", back)[0] == 0
    assert load_plan(back).plan == load_plan(source).plan
    code, _, err = cli("convert", source, "--to", "xlsx", "--lang", "en")
    assert code == 2 and "-o FILE.xlsx" in err
    assert load_workbook(book).sheetnames[:4] == ["Plan", "Consultations",
                                                   "General framework", "Targets"]


# --- templates ---------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["five_year_sedp", "annual_sedp", "five_year_sectoral",
                                  "annual_sectoral"])
def test_templates_load_back_losslessly(kind, tmp_path, cli):
    out = tmp_path / "t.xlsx"
    code, _, _ = cli("template", "--kind", kind, "--lang", "vi", "--level", "district",
                     "-o", out)
    assert code == 0
    book = load_workbook(out)
    sheet = book["Kế hoạch"]
    row = next(r for r in range(1, 30) if sheet.cell(r, 1).value == "Địa phương")
    sheet.cell(row, 2).value = "Bảo Thắng"
    book.save(out)
    plan = load_plan(out).plan
    expected = skeleton(kind, "vi", "district").model_copy(deep=True)
    expected.plan.locality = "Bảo Thắng"
    years = 5 if kind.startswith("five") else 1
    span = f"{expected.plan.period[0]}" + (f"-{expected.plan.period[1]}" if years > 1 else "")
    expected.plan.id = f"bao-thang-{kind.replace('_', '-')}-{span}"  # the blank ID, made
    assert plan == expected
    assert plan.objectives == []  # the example rows are skipped
    assert plan.plan.period[1] - plan.plan.period[0] + 1 == years


def test_template_drop_downs_come_from_the_ontology(tmp_path):
    out = tmp_path / "t.xlsx"
    out.write_bytes(template_workbook("five_year_sedp", "vi", period=(2031, 2035)))
    book = load_workbook(out)
    lists = book["Danh mục"]
    assert lists.sheet_state == "hidden"
    columns = {lists.cell(1, c).value: [lists.cell(r, c).value
                                        for r in range(2, lists.max_row + 1)
                                        if lists.cell(r, c).value is not None]
               for c in range(1, lists.max_column + 1)}
    assert columns["category"] == ["Đầu vào", "Đầu ra", "Kết quả", "Tác động"]
    # the province's agencies of 2031-2035 and the levels next to it (tests/test_xlsx_agencies.py)
    assert "Sở Tài chính" in columns["agency"] and "Sở Kế hoạch và Đầu tư" not in columns["agency"]
    assert len(columns["agency"]) < len(codes("agency"))
    assert "Hằng quý" in columns["frequency"] and "%" in columns["unit"]
    targets = book["Chỉ tiêu"]
    headers = {targets.cell(r, c).value: c for r in (3, 4) for c in range(1, 60)
               if targets.cell(r, c).value is not None}
    assert {2031, 2035, "Cả kỳ", "Loại chỉ tiêu", "Đơn vị tính", "Tần suất"} <= set(headers)
    by_column = {}
    for check in targets.data_validations.dataValidation:
        for rng in check.sqref.ranges:
            by_column[rng.min_col] = check.formula1
    for header, scheme in (("Loại chỉ tiêu", "$A$"), ("Đơn vị tính", "$B$"),
                           ("Tần suất", "$C$"), ("Cơ quan tổng hợp", "$D$"),
                           ("Cơ quan cung cấp thông tin", "$D$")):
        assert scheme in by_column[headers[header]], header
        assert "Danh mục" in by_column[headers[header]]


def test_a_filled_in_template_loads(tmp_path):
    out = tmp_path / "t.xlsx"
    out.write_bytes(template_workbook("five_year_sedp", "vi"))  # the plain layout, no example
    book = load_workbook(out)
    for row in book["Kế hoạch"].iter_rows(min_row=4):  # the placeholders, typed over
        if row[0].value in ("Mã kế hoạch", "Địa phương"):
            row[1].value = {"Mã kế hoạch": "lc-2026-2030", "Địa phương": "Lào Cai"}[row[0].value]
    general, targets = book["Khung chung"], book["Chỉ tiêu"]
    for col, value in ((1, "G1"), (2, "Mục tiêu tổng quát"), (4, "Tăng trưởng bền vững"),
                       (6, "G1.S1"), (7, "Thu hút đầu tư"), (9, 500), (10, "tỷ đồng")):
        general.cell(5, col, value)
    head: dict = {}
    for c in range(1, 60):  # the first 2026 column is the plan's (then actual, comparison)
        for r in (3, 4):
            if targets.cell(r, c).value is not None:
                head.setdefault(targets.cell(r, c).value, c)
    row = {"Mã mục tiêu": "G1", "Mã chỉ tiêu": "G1.T1", "Chỉ tiêu": "Vốn đầu tư",
           "Loại chỉ tiêu": "Đầu vào", "Mã giải pháp": "G1.S1", "Đơn vị tính": "tỷ đồng",
           "Cả kỳ": 500, 2026: 100, 2030: 100, "Tần suất": "Hằng quý",
           "Cơ quan tổng hợp": "Sở Kế hoạch và Đầu tư",
           "Cơ quan cung cấp thông tin": "Sở Tài chính; Cục Thống kê tỉnh"}
    for name, value in row.items():
        targets.cell(5, head[name], value)
    book.save(out)
    plan = load_plan(out).plan
    target = plan.objectives[0].targets[0]
    assert (target.category, target.solution, target.frequency) == ("input", "G1.S1",
                                                                     "quarterly")
    assert target.annual == {2026: 100, 2030: 100} and target.target == 500
    assert (target.compiling_agency, target.providing_agencies) == ("DPI", ["DOF", "PSO"])
    assert plan.objectives[0].solutions[0].budget.value == 500


# --- the manual's five-year layout, written by hand --------------------------------------

def test_the_manual_layout_workbook_loads_with_categories_years_and_agencies():
    plan = load_plan(MANUAL_LAYOUT).plan
    assert (plan.plan.id, plan.plan.kind, plan.plan.level, plan.plan.period) == (
        "lc-sedp-2026-2030-xlsx", "five_year_sedp", "province", (2026, 2030))
    assert plan.plan.submitted.by == "DOF" and str(plan.plan.submitted.on) == "2025-07-15"
    objectives = {o.id: o for o in plan.objectives}
    assert [(o.kind, o.field, o.sector, o.parent) for o in plan.objectives] == [
        ("general", "macro", None, None),
        ("specific", "economic", "agriculture-rural-development", "O1"),
        ("specific", "social", "health", "O1"),
        ("specific", "environment", "environment-protection", "O1"),
    ]
    categories = {o.id: [t.category for t in o.targets] for o in plan.objectives}
    assert categories == {"O1": ["input", "output", "outcome"], "O2": ["input", "output"],
                          "O3": ["input", "output", "outcome"],
                          "O4": ["input", "output", "outcome"]}
    for objective in plan.objectives:
        for target in objective.targets:
            assert sorted(target.annual) == [2026, 2027, 2028, 2029, 2030], target.id
            assert target.solution == f"{objective.id}.S1"
    water = {t.indicator: t for t in objectives["O4"].targets}
    households = water["Số hộ nông thôn chưa có nước sạch"]
    assert households.compiling_agency == "DOC"
    assert households.providing_agencies == ["DAE", "commune-pc"]
    assert households.frequency == "semiannual"
    growth = objectives["O1"].targets[2]
    assert growth.target == Range(min=6.5, max=7)
    assert objectives["O1"].targets[0].providing_agencies == ["PSO"]
    doctors = objectives["O3"].targets[2]
    assert doctors.annual[2026] == 80 and doctors.target == 98  # typed as 80% in a % cell
    assert water["Tỷ lệ hộ nông thôn dùng nước sạch"].actual == {"2026": 62.5}
    assert objectives["O3"].targets[0].notes == "Năm 2026 thêm 2 trạm do chia tách xã"


def test_the_committed_manual_layout_example_is_up_to_date(tmp_path):
    import runpy

    build = runpy.run_path(str(ROOT / "tools" / "make_example_xlsx.py"))["build"]
    fresh = build(tmp_path / "fresh.xlsx")
    assert fresh.read_bytes() == MANUAL_LAYOUT.read_bytes(), \
        "run python tools/make_example_xlsx.py"


# --- findings at cells -------------------------------------------------------------------

def test_findings_point_at_cells(cli, tmp_path):
    flawed = EXAMPLES / "flawed" / "ph04-dir01-sum-mismatch-poverty-rises.yaml"
    book = tmp_path / "plan.xlsx"
    book.write_bytes(write_xlsx(load_plan(flawed).plan, "vi"))
    code, out, _ = cli("validate", book, "--format", "json", "--lang", "en")
    assert code == 1
    found = {f["rule"]: f["location"] for f in json.loads(out)["findings"]}
    ph04 = found["PH-04"]
    assert ph04["cell"].startswith("'Chỉ tiêu'!D") and ph04["line"] is None
    sheet, ref = ph04["cell"].split("!")
    entity = next(f["entity"]["id"] for f in json.loads(out)["findings"] if f["rule"] == "PH-04")
    target = next(t for o in load_plan(flawed).plan.objectives for t in o.targets
                  if t.id == entity)
    assert load_workbook(book)["Chỉ tiêu"][ref].value == target.indicator.vi  # its name cell
    code, out, _ = cli("validate", book, "--lang", "en")
    assert f"{book}:'Chỉ tiêu'!{ref}" in out


# --- located load errors -----------------------------------------------------------------

def _rows(**changes):
    row = list(ROW)
    for index, value in changes.items():
        row[int(index[1:])] = value
    return [row]


@pytest.mark.parametrize("rows, cell, words", [
    (_rows(c3="35.000"), "'Đầu ra'!D3", "ambiguous"),
    ([["Mục tiêu 1", None, "hộ", 1, 2, 3, 4, 5]], "'Đầu ra'!C3", "no indicator name"),
    ([[None, "Số hộ", "hộ", 1, 2, 3, 4, 5]], "'Đầu ra'!B3", "before any objective"),
    ([["II.9. Ngành không có thật"], ROW], "'Đầu ra'!A3", "names no field or sector"),
    ([ROW, ROW], "'Đầu ra'!B4", "appears twice"),
])
def test_what_cannot_be_understood_is_a_located_error(rows, cell, words, tmp_path):
    path = simple_book(tmp_path / "bad.xlsx", rows)
    message = load_error(path)
    assert f"{path}:{cell}:" in message, message
    if words:
        assert words in message


def test_a_numbered_objective_on_its_own_row_is_not_a_section(tmp_path):
    path = simple_book(tmp_path / "plan.xlsx", [
        ["III. PHÁT TRIỂN XÃ HỘI"], ["1.1. Giảm tỷ lệ hộ nghèo"], [None, *ROW[1:]],
        ["1.2. Y tế [health]"], ["Mục tiêu 2", *ROW[1:]]])
    objectives = load_plan(path).plan.objectives
    assert [(o.title, o.field, o.sector) for o in objectives] == [
        ("1.1. Giảm tỷ lệ hộ nghèo", "social", None), ("Mục tiêu 2", "social", "health")]
    assert objectives[0].targets[0].indicator == ROW[1]


def test_an_unknown_header_with_data_is_refused(tmp_path):
    path = make_book(tmp_path / "bad.xlsx", {"Kế hoạch": PLAN_ROWS, "Đầu ra": [
        HEADER + ["Người nhập"], ROW + ["Lan"]]})
    message = load_error(path)
    assert f"{path}:'Đầu ra'!J1:" in message and "unknown column header 'Người nhập'" in message


def test_a_workbook_without_a_plan_sheet_or_title_block_asks_for_the_header(tmp_path):
    path = make_book(tmp_path / "bad.xlsx", {"Đầu ra": [HEADER, ROW]})
    message = load_error(path)
    assert f"{path}:'Đầu ra'!A1: the file has no plan sheet" in message
    assert "kind, period, level, locality" in message and "--plan kind=" in message


def test_cell_and_model_errors_are_located_at_cells(tmp_path):
    rows = [r for r in PLAN_ROWS if r[0] != "Năm cơ sở"] + [["Năm cơ sở", "hai nghìn"]]
    path = make_book(tmp_path / "bad.xlsx", {"Kế hoạch": rows, "Đầu ra": [HEADER, ROW]})
    message = load_error(path)
    assert f"{path}:'Kế hoạch'!B7: expected a whole number, got 'hai nghìn'" in message
    rows = [r for r in PLAN_ROWS if r[0] != "Địa phương"]
    path = make_book(tmp_path / "bad.xlsx", {"Kế hoạch": rows, "Đầu ra": [
        HEADER, ROW[:8] + ["Sở Xây dựng"], ["Mục tiêu 2", "Số hộ", "hộ", "nhiều"]]})
    message = load_error(path)
    assert (f"{path}:'Kế hoạch'!B1: the plan's header, key 'locality': missing required key "
            "'locality'") in message


def test_cli_exit_2_without_traceback(cli, tmp_path):
    path = simple_book(tmp_path / "bad.xlsx", _rows(c3="35.000"))
    code, out, err = cli("validate", path)
    assert code == 2 and out == "" and "Traceback" not in err
    assert f"{path}:'Đầu ra'!D3:" in err


# --- formulas ----------------------------------------------------------------------------

def test_a_formula_without_a_cached_value_is_a_finding_at_its_cell(cli, tmp_path):
    path = simple_book(tmp_path / "f.xlsx", _rows(c6="=D3+E3+F3"))
    loaded = load_plan(path)
    target = loaded.plan.objectives[0].targets[0]
    assert 2029 not in target.annual  # read as empty, not guessed
    finding = loaded.findings[0]
    assert (finding.rule, finding.severity, finding.entity) == ("XLSX-01", "error", target.id)
    assert finding.location.cell == "'Đầu ra'!G3"
    assert "=D3+E3+F3" in finding.message["vi"]
    code, out, _ = cli("validate", path, "--format", "json", "--lang", "en",
                       "--fail-on", "error")
    data = json.loads(out)
    assert code == 1
    assert any(f["rule"] == "XLSX-01" and f["location"]["cell"] == "'Đầu ra'!G3"
               for f in data["findings"])


def test_a_formula_without_a_value_where_a_name_is_needed_is_a_load_error(tmp_path):
    path = simple_book(tmp_path / "f.xlsx", [[ROW[0], '="Số hộ "&"mới"', *ROW[2:]]])
    assert f"{path}:'Đầu ra'!B3: formula =\"Số hộ \"&\"mới\" has no value saved" in \
        load_error(path)
    rows = [*PLAN_ROWS[:4], ["Địa phương", "=B1"], *PLAN_ROWS[5:]]
    path = make_book(tmp_path / "g.xlsx", {"Kế hoạch": rows, "Đầu ra": [HEADER, ROW]})
    assert f"{path}:'Kế hoạch'!B5: formula =B1 has no value saved" in load_error(path)


def test_a_formula_with_a_cached_value_is_read_as_that_value(tmp_path):
    path = simple_book(tmp_path / "f.xlsx", _rows(c6="=SUM(D3:F3)"))
    cache_value(path, 2, "G3", 9000)
    loaded = load_plan(path)
    assert loaded.plan.objectives[0].targets[0].annual[2029] == 9000
    assert loaded.findings == []


# --- untrusted files ---------------------------------------------------------------------

def test_macro_enabled_workbooks_are_refused(tmp_path):
    path = tmp_path / "plan.xlsm"
    path.write_bytes(b"PK")
    assert "macro-enabled workbook (.xlsm) is refused" in load_error(path)


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_text("not a zip", encoding="utf-8")
    assert "not an Excel workbook" in load_error(path)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert "no xl/workbook.xml" in load_error(path)


def test_a_zip_of_an_unknown_version_is_refused(tmp_path):
    # found by the long XLSX fuzz run: zipfile raises NotImplementedError for it
    path = simple_book(tmp_path / "plan.xlsx")
    data = bytearray(path.read_bytes())
    central = data.index(b"PK\x01\x02")  # the first central directory entry
    data[central + 6] = 64  # "version needed to extract": 6.4
    path.write_bytes(bytes(data))
    assert "cannot be opened as one" in load_error(path)


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(tmp_path):
    path = simple_book(tmp_path / "bomb.xlsx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (8 * 1024 * 1024))
    message = load_error(path)
    assert "xl/media/padding.bin" in message and "zip bomb" in message


def test_size_caps(tmp_path, monkeypatch):
    from validator.formats.xlsx import grid, guard

    path = simple_book(tmp_path / "plan.xlsx")
    monkeypatch.setattr(guard, "MAX_WORKBOOK_BYTES", 1000)
    assert "workbooks are limited to 1,000" in load_error(path)
    monkeypatch.setattr(guard, "MAX_WORKBOOK_BYTES", 10**9)
    monkeypatch.setattr(grid, "MAX_CELLS", 20)  # the cells parsed
    assert "more than 20 cells" in load_error(path) and "MAX_CELLS" in load_error(path)
    monkeypatch.setattr(grid, "MAX_CELLS", 10**6)
    monkeypatch.setattr(guard, "MAX_CELLS", 20)  # the cells counted before parsing
    assert "more than 20 cells" in load_error(path)


def test_annotate_needs_one_workbook_input(cli, tmp_path):
    code, _, err = cli("validate", GOOD_EXAMPLES[0], "--annotate", tmp_path / "out.xlsx",
                       "--lang", "en")
    assert code == 2 and "--annotate needs exactly one .xlsx or .docx input" in err
