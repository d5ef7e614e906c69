"""``plancheck template`` as an officer meets it: instructions, an example row, no ids to
invent, several targets on one general-framework row, one error per mistake, and an
untouched template that does not pass."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from validator.core.errors import InputError
from validator.formats.xlsx.template import template_workbook
from validator.load import load_plan

GENERAL = [("Mục tiêu tổng quát", "Mục tiêu chung: Kinh tế tăng trưởng bền vững",
            "Thu hút đầu tư", "Vốn đầu tư phát triển", "Số dự án mới",
            "Tốc độ tăng trưởng GRDP"),
           ("Mục tiêu cụ thể", "Mục tiêu 1: Giảm nghèo bền vững", "Hỗ trợ sinh kế",
            "Kinh phí hỗ trợ sinh kế", "Số hộ được hỗ trợ", "Tỷ lệ hộ nghèo")]
TARGETS = [(GENERAL[0][1], "Vốn đầu tư phát triển", "Đầu vào", "tỷ đồng",
            [1000, 200, 200, 200, 200, 200]),
           (GENERAL[0][1], "Tốc độ tăng trưởng GRDP", "Kết quả", "%",
            ["8-9%", 8, 8.5, 8.5, 9, 9]),
           (GENERAL[1][1], "Tỷ lệ hộ nghèo", "Kết quả", "%", ["Dưới 3%", 5, 4.5, 4, 3.5, 3])]


def headers(sheet) -> dict:
    found: dict = {}
    for row in (3, 4):
        for col in range(1, sheet.max_column + 1):
            if sheet.cell(row, col).value is not None:
                found.setdefault(sheet.cell(row, col).value, col)
    return found


def fill(path, general=GENERAL, targets=TARGETS, first=6, locality="Bảo Thắng"):
    """Fill a template as an officer does: locality, objectives, targets; no ids."""
    book = load_workbook(path)
    plan = book["Kế hoạch"]
    for row in range(1, plan.max_row + 1):
        if plan.cell(row, 1).value == "Địa phương" and locality:
            plan.cell(row, 2).value = locality
    sheet = book["Khung chung"]
    col = headers(sheet)
    for row, (kind, objective, solution, inp, out, res) in enumerate(general, start=first):
        for name, value in (("Loại mục tiêu", kind), ("Mục tiêu", objective),
                            ("Giải pháp", solution), ("Chỉ tiêu đầu vào", inp),
                            ("Chỉ tiêu đầu ra", out), ("Chỉ tiêu kết quả", res)):
            sheet.cell(row, col[name], value)
    sheet = book["Chỉ tiêu"]
    col = headers(sheet)
    for row, (objective, indicator, category, unit, values) in enumerate(targets, start=first):
        for name, value in (("Mục tiêu", objective), ("Chỉ tiêu", indicator),
                            ("Loại chỉ tiêu", category), ("Đơn vị tính", unit)):
            sheet.cell(row, col[name], value)
        for offset, value in enumerate(values):
            sheet.cell(row, col["Kế hoạch"] + offset, value)
    book.save(path)
    return path


@pytest.fixture
def template(tmp_path):
    path = tmp_path / "ke-hoach.xlsx"
    path.write_bytes(template_workbook("five_year_sedp", "vi", "district"))
    return path


def test_a_template_filled_without_ids_loads_on_the_first_try(template):
    plan = load_plan(fill(template)).plan
    first, last = plan.plan.period
    assert plan.plan.id == f"bao-thang-five-year-sedp-{first}-{last}"  # made, not typed
    general, specific = plan.objectives
    assert (general.id, specific.id, specific.parent) == ("O1", "O2", "O1")
    assert [(t.id, t.category, t.solution) for t in general.targets] == [
        ("O1.T1", "input", "O1.S1"), ("O1.T2", "outcome", "O1.S1"),
        ("O1.T3", "output", "O1.S1")]  # the targets sheet's order, then those only named
    assert general.targets[1].target.min == 8 and specific.targets[0].target.at_most == 3


def test_ids_stay_the_same_when_rows_are_added_at_the_end(template, tmp_path):
    before = load_plan(fill(template)).plan
    more = tmp_path / "more.xlsx"
    more.write_bytes(template.read_bytes())
    extra = ("Mục tiêu cụ thể", "Mục tiêu 2: Nước sạch", "Cấp nước", "Vốn cấp nước",
             "Số hộ được cấp nước", "Tỷ lệ hộ dùng nước sạch")
    after = load_plan(fill(more, GENERAL + [extra], TARGETS + [
        (extra[1], "Tỷ lệ hộ dùng nước sạch", "Kết quả", "%", [95, 91, 92, 93, 94, 95])])).plan
    assert [(o.id, o.title, [(t.id, t.indicator) for t in o.targets])
            for o in before.objectives] == [
        (o.id, o.title, [(t.id, t.indicator) for t in o.targets])
        for o in after.objectives[:2]]
    assert after.objectives[2].id == "O3"


def test_the_template_has_instructions_and_marked_example_rows(template):
    book = load_workbook(template)
    assert book.sheetnames[0] == "Hướng dẫn"
    guide = " ".join(str(c.value) for c in book["Hướng dẫn"]["A"] if c.value)
    assert "Mã kế hoạch có thể để trống" in guide and "docs/" not in guide
    for name in ("Khung chung", "Chỉ tiêu"):
        sheet = book[name]
        assert sheet.cell(5, 1).value == "Ví dụ"
        assert "docs/" not in str(sheet.cell(2, 1).value)
    assert "Tỷ lệ hộ nghèo (%)" in [c.value for c in book["Chỉ tiêu"][5]]


def test_an_edited_example_row_is_an_error_not_lost(template):
    path = fill(template, GENERAL[:1], TARGETS[:1], first=5)
    with pytest.raises(InputError) as caught:
        load_plan(path)
    message = caught.value.render("en")
    assert f"{path}:'Khung chung'!A5: this is the template's example row" in message
    assert f"{path}:'Chỉ tiêu'!A5: this is the template's example row" in message


def test_an_untouched_template_does_not_pass(template, cli):
    code, out, err = cli("validate", template, "--lang", "en")
    assert code == 2
    assert f"{template}:'Kế hoạch'!B9: '(tên địa phương)' is the template's placeholder" in err
    located = fill(template, [], [])  # the locality typed, nothing else
    code, out, err = cli("validate", located, "--format", "json", "--fail-on", "error")
    assert code == 1
    [empty] = [f for f in json.loads(out)["findings"] if f["rule"] == "XLSX-03"]
    assert empty["severity"] == "error"


def test_a_row_without_its_objective_is_one_error_not_one_per_row(template):
    rows = [(None, None, "Giải pháp A", "Vốn A", "Số A", "Tỷ lệ A"),
            (None, None, None, "Vốn B", "Số B", "Tỷ lệ B")]
    path = fill(template, rows, [])
    with pytest.raises(InputError) as caught:
        load_plan(path)
    problems = caught.value.problems
    assert len(problems) == 1
    assert "no objective: type the objective in its 'Mục tiêu'" in problems[0].text("en")
