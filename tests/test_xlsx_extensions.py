"""The workbook carries what real plans say beyond a level: the optional target columns
(relative_to, approximate, orientation, part_of, named), the shared solutions sheet, the
plan sheet's not-encoded row, and what officers type in value cells ("khoảng 6,5-7",
"1-1,5 điểm %")."""

from __future__ import annotations

import copy
import io
import tempfile
from pathlib import Path

import pytest
import test_xlsx_roundtrip as roundtrip
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from test_plan_extensions import PLAN

from validator.core.errors import InputError
from validator.formats.xlsx import write_xlsx
from validator.formats.xlsx.template import template_workbook
from validator.load import load_plan
from validator.plan.model import Plan, Range


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_new_fields_come_back_from_a_workbook(tmp_path, lang):
    data = copy.deepcopy(PLAN)
    data["plan"]["not_encoded"] = ["agencies", "timing"]
    plan = Plan.model_validate(data)
    out = tmp_path / "plan.xlsx"
    out.write_bytes(write_xlsx(plan, lang))
    assert load_plan(out).plan == plan


def _headers(sheet) -> dict[str, int]:
    found: dict[str, int] = {}
    for row in (3, 4):
        for col in range(1, sheet.max_column + 1):
            if sheet.cell(row, col).value is not None:
                found.setdefault(str(sheet.cell(row, col).value), col)
    return found


def _typed(tmp_path, cells: dict[str, object]):
    """The written PLAN with the cells of one target row (O1.T1) typed over, by header."""
    book = load_workbook(io.BytesIO(write_xlsx(Plan.model_validate(PLAN), "vi")))
    sheet = book["Chỉ tiêu"]
    col = _headers(sheet)
    row = next(r for r in range(5, sheet.max_row + 1)
               if sheet.cell(r, col["Mã chỉ tiêu"]).value == "O1.T1")
    for header, value in cells.items():
        sheet.cell(row, col[header]).value = value
    path = tmp_path / "typed.xlsx"
    book.save(path)
    return path, {h: sheet.cell(row, c).coordinate for h, c in col.items()}


def test_khoang_and_percentage_points_in_value_cells(tmp_path):
    path, _ = _typed(tmp_path, {"Cả kỳ": "khoảng 6,5-7", "Giá trị ước chừng": None,
                                "Đơn vị tính": None, "2021": "~ 1,5 điểm %"})
    target = load_plan(path).plan.objectives[0].targets[0]
    assert target.target == Range(min=6.5, max=7)
    assert target.approximate == ["target", "annual"]  # the column cleared: the cells say it
    assert target.annual[2021] == 1.5 and target.unit == "percentage point"


def test_typed_columns_read_as_their_keys(tmp_path):
    path, _ = _typed(tmp_path, {"Kiểu so sánh": "điểm phần trăm", "So với năm": "mỗi năm",
                                "Đơn vị được nêu tên": "Tam Đường, Than Uyên",
                                "Định hướng sau kỳ": "2030: 15,5; 2035: trên 20"})
    target = load_plan(path).plan.objectives[0].targets[0]
    assert (target.relative_to.kind, target.relative_to.per_year) == ("points", True)
    assert target.named == ["Tam Đường", "Than Uyên"]
    assert target.orientation[2030] == 15.5 and target.orientation[2035].at_least == 20


@pytest.mark.parametrize("cells, header, words", [
    ({"Cả kỳ": "1 điểm %"}, "Cả kỳ", "percentage points but the unit is 'ha'"),
    ({"Kiểu so sánh": "gấp đôi"}, "Kiểu so sánh", "expected a kind of change"),
    ({"So với năm": "năm ngoái"}, "So với năm", "expected a base year (2020)"),
    ({"Định hướng sau kỳ": "15000"}, "Định hướng sau kỳ", "expected values by year"),
    ({"Giá trị ước chừng": "ngân sách"}, "Giá trị ước chừng", "approximate values among"),
    ({"Định hướng sau kỳ": "2024: 9000"}, "Định hướng sau kỳ", "is not after the plan's period"),
])
def test_what_does_not_fit_is_refused_at_its_cell(tmp_path, cells, header, words):
    path, where = _typed(tmp_path, cells)
    with pytest.raises(InputError) as info:
        load_plan(path)
    assert f"'Chỉ tiêu'!{where[header]}" in str(info.value), str(info.value)
    assert words in str(info.value)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_template_shows_the_optional_columns_and_sheets(tmp_path, lang):
    book = load_workbook(io.BytesIO(template_workbook("five_year_sedp", lang)))
    names = {"vi": ("Chỉ tiêu", "Giải pháp chung", ["Kiểu so sánh", "So với năm",
                                                     "Giá trị ước chừng", "Định hướng sau kỳ",
                                                     "Thuộc chỉ tiêu", "Đơn vị được nêu tên",
                                                     "Giá tính"]),
             "en": ("Targets", "Shared solutions", ["Change kind", "Compared with year",
                                                    "Approximate values",
                                                    "Orientation after the period",
                                                    "Part of target", "Named units",
                                                    "Price basis"])}[lang]
    headers = _headers(book[names[0]])
    assert set(names[2]) <= set(headers), sorted(headers)
    assert names[1] in book.sheetnames
    plan_keys = {book[book.sheetnames[1]].cell(r, 1).value for r in range(1, 40)}
    assert {"vi": "Phần không công bố", "en": "Not encoded"}[lang] in plan_keys


def test_an_orientation_column_may_name_its_year(tmp_path):
    """Offices head the column 'Định hướng đến năm 2030' and type the value alone."""
    book = load_workbook(io.BytesIO(write_xlsx(Plan.model_validate(PLAN), "vi")))
    sheet = book["Chỉ tiêu"]
    col = _headers(sheet)["Định hướng sau kỳ"]
    header = next(r for r in (3, 4) if sheet.cell(r, col).value == "Định hướng sau kỳ")
    sheet.cell(header, col).value = "Định hướng đến năm 2030"
    rows = {sheet.cell(r, _headers(sheet)["Mã chỉ tiêu"]).value: r
            for r in range(5, sheet.max_row + 1)}
    sheet.cell(rows["O1.T1"], col).value = "khoảng 16000"
    sheet.cell(rows["O1.T2"], col).value = 4000
    path = tmp_path / "typed.xlsx"
    book.save(path)
    targets = load_plan(path).plan.objectives[0].targets
    assert targets[0].orientation == {2030: 16000} and "orientation" in targets[0].approximate
    assert targets[1].orientation == {2030: 4000}


def _general(data: dict) -> dict:
    """The generated plan with every objective general: the known open failure of the
    generated round trip (parents inferred for specific objectives) stays out of the way."""
    for objective in data["objectives"]:
        objective["kind"] = "general"
    return data


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.data_too_large])
@given(roundtrip.plans().map(_general), st.sampled_from(["vi", "en"]))
def test_generated_plans_with_the_new_keys_round_trip(data, lang):
    plan = Plan.model_validate(data)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "plan.xlsx"
        out.write_bytes(write_xlsx(plan, lang))
        assert load_plan(out).plan == roundtrip.as_read(plan, lang)
