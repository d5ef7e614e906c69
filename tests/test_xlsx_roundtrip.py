"""The workbook round trip holds for plans of every shape: generated plans -> xlsx -> plan,
equal (objectives switching field and sector many times, loose targets, solutions without
targets, ranges, bilingual texts, consultations, both languages)."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from plan_strategies import shared_solutions, target_extensions

from validator.formats.xlsx import write_xlsx
from validator.formats.xlsx.values import plan_value
from validator.load import load_plan
from validator.plan.model import Plan


def _numeric(text: str) -> bool:
    """A text the workbook reader takes for a number or a range ("5", "0..0", "≥ 3")."""
    try:
        return plan_value(text) != text
    except Exception:  # refused as an ambiguous number: not a plain text either
        return True


ids = st.from_regex(r"[A-Za-z][A-Za-z0-9._-]{0,8}", fullmatch=True)
# a cell's text is read trimmed, and a text that reads as a number or range is one; a
# text with no letter (":", "...", "¹") is a placeholder or a number, not a name
words = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1,
                max_size=20).filter(lambda w: w == w.strip() and not _numeric(w)
                                    and any(c.isalpha() for c in w))
texts = st.one_of(words, st.fixed_dictionaries({"vi": words}, optional={"en": words}))
# a cell holds 15 significant digits, as Excel does: plans' numbers have fewer
numbers = st.one_of(st.integers(-10**12, 10**12),
                    st.decimals(-10**9, 10**9, places=3).map(float))
values = st.one_of(
    numbers, words.filter(lambda w: " ".join(w.split()) == w),  # value texts: spaces folded
    st.builds(lambda a, b: {"min": min(a, b), "max": max(a, b)}, numbers, numbers),
    st.builds(lambda a: {"at_least": a}, numbers), st.builds(lambda a: {"at_most": a}, numbers))
years = st.integers(2000, 2040)
# one cell holds "2030: 15000; 2035: ..." and "Tam Đường; Than Uyên": no separators inside
orientation_values = values.filter(lambda v: not isinstance(v, str) or not set(v) & set(";:"))
names = words.filter(lambda w: not set(w) & set(";,\n"))
agencies = st.sampled_from(["DPI", "DOF", "PSO", "DARD", "my-agency", "Sở X"])
FIELDS = {"economic": ["agriculture-rural-development", None], "social": ["health", None],
          "environment": [None], "state": [None]}
places = st.one_of(st.none(), st.sampled_from(
    [(f, s) for f, sectors in FIELDS.items() for s in sectors]))


@st.composite
def plans(draw):
    n_obj = draw(st.integers(0, 4)) if draw(st.booleans()) else draw(st.integers(20, 45))
    objective_ids = draw(st.lists(ids, min_size=n_obj, max_size=n_obj, unique=True))
    used = set(objective_ids)
    first = draw(years)
    last = first + draw(st.integers(0, 4))
    shared = shared_solutions(draw, ids, texts, objective_ids, used)  # shared solutions sheet
    earlier: list[str] = []  # targets drawn so far: "of which" parts name one of them
    objectives = []
    alternate = draw(st.booleans())  # the field changes at every objective
    for number, oid in enumerate(objective_ids):
        sol_ids = [i for i in draw(st.lists(ids, max_size=2, unique=True)) if i not in used]
        used |= set(sol_ids)
        tgt_ids = [i for i in draw(st.lists(ids, max_size=3, unique=True)) if i not in used]
        used |= set(tgt_ids)
        targets = []
        own_and_shared = [*sol_ids, *(s["id"] for s in shared if oid in s["serves"])]
        for tid in tgt_ids:
            t = {"id": tid, "indicator": draw(texts)}
            if own_and_shared and draw(st.booleans()):
                t["solution"] = draw(st.sampled_from(own_and_shared))
            for key, strat in (("category", st.sampled_from(["input", "output", "outcome",
                                                              "impact"])),
                               ("unit", st.sampled_from(["%", "household", "tấn", "ha"])),
                               ("direction", st.sampled_from(["increase", "decrease"])),
                               ("rollup", st.sampled_from(["sum", "last", "mean"])),
                               ("target", values), ("compiling_agency", agencies),
                               ("notes", texts), ("timing", texts)):
                if draw(st.booleans()):
                    t[key] = draw(strat)
            if draw(st.booleans()):
                t["baseline"] = {"year": draw(years), "value": draw(values)}
            t["annual"] = draw(st.dictionaries(years, values, max_size=3))
            t["actual"] = draw(st.dictionaries(
                st.builds(lambda y, s: f"{y}{s}", years, st.sampled_from(["", "-H1", "-Q3"])),
                values, max_size=2))
            t["providing_agencies"] = draw(st.lists(agencies, max_size=3))
            target_extensions(draw, t, values=orientation_values, names=names, last=last,
                              earlier=earlier, approximate=["target", "baseline", "annual",
                                                            "actual", "orientation"])
            earlier.append(tid)
            targets.append(t)
        objective = {
            "id": oid, "kind": draw(st.sampled_from(["general", "specific"])),
            "title": draw(texts),
            "parent": draw(st.sampled_from([None, *objective_ids])),
            "solutions": [{"id": s, "title": draw(texts),
                           "budget": draw(st.one_of(st.none(), st.builds(
                               lambda v: {"value": v, "unit": "billion VND"}, numbers)))}
                          for s in sol_ids],
            "targets": targets,
        }
        place = (list(FIELDS)[number % 4], None) if alternate else draw(places)
        if place is not None:
            objective["field"] = place[0]
            if place[1] is not None:
                objective["sector"] = place[1]
        objectives.append(objective)
    for o in objectives:
        if o["parent"] == o["id"] or o["parent"] is None:
            o.pop("parent")
    header = {"id": draw(ids), "title": draw(texts),
              "kind": draw(st.sampled_from(["five_year_sedp", "annual_sedp", "own-kind"])),
              "level": draw(st.sampled_from(["province", "district"])),
              "locality": draw(words), "period": [first, last],
              "not_encoded": draw(st.lists(st.sampled_from(
                  ["solutions", "agencies", "frequency"]), unique=True, max_size=2)),
              "submitted": draw(st.one_of(st.none(), st.builds(
                  lambda d: {"by": "DPI", "on": d}, st.dates(dt.date(2000, 1, 1))))),
              "consultations": draw(st.lists(st.builds(
                  lambda w, d, n: {"with": w, "on": d, "participants": n}, words,
                  st.dates(dt.date(2000, 1, 1)), st.one_of(st.none(), st.integers(0, 999))),
                  max_size=2))}
    return {"format": "plan/1", "plan": {k: v for k, v in header.items() if v is not None},
            "objectives": objectives, "solutions": shared}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.data_too_large])
@given(plans(), st.sampled_from(["vi", "en"]))
def test_generated_plans_round_trip_through_xlsx(data, lang):
    plan = Plan.model_validate(data)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "plan.xlsx"
        out.write_bytes(write_xlsx(plan, lang))
        assert load_plan(out).plan == as_read(plan, lang)


def as_read(plan: Plan, lang: str) -> Plan:
    """The plan as a workbook in ``lang`` holds it: a text given only in the workbook's
    language is in its main column, which is read as a plain text (the layout's main
    columns have no language of their own)."""
    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            if set(value) == {"vi", "en"} and value[lang] is not None and value[
                    "en" if lang == "vi" else "vi"] is None:
                return value[lang]
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value
    return Plan.model_validate(plain(plan.model_dump()))


def _plan_of(objectives: int) -> Plan:
    fields = ["economic", "social", "environment", "state"]
    return Plan.model_validate({
        "format": "plan/1",
        "plan": {"id": "p", "title": "t", "kind": "five_year_sedp", "level": "province",
                 "locality": "Lào Cai", "period": [2026, 2030]},
        "objectives": [{"id": f"O{i}", "kind": "specific", "title": f"objective {i}",
                        "field": fields[i % 4],
                        "solutions": [{"id": f"O{i}.S1", "title": "s"}],
                        "targets": [{"id": f"O{i}.T{j}", "indicator": f"indicator {i}.{j}",
                                     "category": "output", "solution": f"O{i}.S1",
                                     "annual": {2026: i, 2027: {"min": 1.5, "max": 25.757}}}
                                    for j in (1, 2)]}
                       for i in range(objectives)]})


def test_a_plan_whose_objectives_switch_field_hundreds_of_times(tmp_path):
    """The bug of issue 20: past 20 sections the writer wrote "21." (not a section number
    the reader knows) and the workbook did not load back."""
    plan = _plan_of(450)  # sections up to CDL
    out = tmp_path / "plan.xlsx"
    out.write_bytes(write_xlsx(plan, "vi"))
    assert load_plan(out).plan == plan


def _round_trip(plan: Plan, lang: str, tmp_path: Path) -> Plan:
    out = tmp_path / f"plan-{lang}.xlsx"
    out.write_bytes(write_xlsx(plan, lang))
    return load_plan(out).plan


def _small(objectives: list[dict[str, Any]]) -> Plan:
    return Plan.model_validate({
        "format": "plan/1",
        "plan": {"id": "p", "title": "t", "kind": "five_year_sedp", "level": "province",
                 "locality": "Lào Cai", "period": [2026, 2030]},
        "objectives": objectives})


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_specific_objectives_without_parents_stay_without(lang, tmp_path):
    """Found by the property: with no parent anywhere the parent column was blank
    throughout, which the reader takes for "infer the parents" (a filled template), so a
    specific objective below a general one came back as its child. The writer now says
    "—" (no parent) in such cells."""
    plan = _small([{"id": "G", "kind": "general", "title": "chung"},
                   {"id": "S", "kind": "specific", "title": "cụ thể"},
                   {"id": "S2", "kind": "specific", "title": "cụ thể 2", "field": "social"}])
    assert _round_trip(plan, lang, tmp_path) == plan
    book = load_workbook(tmp_path / f"plan-{lang}.xlsx")
    general = book.worksheets[2]
    assert [general.cell(r, 3).value for r in range(5, general.max_row + 1)
            if general.cell(r, 1).value in {"S", "S2"}] == ["—", "—"]
    # a parent given anywhere: the blank cells say "none" already, and no dash is written
    plan = _small([{"id": "G", "kind": "general", "title": "chung"},
                   {"id": "S", "kind": "specific", "title": "cụ thể", "parent": "G"},
                   {"id": "S2", "kind": "specific", "title": "cụ thể 2"}])
    assert _round_trip(plan, lang, tmp_path) == plan
    assert "—" not in [c.value for c in load_workbook(
        tmp_path / f"plan-{lang}.xlsx").worksheets[2]["C"]]


def test_a_dash_parent_names_an_objective_with_that_id(tmp_path):
    """"—" means no parent only when no objective of the workbook has it as its id."""
    plan = _small([{"id": "—", "kind": "general", "title": "chung"},
                   {"id": "S", "kind": "specific", "title": "cụ thể", "parent": "—"}])
    assert _round_trip(plan, "vi", tmp_path) == plan


@pytest.mark.parametrize("ident", ["Total", "Tong", "Cộng", "Example", "ViDu", "Ví dụ"])
def test_objective_ids_that_read_like_a_total_or_the_example_mark(ident, tmp_path):
    """Found by the property (ids "Tong", "Cong"): a row whose first cell reads "Tổng" is
    a total row, skipped, and one whose objective ID cell reads "Ví dụ" / "Example" is a
    template's example row; in an ID column (and, for the mark, outside a template) they
    are ids."""
    plan = _small([{"id": ident, "kind": "specific", "title": "x",
                    "solutions": [{"id": "S", "title": "s"}],
                    "targets": [{"id": "T", "indicator": "i", "category": "output",
                                 "solution": "S"}]}])
    for lang in ("vi", "en"):
        assert _round_trip(plan, lang, tmp_path) == plan


def test_an_indicator_named_with_a_unit_keeps_its_blank_unit(tmp_path):
    """The reader takes "(%)" at the end of an indicator's name for its unit when the sheet
    has no unit column (an office's layout); the writer's sheet has one, and a blank unit
    cell there is no unit."""
    plan = _small([{"id": "O", "kind": "specific", "title": "x", "targets": [
        {"id": "T", "indicator": "Tỷ lệ hộ nghèo (%)", "category": "outcome"},
        {"id": "T2", "indicator": "Diện tích (ha)", "category": "output", "unit": "%"}]}])
    for lang in ("vi", "en"):
        assert _round_trip(plan, lang, tmp_path) == plan


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_text_value_that_starts_like_a_qualifier_stays_a_text(lang, tmp_path):
    """Found by the property once "khoảng"/"~" and "điểm %" were read in value cells: a
    yearly text "~K" came back as "K", approximate, and "Kpp" would have lost its "pp". A
    qualifier qualifies a number; in front of (or behind) a text it is the text's own."""
    plan = _small([{"id": "O", "kind": "specific", "title": "x", "targets": [
        {"id": "T", "indicator": "i", "category": "outcome", "target": 5,
         "annual": {"2027": "~K", "2028": "Kpp", "2029": "about half"}}]}])
    back = _round_trip(plan, lang, tmp_path)
    assert back == plan
    assert back.objectives[0].targets[0].approximate == []


def test_roman_numerals_have_no_upper_bound():
    from validator.formats.xlsx.vocab import SECTION, roman

    assert [roman(n) for n in (1, 4, 9, 14, 20, 21, 40, 90, 400, 1994, 4000)] == [
        "I", "IV", "IX", "XIV", "XX", "XXI", "XL", "XC", "CD", "MCMXCIV", "MMMM"]
    assert SECTION.match(f"{roman(2026)}. Kinh tế").group("num") == "MMXXVI"


def test_merged_ranges_are_added_without_scanning_the_others(monkeypatch):
    """openpyxl's merge_cells checks each new range against every earlier one (quadratic:
    615 s for 10,000 targets); the writer's ranges never overlap, so it skips the check.
    What checks remain (drop-downs' ranges) do not grow with the plan."""
    from openpyxl import load_workbook
    from openpyxl.worksheet.cell_range import MultiCellRange

    real = MultiCellRange.__contains__
    calls = []

    def counted(self, coord):
        calls.append(len(self.ranges))
        return real(self, coord)

    monkeypatch.setattr(MultiCellRange, "__contains__", counted)
    counts = []
    for size in (40, 160):
        calls.clear()
        book = write_xlsx(_plan_of(size), "en")
        counts.append((len(calls), sum(calls)))
    assert counts[0] == counts[1]
    sheets = load_workbook(io.BytesIO(book)).worksheets
    assert sum(len(s.merged_cells.ranges) for s in sheets) > 160


def test_a_large_written_workbook_is_not_refused_for_its_merges(tmp_path, monkeypatch):
    """The merged-cell cap counts the area merges add beyond the cells present: a
    10,000-target workbook written by convert merges 130,000 cells that are all present
    and was refused; a merge over empty space is still refused (tests/test_xlsx_bombs.py)."""
    from validator.formats.xlsx import guard

    plan = _plan_of(60)
    out = tmp_path / "plan.xlsx"
    out.write_bytes(write_xlsx(plan, "en"))
    monkeypatch.setattr(guard, "MAX_MERGED_CELLS", 20)  # less than this book's merged cells
    assert load_plan(out).plan == plan
