"""`plancheck report`: the manual's Chapter IV tables as Markdown and XLSX."""

from __future__ import annotations

import sys

from conftest import EXAMPLES, ROOT

sys.path.insert(0, str(ROOT / "bench"))
from crossplan import generate_set  # noqa: E402


def test_six_month_results_frame_in_markdown(cli):
    code, out, _ = cli("report", "--form", "six_month", "--year", 2022, "--lang", "en",
                       EXAMPLES / "district-annual-sedp-2022.yaml")
    assert code == 0
    assert "RESULTS FRAME OF PLAN IMPLEMENTATION, FIRST SIX MONTHS OF 2022" in out
    assert "| **1. ECONOMIC DEVELOPMENT** |" in out
    # a row: planned output 55 km, achieved 18 km at mid-year (the 2022-H1 actual)
    row = next(line for line in out.splitlines() if "Kilometres of rural roads" in line)
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[2:4] == ["km", "55"] and cells[6:8] == ["km", "18"]
    assert "Total development investment" not in out  # input targets are not in Table 4.2


def test_vietnamese_headers_and_xlsx_output(cli, tmp_path):
    out_file = tmp_path / "report.xlsx"
    code, _, _ = cli("report", "--form", "annual", "--year", 2022,
                     EXAMPLES / "district-annual-sedp-2022.yaml", "-o", out_file)
    assert code == 0
    from openpyxl import load_workbook

    sheet = load_workbook(out_file).worksheets[0]
    assert sheet["A1"].value == "KHUNG KẾT QUẢ THỰC HIỆN KẾ HOẠCH NĂM 2022"
    assert sheet["A3"].value == "STT"
    assert sheet["A4"].value == "1. PHÁT TRIỂN KINH TẾ"
    numbers = [c for row in sheet.iter_rows(min_row=5) for c in row
               if isinstance(c.value, int | float)]
    assert numbers and all(c.number_format.startswith("#,##0") for c in numbers)
    units = {c.value for row in sheet.iter_rows(min_row=5) for c in row[2:3] + row[6:7]}
    assert "km" in units or "hộ" in units  # units as Vietnamese writes them


def test_the_year_comes_from_the_one_annual_plan_given(cli):
    code, out, _ = cli("report", "--form", "annual", "--lang", "vi",
                       EXAMPLES / "district-annual-sedp-2022.yaml")
    assert code == 0 and "KHUNG KẾT QUẢ THỰC HIỆN KẾ HOẠCH NĂM 2022" in out


def test_five_year_frame_takes_actuals_from_annual_plans(cli, tmp_path):
    generate_set(tmp_path, districts=2, communes=1, cycle="2026-2030")
    code, out, _ = cli("report", "--form", "five_year", "--lang", "en",
                       tmp_path / "prov.yaml", tmp_path / "prov-2026.yaml")
    assert code == 0 and "M&E FRAMEWORK OF THE FIVE-YEAR PLAN 2026–2030" in out
    row = next(line for line in out.splitlines() if "Number of workers trained" in line)
    cells = [c.strip() for c in row.strip("|").split("|")]
    number = lambda text: float(text.replace(",", ""))  # noqa: E731 (English: 1,070.5)
    plan_2026, actual_2026, completion = number(cells[4]), number(cells[9]), number(cells[-1])
    assert actual_2026 == round(plan_2026 * 0.98, 1)  # from the annual plan's actual
    total = number(cells[3])
    assert completion == round(actual_2026 / total * 100, 1)


def test_report_usage_errors(cli, tmp_path):
    plan = EXAMPLES / "district-annual-sedp-2022.yaml"
    five_year = EXAMPLES / "province-five-year-sedp.yaml"
    assert cli("report", "--form", "annual", five_year)[0] == 2  # needs --year
    assert cli("report", "--form", "annual", "--year", 2031, plan)[0] == 2  # nothing covers it
    assert cli("report", "--form", "annual", "--year", 2022, plan, "-o",
               tmp_path / "x.pdf")[0] == 2
