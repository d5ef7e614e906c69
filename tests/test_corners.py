"""Crashes and slow corners of the hardening issue: each input below gave a traceback, took
minutes, or made output depend on something it should not; each is now a located error
(exit 2) or the same output."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, small_plan

RULE = ('rule R-1\n  title vi "t" en "t"\n  severity warning\n  for each target t\n'
        '  require {require}\n  message vi "x" en "x"\n')
GOOD = EXAMPLES / "province-five-year-sedp.yaml"
FLAWED = EXAMPLES / "flawed" / "ph01-missing-year.yaml"


def _located(result: tuple[int, str, str], *words: str) -> str:
    code, _, err = result
    assert code == 2, err
    assert "Traceback" not in err and "RecursionError" not in err
    for word in words:
        assert word in err, err
    return err


@pytest.mark.parametrize("require,words", [
    ("not " * 300 + "t.target > 1", "100"),  # rules check speaks Vietnamese: the limits
    ("not " * 3000 + "t.target > 1", "100"),
    ("t.target > " + "-" * 300 + "1", "100"),
    ("t.target > " + " + ".join(["1"] * 300), "100"),
    ("t.target > " + " + ".join(["1"] * 3000), "100"),
    ("t.target > " + "9" * 100_000, "100000"),
], ids=["300-not", "3000-not", "300-minus", "300-terms", "3000-terms", "100000-digits"])
def test_deep_or_huge_rule_expressions_are_located_errors(cli, tmp_path: Path, require: str,
                                                         words: str) -> None:
    path = tmp_path / "r.rules"
    path.write_text(RULE.format(require=require), encoding="utf-8")
    err = _located(cli("rules", "check", path), words)
    assert err.startswith(f"{path}")


def test_an_expression_of_ordinary_depth_still_checks(cli, tmp_path: Path) -> None:
    path = tmp_path / "r.rules"
    path.write_text(RULE.format(require="t.target > " + " + ".join(["1"] * 60)),
                    encoding="utf-8")
    assert cli("rules", "check", path)[0] == 0


def test_a_cyclic_rdf_list_is_a_located_error(cli, tmp_path: Path) -> None:
    code, ttl, err = cli("convert", EXAMPLES / "district-annual-sedp-2022.yaml", "--to", "ttl")
    assert code == 0, err
    head = "<https://w3id.org/plancheck/data/lc-bacha-sedp-2022/G1.T2/providers>"
    assert f"{head} rdf:first agency:commune-pc ;\n    rdf:rest () ." in ttl
    path = tmp_path / "cyclic.ttl"
    path.write_text(ttl.replace(f"{head} rdf:first agency:commune-pc ;\n    rdf:rest () .",
                                f"{head} rdf:first agency:commune-pc ;\n    rdf:rest {head} ."),
                    encoding="utf-8")
    _located(cli("validate", path, "--lang", "en"), "rdf:rest links back", "G1.T2")


def test_an_xml_literal_is_refused_without_a_memory_address(cli, tmp_path: Path) -> None:
    code, ttl, _ = cli("convert", EXAMPLES / "district-annual-sedp-2022.yaml", "--to", "ttl")
    path = tmp_path / "xml.ttl"
    path.write_text(ttl.replace("pc:year 2022 .", 'pc:year "<b>2022</b>"^^rdf:XMLLiteral .', 1),
                    encoding="utf-8")
    first = _located(cli("validate", path, "--lang", "en"), "XMLLiteral literal")
    assert " at 0x" not in first and first == _located(cli("validate", path, "--lang", "en"))


@pytest.mark.parametrize("text,words", [
    ("a = " + "[" * 100_000 + "]" * 100_000 + "\n", "nested too deeply"),
    ("a = " + "{b = " * 5000 + "1" + "}" * 5000 + "\n", "nested too deeply"),
    ("a = " + "9" * 100_000 + "\n", "invalid TOML"),
])
def test_a_deep_or_huge_integer_configuration_is_a_located_error(cli, tmp_path: Path,
                                                                 text: str, words: str) -> None:
    config = tmp_path / "plancheck.toml"
    config.write_text(text, encoding="utf-8")
    _located(cli("validate", GOOD, "--config", config, "--lang", "en"), str(config), words)


@pytest.mark.parametrize("param,words", [
    ("phasing_tolerance=" + "9" * 100_000, "at most 40 characters"),
    ("phasing_tolerance=1e400", "finite number"),
    ("phasing_tolerance=inf", "finite number"),
    ("vague_words=" + "[" * 100_000, "nested too deeply"),
])
def test_deep_huge_or_infinite_params_are_located_errors(cli, param: str, words: str) -> None:
    err = _located(cli("validate", GOOD, "--param", param, "--lang", "en"), "--param", words)
    assert len(err) < 500  # the value is quoted shortened, not 100,000 digits


def test_an_infinite_param_from_the_configuration_is_refused(cli, tmp_path: Path) -> None:
    config = tmp_path / "plancheck.toml"
    config.write_text("[params]\nphasing_tolerance = inf\n", encoding="utf-8")
    _located(cli("validate", GOOD, "--config", config, "--lang", "en"), "finite number")


def test_a_waiver_glob_that_would_blow_up_is_refused_quickly(cli, tmp_path: Path) -> None:
    """`**/a/` repeated ten times took 100 s against a deep path."""
    deep = tmp_path.joinpath(*["a"] * 30)
    deep.mkdir(parents=True)
    plan = deep / "plan.yaml"
    plan.write_text(yaml.safe_dump(small_plan()), encoding="utf-8")
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(yaml.safe_dump([{"rule": "PAR-01", "path": "**/a/" * 10 + "x.yaml",
                                        "reason": "r"}]), encoding="utf-8")
    started = time.monotonic()
    _located(cli("validate", plan, "--waivers", waivers, "--lang", "en"), str(waivers), "'**'")
    assert time.monotonic() - started < 10
    config = tmp_path / "plancheck.toml"
    config.write_text('[per-file-ignores]\n"' + "**/a/" * 10 + '" = ["PAR-01"]\n',
                      encoding="utf-8")
    _located(cli("validate", plan, "--config", config, "--lang", "en"), "per-file-ignores")


@pytest.mark.parametrize("fmt", ["json", "html", "junit", "text", "sarif", "markdown",
                                 "github"])
def test_output_does_not_depend_on_the_order_of_the_arguments(cli, fmt: str) -> None:
    one = cli("validate", GOOD, FLAWED, "--format", fmt)
    other = cli("validate", FLAWED, GOOD, "--format", fmt)
    assert one[0] == other[0] == 1 and one[1] == other[1]


def test_numbers_too_large_for_the_rules_arithmetic_are_refused(cli, tmp_path: Path) -> None:
    """A 306-digit parameter from the configuration made PH-04 raise OverflowError (found by
    tests/fuzz/test_fuzz_hostile.py); a plan's numbers have the same bound."""
    config = tmp_path / "plancheck.toml"
    config.write_text("[params]\nphasing_tolerance = " + "9" * 306 + "\n", encoding="utf-8")
    _located(cli("validate", GOOD, "--config", config, "--lang", "en"), "10^18")
    (tmp_path / "plans").mkdir()
    plan = tmp_path / "plans" / "plan.yaml"
    config.unlink()  # found above the plan otherwise
    plan.write_text(yaml.safe_dump(small_plan()).replace("target: 75", "target: " + "9" * 30),
                    encoding="utf-8")
    _located(cli("validate", plan, "--lang", "en"), "larger than 10^18", f"{plan}:")
