"""plancheck rules lint: each kind of mistake is found, located, and sets the exit code."""

from __future__ import annotations

import json
import re
import textwrap

import pytest
from conftest import ROOT

from validator.authoring.lint import lint, signature
from validator.rulelang.parser import parse_rules

SAMPLE = str(ROOT / "examples" / "packs" / "lao-cai")
HEAD = """name: p
version: "1"
title: {vi: "Gói", en: "Pack"}
authority: {vi: "Sở", en: "Department"}
"""


def rule(rule_id, body="  for each target t\n  require t.unit is present\n", tags="smart",
         title='title vi "Tiêu đề" en "Title"', message='message vi "{t.id}" en "{t.id}"'):
    return (f"\nrule {rule_id}\n  {title}\n  severity warning\n  source \"s\"\n  tags {tags}\n"
            f"  rationale vi \"Lý do\" en \"Reason\"\n{body}  {message}\n")


def pack(tmp_path, rules, extra="extends: [mpi2013]\n", name="p"):
    folder = tmp_path / name
    folder.mkdir(exist_ok=True)
    (folder / "pack.yaml").write_text(HEAD.replace("name: p", f"name: {name}")
                                      + textwrap.dedent(extra), encoding="utf-8")
    for file, text in rules.items():
        (folder / file).write_text(text, encoding="utf-8")
    return folder


def codes(folder):
    return [(f.code, f.problem.line) for f in lint([str(folder)])]


def test_the_sample_pack_is_clean(cli):
    code, out, _ = cli("rules", "lint", "--lang", "en", SAMPLE)
    assert (code, out) == (0, "ok: no lint findings\n")


def test_the_bundled_pack_is_clean(cli):
    code, out, _ = cli("rules", "lint", "--lang", "en")
    assert code == 0, out


def test_duplicate_ids_are_found_without_building(cli, tmp_path):
    folder = pack(tmp_path, {"a.rules": rule("X-01"), "b.rules": rule("X-01") + rule("X-02")})
    code, out, _ = cli("rules", "lint", "--lang", "en", folder)
    assert code == 1
    assert re.search(r"b\.rules:2:1: duplicate-id: rule X-01 is already declared at "
                     r"\S+a\.rules:2\n  rule X-01\n  \^", out)


def test_missing_languages(tmp_path):
    body = "  for each target t\n  require t.unit is present\n"
    folder = pack(tmp_path, {"a.rules": rule("X-01").replace('en "Reason"', "") + rule(
        "X-02", body, message='message vi "{t.id}"')})
    found = [(f.code, f.problem.text()) for f in lint([str(folder)])]
    assert ("missing-language", "rule X-01: rationale has no English text (en \"...\")") in found
    assert ("missing-language", "rule X-02: message has no English text (en \"...\")") in found


def test_unknown_tags_against_the_packs_vocabulary(tmp_path):
    folder = pack(tmp_path, {"a.rules": rule("X-01", tags="smart, budgte, local")},
                  extra="extends: [mpi2013]\ntags: {budget: {vi: Ngân sách, en: Budget}}\n")
    found = [f for f in lint([str(folder)]) if f.code == "unknown-tag"]
    assert [f.problem.text() for f in found] == [
        "rule X-01: unknown tag 'budgte'; did you mean 'budget'? (add it under 'tags' in "
        "pack.yaml if it is new)",
        "rule X-01: unknown tag 'local' (add it under 'tags' in pack.yaml if it is new)"]
    assert found[0].problem.line == 6 and found[0].problem.column == 3  # the tags line


def test_unused_parameters_declared_or_set(tmp_path):
    used = "  for each target t\n  require t.target <= cap\n"
    folder = pack(tmp_path, {"a.rules": "parameter cap = 5\nparameter spare = 1\n"
                             + rule("X-01", used) + rule("X-02", "  for each target t\n"
                                                         "  require t.target <= only\n")
                             + "parameter only = 2\n"},
                  extra="extends: [mpi2013]\ndisable: [X-02, CAL-04]\n"
                        "params: {submission_day: 25, cap: 7}\n")
    found = {(f.code, f.problem.text()) for f in lint([str(folder)])}
    assert ("unused-param", "parameter spare is used by no enabled rule or concept") in found
    assert ("unused-param", "parameter only is used by no enabled rule or concept") in found
    assert ("unused-param", "params.submission_day: sets parameter submission_day, which no "
            "enabled rule or concept uses") not in found  # the message has no key path
    assert any(f.code == "unused-param" and f.problem.path == ("params", "submission_day")
               for f in lint([str(folder)]))
    assert not any("cap" in m for _, m in found)


def test_rules_with_the_same_conditions(tmp_path):
    a = "  for each target t\n  where t.category = \"outcome\"\n  require t.unit is present\n"
    b = ("  for each target x\n  let u = x.unit\n  where x.category = \"outcome\"\n"
         "  require u is present\n")
    c = "  for each target t\n  where t.category = \"output\"\n  require t.unit is present\n"
    folder = pack(tmp_path, {"a.rules": rule("X-01", a) + rule("X-02", b, message='message vi'
                                                               ' "{x.id}" en "{x.id}"')
                             + rule("X-03", c)})
    found = [f for f in lint([str(folder)]) if f.code == "same-conditions"]
    assert len(found) == 1
    assert re.fullmatch(r"rule X-02 has the same conditions as rule X-01 \(\S+a\.rules:2\); "
                        r"merge them or tell them apart", found[0].problem.text())


def test_a_pack_rule_may_repeat_an_inherited_rules_conditions_only_once(tmp_path):
    copy = "  for each target t\n  where t.target is missing or is_quantitative(t.target)\n" \
           "  require t.unit is present and t.target is present\n"
    folder = pack(tmp_path, {"a.rules": rule("X-01", copy)})
    found = [f.problem.text() for f in lint([str(folder)]) if f.code == "same-conditions"]
    assert found and "as rule SMART-M" in found[0]


IMPOSSIBLE = [
    ('  for each target t\n  where t.target > 5 and t.target < 3\n  require t.unit is present\n',
     "rule X-01 never applies; its where conditions can never all hold: t.target > 5 and "
     "t.target < 3"),
    ('  for each target t\n  where t.unit = "%"\n  where t.unit = "ha"\n  require t.target > 0\n',
     "rule X-01 never applies; its where conditions can never all hold: t.unit = \"%\" and "
     "t.unit = \"ha\""),
    ('  for each target t\n  require t.target between 0 and 10 and t.target > growth_max\n',
     "rule X-01: the requirement can never hold, so every entity it applies to is reported: "
     "t.target between 0 and 10 and t.target > growth_max"),
    ('  for each target t\n  where t.target > 10\n  require t.target > 5\n',
     "rule X-01 can never fire: whenever t.target > 10 holds, so does t.target > 5"),
    ('  for each target t\n  where t.baseline > 0\n  require t.baseline is present\n',
     "rule X-01 can never fire: whenever t.baseline > 0 holds, so does t.baseline is present"),
    ('  for each objective o\n  require exists t in o.targets where (t.target > 5 and '
     't.target < 3)\n', "rule X-01: this condition can never hold: t.target > 5 and "
                        "t.target < 3"),
]


@pytest.mark.parametrize("body, message", IMPOSSIBLE)
def test_conditions_that_can_never_hold(tmp_path, body, message):
    body = body.replace("{t.id}", "")
    folder = pack(tmp_path, {"a.rules": rule("X-01", body, message='message vi "x" en "x"')})
    found = [f.problem.text() for f in lint([str(folder)]) if f.code == "impossible-condition"]
    assert found == [message]


@pytest.mark.parametrize("body", [
    '  for each target t\n  where t.target > 5 and t.target < 7\n  require t.unit is present\n',
    '  for each target t\n  where t.target > 10\n  require t.target > 50\n',
    '  for each target t\n  where t.target >= 5\n  require t.target > 5\n',
    '  for each target t\n  require t.unit = "%" or t.unit = "ha"\n',
])
def test_conditions_that_can_hold_are_left_alone(tmp_path, body):
    folder = pack(tmp_path, {"a.rules": rule("X-01", body, message='message vi "x" en "x"')})
    assert [f for f in lint([str(folder)]) if f.code == "impossible-condition"] == []


def test_shadowed_rules_need_an_explicit_override(tmp_path):
    redefined = rule("SMART-M", message='message vi "{t.id}" en "{t.id}"')
    folder = pack(tmp_path, {"a.rules": redefined})
    found = [f for f in lint([str(folder)]) if f.code == "shadowed-rule"]
    assert len(found) == 1 and found[0].problem.line == 2
    assert found[0].problem.text().startswith("rule SMART-M replaces the rule of pack mpi2013 (")
    folder = pack(tmp_path, {"a.rules": redefined},
                  extra="extends: [mpi2013]\noverrides: [SMART-M, SMART-B]\n")
    found = [(f.code, f.problem.path) for f in lint([str(folder)])]
    assert ("needless-override", ("overrides", 1)) in found
    assert not any(code == "shadowed-rule" for code, _ in found)


def test_unreadable_input_exits_2(cli, tmp_path):
    folder = pack(tmp_path, {"a.rules": "rule X-01\n  title vi \"a\" en \"a\"\n  for each\n"})
    code, _, err = cli("rules", "lint", folder)
    assert code == 2 and re.search(r"a\.rules:3:\d+: ", err)
    folder = pack(tmp_path, {"a.rules": rule("X-01", "  for each target t\n  require t.unti "
                                                   "is present\n")}, name="q")
    code, _, err = cli("rules", "lint", folder, "--lang", "en")
    assert code == 2 and "unknown attribute 'unti' of target; did you mean 'unit'?" in err
    code, _, err = cli("rules", "lint", folder, "--lang", "vi")
    assert code == 2 and ("chỉ tiêu (target) không có thuộc tính 'unti'; có phải ý bạn là "
                          "'unit'?") in err


def test_json_output(cli, tmp_path):
    folder = pack(tmp_path, {"a.rules": "parameter spare = 1\n" + rule("X-01")})
    code, out, _ = cli("rules", "lint", folder, "--format", "json")
    assert code == 1
    [entry] = json.loads(out)
    assert entry["code"] == "unused-param" and entry["line"] == 1 and entry["column"] == 1
    assert entry["file"].endswith("a.rules")


def test_signature_ignores_variable_names_lets_and_order():
    def sig(body):
        return signature(parse_rules(rule("X-01", body), "x").rules[0])
    one = sig("  for each target t\n  where t.unit = \"%\" and t.target > 1\n  require "
              "t.baseline is present\n")
    two = sig("  for each target x\n  let b = x.baseline\n  where x.target > 1\n  where "
              "x.unit = \"%\"\n  require b is present\n")
    assert one == two


@pytest.mark.parametrize("body, line, text", [
    ("  for each target t\n  where t.id is present\n  require t.unit is present\n", 9,
     "this where condition is always true whatever the data (t.id is present)"),
    ("  for each target t\n  require count(u in t.plan.targets) is missing\n", 9,
     "the requirement is always false whatever the data (count(u in t.plan.targets) is "
     "missing), so the rule reports every entity it applies to"),
    ("  for each target t\n  require [t.unit] is present\n", 9,
     "the requirement is always true whatever the data ([t.unit] is present), so the rule "
     "never fires"),
    ("  for each target t\n  require exists u in t.plan.targets where u.id is missing\n", 9,
     "the condition of 'exists' is always false"),
])
def test_conditions_the_types_decide(tmp_path, body, line, text):
    folder = pack(tmp_path, {"p.rules": rule("P-01", body)}, extra="tags: {smart: "
                  "{vi: a, en: b}}\n")
    found = [f for f in lint([str(folder)]) if f.code == "constant-condition"]
    assert [(f.problem.line, text in f.problem.text("en")) for f in found] == [(line, True)]
    assert "với mọi dữ liệu" in found[0].problem.text("vi")


def test_conditions_that_depend_on_the_data_are_not_constant(tmp_path):
    body = ("  for each target t\n  let c = collect(u.id for u in t.plan.targets)\n"
            "  where c is present and t.unit is present\n  require t.target is present\n")
    folder = pack(tmp_path, {"p.rules": rule("P-01", body)}, extra="tags: {smart: "
                  "{vi: a, en: b}}\n")
    assert [f for f in lint([str(folder)]) if f.code == "constant-condition"] == []


def test_lint_findings_are_worded_in_the_language_asked_for(cli, tmp_path):
    folder = pack(tmp_path, {"a.rules": rule("X-01"), "b.rules": rule("X-01")})
    _code, vi, _ = cli("rules", "lint", folder, "--lang", "vi")
    assert "duplicate-id: quy tắc X-01 đã được khai báo ở" in vi
    _code, en, _ = cli("rules", "lint", folder, "--lang", "en")
    assert "duplicate-id: rule X-01 is already declared at" in en and "khai báo" not in en
