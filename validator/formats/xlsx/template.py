"""``plancheck template``: the workbook an officer fills in, made to load the first time.

It is the writer's layout for a header-only plan (:func:`~validator.formats.xlsx.writer.
skeleton`), with what an officer needs besides: an instructions sheet first (Hướng dẫn /
Instructions), a filled example row in each framework sheet (marked ``Ví dụ`` in its
objective ID cell, skipped by the reader while untouched: :mod:`validator.formats.xlsx.
example`), a blank plan ID (made from locality, kind and period when left blank), and notes
that point to that sheet rather than to files the officer cannot open.
"""

from __future__ import annotations

import io
import warnings

from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font

from validator.formats.xlsx import vocab
from validator.formats.xlsx.example import EXAMPLE, INSTRUCTIONS, MARKS
from validator.formats.xlsx.writer import SHEETS, plan_workbook, save_stable, skeleton

_ROW = 5  # the first data row of the framework sheets

_TEXT = {
    "vi": [
        "HƯỚNG DẪN ĐIỀN BIỂU MẪU KẾ HOẠCH",
        "Biểu mẫu theo khung theo dõi, đánh giá của Sổ tay theo dõi và đánh giá dựa trên kết "
        "quả (Bộ Kế hoạch và Đầu tư, 2013), Hình 3.1–3.16.",
        "1. Trang 'Kế hoạch': điền Địa phương (thay '(tên địa phương)'), kiểm tra Loại kế "
        "hoạch, Cấp, Năm đầu, Năm cuối. Mã kế hoạch có thể để trống: plancheck tự tạo từ địa "
        "phương, loại kế hoạch và giai đoạn.",
        "2. Trang 'Khung chung': mỗi mục tiêu một khối dòng; ghi mục tiêu ở dòng đầu khối, "
        "giải pháp ở cột Giải pháp, và tên các chỉ tiêu đầu vào, đầu ra, kết quả, tác động ở "
        "các cột tương ứng (một dòng có thể nêu nhiều chỉ tiêu, mỗi cột một chỉ tiêu).",
        "3. Trang 'Chỉ tiêu': mỗi chỉ tiêu một dòng: mục tiêu, tên chỉ tiêu, loại, đơn vị "
        "tính, giá trị cơ sở, giá trị kế hoạch cả kỳ và từng năm, tần suất, cơ quan.",
        "4. Các cột Mã (mục tiêu, giải pháp, chỉ tiêu) có thể để trống: mã được tạo theo thứ "
        "tự đọc (O1, O1.S1, O1.T1) và không đổi khi thêm dòng ở cuối.",
        "5. Giá trị có thể ghi: số (6,5), khoảng (8-9), ngưỡng (≥ 95, trên 10, dưới 4) hoặc "
        "chữ (Hoàn thành).",
        "6. Dòng ghi 'Ví dụ' ở cột Mã mục tiêu là dòng mẫu, được bỏ qua khi đọc: hãy xóa nó "
        "khi điền xong, đừng ghi đè lên nó.",
        "7. Cột và trang tuỳ chọn (để trống nếu kế hoạch không nói): Giá tính; Kiểu so sánh "
        "và So với năm cho chỉ tiêu nêu mức thay đổi ('tăng 50% so với năm 2020': 50, % thay "
        "đổi, 2020; 'giảm 1 điểm %/năm': 1, điểm %, mỗi năm); Giá trị ước chừng (hoặc ghi "
        "'khoảng 6,5-7' ngay trong ô giá trị); Định hướng sau kỳ ('2030: 15000'); Thuộc chỉ "
        "tiêu (mã chỉ tiêu mà chỉ tiêu này là 'trong đó'); Đơn vị được nêu tên ('Tam Đường; "
        "Than Uyên'). Trang 'Giải pháp chung' ghi các giải pháp phục vụ nhiều mục tiêu. Ở "
        "trang 'Kế hoạch', 'Phần không công bố' ghi các phần văn bản không nêu (solutions, "
        "agencies, ...).",
        "8. Kiểm tra: plancheck validate ke-hoach.xlsx (mỗi phát hiện chỉ đúng ô cần sửa).",
    ],
    "en": [
        "HOW TO FILL IN THIS PLAN TEMPLATE",
        "The layout follows the M&E frameworks of the MPI 2013 manual on results-based "
        "monitoring and evaluation, Fig 3.1–3.16.",
        "1. Sheet 'Plan': fill in the Locality (replace '(locality)'), check the Plan kind, "
        "Level, First year and Last year. The Plan ID may stay blank: plancheck makes one from "
        "locality, kind and period.",
        "2. Sheet 'General framework': one block of rows per objective; the objective in the "
        "first row of its block, its solution in the Solution column, and the names of its "
        "input, output, outcome and impact targets in their columns (one row may name several "
        "targets, one per column).",
        "3. Sheet 'Targets': one row per target: objective, indicator, category, unit, "
        "baseline, planned values for the period and each year, frequency, agencies.",
        "4. The ID columns (objective, solution, target) may stay blank: ids are made in "
        "reading order (O1, O1.S1, O1.T1) and stay the same when rows are added at the end.",
        "5. A value may be a number (6.5), a range (8-9), a bound (≥ 95, over 10, under 4) or "
        "a text (Completed).",
        "6. The row marked 'Example' in the Objective ID column is a sample, skipped when the "
        "workbook is read: delete it when you are done; do not type over it.",
        "7. Optional columns and sheets (leave blank when the plan does not say): Price basis; "
        "Change kind and Compared with year for a target stated as a change ('up 50% on "
        "2020': 50, percent change, 2020; 'down 1 point a year': 1, percentage points, each "
        "year); Approximate values (or type 'about 6.5-7' in the value cell); Orientation "
        "after the period ('2030: 15000'); Part of target (the id of the target this one is "
        "'of which'); Named units ('Tam Duong; Than Uyen'). The 'Shared solutions' sheet holds "
        "solutions that serve several objectives. On the 'Plan' sheet, 'Not encoded' lists "
        "the parts the document does not publish (solutions, agencies, ...).",
        "8. Check: plancheck validate plan.xlsx (each finding points at the cell to fix).",
    ],
}


def template_workbook(kind: str, lang: str = "vi", level: str = "province",
                      period: tuple[int, int] | None = None) -> bytes:
    """A workbook for a new plan of ``kind`` that loads as soon as its locality and
    objectives are typed in (the same bytes for the same arguments)."""
    plain = plan_workbook(skeleton(kind, lang, level, period), lang, optional=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = load_workbook(io.BytesIO(plain))
    names = SHEETS[lang]
    plan = book[names["plan"]]
    for row in range(1, plan.max_row + 1):
        if vocab.plan_key(str(plan.cell(row, 1).value or "")) == ("id", None):
            plan.cell(row, 2).value = None  # made from locality, kind and period
    note = {"vi": f"Cách điền: xem trang '{INSTRUCTIONS['vi']}'. Dòng 'Ví dụ' là dòng mẫu.",
            "en": f"How to fill in: see the '{INSTRUCTIONS['en']}' sheet. The 'Example' row "
                  "is a sample."}[lang]
    for sheet_kind in ("general", "targets"):
        sheet = book[names[sheet_kind]]
        sheet.cell(2, 1).value = note
        _example_row(sheet, EXAMPLE[lang][sheet_kind], lang)
    guide = book.create_sheet(INSTRUCTIONS[lang], 0)
    for row, text in enumerate(_TEXT[lang], start=1):
        cell = guide.cell(row, 1, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if row == 1:
            cell.font = Font(bold=True, size=13)
    guide.column_dimensions["A"].width = 110
    book.active = 0
    return save_stable(book)


def _example_row(sheet: object, values: dict[str, object], lang: str) -> None:
    """The example row: the mark in the objective ID cell, the values under their headers."""
    columns: dict[str, int] = {}
    group = None
    for col in range(1, sheet.max_column + 1):  # type: ignore[attr-defined]
        top = sheet.cell(3, col).value  # type: ignore[attr-defined]
        sub = sheet.cell(4, col).value  # type: ignore[attr-defined]
        if top is not None:
            group = vocab.column_role(str(top))
        for text in (sub, top):
            role = vocab.column_role(str(text)) if text is not None else None
            if role is not None and role not in ("group",):
                columns.setdefault(role, col)
        if group == "plan" and sub is not None and vocab.period_label(sub) == "whole":
            columns.setdefault("plan:whole", col)
    columns["plan"] = columns.pop("plan:whole", columns.get("plan", 0))
    italic = Font(italic=True, color="7F7F7F")
    mark = sheet.cell(_ROW, columns["objective_id"], MARKS[lang])  # type: ignore
    mark.font = italic
    for role, value in values.items():
        if columns.get(role):
            sheet.cell(_ROW, columns[role], value).font = italic  # type: ignore
