"""The filled example row a template carries in each framework sheet, and how the reader
knows it: the objective ID cell says ``Ví dụ`` / ``Example``. An untouched example row is
skipped; an edited one is an error (the officer typed a real objective over it, and would
lose it if it were skipped)."""

from __future__ import annotations

from typing import Any

from validator.formats.xlsx import vocab

MARKS = {"vi": "Ví dụ", "en": "Example"}
_MARK_KEYS = {vocab.key(m) for m in MARKS.values()}
# the sheet a template opens with; only a workbook holding it has example rows (elsewhere,
# a converted plan or an office's own workbook, "Example" in an ID cell is an id)
INSTRUCTIONS = {"vi": "Hướng dẫn", "en": "Instructions"}
INSTRUCTION_SHEETS = {vocab.key(name) for name in INSTRUCTIONS.values()}

#: role -> value of the example row, per sheet kind and language
EXAMPLE: dict[str, dict[str, dict[str, Any]]] = {
    "vi": {
        "general": {"objective_kind": "Mục tiêu cụ thể",
                    "objective": "Mục tiêu 1: Giảm tỷ lệ hộ nghèo (dòng ví dụ, xóa đi)",
                    "solution": "Hỗ trợ sinh kế cho hộ nghèo",
                    "indicator:input": "Kinh phí hỗ trợ sinh kế",
                    "indicator:output": "Số hộ nghèo được hỗ trợ sinh kế",
                    "indicator:outcome": "Tỷ lệ hộ nghèo (%)"},
        "targets": {"objective": "Mục tiêu 1: Giảm tỷ lệ hộ nghèo (dòng ví dụ, xóa đi)",
                    "indicator": "Tỷ lệ hộ nghèo (%)", "category": "Kết quả",
                    "unit": "%", "direction": "Giảm", "frequency": "Hằng năm",
                    "baseline": 5, "plan": 3},
    },
    "en": {
        "general": {"objective_kind": "Specific objective",
                    "objective": "Objective 1: Reduce the poverty rate (example row, delete "
                                 "it)",
                    "solution": "Livelihood support for poor households",
                    "indicator:input": "Livelihood support budget",
                    "indicator:output": "Poor households supported",
                    "indicator:outcome": "Poverty rate (%)"},
        "targets": {"objective": "Objective 1: Reduce the poverty rate (example row, delete "
                                 "it)",
                    "indicator": "Poverty rate (%)", "category": "Outcome", "unit": "%",
                    "direction": "Decrease", "frequency": "Annual", "baseline": 5,
                    "plan": 3},
    },
}


def is_mark(value: Any) -> bool:
    """Whether a cell holds the example mark."""
    return isinstance(value, str) and vocab.key(value) in _MARK_KEYS


def edited(values: dict[str, Any]) -> str | None:
    """None when a marked row is a template's untouched example, else the first role that
    differs; ``values`` maps each column of the row (its role; ``plan`` for the
    whole-period plan, ``role:period`` for other value columns) to its cell's value."""
    for examples in EXAMPLE.values():
        for sheet in examples.values():
            if all(_same(values.get(role), value) for role, value in sheet.items()
                   if role in values) and all(role in sheet for role, value in values.items()
                                              if value is not None):
                return None
    english = EXAMPLE["en"]
    for role, value in values.items():
        known = [s[role] for ex in EXAMPLE.values() for s in ex.values() if role in s]
        if value is not None and not any(_same(value, k) for k in known):
            return role
    return next(iter(english["general"]))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return a is not None and vocab.key(a) == vocab.key(b)
