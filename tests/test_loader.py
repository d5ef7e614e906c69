"""Plan files in: good files load, bad files are refused with file, line:column and key path."""

from __future__ import annotations

import json
import re

import pytest
from conftest import BROKEN_EXAMPLES, GOOD_EXAMPLES, small_plan

from validator.core.errors import InputError
from validator.load import load_plan
from validator.plan.model import AtLeast, LocalText, Range


@pytest.mark.parametrize("path", GOOD_EXAMPLES, ids=lambda p: p.name)
def test_examples_load(path):
    loaded = load_plan(path)
    assert loaded.plan.objectives
    assert all(o.targets for o in loaded.plan.objectives)


def test_every_field_of_the_spec_example_is_kept(write_plan):
    text = """\
format: plan/1
plan:
  id: lc-sedp-2026-2030
  title: {vi: "Kế hoạch 5 năm", en: "Five-year SEDP"}
  kind: five_year_sedp
  level: province
  locality: Lào Cai
  sector: null
  period: [2026, 2030]
  baseline_year: 2025
  parent: vn-sedp-2026-2030
  submitted: {by: dpi, on: 2025-07-18}
  consultations:
    - {with: commune-leaders, on: 2025-06-03, participants: 41}
objectives:
  - id: O2
    kind: specific
    title: "Clean water"
    field: environment
    sector: environment-protection
    solutions:
      - {id: O2.S1, title: "Pipes", budget: {value: 420, unit: billion VND}}
    targets:
      - id: O2.T1
        solution: O2.S1
        indicator: "Households without clean water"
        code: null
        category: input
        unit: household
        direction: decrease
        rollup: last
        baseline: {year: 2025, value: 35000}
        target: {min: 6.5, max: 7}
        annual: {2026: 33000, 2027: {at_least: 10}}
        actual: {2026: 33800, 2026-H1: 3}
        frequency: semiannual
        timing: "end of June and December"
        compiling_agency: DOC
        providing_agencies: [DARD, district-pc]
        data_source: "household survey"
        notes: ""
"""
    plan = load_plan(write_plan(text)).plan
    h = plan.plan
    assert h.title == LocalText(vi="Kế hoạch 5 năm", en="Five-year SEDP")
    assert h.submitted.by == "DPI"  # codes are matched without regard to case
    assert str(h.submitted.on) == "2025-07-18"  # `on:` is a key, not YAML 1.1's boolean
    assert h.consultations[0].with_ == "commune-leaders"
    assert h.consultations[0].participants == 41
    t = plan.objectives[0].targets[0]
    assert t.target == Range(min=6.5, max=7)
    assert t.annual == {2026: 33000, 2027: AtLeast(at_least=10)}
    assert t.actual == {"2026": 33800, "2026-H1": 3}
    assert t.providing_agencies == ["DARD", "district-pc"]
    assert plan.objectives[0].solutions[0].budget.value == 420


def _refused(path) -> InputError:
    with pytest.raises(InputError) as info:
        load_plan(path)
    return info.value


@pytest.mark.parametrize("path", BROKEN_EXAMPLES, ids=lambda p: p.name)
def test_broken_examples_are_refused_with_a_location(path):
    error = _refused(path)
    first = error.problems[0]
    assert first.file == str(path)
    assert first.line is not None and first.column is not None
    assert re.match(rf"{re.escape(str(path))}:\d+:\d+: ", str(error))


def test_syntax_error_is_located(write_plan):
    path = write_plan("format: plan/1\nplan:\n  id: x\n   kind: y\n")
    error = _refused(path)
    assert str(error).startswith(f"{path}:4:")
    assert "invalid YAML" in str(error)
    assert "^" in str(error)  # the offending line with a caret


def test_missing_required_key_names_the_key_path(write_plan):
    data = small_plan()
    del data["plan"]["level"]
    error = _refused(write_plan(data))
    assert "the plan's header, key 'level': missing required key 'level'" in str(error)
    assert error.problems[0].to_dict()["path"] == "plan.level"  # JSON keeps the key path
    assert error.problems[0].line == 2  # the `plan:` mapping that lacks it


def test_wrong_type_points_at_the_value(write_plan):
    data = small_plan(period=[2026, "twenty"])
    error = _refused(write_plan(data))
    problem = error.problems[0]
    assert problem.path == ("plan", "period", 1)
    assert "expected a whole number, got 'twenty'" in problem.text()


def test_unknown_key_suggests_the_right_one(write_plan):
    data = small_plan()
    data["objectives"][0]["targets"][0]["compling_agency"] = "DOC"
    error = _refused(write_plan(data))
    assert "unknown key 'compling_agency'; did you mean 'compiling_agency'?" in str(error)


def test_value_of_the_wrong_shape(write_plan):
    data = small_plan()
    data["objectives"][0]["targets"][0]["target"] = {"minimum": 3}
    error = _refused(write_plan(data))
    assert "expected a number, a range {min, max}" in str(error)
    assert error.problems[0].path == ("objectives", 0, "targets", 0, "target")


def test_duplicate_ids_and_dangling_references(write_plan):
    data = small_plan()
    targets = data["objectives"][0]["targets"]
    targets[1]["id"] = "O1.T1"
    targets[0]["solution"] = "O1.S9"
    data["objectives"][0]["parent"] = "G9"
    messages = [p.text() for p in _refused(write_plan(data)).problems]
    assert any("duplicate id 'O1.T1'" in m for m in messages)
    assert any("solution 'O1.S9' names no solution of objective 'O1'" in m for m in messages)
    assert any("parent 'G9' names no objective" in m for m in messages)


def test_duplicate_yaml_keys_are_refused(write_plan):
    text = "format: plan/1\nformat: plan/1\nplan: {}\n"
    error = _refused(write_plan(text))
    assert "duplicate key 'format'" in str(error)
    assert error.problems[0].line == 2


def test_alias_bombs_are_capped(write_plan):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    error = _refused(write_plan("\n".join(lines) + "\n"))
    assert "refusing to expand" in str(error)


def test_json_plans_load_and_errors_are_located(write_plan):
    good = write_plan(json.dumps(small_plan(), ensure_ascii=False, indent=2), "plan.json")
    assert load_plan(good).plan.plan.id == "p"
    data = small_plan()
    data["objectives"][0]["targets"][0]["unit"] = 5
    bad = write_plan(json.dumps(data, indent=2), "bad.json")
    problem = _refused(bad).problems[0]
    assert problem.line is not None and "expected a text" in problem.text()
    broken = write_plan('{"format": "plan/1",\n "plan": }', "broken.json")
    assert str(_refused(broken)).startswith(f"{broken}:2:")


def test_unknown_file_type_and_missing_file(tmp_path):
    (tmp_path / "plan.txt").write_text("x")
    assert "unknown plan file type '.txt'" in str(_refused(tmp_path / "plan.txt"))
    assert "cannot read the file" in str(_refused(tmp_path / "nope.yaml"))


def test_not_utf8_is_refused(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_bytes(b"format: plan/1\nplan: \xff\n")
    error = _refused(path)
    assert "not UTF-8" in str(error) and error.problems[0].line == 2
