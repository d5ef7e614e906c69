"""Packs: pack.yaml, extends, disabled rules, severities, params, shadowing, located errors;
rules test per case with coverage; rules new."""

from __future__ import annotations

import json
import re
import textwrap

import pytest
import yaml
from conftest import ROOT, small_plan

from validator.authoring.cases import collect_cases, rule_case_file
from validator.core.errors import InputError
from validator.pipeline.validate import validate
from validator.rulelang.build import build_ruleset
from validator.rulelang.cache import load_ruleset

SAMPLE = str(ROOT / "examples" / "packs" / "lao-cai")
HEAD = """name: {name}
version: "1"
title: {{vi: "Gói {name}", en: "Pack {name}"}}
authority: {{vi: "Sở", en: "Department"}}
"""
RULE = '''
rule {id}
  title vi "Tiêu đề" en "Title"
  severity {severity}
  source "test"
  tags smart
  rationale vi "Lý do" en "Reason"
  for each target t
  require {require}
  message vi "{{t.id}}" en "{{t.id}}"
'''


def make_pack(folder, name="child", extra="", rules=None):
    """A pack folder: pack.yaml (the head plus ``extra``) and rule files by name."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(HEAD.format(name=name) + textwrap.dedent(extra),
                                      encoding="utf-8")
    for file, text in (rules or {}).items():
        (folder / file).write_text(text, encoding="utf-8")
    return folder


def rule(rule_id, require="t.unit is present", severity="warning"):
    return RULE.format(id=rule_id, require=require, severity=severity)


# --- the sample pack ------------------------------------------------------------------------

def test_the_sample_pack_is_the_effective_rule_set():
    ruleset = build_ruleset([SAMPLE])
    ids = [r.id for r in ruleset.rules]
    assert "CAL-04" not in ids and [r.id for r in ruleset.disabled] == ["CAL-04"]
    assert ruleset.rule("SMART-B").severity == "error"
    assert ruleset.values["growth_max"] == 12
    assert ruleset.rule("LC-01").pack == "lao-cai" and ruleset.rule("SMART-M").pack == "mpi2013"
    assert ids[-2:] == ["LC-01", "LC-02"] and len(ids) == len(build_ruleset([]).rules) + 1
    assert [p.name for p in ruleset.packs] == ["mpi2013", "lao-cai"]


def test_rules_list_prints_the_effective_rule_set(cli):
    code, out, _ = cli("rules", "list", "--rules", SAMPLE, "--lang", "en")
    assert code == 0
    assert re.search(r"^SMART-B\s+error\s+Outcome target lacks a baseline", out, re.M)
    assert re.search(r"^LC-02\s+info\s+Solution budget above", out, re.M)
    assert not re.search(r"^CAL-04\b", out, re.M)
    code, out, _ = cli("rules", "list", "--rules", SAMPLE, "--format", "json")
    listed = {r["id"]: r for r in json.loads(out)}
    assert listed["LC-01"]["pack"] == "lao-cai" and listed["SMART-B"]["severity"] == "error"


def test_the_sample_pack_changes_what_validation_reports(write_plan):
    plan = small_plan()
    plan["objectives"][0]["targets"].append(
        {"id": "O1.T3", "indicator": "GRDP growth", "category": "impact", "unit": "%/year",
         "target": 13})
    plan["objectives"][0]["targets"][1].pop("baseline")
    path = str(write_plan(plan))
    mpi = {(f.rule, f.entity): f for f in validate([path]).findings}
    lao = {(f.rule, f.entity): f for f in validate([path], [SAMPLE]).findings}
    assert ("SMART-R", "O1.T3") in lao and ("SMART-R", "O1.T3") not in mpi  # growth_max 12
    assert lao[("SMART-B", "O1.T2")].severity == "error"
    assert mpi[("SMART-B", "O1.T2")].severity == "warning"
    assert ("LC-01", "O1.T2") in lao and ("LC-02", "O1.S1") not in lao  # 420 ≤ 2000


def test_the_sample_pack_is_fully_tested(cli):
    code, out, _ = cli("rules", "test", "--lang", "en", SAMPLE, "--min-coverage", "100")
    assert code == 0, out
    assert re.search(r"^ok\s+LC-02\s+\d+/\d+ cases passed$", out, re.M)
    assert re.search(r"^coverage: (\d+)/\1 rules \(100%\)", out, re.M)


# --- packs and layers ----------------------------------------------------------------------

def test_a_plain_folder_and_a_bundled_name_still_work(tmp_path):
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "a.rules").write_text(rule("X-01"), encoding="utf-8")
    assert [r.id for r in build_ruleset([str(folder)]).rules] == ["X-01"]
    assert build_ruleset([str(folder)]).rules[0].pack == ""
    assert [r.id for r in build_ruleset(["mpi2013"]).rules] == [r.id for r in
                                                                build_ruleset([]).rules]


def test_packs_extend_packs_and_later_settings_win(tmp_path):
    make_pack(tmp_path / "region", "region", """
        extends: [mpi2013]
        params: {growth_max: 12, vague_words: ["tăng cường"]}
        severity: {PH-03: error}
        disable: [SMART-S]
        """, {"r.rules": rule("REG-01")})
    make_pack(tmp_path / "province", "province", """
        extends: [../region]
        params: {growth_max: 10}
        severity: {PH-03: info}
        """, {"p.rules": rule("PRV-01")})
    ruleset = build_ruleset([str(tmp_path / "province")])
    assert [p.name for p in ruleset.packs] == ["mpi2013", "region", "province"]
    assert ruleset.values["growth_max"] == 10 and ruleset.values["vague_words"] == ["tăng cường"]
    assert ruleset.rule("PH-03").severity == "info" and ruleset.rule("SMART-S") is None
    assert {"REG-01", "PRV-01"} <= {r.id for r in ruleset.rules}


def test_a_pack_replaces_an_inherited_rule_and_its_cases(tmp_path):
    pack = make_pack(tmp_path / "p", extra="extends: [mpi2013]\noverrides: [SMART-M]\n",
                     rules={"m.rules": rule("SMART-M", "t.unit is present", "info")})
    (pack / "cases").mkdir()
    (pack / "cases" / "SMART-M.yaml").write_text(textwrap.dedent("""
        rule: SMART-M
        cases:
          - name: no unit
            expect: [T1]
            plan:
              objectives: [{id: O1, kind: general, title: t, targets: [{id: T1, indicator: x}]}]
        """), encoding="utf-8")
    ruleset = build_ruleset([str(pack)])
    mine = ruleset.rule("SMART-M")
    assert mine.pack == "child" and mine.severity == "info" and mine.shadows.pack == "mpi2013"
    assert rule_case_file(ruleset, mine) == pack / "cases" / "SMART-M.yaml"
    assert [c.name for c in collect_cases([str(pack)]) if c.rule == "SMART-M"] == ["no unit"]


def test_the_same_id_twice_in_one_pack_is_an_error(tmp_path):
    pack = make_pack(tmp_path / "p", rules={"a.rules": rule("X-01"), "b.rules": rule("X-01")})
    with pytest.raises(InputError, match=r"b\.rules:2:1: rule X-01 is already declared"):
        build_ruleset([str(pack)])


def test_the_cache_sees_a_changed_pack_yaml(tmp_path):
    pack = make_pack(tmp_path / "p", extra="extends: [mpi2013]\nparams: {growth_max: 12}\n")
    assert load_ruleset((str(pack),)).values["growth_max"] == 12
    make_pack(tmp_path / "p", extra="extends: [mpi2013]\nparams: {growth_max: 9}\n")
    assert load_ruleset((str(pack),)).values["growth_max"] == 9


BAD_PACKS = [
    ("name: [x\n", r"pack\.yaml:\d+:\d+: invalid YAML"),
    ("", r"pack\.yaml: the file is empty"),
    ("- a\n", r"pack\.yaml:1:1: expected a mapping with name"),
    ('name: p\nversion: "1"\ntitle: {vi: a, en: b}\n', r"pack\.yaml: missing required key "
                                                      r"'authority'"),
    (HEAD.format(name="p") + "extend: [mpi2013]\n",
     r"pack\.yaml:5:1: extend: unknown key 'extend'; did you mean 'extends'\?"),
    (HEAD.format(name="p") + "extends: [mpi2031]\n",
     r"pack\.yaml:5:\d+: extends\[0\]: no pack 'mpi2031'"),
    (HEAD.format(name="p") + "extends: [.]\n", r"extends\[0\]: packs extend each other in a "
                                               r"cycle"),
    (HEAD.format(name="p") + "extends: [mpi2013]\ndisable: [SMART-Q]\n",
     r"pack\.yaml:6:\d+: disable\[0\]: no rule SMART-Q in the rule set; did you mean"),
    (HEAD.format(name="p") + "extends: [mpi2013]\nseverity: {PH-03: fatal}\n",
     r"severity\.PH-03: expected one of error, warning, info, got 'fatal'"),
    (HEAD.format(name="p") + "extends: [mpi2013]\nparams: {growth_max: high}\n",
     r"pack\.yaml:6:\d+: params\.growth_max: parameter growth_max expects a number"),
    (HEAD.format(name="p") + "extends: [mpi2013]\nparams: {growth_mx: 3}\n",
     r"params\.growth_mx: unknown parameter 'growth_mx'; did you mean 'growth_max'"),
    (HEAD.format(name="p").replace('en: "Pack p"', "fr: x"),
     r"pack\.yaml:3:\d+: title: expected texts in Vietnamese and English"),
]


@pytest.mark.parametrize("text, message", BAD_PACKS, ids=[m[:40] for _, m in BAD_PACKS])
def test_a_malformed_pack_is_a_located_input_error(cli, tmp_path, text, message):
    pack = tmp_path / "p"
    pack.mkdir()
    (pack / "pack.yaml").write_text(text, encoding="utf-8")
    (pack / "r.rules").write_text(rule("X-01"), encoding="utf-8")
    for command in (["rules", "list", "--rules", pack, "--lang", "en"],
                    ["rules", "test", pack, "--lang", "en"],
                    ["rules", "lint", pack, "--lang", "en"]):
        code, out, err = cli(*command)
        assert code == 2, (command, out, err)
        assert re.search(message, err), err
        assert "Traceback" not in err


def test_every_problem_of_a_pack_yaml_is_reported_at_once_at_its_place(cli, tmp_path):
    pack = make_pack(tmp_path / "p", extra="""\
        extends: [mpi2013, nope, 3]
        disable: [SMART-S, SMART-S, smart-q]
        severity: {PH-03: fatal}
        tags: {Budget: {vi: a, en: b}, plans: {vi: a}}
        verison: 2
        """)
    (pack / "pack.yaml").write_text((pack / "pack.yaml").read_text(encoding="utf-8").replace(
        'en: "Department"', 'en: "Department", fr: "Service"'), encoding="utf-8")
    code, out, err = cli("rules", "list", "--rules", pack, "--lang", "en")
    assert code == 2 and out == "" and "Traceback" not in err
    file = pack / "pack.yaml"
    lines = [line for line in err.splitlines() if line.startswith(str(file))]
    assert lines == [
        f"{file}:4:41: authority.fr: unknown language 'fr'; expected vi and en",
        f"{file}:5:20: extends[1]: no pack 'nope': not a folder beside pack.yaml nor a "
        "bundled pack (bundled packs: mpi2013)",
        f"{file}:5:26: extends[2]: expected a pack name or folder, got 3",
        f"{file}:6:20: disable[1]: SMART-S is listed twice",
        f"{file}:6:29: disable[2]: expected a rule id like SMART-S, got 'smart-q'",
        f"{file}:7:12: severity.PH-03: expected one of error, warning, info, got 'fatal'",
        f"{file}:8:8: tags.Budget: a tag is a lower-case word (like results-chain), got "
        "'Budget'",
        f"{file}:8:32: tags.plans: expected the tag's meaning: {{vi: \"...\", en: \"...\"}}",
        f"{file}:9:1: verison: unknown key 'verison'; did you mean 'version'?"]


def test_an_empty_optional_key_of_a_pack_is_an_empty_list(tmp_path):
    pack = make_pack(tmp_path / "p", extra="extends: mpi2013\ndisable:\nseverity:\n",
                     rules={"r.rules": rule("X-01")})
    ruleset = build_ruleset([str(pack)])
    assert ruleset.rule("X-01") is not None and ruleset.rule("SMART-S") is not None


def test_extending_a_folder_without_pack_yaml_is_refused(cli, tmp_path):
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "r.rules").write_text(rule("X-01"), encoding="utf-8")
    make_pack(tmp_path / "p", extra="extends: [../plain]\n")
    code, _, err = cli("rules", "list", "--rules", tmp_path / "p", "--lang", "en")
    assert code == 2 and "extends[0]: '../plain' is a folder without pack.yaml" in err


# --- rules test: per case and coverage -----------------------------------------------------

def _case_file(folder, rule_id, cases):
    (folder / "cases").mkdir(exist_ok=True)
    (folder / "cases" / f"{rule_id}.yaml").write_text(
        yaml.safe_dump({"rule": rule_id, "cases": cases}, sort_keys=False), encoding="utf-8")


def _case(name, expect, unit=None):
    target = {"id": "T1", "indicator": "x", **({"unit": unit} if unit else {})}
    return {"name": name, "expect": expect, "plan": {"objectives": [
        {"id": "O1", "kind": "general", "title": "t", "targets": [target]}]}}


def test_a_malformed_case_file_names_each_problem_at_its_place(cli, tmp_path):
    pack = make_pack(tmp_path / "p", rules={"r.rules": rule("X-01")})
    (pack / "cases").mkdir()
    file = pack / "cases" / "X-01.yaml"
    file.write_text(textwrap.dedent("""\
        rule: X-01
        cases:
          - name: no expectation
            plan: {}
          - name: both ways
            expect: []
            plan: {}
            plans: [{}]
          - name: a typo
            expected: [T1]
            expect: T1
            plan: []
          - just a text
        """), encoding="utf-8")
    code, out, err = cli("rules", "test", pack, "--lang", "en")
    assert code == 2 and "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith(str(file))]
    assert lines == [
        f"{file}:3:5: cases[0]: missing required key 'expect'",
        f"{file}:5:5: cases[1]: a case gives either 'plan' (one plan fragment) or 'plans' "
        "(a list of them)",
        f"{file}:10:5: cases[2].expected: unknown key 'expected'; did you mean 'expect'?",
        f"{file}:11:5: cases[2].expect: expected a list of entity ids ([] for a passing case)",
        f"{file}:12:5: cases[2].plan: expected a plan fragment",
        f"{file}:13:5: cases[3]: a case is a mapping with name, expect and plan"]
    file.write_text("rule: X-01\ncases: {}\n", encoding="utf-8")
    code, _, err = cli("rules", "test", pack, "--lang", "en")
    assert code == 2 and f"{file}: expected a mapping with 'rule' and a list 'cases'" in err


def test_rules_test_reports_each_case_and_the_coverage(cli, tmp_path):
    pack = make_pack(tmp_path / "p", rules={"r.rules": rule("X-01") + rule("X-02")})
    _case_file(pack, "X-01", [_case("has a unit", [], "%"), _case("no unit", ["T1"])])
    _case_file(pack, "X-02", [_case("wrong: expects nothing", [])])
    code, out, _ = cli("rules", "test", "--lang", "en", pack)
    assert code == 1
    assert re.search(r"^ok\s+X-01\s+2/2 cases passed$", out, re.M)
    assert "has a unit" not in out  # one line per rule; -v shows the cases
    assert re.search(r"^FAIL X-02\s+0/1 case passed\n\s+FAIL wrong: expects nothing\n\s+"
                     r"\S*cases/X-02\.yaml:3: expected findings on nothing, got T1$",
                     out, re.M)
    code, out, _ = cli("rules", "test", "--lang", "en", pack, "-v")
    assert re.search(r"^ok\s+X-01\s+2/2 cases passed\n\s+ok\s+has a unit$", out, re.M)
    assert "coverage: 1/2 rules (50%)" in out
    assert re.search(r"no failing case: X-02$", out, re.M)
    assert re.search(r"no passing case: X-02$", out, re.M)


def test_min_coverage_and_corpus(cli, tmp_path, write_plan):
    pack = make_pack(tmp_path / "p", rules={
        "r.rules": rule("X-01") + rule("X-02", "t.target < 1000000")})
    _case_file(pack, "X-01", [_case("ok", [], "%"), _case("bad", ["T1"])])
    big = {"id": "O1", "kind": "general", "title": "t",
           "targets": [{"id": "T1", "indicator": "x", "target": 2000000}]}
    _case_file(pack, "X-02", [_case("ok", []), {**_case("bad", ["T1"]),
                                                "plan": {"objectives": [big]}}])
    code, out, _ = cli("rules", "test", "--lang", "en", pack, "--min-coverage", "100")
    assert code == 0 and "coverage: 2/2 rules (100%)" in out
    corpus = write_plan(small_plan())  # every target has a unit; no target above a million
    code, out, _ = cli(
        "rules", "test", "--lang", "en", pack, "--corpus", corpus, "--min-coverage", "100")
    assert code == 1
    assert "never fired on the corpus (1 plan): X-01, X-02" in out
    assert "coverage 0% is below --min-coverage 100%" in out
    code, out, _ = cli(
        "rules", "test", "--lang", "en", pack, "--corpus", corpus, "--min-coverage", "0")
    assert code == 0


# --- rules new -----------------------------------------------------------------------------

def test_rules_new_writes_a_stub_that_fails_until_filled(cli, tmp_path):
    pack = make_pack(tmp_path / "p")
    code, out, _ = cli("rules", "new", "--lang", "en", "LC-07", "--pack", pack)
    assert code == 0 and f"wrote {pack / 'lc-07.rules'}" in out
    assert (pack / "cases" / "LC-07.yaml").is_file()
    code, out, _ = cli("rules", "check", "--lang", "en", pack)
    assert code == 0
    code, out, _ = cli("rules", "test", "--lang", "en", pack)
    assert code == 1 and re.search(r"^\s+FAIL TODO a plan that meets the rule$", out, re.M)
    # filling in the rule alone is not enough: both cases share one plan
    stub = (pack / "lc-07.rules").read_text(encoding="utf-8")
    for require in ("t.unit is present", "t.unit is missing"):
        (pack / "lc-07.rules").write_text(stub.replace("require false", f"require {require}"),
                                          encoding="utf-8")
        code, out, _ = cli("rules", "test", "--lang", "en", pack)
        assert code == 1 and re.search(r"^FAIL LC-07", out, re.M), require
    code, out, _ = cli("rules", "lint", "--lang", "en", pack)
    assert code == 1 and "placeholder: rule LC-07 still has TODO" in out


@pytest.mark.parametrize("kind, entity", [("objective", "O1"), ("solution", "S1"),
                                          ("plan", "case")])
def test_rules_new_for_other_kinds(cli, tmp_path, kind, entity):
    folder = tmp_path / "rules"
    folder.mkdir()
    code, _, _ = cli("rules", "new", "--lang", "en", "AB-1", "--pack", folder, "--kind", kind)
    assert code == 0
    assert f"for each {kind} " in (folder / "ab-1.rules").read_text(encoding="utf-8")
    code, out, _ = cli("rules", "test", "--lang", "en", folder)
    assert code == 1 and f"got {entity}\n" in out


@pytest.mark.parametrize("args, message", [
    (["lc-01"], "lc-01: a rule id is upper-case letters"),
    (["SMART-B"], "the rule set already has a rule SMART-B"),
    (["X-01", "--pack", "nowhere"], "nowhere: no such folder"),
])
def test_rules_new_refuses_bad_ids_and_existing_rules(cli, tmp_path, args, message):
    pack = make_pack(tmp_path / "p", extra="extends: [mpi2013]\n")
    extra = [] if "--pack" in args else ["--pack", str(pack)]
    code, _, err = cli("rules", "new", "--lang", "en", *args, *extra)
    assert code == 2 and message in err


def test_rules_new_does_not_overwrite(cli, tmp_path):
    folder = tmp_path / "f"
    (folder / "cases").mkdir(parents=True)
    (folder / "cases" / "X-01.yaml").write_text("keep", encoding="utf-8")
    code, _, err = cli("rules", "new", "--lang", "en", "X-01", "--pack", folder)
    assert code == 2 and "the file exists; not overwriting it" in err
    assert (folder / "cases" / "X-01.yaml").read_text(encoding="utf-8") == "keep"
