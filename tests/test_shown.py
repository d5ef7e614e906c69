"""Values as a reviewer reads them: labels for codes, the language's numbers and units,
bounds in words; and rule messages rendered with them ({t.frequency!raw} keeps the code)."""

from __future__ import annotations

import datetime as dt

from conftest import EXAMPLES

from validator.plan.model import AtLeast, AtMost, Range
from validator.plan.shown import code_label, unit_text, value_text


def test_codes_read_as_their_labels_in_each_language():
    assert code_label("frequency", "quarterly", "vi") == "hằng quý"
    assert code_label("frequency", "quarterly", "en") == "quarterly"
    assert code_label("level", "province", "vi") == "tỉnh"
    assert code_label("rollup", "sum", "vi") == "cộng dồn các năm"
    assert code_label("agency", "CERWASS", "vi") == '"CERWASS"'  # unknown: as written


def test_numbers_units_and_bounds_follow_the_language():
    assert value_text(30000, "vi", "billion VND") == "30.000 tỷ đồng"
    assert value_text(30000, "en", "billion VND") == "30,000 billion VND"
    assert value_text(103.91, "vi", "%") == "103,91%"
    assert value_text(103.91, "en", "%") == "103.91%"
    assert unit_text("%/year", "vi") == "%/năm" and unit_text("household", "vi") == "hộ"
    assert unit_text("hộ", "en") == "household" and unit_text("km", "vi") == "km"
    assert value_text(Range(min=6.5, max=7), "vi") == "6,5–7"
    assert value_text(AtLeast(at_least=10), "vi") == "tối thiểu 10"
    assert value_text(AtMost(at_most=4), "en") == "at most 4"
    assert value_text(dt.date(2025, 8, 15), "vi") == "15/08/2025"


def test_rule_messages_print_labels_and_local_numbers(cli):
    plan = EXAMPLES / "flawed" / "fr03-ag01-impact-quarterly-unknown-agency.yaml"
    _, vi, _ = cli("validate", plan, "--lang", "vi")
    assert "được thu thập hằng quý" in vi and "ở cấp tỉnh" in vi
    said = vi.replace(str(plan), "")
    assert "quarterly" not in said and "province" not in said
    _, en, _ = cli("validate", plan, "--lang", "en")
    assert "is collected quarterly" in en and "at the province level" in en
    sums = EXAMPLES / "flawed" / "ph04-dir01-sum-mismatch-poverty-rises.yaml"
    _, vi, _ = cli("validate", sums, "--lang", "vi")
    assert "11.400 (cách tính: cộng dồn các năm)" in vi and "cần giảm" in vi
    _, en, _ = cli("validate", sums, "--lang", "en")
    assert "11,400" in en and "13.8" in en


def test_raw_keeps_the_code_as_written():
    from validator.findings.build import render_template

    class Target:  # a stand-in view: the placeholder's type comes from its kind's schema
        KIND = "target"
        id = "T1"
        frequency = "quarterly"
        target = 30000

    env = {"t": Target()}
    assert render_template("{t.frequency} / {t.frequency!raw}", env, "vi") == (
        "hằng quý / quarterly")
    assert render_template("{t.target} / {t.target!raw}", env, "vi") == "30.000 / 30000"


def test_a_count_names_its_unit_in_the_plural_in_english():
    assert value_text(40, "en", "commune") == "40 communes"
    assert value_text(40, "vi", "commune") == "40 xã"
    assert value_text(1, "en", "commune") == "1 commune"
    assert value_text(20000, "en", "hộ") == "20,000 households"
    assert value_text(Range(min=1, max=2), "en", "year") == "1–2 years"
    assert value_text(40, "en", "km") == "40 km" and value_text(3, "en", "%") == "3%"
    assert value_text(2, "en", "thousand tonnes") == "2 thousand tonnes"


def test_a_unit_after_a_quantity_in_a_rule_message_agrees_with_it():
    from validator.findings.build import render_template

    class Target:
        KIND = "target"
        id = "T1"
        unit = "commune"
        target = 40
        baseline = 1

    env = {"t": Target()}
    assert render_template("{t.target} {t.unit}; {t.baseline} {t.unit}", env, "en") == (
        "40 communes; 1 commune")
    assert render_template("{t.target} {t.unit}", env, "vi") == "40 xã"
    assert render_template("unit: {t.unit}", env, "en") == "unit: commune"

