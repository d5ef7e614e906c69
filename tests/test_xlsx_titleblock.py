"""Workbooks without a plan sheet: the header read from the title block, derived, given
(``--plan``, ``[tool.plancheck.plan]``), asked for, or refused as ambiguous at its cell."""

from __future__ import annotations

import pytest
from test_xlsx_helpers import HEADER, ROW, make_book

from validator.core.errors import InputError
from validator.formats.xlsx.titleblock import derived_id, slug
from validator.load import load_plan

BODY = "ỦY BAN NHÂN DÂN HUYỆN BẢO THẮNG"
TITLE = "KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI 5 NĂM 2026-2030 HUYỆN BẢO THẮNG"


def framework(tmp_path, *titles, name="Đầu ra", sheets=None):
    rows = [[t] if isinstance(t, str) else t for t in titles]
    book = {name: [*rows, [], HEADER, ROW]}
    book.update(sheets or {})
    return make_book(tmp_path / "plan.xlsx", book)


def refused(path, **given) -> str:
    with pytest.raises(InputError) as caught:
        load_plan(path, given)
    return caught.value.render("en")


def test_the_header_is_read_from_the_issuing_body_and_title(tmp_path):
    path = framework(tmp_path, [BODY, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
                     [None, None, "Bảo Thắng, ngày 15 tháng 7 năm 2025"], TITLE)
    loaded = load_plan(path)
    header = loaded.plan.plan
    assert (header.id, header.kind, header.level, header.locality, header.period) == (
        "bao-thang-five-year-sedp-2026-2030", "five_year_sedp", "district", "Bảo Thắng",
        (2026, 2030))
    assert header.title == TITLE and str(header.submitted.on) == "2025-07-15"
    assert loaded.plan.objectives[0].targets[0].category == "output"
    [info] = [f for f in loaded.findings if f.rule == "XLSX-02"]
    assert info.severity == "info" and info.location.cell == "'Đầu ra'!A3"
    assert "level, locality, submitted_by (from the issuing body at 'Đầu ra'!A1)" in \
        info.message["en"]
    assert "id (derived)" in info.message["en"] and "tự sinh" in info.message["vi"]
    # in Vietnamese by the plan sheet's keys, the --plan name after each; its source cited
    assert "cấp (level), địa phương (locality), cơ quan trình (submitted_by) (từ cơ quan " \
        "ban hành tại ô 'Đầu ra'!A1)" in info.message["vi"]
    from validator.report.cite import citation

    assert citation(info.source, "vi") == "quy trình đọc bảng tính của plancheck (docs/xlsx.md)"
    assert citation(info.source, "en") == info.source
    assert load_plan(path).plan.plan.id == header.id  # stable between runs


@pytest.mark.parametrize("titles, expected", [
    (("ỦY BAN NHÂN DÂN TỈNH LÀO CAI",
      "KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM 2027"),
     ("lao-cai-annual-sedp-2027", "annual_sedp", "province", "Lào Cai", (2027, 2027))),
    (("UBND XÃ TẢ PHÌN", "KẾ HOẠCH", "Phát triển kinh tế - xã hội 5 năm 2026 - 2030"),
     ("ta-phin-five-year-sedp-2026-2030", "five_year_sedp", "commune", "Tả Phìn",
      (2026, 2030))),
    (("ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI",
      "KHUNG THEO DÕI, ĐÁNH GIÁ KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI 5 NĂM 2026-2030"),
     ("ha-noi-five-year-sedp-2026-2030", "five_year_sedp", "province", "Hà Nội",
      (2026, 2030))),
    (("PEOPLE'S COMMITTEE OF LAO CAI PROVINCE",
      "FIVE-YEAR SOCIO-ECONOMIC DEVELOPMENT PLAN 2026-2030"),
     ("lao-cai-five-year-sedp-2026-2030", "five_year_sedp", "province", "Lao Cai",
      (2026, 2030))),
    (("Kế hoạch phát triển kinh tế - xã hội 5 năm 2026-2030 thị xã Sa Pa",),
     ("sa-pa-five-year-sedp-2026-2030", "five_year_sedp", "district", "Sa Pa",
      (2026, 2030))),
])
def test_title_blocks_as_offices_write_them(titles, expected, tmp_path):
    header = load_plan(framework(tmp_path, *titles)).plan.plan
    assert (header.id, header.kind, header.level, header.locality, header.period) == expected


def test_what_the_title_block_does_not_say_is_asked_for_by_name_and_can_be_given(tmp_path):
    path = framework(tmp_path, "KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI 5 NĂM 2026-2030")
    message = refused(path)
    assert f"{path}:'Đầu ra'!A1: the file has no plan sheet" in message
    assert "does not say the plan's level, locality" in message
    assert "--plan level=district --plan locality=" in message
    loaded = load_plan(path, {"level": "district", "locality": "Bảo Thắng"})
    assert (loaded.plan.plan.level, loaded.plan.plan.locality) == ("district", "Bảo Thắng")
    [info] = [f for f in loaded.findings if f.rule == "XLSX-02"]
    assert "locality" not in info.evidence["inferred"]  # given, not inferred


def test_given_fields_win_over_the_title_block(tmp_path):
    path = framework(tmp_path, BODY, TITLE)
    header = load_plan(path, {"id": "bt-2026", "period": "2026-2030",
                              "level": "commune"}).plan.plan
    assert (header.id, header.level) == ("bt-2026", "commune")


@pytest.mark.parametrize("titles, cell, words", [
    ((BODY, "KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI 2021-2025 VÀ 2026-2030"), "A2",
     "more than one period (2021-2025, 2026-2030)"),
    ((BODY, "KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI 5 NĂM 2026-2028"), "A2",
     "both a five-year and an annual plan"),
    ((BODY, TITLE, "ỦY BAN NHÂN DÂN HUYỆN SI MA CAI"), "A3",
     "locality is 'Si Ma Cai', but 'Đầu ra'!A1 says 'Bảo Thắng'"),
])
def test_an_ambiguous_title_is_an_error_at_its_cell(titles, cell, words, tmp_path):
    path = framework(tmp_path, *titles)
    message = refused(path)
    assert f"{path}:'Đầu ra'!{cell}: " in message and words in message, message


def test_sheets_that_disagree_on_the_period_are_refused(tmp_path):
    other = [["KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI 5 NĂM 2021-2025 HUYỆN BẢO THẮNG"], [],
             HEADER[:1] + ["Chỉ tiêu đầu vào"] + HEADER[2:], ROW]
    path = framework(tmp_path, BODY, TITLE, sheets={"Đầu vào": other})
    message = refused(path)
    assert "'Đầu vào'!A1: this title says the plan's period is 2021-2025" in message


def test_the_cli_takes_plan_fields_from_options_and_config(cli, tmp_path):
    path = framework(tmp_path, "KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI 5 NĂM 2026-2030")
    code, out, err = cli("validate", path, "--format", "json")
    assert code == 2 and "--plan level=" in err
    code, out, err = cli("validate", path, "--plan", "level=district", "--plan",
                         "locality=Bảo Thắng", "--format", "json", "--fail-on", "never")
    assert code == 0, err
    assert '"XLSX-02"' in out
    (tmp_path / "plancheck.toml").write_text('[plan]\nlevel = "district"\n'
                                             'locality = "Bảo Thắng"\n', encoding="utf-8")
    code, out, err = cli("validate", path, "--fail-on", "never")
    assert code == 0, err
    code, out, err = cli("validate", path, "--plan", "levl=district", "--lang", "en")
    assert code == 2 and "did you mean 'level'" in err
    (tmp_path / "plancheck.toml").write_text('[plan]\nlocalty = "x"\n', encoding="utf-8")
    code, out, err = cli("validate", path)
    assert code == 2 and "plan.localty" in err


def test_ids_are_derived_from_locality_kind_and_period():
    assert slug("Thành phố Đà Nẵng") == "thanh-pho-da-nang"
    assert derived_id({"locality": "Lào Cai", "kind": "five_year_sectoral",
                       "sector": "health", "period": (2026, 2030)}) == \
        "lao-cai-five-year-sectoral-health-2026-2030"
