"""Regression tests for the crashes and leaks the fuzzers found (each was a traceback, a
crash or an unlocated message before its fix)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from validator.cli import main
from validator.core.errors import InputError
from validator.facts.views import build_views
from validator.formats.yaml_json import MAX_DEPTH, load_json, load_yaml
from validator.load import load_plan
from validator.pipeline.check import fire
from validator.rulelang.build import build_ruleset


def _problem(error: pytest.ExceptionInfo[InputError]) -> object:
    assert len(error.value.problems) >= 1
    return error.value.problems[0]


def test_a_control_character_in_yaml_is_located() -> None:
    with pytest.raises(InputError) as error:
        load_yaml("a: 1\nb: x\x07y\n", "p.yaml")
    problem = _problem(error)
    assert (problem.line, problem.column) == (2, 5)
    assert "control characters are not allowed" in problem.text("en")


@pytest.mark.parametrize("text", ["[" * 200_000 + "]" * 200_000, "- " * 200_000 + "x",
                                  "{a: " * 100_000 + "1" + "}" * 100_000])
def test_deep_yaml_is_refused_at_the_limit_without_crashing(text: str) -> None:
    # libyaml's composer recursed once per level and crashed the process (SIGSEGV) beyond
    # about 30,000 levels; its parser also slows down quadratically with depth
    with pytest.raises(InputError) as error:
        load_yaml(text, "deep.yaml")
    problem = _problem(error)
    assert problem.text() == f"nesting deeper than {MAX_DEPTH} levels"
    assert problem.line == 1 and problem.column is not None


def test_deep_json_is_refused_with_its_position() -> None:
    with pytest.raises(InputError) as error:  # json.loads raised RecursionError
        load_json("[" * 100_000 + "]" * 100_000, "deep.json")
    assert "nesting deeper than" in _problem(error).text()
    assert _problem(error).line == 1


def test_deep_jsonld_is_refused(tmp_path: Path) -> None:
    for depth in (200, 100_000):  # a RecursionError in json, then in the context check
        path = tmp_path / "deep.jsonld"
        path.write_text("[" * depth + "]" * depth, encoding="utf-8")
        with pytest.raises(InputError, match="nesting deeper than"):
            load_plan(path)


def test_a_number_with_thousands_of_digits_is_a_model_error(write_plan) -> None:
    digits = "9" * 5000  # int() refuses more than 4,300 digits (ValueError)
    for name, text in (("p.yaml", f"format: plan/1\nplan: {digits}\n"),
                       ("p.json", f'{{"format": "plan/1", "plan": {digits}}}')):
        with pytest.raises(InputError) as error:
            load_plan(write_plan(text, name))
        assert any(p.path == ("plan",) for p in error.value.problems)


def test_aliases_are_expanded_and_refused_when_recursive_or_undefined() -> None:
    data, _ = load_yaml("a: &x [1, {b: 2}]\nc: *x\n", "p.yaml")
    assert data == {"a": [1, {"b": 2}], "c": [1, {"b": 2}]}
    for text, message in (("a: &r [*r]\n", "alias *r refers to a value that contains it"),
                          ("a: *nope\n", "alias *nope names no anchor defined before it")):
        with pytest.raises(InputError) as error:
            load_yaml(text, "p.yaml")
        assert _problem(error).text() == message and _problem(error).line == 1


def test_explicit_string_tags_keep_text() -> None:
    data, _ = load_yaml("a: !!str 12\nb: ! 13\nc: !!int '14'\n", "p.yaml")
    assert data == {"a": "12", "b": "13", "c": 14}


def test_ill_typed_literals_log_no_traceback(tmp_path: Path, caplog) -> None:
    # rdflib logged "Failed to convert Literal lexical form" with a traceback on stderr
    path = tmp_path / "plan.ttl"
    path.write_text('@prefix pc: <https://w3id.org/plancheck/ns#> .\n'
                    '<https://w3id.org/plancheck/data/p> a pc:Plan ;\n'
                    '  pc:periodStart "twenty"^^<http://www.w3.org/2001/XMLSchema#decimal> ;\n'
                    '  pc:identifier "p" .\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING), pytest.raises(InputError) as error:
        load_plan(path)
    assert not [r for r in caplog.records if r.exc_info]
    assert any("pc:periodStart" in p.text() for p in error.value.problems)


def _rules(tmp_path: Path, require: str, lets: str = "") -> Path:
    path = tmp_path / "r.rules"
    path.write_text('rule R-1\n  title vi "t" en "t"\n  severity warning\n'
                    f'  for each target t\n{lets}  require {require}\n'
                    '  message vi "{t.id}" en "{t.id}"\n', encoding="utf-8")
    return path


def test_indexing_a_series_with_a_list_is_a_type_error(tmp_path: Path) -> None:
    # once a TypeError (unhashable type: 'list') inside the engine; the resolver's types
    # now refuse the key where it is written
    path = _rules(tmp_path, "t.annual[t.objective.targets] is missing")
    with pytest.raises(InputError) as error:
        build_ruleset([str(path)])
    problem = error.value.problems[0]
    assert "expected a year or a period as the key of a series" in problem.text("en")
    assert (problem.line, problem.column) == (5, 20)


def test_indexing_a_series_with_a_text_is_missing(tmp_path: Path) -> None:
    # TypeError: unhashable type: 'LocalText' inside the engine
    path = _rules(tmp_path, "t.actual[t.indicator] is missing")
    ruleset = build_ruleset([str(path)])
    plan = load_plan(Path(__file__).resolve().parents[2] / "examples"
                     / "province-five-year-sedp.yaml")
    assert fire([build_views(plan)], ruleset) == []


def test_cli_exit_2_for_each_regression(tmp_path: Path) -> None:
    runner = CliRunner()
    for name, text in (("a.yaml", "[" * 50_000), ("b.json", "[" * 50_000),
                       ("c.yaml", "a: &r [*r]\n"), ("d.yaml", "a: \x07\n")):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = runner.invoke(main, ["validate", str(path)], catch_exceptions=False)
        assert result.exit_code == 2 and result.stderr.startswith(f"{path}:1:"), result.stderr
