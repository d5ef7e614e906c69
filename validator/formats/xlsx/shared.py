"""The sheet of plan-level solutions (Giải pháp chung / Shared solutions): task groups that
serve several objectives, one per row with the objectives it serves (docs/xlsx.md)."""

from __future__ import annotations

from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from validator.core.i18n import _
from validator.formats.xlsx import vocab
from validator.formats.xlsx.grid import Sheet, no_value, own, quoted
from validator.formats.xlsx.values import CellValueError, number, text_value
from validator.plan.model import Plan

NAMES = {"vi": "Giải pháp chung", "en": "Shared solutions"}
SHEETS = vocab.SHARED_SOLUTION_SHEETS
TITLE = {"vi": "GIẢI PHÁP CHUNG (PHỤC VỤ NHIỀU MỤC TIÊU)",
         "en": "SHARED SOLUTIONS (SERVING SEVERAL OBJECTIVES)"}
# role -> {lang: [synonyms]}; the first is the header the writer prints
COLUMNS: dict[str, dict[str, list[str]]] = {
    "id": {"vi": ["Mã giải pháp"], "en": ["Solution ID"]},
    "title": {"vi": ["Giải pháp"], "en": ["Solution"]},
    "title+": {"vi": ["Giải pháp (tiếng Anh)"], "en": ["Solution (Vietnamese)"]},
    "budget": {"vi": ["Kinh phí"], "en": ["Budget"]},
    "budget_unit": {"vi": ["Đơn vị kinh phí"], "en": ["Budget unit"]},
    "serves": {"vi": ["Phục vụ mục tiêu", "Các mục tiêu"], "en": ["Serves objectives",
                                                                  "Objectives served"]},
}
_ROLE = {" ".join(w.split()).casefold(): role for role, words in COLUMNS.items()
         for lang in ("vi", "en") for w in words[lang]}
ORDER = ("id", "title", "title+", "budget", "budget_unit", "serves")


def _role(text: str) -> str | None:
    """A header's role; the other-language title column reads as ``title+``."""
    flat = " ".join(text.split()).casefold()
    return _ROLE.get(flat)


class SharedSolutionsReader:
    """Mixin of :class:`~validator.xlsx.reader.Reader`: the plan-level solutions sheet."""

    def read_shared_solutions(self, sheet: Sheet) -> list[dict[str, Any]]:
        header_row, columns = sheet.header(_role, {"title", "serves"})
        other = "en"
        if header_row is not None and "title+" in columns:
            # "Giải pháp (tiếng Anh)" or "Solution (Vietnamese)"
            other = "en" if "anh" in sheet.text(header_row, columns["title+"]).casefold() else "vi"
        if header_row is None:
            self.error(f"{quoted(sheet.name)}!A1", _(  # type: ignore[attr-defined]
                "the shared solutions sheet needs a header row with {title} and {serves} "
                "columns", title="'Giải pháp' (Solution)",
                serves="'Phục vụ mục tiêu' (Serves objectives)"))
            return []
        out: list[dict[str, Any]] = []
        for row in sheet.filled_rows(header_row + 1, columns.values()):
            item = self._shared_row(sheet, row, columns, len(out), other)
            if item is not None:
                out.append(item)
        return out

    def _shared_row(self, sheet: Sheet, row: int, columns: dict[str, int],
                    index: int, other: str) -> dict[str, Any] | None:
        values: dict[str, Any] = {}
        for role, col in columns.items():
            cell = sheet.cell(row, col)
            if sheet.uncached(row, col) is not None:
                self.error(cell, no_value(sheet.uncached(row, col)))  # type: ignore[attr-defined]
                continue
            raw = own(sheet, row, col)
            if raw is None:
                continue
            try:
                values[role] = number(raw) if role == "budget" else text_value(raw)
            except CellValueError as exc:
                self.error(cell, exc.args[0])  # type: ignore[attr-defined]
                continue
            path = {"title+": ("title",), "budget": ("budget", "value"),
                    "budget_unit": ("budget", "unit")}.get(role, (role,))
            self.map.put(("solutions", index, *path), cell)  # type: ignore[attr-defined]
        self.map.put(("solutions", index), sheet.cell(  # type: ignore[attr-defined]
            row, columns.get("id", columns["title"])))
        item: dict[str, Any] = {"id": values.get("id") or f"S{index + 1}"}
        title = self.bilingual(values.get("title"), *(  # type: ignore[attr-defined]
            [(other, values["title+"])] if "title+" in values else []))
        if title is not None:
            item["title"] = title
        if "budget" in values or "budget_unit" in values:
            item["budget"] = {k: values[r] for k, r in (("value", "budget"),
                                                        ("unit", "budget_unit")) if r in values}
        item["serves"] = [part.strip() for part in
                          str(values.get("serves", "")).replace(";", ",").split(",")
                          if part.strip()]
        return item


def write_sheet(sheet: Worksheet, plan: Plan, lang: str,
                split_text: Any, head: Any) -> None:
    """The plan-level solutions, one per row."""
    sheet.cell(1, 1, TITLE[lang]).style = "pc-key"
    for col, role in enumerate(ORDER, start=1):
        head(sheet.cell(3, col), COLUMNS[role][lang][0])
        sheet.column_dimensions[chr(64 + col)].width = 40 if role.startswith("title") else 18
    for row, s in enumerate(plan.solutions, start=4):
        main, other = split_text(s.title, lang)
        cells = {"id": s.id, "title": main, "title+": other,
                 "budget": s.budget.value if s.budget else None,
                 "budget_unit": s.budget.unit if s.budget else None,
                 "serves": ", ".join(s.serves)}
        for col, role in enumerate(ORDER, start=1):
            if cells[role] is not None:
                sheet.cell(row, col, cells[role]).style = "pc-cell"
