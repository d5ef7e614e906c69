"""The bundled pack's messages read as a reviewer writes: an absent value is said to be
missing, never printed as "—" or as an empty part, and a one-year period is not a range
("2027–2027"). Every failing case of every rule is rendered in both languages."""

from __future__ import annotations

import re

import pytest

from validator.authoring.cases import case_plans, collect_cases
from validator.pipeline.check import check
from validator.rulelang.cache import load_ruleset

_SAME_YEAR_RANGE = re.compile(r"\b(\d{4})\s*[–-]\s*\1\b")
_GROUPED_YEAR = re.compile(r"(?<![\d.,])2[.,]0\d\d(?![\d.,])")


def _messages(rules: set[str] | None = None) -> list[tuple[str, str, str]]:
    out = []
    for case in collect_cases(only=rules):
        if case.passing:
            continue
        ruleset = load_ruleset((), case.params or None)
        for finding in check(case_plans(case), ruleset):
            if finding.rule == case.rule:
                out += [(finding.rule, lang, text) for lang, text in finding.message.items()]
    return out


@pytest.fixture(scope="module")
def messages():
    return _messages()


def test_no_message_prints_a_dash_for_a_missing_value(messages):
    dashed = sorted({f"{rule} ({lang}): {text}" for rule, lang, text in messages if "—" in text})
    assert not dashed, "\n".join(dashed)


def test_no_message_prints_a_one_year_period_as_a_range(messages):
    ranged = sorted({f"{rule} ({lang}): {text}" for rule, lang, text in messages
                     if _SAME_YEAR_RANGE.search(text)})
    assert not ranged, "\n".join(ranged)


def test_no_message_groups_the_digits_of_a_year(messages):
    grouped = sorted({f"{rule} ({lang}): {text}" for rule, lang, text in messages
                      if _GROUPED_YEAR.search(text)})
    assert not grouped, "\n".join(grouped)


def test_no_message_has_an_empty_part(messages):
    empty = sorted({f"{rule} ({lang}): {text}" for rule, lang, text in messages
                    if re.search(r"\(\s*\)|:\s*[);,.]|\(\s*[;,]|,\s*\)", text)})
    assert not empty, "\n".join(empty)


@pytest.mark.parametrize(("rule", "vi", "en"), [
    ("FR-02", "chưa ghi thời điểm thu thập", "no collection timing is given"),
    ("FR-06", "chưa ghi tần suất", "no frequency given"),
    ("SMART-M", "chưa có đơn vị tính", "has no unit"),
    ("SMART-M", "chưa có giá trị kế hoạch", "has no target value"),
    ("CAT-01", "chưa được phân loại", "has no category"),
    ("STR-06", "không có trong danh mục ngành", "not in the list of sectors"),
])
def test_a_missing_value_is_said_to_be_missing_in_both_languages(messages, rule, vi, en):
    said = {lang: [text for r, lang_, text in messages if r == rule and lang_ == lang]
            for lang in ("vi", "en")}
    assert any(vi in text for text in said["vi"]), said["vi"]
    assert any(en in text for text in said["en"]), said["en"]
