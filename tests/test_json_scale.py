"""JSON plans are parsed once (positions only when something points into the file), and
the cap on a document's values scales with its size and names the limit it hit."""

from __future__ import annotations

import json

import pytest
from conftest import small_plan

from validator.core.errors import InputError
from validator.formats import yaml_json
from validator.load import load_plan
from validator.pipeline.warm import Checker


def test_positions_are_read_only_when_first_needed_and_are_the_same(tmp_path):
    data = small_plan()
    data["objectives"][0]["targets"][0]["unit"] = "no such unit"
    text = json.dumps(data, indent=2, ensure_ascii=False)
    parsed, source = yaml_json.load_json(text, "p.json")
    assert parsed == json.loads(text)
    assert source.positions == {} and source.fill is not None  # no second parse yet
    path = ("objectives", 0, "targets", 0, "unit")
    where = source.locate(path)
    line = next(i for i, s in enumerate(text.splitlines(), 1) if "no such unit" in s)
    assert where is not None and where[0] == line and source.fill is None
    assert source.positions  # filled once

    plan = tmp_path / "p.json"
    plan.write_text(text, encoding="utf-8")
    yaml_twin = tmp_path / "p.yaml"
    yaml_twin.write_text(text, encoding="utf-8")  # JSON is YAML: the same places
    checker = Checker.compile()
    as_json = [(f.rule, f.location.line, f.location.column) for f in checker.check_file(plan)]
    as_yaml = [(f.rule, f.location.line, f.location.column) for f in
               checker.check_file(yaml_twin)]
    assert as_json == as_yaml and any(line for _, line, _ in as_json)


def test_json_nested_too_deep_is_refused_at_its_place(tmp_path):
    text = '{"format": "plan/1", "x": ' + "[" * 70 + "]" * 70 + "}"
    with pytest.raises(InputError) as raised:
        yaml_json.load_json(text, "deep.json")
    problem = raised.value.problems[0]
    assert "nesting deeper than 64" in problem.text() and problem.line == 1


def test_the_value_cap_scales_with_the_file_and_names_its_limit(monkeypatch):
    monkeypatch.setattr(yaml_json, "MAX_NODES", 100)
    many = "items:\n" + "".join(f"  - {i}\n" for i in range(150))  # 151 values, 1,197 chars
    data, _ = yaml_json.load_yaml(many, "many.yaml")
    assert len(data["items"]) == 150  # over 100, but a value per 7 characters: not a bomb
    bomb = "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n" \
           "c: [*b, *b, *b]\n"
    with pytest.raises(InputError) as raised:
        yaml_json.load_yaml(bomb, "bomb.yaml")
    message = raised.value.problems[0].text()
    assert "more than 100 values, the limit for a file of 93 characters" in message
    assert "at least 100" in message
    dense = json.dumps({"items": [0] * 150}, separators=(",", ":"))  # 2 characters a value
    assert len(yaml_json.load_json(dense, "many.json")[0]["items"]) == 150


def test_a_json_plan_loads_like_its_yaml_twin(tmp_path):
    text = json.dumps(small_plan(), indent=1)
    (tmp_path / "a.json").write_text(text, encoding="utf-8")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    assert load_plan(tmp_path / "a.json").plan == load_plan(tmp_path / "a.yaml").plan
