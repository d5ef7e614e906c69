"""Build examples/xlsx/province-five-year-manual-layout.xlsx by hand, cell by cell.

A provincial five-year SEDP laid out as the MPI 2013 manual's five-year M&E frameworks
(Fig 3.9–3.12, Appendix 3a), the way a DPI officer would type it: a plan sheet of
key–value rows, the general framework, and the input / output / outcome frameworks with a
column per year under "Kế hoạch", "Thực hiện" and "So sánh (%)", section rows (I., II.1.,
…), merged objective cells, Vietnamese agency names and units, a row of column numbers, a
percentage-formatted cell and a range written as text. It is written with openpyxl
directly, not with ``plancheck template``, so that the intake is tested against a layout
it did not produce.

    python tools/make_example_xlsx.py [OUT.xlsx]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "examples" / "xlsx" / "province-five-year-manual-layout.xlsx"
YEARS = [2026, 2027, 2028, 2029, 2030]

PLAN_ROWS = [
    ("Mã kế hoạch", "lc-sedp-2026-2030-xlsx"),
    ("Tên kế hoạch", "Kế hoạch phát triển kinh tế – xã hội 5 năm 2026–2030 tỉnh Lào Cai"),
    ("Loại kế hoạch", "Kế hoạch phát triển kinh tế - xã hội 5 năm"),
    ("Cấp", "Tỉnh"),
    ("Địa phương", "Lào Cai"),
    ("Giai đoạn", "2026 - 2030"),
    ("Năm cơ sở", 2025),
    ("Cơ quan trình", "Sở Tài chính"),
    ("Ngày trình", "15/07/2025"),
]

# objectives: (section or None, objective text) and their solutions
GENERAL = [
    ("I. Phần chung (Sở Tài chính, Cục Thống kê tỉnh)", None),
    (None, "Mục tiêu chung: Kinh tế tăng trưởng nhanh, bền vững; cơ cấu kinh tế chuyển dịch "
           "theo hướng công nghiệp, dịch vụ"),
    ("II. PHÁT TRIỂN KINH TẾ", None),
    ("II.1. Nông nghiệp và phát triển nông thôn (Sở NN&MT, Cục Thống kê tỉnh)", None),
    (None, "Mục tiêu 1: Phát triển vùng sản xuất nông nghiệp hàng hóa tập trung"),
    ("III. PHÁT TRIỂN XÃ HỘI", None),
    ("III.1. Y tế, dân số và kế hoạch hóa gia đình (Sở Y tế)", None),
    (None, "Mục tiêu 2: Nâng cao chất lượng khám chữa bệnh tuyến xã"),
    ("IV. TÀI NGUYÊN VÀ MÔI TRƯỜNG", None),
    ("IV.2. Bảo vệ môi trường (Sở NN&MT)", None),
    (None, "Mục tiêu 3: Tăng tỷ lệ hộ nông thôn dùng nước sạch"),
]

OBJ_G, OBJ_1, OBJ_2, OBJ_3 = (GENERAL[1][1], GENERAL[4][1], GENERAL[7][1], GENERAL[10][1])

# general framework rows: objective, solution, input, output, outcome, compiling, providing
GENERAL_ROWS = {
    OBJ_G: [("Đẩy mạnh thu hút đầu tư, chuyển dịch cơ cấu kinh tế",
             "Chi đầu tư phát triển do địa phương quản lý", "Số doanh nghiệp thành lập mới",
             "Tốc độ tăng trưởng GRDP bình quân", "Sở Tài chính", "Cục Thống kê tỉnh")],
    OBJ_1: [("Quy hoạch vùng chuyên canh, ứng dụng công nghệ mới",
             "Vốn đầu tư cho mô hình ứng dụng công nghệ cao", "Diện tích vùng chuyên canh",
             None, "Sở NN&MT", "UBND các xã")],
    OBJ_2: [("Luân chuyển bác sĩ về trạm y tế xã", "Số trạm y tế xã chưa có bác sĩ",
             "Số trạm y tế xã được bổ sung bác sĩ", "Tỷ lệ trạm y tế xã có bác sĩ",
             "Sở Y tế", "UBND các xã")],
    OBJ_3: [("Mở rộng cấp nước sạch tập trung nông thôn",
             "Số hộ nông thôn chưa có nước sạch", "Số hộ được cấp nước sạch mới",
             "Tỷ lệ hộ nông thôn dùng nước sạch", "Sở Xây dựng",
             "Sở NN&MT; UBND các xã")],
}

# detailed frameworks: sheet -> [(objective, indicator, unit, whole, yearly, actual, freq,
#                                 timing, compiling, providing, note)]
DETAIL = {
    "Đầu vào": ("Chỉ tiêu đầu vào", [
        (OBJ_G, "Chi đầu tư phát triển do địa phương quản lý", "Tỷ đồng", 36000,
         [6400, 7100, 7500, 7800, 7200], {2026: 6650}, "Hằng quý", "Cuối mỗi quý",
         "Sở Tài chính", "Cục Thống kê tỉnh", None),
        (OBJ_1, "Vốn đầu tư cho mô hình ứng dụng công nghệ cao", "Tỷ đồng", 1250,
         [180, 220, 260, 280, 310], {}, "6 tháng", "Cuối tháng 6 và tháng 12", "Sở NN&MT",
         "Sở Tài chính", None),
        (OBJ_2, "Số trạm y tế xã chưa có bác sĩ", "Trạm", 4,
         [38, 29, 20, 11, 4], {2026: 40}, "Hằng năm", "Tháng 12", "Sở Y tế", "UBND các xã",
         "Năm 2026 thêm 2 trạm do chia tách xã"),
        (OBJ_3, "Số hộ nông thôn chưa có nước sạch", "hộ", 15000,
         [33000, 30000, 26000, 21000, 15000], {}, "6 tháng", "Cuối tháng 6 và tháng 12",
         "Sở Xây dựng", "Sở NN&MT; UBND các xã", None),
    ]),
    "Đầu ra": ("Chỉ tiêu đầu ra", [
        (OBJ_G, "Số doanh nghiệp thành lập mới", "doanh nghiệp", 3800,
         [620, 700, 760, 820, 900], {2026: 655}, "Hằng quý", "Cuối mỗi quý", "Sở Tài chính",
         "Cục Thống kê tỉnh", None),
        (OBJ_1, "Diện tích vùng chuyên canh", "ha", 12000,
         [9000, 9800, 10600, 11300, 12000], {}, "Hằng năm", "Tháng 11", "Sở NN&MT",
         "Cục Thống kê tỉnh", None),
        (OBJ_2, "Số trạm y tế xã được bổ sung bác sĩ", "Trạm", 36,
         [9, 9, 9, 7, 2], {}, "Hằng năm", "Tháng 12", "Sở Y tế", "UBND các xã", None),
        (OBJ_3, "Số hộ được cấp nước sạch mới", "hộ", 20000,
         [2000, 3000, 4000, 5000, 6000], {2026: 1800}, "6 tháng", "Cuối tháng 6 và tháng 12",
         "Sở Xây dựng", "Sở NN&MT", None),
    ]),
    "Kết quả": ("Chỉ tiêu kết quả", [
        (OBJ_G, "Tốc độ tăng trưởng GRDP bình quân", "%", "6,5 - 7",
         [6.6, 6.9, 7.1, 6.8, 6.7], {}, "Hằng năm", "Tháng 12", "Cục Thống kê tỉnh",
         "Sở Tài chính", None),
        (OBJ_2, "Tỷ lệ trạm y tế xã có bác sĩ", "%", 0.98,
         [0.80, 0.85, 0.90, 0.95, 0.98], {}, "Hằng năm", "Tháng 12", "Sở Y tế",
         "UBND các xã", None),
        (OBJ_3, "Tỷ lệ hộ nông thôn dùng nước sạch", "%", 75,
         [63, 66, 69, 72, 75], {2026: 62.5}, "Hằng năm", "Tháng 12", "Sở Xây dựng",
         "Sở NN&MT", None),
    ]),
}

PERCENT_TARGETS = {"Tỷ lệ trạm y tế xã có bác sĩ"}  # typed as 0.98 in a "0%" cell


def _bold(cell: object) -> None:
    cell.font = Font(bold=True)  # type: ignore[attr-defined]
    cell.alignment = Alignment(wrap_text=True, vertical="center",  # type: ignore
                               horizontal="center")


def plan_sheet(ws: Worksheet) -> None:
    ws.title = "Thông tin chung"
    ws["A1"] = "THÔNG TIN KẾ HOẠCH"
    for row, (key, value) in enumerate(PLAN_ROWS, start=3):
        ws.cell(row, 1, key)
        ws.cell(row, 2, value)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 70


def general_sheet(ws: Worksheet) -> None:
    ws["A1"] = "KHUNG THEO DÕI VÀ ĐÁNH GIÁ (KHUNG CHUNG) (GIAI ĐOẠN 5 NĂM)"
    ws["A2"] = "Kế hoạch phát triển kinh tế – xã hội 5 năm tỉnh Lào Cai"
    heads = ["Mục tiêu", "Giải pháp", "Chỉ tiêu theo kỳ kế hoạch", None, None,
             "Cơ quan chịu trách nhiệm", None, "Ghi chú"]
    for col, text in enumerate(heads, start=1):
        if text:
            _bold(ws.cell(4, col, text))
    for col, text in enumerate(["Chỉ tiêu đầu vào", "Chỉ tiêu đầu ra", "Chỉ tiêu kết quả"],
                               start=3):
        _bold(ws.cell(5, col, text))
    _bold(ws.cell(5, 6, "Tổng hợp"))
    _bold(ws.cell(5, 7, "Cung cấp thông tin"))
    ws.merge_cells("C4:E4")
    ws.merge_cells("F4:G4")
    for col in ("A", "B", "H"):
        ws.merge_cells(f"{col}4:{col}5")
    for col in range(1, 9):
        ws.cell(6, col, f"({col})")
    row = 7
    for section, objective in GENERAL:
        if section:
            ws.cell(row, 1, section).font = Font(bold=True)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=8)
            row += 1
            continue
        rows = GENERAL_ROWS[objective]
        ws.cell(row, 1, objective)
        if len(rows) > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row + len(rows) - 1,
                           end_column=1)
        for values in rows:
            for col, value in enumerate(values, start=2):
                ws.cell(row, col, value)
            row += 1
    for col, width in zip("ABCDEFGH", (40, 34, 30, 30, 30, 16, 24, 16), strict=True):
        ws.column_dimensions[col].width = width


def detail_sheet(ws: Worksheet, title: str, indicator_header: str, rows: list[tuple]) -> None:
    ws["A1"] = f"KHUNG THEO DÕI VÀ ĐÁNH GIÁ ({indicator_header.upper()}) (GIAI ĐOẠN 5 NĂM)"
    ws["A2"] = "Kế hoạch phát triển kinh tế – xã hội 5 năm tỉnh Lào Cai"
    fixed = ["STT", "Mục tiêu", indicator_header, "Đơn vị tính"]
    for col, text in enumerate(fixed, start=1):
        _bold(ws.cell(4, col, text))
        ws.merge_cells(start_row=4, start_column=col, end_row=5, end_column=col)
    col = 5
    for group in ("Kế hoạch", "Thực hiện", "So sánh (%)"):
        _bold(ws.cell(4, col, group))
        ws.merge_cells(start_row=4, start_column=col, end_row=4, end_column=col + 5)
        _bold(ws.cell(5, col, "Cả giai đoạn 2026–2030"))
        for i, year in enumerate(YEARS, start=1):
            _bold(ws.cell(5, col + i, year))
        col += 6
    tail = [("Tần suất thu thập", None), ("Thời điểm thu thập", None),
            ("Cơ quan chịu trách nhiệm", ("Tổng hợp", "Cung cấp thông tin")), ("Ghi chú", None)]
    for text, subs in tail:
        _bold(ws.cell(4, col, text))
        if subs:
            ws.merge_cells(start_row=4, start_column=col, end_row=4, end_column=col + 1)
            for i, sub in enumerate(subs):
                _bold(ws.cell(5, col + i, sub))
            col += 2
        else:
            ws.merge_cells(start_row=4, start_column=col, end_row=5, end_column=col)
            col += 1
    for c in range(1, col):
        ws.cell(6, c, f"({c})")
    row, seq, written = 7, 0, set()
    sections = {objective: section for section, objective in _sections()}
    by_objective: dict[str, list[tuple]] = {}
    for item in rows:
        by_objective.setdefault(item[0], []).append(item)
    for objective, items in by_objective.items():
        for section in sections[objective]:
            if section not in written:
                written.add(section)
                ws.cell(row, 1, section).font = Font(bold=True)
                ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=col - 1)
                row += 1
        ws.cell(row, 2, objective)
        if len(items) > 1:
            ws.merge_cells(start_row=row, start_column=2, end_row=row + len(items) - 1,
                           end_column=2)
        for (_, name, unit, whole, yearly, actual, freq, timing, compiling, providing,
             note) in items:
            seq += 1
            ws.cell(row, 1, seq)
            ws.cell(row, 3, name)
            ws.cell(row, 4, unit)
            cells = [ws.cell(row, 5, whole)]
            cells += [ws.cell(row, 6 + i, value) for i, value in enumerate(yearly)]
            if name in PERCENT_TARGETS:
                for cell in cells:
                    cell.number_format = "0%"
            for year, value in actual.items():
                i = YEARS.index(year)
                ws.cell(row, 12 + i, value)  # Thực hiện, that year
                ws.cell(row, 18 + i, round(value / yearly[i] * 100, 1))  # So sánh (%)
            for offset, value in enumerate((freq, timing, compiling, providing, note)):
                ws.cell(row, 23 + offset, value)
            row += 1
    ws.column_dimensions["B"].width = 36
    ws.column_dimensions["C"].width = 36
    ws.title = title


def _sections() -> list[tuple[tuple[str, ...], str]]:
    """Each objective with the section rows above it (field, then sector)."""
    out: list[tuple[tuple[str, ...], str]] = []
    current: list[str] = []
    for section, objective in GENERAL:
        if section is None:
            out.append((tuple(current), objective))
        elif re.match(r"^[IVX]+\.\d", section):
            current = current[:1] + [section]
        else:
            current = [section]
    return out


def build(out: Path = OUT) -> Path:
    from validator.formats.xlsx.writer import save_stable

    book = Workbook()
    plan_sheet(book.active)
    general_sheet(book.create_sheet("Khung chung"))
    for title, (header, rows) in DETAIL.items():
        detail_sheet(book.create_sheet(title), title, header, rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(save_stable(book))
    return out


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
