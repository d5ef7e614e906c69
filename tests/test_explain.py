"""plancheck explain and validate --explain: the trace of a rule on an entity agrees with the
engine, names the deciding condition with its values, and is shown in text and JSON."""

from __future__ import annotations

import json
import re

import pytest
from conftest import EXAMPLES, ROOT, small_plan

from validator.authoring.cases import case_plans, collect_cases
from validator.authoring.explain import explain
from validator.core.errors import InputError
from validator.rulelang.build import build_ruleset
from validator.rulelang.cache import load_ruleset
from validator.rulelang.files import parse_files
from validator.rulelang.packs import layers
from validator.rulelang.parser import parse_rules
from validator.rulelang.unparse import show

SAMPLE = str(ROOT / "examples" / "packs" / "lao-cai")
CAT04 = str(EXAMPLES / "flawed" / "cat04-objective-without-outcome.yaml")


def _expressions():
    files, _ = parse_files([f for layer in layers([SAMPLE]) for f in layer.files])
    for rf in files:
        for r in rf.rules:
            for expr in [r.require, *(c.expr for c in r.clauses)]:
                yield r.id, expr
        for c in rf.concepts:
            for clause in c.clauses:
                yield c.name, clause.expr


def test_conditions_print_back_as_the_same_rule_language():
    count = 0
    for name, expr in _expressions():
        text = show(expr)
        source = (f'rule X-1\n  title vi "a" en "a"\n  for each target t\n  require {text}\n'
                  f'  message vi "a" en "a"\n')
        assert parse_rules(source, "x").rules[0].require == expr, (name, text)
        count += 1
    assert count > 50


def _cases():
    """The single-plan cases of the sample pack (the bundled pack's and its own)."""
    return [pytest.param((SAMPLE,), case, id=f"{case.rule}: {case.name}")
            for case in collect_cases((SAMPLE,)) if not case.several and not case.params]


@pytest.mark.parametrize("paths, case", _cases())
def test_the_trace_agrees_with_the_engine_on_every_case(paths, case):
    ruleset = load_ruleset(paths)
    try:
        plans = case_plans(case)
    except InputError as exc:  # a broken case is reported by the case tests
        pytest.skip(str(exc))
    report = explain(ruleset, case.rule, plans, every=True)
    fired = sorted(t["entity"]["id"] for t in report["traces"] if t["verdict"] == "fired")
    engine = sorted(t["entity"]["id"] for t in report["traces"] if t["fired"])
    assert fired == engine


def test_explain_shows_why_a_rule_fired(cli):
    code, out, _ = cli("explain", "CAT-04", CAT04, "--lang", "en", "--raw")
    assert code == 0
    assert out.startswith("rule CAT-04 (warning): Objective lacks an input, output or outcome")
    assert "  for each objective o" in out  # the rule's text
    assert re.search(r"^objective O1 +\(\S+cat04-objective-without-outcome\.yaml:\d+\)$", out,
                     re.M)
    assert "  FIRED: the requirement is false" in out
    assert re.search(r"let inputs = count\(t in o\.targets where t\.category = \"input\"\)  → 2",
                     out)
    assert re.search(r"✗ require exists t in o\.targets where t\.category is one of "
                     r"\[\"outcome\", \"impact\"\]  → false\n\s+matching: —", out)
    assert re.search(r"✓ require exists t in o\.targets where t\.category = \"input\"  → true"
                     r"\n\s+matching: O1\.T1, O1\.T2", out)


def test_explain_shows_why_a_rule_did_not_fire(cli):
    code, out, _ = cli("explain", "CAT-04", CAT04, "--entity", "G1", "--lang", "en", "--raw")
    assert code == 0
    assert "not applicable: a where condition does not hold" in out
    assert re.search(r"✗ where o\.kind = \"specific\" or not exists c in o\.children  → false",
                     out)
    assert "entities:" not in out  # no summary for a single entity


def test_explain_says_when_data_is_missing(cli, tmp_path, write_plan):
    rules = tmp_path / "r.rules"
    rules.write_text('''rule X-01
  title vi "a" en "a"
  severity info
  for each target t
  let planned = t.target
  require planned > 5
  message vi "{t.id}" en "{t.id}"
''', encoding="utf-8")
    plan = small_plan()
    del plan["objectives"][0]["targets"][1]["target"]
    path = write_plan(plan)
    code, out, _ = cli("explain", "X-01", path, "--rules", rules, "--entity", "O1.T2",
                       "--lang", "en", "--format", "json")
    assert code == 0
    trace = json.loads(out)["traces"][0]
    assert trace["verdict"] == "unknown" and trace["fired"] is False
    assert trace["because"] == ["planned > 5"]
    assert trace["lets"] == [{"name": "planned", "text": "t.target", "value": None}]
    code, out, _ = cli("explain", "X-01", path, "--rules", rules, "--entity", "O1.T2", "--raw")
    assert "không kết luận: thiếu dữ liệu" in out and "? require planned > 5  → chưa biết" in out


@pytest.mark.parametrize("args, message", [
    (["CAT-4", CAT04], "CAT-4: no rule CAT-4 in the rule set; did you mean 'CAT-04'"),
    (["CAT-04", CAT04, "--entity", "O1.T1"], "CAT-04 is about entities of the kind "
                                             "'objective', and O1.T1 is of the kind 'target'"),
    (["CAT-04", CAT04, "--entity", "O9"], "no objective 'O9' in the plans"),
    (["CAL-04", CAT04, "--rules", SAMPLE], "rule CAL-04 is disabled by a pack"),
    (["CAT-04", "nowhere.yaml"], "nowhere.yaml: no such file or folder"),
])
def test_explain_refuses_unknown_rules_and_entities(cli, args, message):
    code, _, err = cli("explain", *args, "--lang", "en")
    assert code == 2 and message in err


def test_explain_refuses_in_vietnamese_too(cli):
    code, _, err = cli("explain", "CAT-4", CAT04)
    assert code == 2 and "CAT-4: không có quy tắc CAT-4 trong bộ quy tắc; có phải ý bạn là " \
        "'CAT-04'" in err
    code, _, err = cli("explain", "CAT-04", CAT04, "--entity", "O1.T1")
    assert code == 2 and "CAT-04 xét các đối tượng loại 'mục tiêu', còn O1.T1 thuộc loại " \
        "'chỉ tiêu'" in err
    code, _, err = cli("explain", "CAT-04", CAT04, "--entity", "O9")
    assert code == 2 and "không có mục tiêu 'O9' trong các kế hoạch" in err


def test_explain_with_the_sample_pack(cli, write_plan):
    plan = small_plan()
    path = write_plan(plan)
    code, out, _ = cli("explain", "LC-01", path, "--rules", SAMPLE, "--lang", "en", "--raw")
    assert code == 0
    assert "target O1.T2" in out and "✗ require t.data_source is present  → false" in out
    assert "2 target entities: 1 fired, 1 not applicable, 0 passed, 0 undecided" in out


def test_validate_explain_adds_a_trace_to_every_finding(cli):
    flawed = str(EXAMPLES / "flawed" / "smart-m-b-no-unit-no-baseline.yaml")
    code, out, _ = cli("validate", flawed, "--format", "json", "--explain")
    assert code == 1
    findings = json.loads(out)["findings"]
    assert findings and all(f["trace"]["verdict"] == "fired" and f["trace"]["fired"]
                            for f in findings if f["rule"] in {r.id for r in
                                                                build_ruleset([]).rules})
    smart_b = next(f for f in findings if f["rule"] == "SMART-B")
    assert smart_b["trace"]["because"] == ["t.baseline is present"]
    code, out, _ = cli("validate", flawed, "--format", "json")
    assert all("trace" not in f for f in json.loads(out)["findings"])
    # the text trace is sentences for a reviewer; the rule's text stays in explain --raw
    code, out, _ = cli("validate", flawed, "--explain", "--lang", "en")
    assert re.search(r"SMART-B .*\n\s+FOUND: the rule's requirement is not met\n"
                     r"\s+Baseline value: not given\n", out)
    assert "require " not in out and "t.baseline" not in out and "→" not in out
    code, out, _ = cli("validate", flawed, "--explain", "--lang", "vi")
    assert re.search(r"SMART-B .*\n\s+CÓ PHÁT HIỆN: yêu cầu của quy tắc không được đáp ứng\n"
                     r"\s+Giá trị cơ sở: chưa có\n", out)


def test_a_trace_names_the_entities_its_deciding_condition_picked_out(cli):
    code, out, _ = cli("explain", "CAT-04", CAT04, "--lang", "en", "--raw")
    assert "matching: O1.T1, O1.T2" in out  # a condition that held: not why it fired
    report = {"verdict": "fired", "entity": {"kind": "objective"}, "values": {},
              "because": ["every t in o.targets where t.unit is present"],
              "conditions": [{"clause": "require", "value": False,
                              "text": "every t in o.targets where t.unit is present",
                              "matched": [{"role": "counterexamples",
                                           "members": ["O1.T3", "O1.T4"]}]}]}
    from validator.report.trace_text import reviewer_lines

    assert reviewer_lines(report, "en") == ["FOUND: the rule's requirement is not met",
                                            "  In question: O1.T3, O1.T4"]
    assert reviewer_lines(report, "vi")[1] == "  Liên quan: O1.T3, O1.T4"
