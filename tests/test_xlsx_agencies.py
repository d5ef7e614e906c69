"""Workbooks follow the ontology's agencies through time: a template's drop-down offers the
bodies of its level and period by their names, and the reader resolves the short forms
officials write, of either side of the 2025 reorganisation."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from validator.cli import main
from validator.formats.xlsx.vocab import code_of


def _dropdown(path) -> list[str]:
    book = load_workbook(path)
    for sheet in book.worksheets:
        if sheet.sheet_state == "hidden":
            for column in sheet.iter_cols(values_only=True):
                if column[0] == "agency":
                    return [v for v in column[1:] if v]
    raise AssertionError("no agency list in the workbook")


def _template(tmp_path, *args):
    out = tmp_path / "t.xlsx"
    result = CliRunner().invoke(main, ["template", "--kind", "five_year_sedp", *args,
                                       "-o", str(out)])
    return result, out


def test_a_2026_2030_commune_template_offers_commune_bodies_and_no_ministry(tmp_path):
    result, out = _template(tmp_path, "--level", "commune", "--lang", "vi")
    assert result.exit_code == 0, result.output
    names = _dropdown(out)
    assert {"Phòng Kinh tế", "Phòng Văn hóa - Xã hội", "Ủy ban nhân dân xã",
            "Sở Tài chính"} <= set(names)
    assert not any(n.startswith("Bộ ") and n != "Bộ Chỉ huy quân sự" for n in names)
    assert "Sở Kế hoạch và Đầu tư" not in names  # ended 28 Feb 2025
    assert "Ủy ban nhân dân huyện" not in names and "Phòng Tài chính - Kế hoạch" not in names
    assert not any("Đảng" in n or n.endswith("ủy xã") for n in names)  # approvers only


def test_a_2021_2025_district_template_offers_the_divisions_of_decree_37(tmp_path):
    result, out = _template(tmp_path, "--level", "district", "--period", "2021-2025",
                            "--lang", "vi")
    assert result.exit_code == 0, result.output
    names = set(_dropdown(out))
    assert {"Phòng Tài chính - Kế hoạch", "Phòng Nông nghiệp và Phát triển nông thôn",
            "Ủy ban nhân dân huyện", "Chi cục Thống kê huyện"} <= names
    assert "Phòng Văn hóa - Xã hội" not in names  # a commune body of July 2025
    assert not any(n.startswith("Bộ K") for n in names)


def test_a_district_template_defaults_to_its_last_cycle_and_refuses_2026(tmp_path):
    result, out = _template(tmp_path, "--level", "district")
    assert result.exit_code == 0
    assert "Phòng Tài chính - Kế hoạch" in _dropdown(out)
    result, _ = _template(tmp_path, "--level", "district", "--period", "2026-2030",
                          "--lang", "en")
    assert result.exit_code == 2 and "no district level in 2026-2030" in result.output


def test_a_national_template_offers_the_ministries_of_its_period(tmp_path):
    result, out = _template(tmp_path, "--level", "nation", "--lang", "en")
    assert result.exit_code == 0
    names = set(_dropdown(out))
    assert {"Ministry of Finance", "Ministry of Agriculture and Environment"} <= names
    assert "Ministry of Planning and Investment" not in names


@pytest.mark.parametrize(("text", "code"), [
    ("Sở KH&ĐT", "DPI"), ("Sở Tài chính", "DOF"), ("Phòng TC-KH", "finance-planning-division"),
    ("Phòng Nông nghiệp và PTNT", "agriculture-rural-development-division"),
    ("Phòng Kinh tế", "commune-economic-division"), ("UBND xã", "CPC"),
    ("Phòng Văn hóa - Xã hội", "commune-culture-social-division"), ("Bộ KH&ĐT", "MPI"),
    ("Sở Nông nghiệp và Môi trường", "DAE"), ("Công an xã", "police"),
])
def test_the_reader_resolves_the_short_forms_of_either_period(text, code):
    assert code_of("agency", text) == code


def test_reports_name_agencies_by_their_names(tmp_path):
    plan = tmp_path / "p.yaml"
    plan.write_text("""format: plan/1
plan: {id: p, title: P, kind: five_year_sedp, level: province, locality: X,
       period: [2026, 2030], baseline_year: 2025, excerpt: true}
objectives:
  - id: O1
    kind: general
    title: Macro
    field: macro
    targets:
      - {id: T1, indicator: GRDP growth, category: outcome, compiling_agency: DPI}
""", encoding="utf-8")
    html = CliRunner().invoke(main, ["validate", str(plan), "--format", "html", "--lang", "vi"])
    assert "Sở Kế hoạch và Đầu tư" in html.output and "Sở Tài chính" in html.output
    out = tmp_path / "annotated.xlsx"
    book = tmp_path / "p.xlsx"
    assert CliRunner().invoke(main, ["convert", str(plan), "--to", "xlsx", "-o",
                                     str(book)]).exit_code == 0
    CliRunner().invoke(main, ["validate", str(book), "--annotate", str(out), "--lang", "vi"])
    comments = [c.comment.text for ws in load_workbook(out).worksheets for row in ws.iter_rows()
                for c in row if c.comment]
    assert any("Sở Kế hoạch và Đầu tư" in text and "Sở Tài chính" in text for text in comments)
