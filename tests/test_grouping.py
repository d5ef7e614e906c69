"""One finding for one problem: a rule's findings about many entities of a plan grouped into
one (the rule's ``group`` message, the pack's ``group_at_least``), each entity still in the
JSON evidence, in SARIF's related locations and on its own cell of an annotated workbook;
``--no-group`` and ``group = false`` restore the per-entity view."""

from __future__ import annotations

import json

import pytest
import yaml
from conftest import small_plan
from openpyxl import load_workbook

from validator.core.errors import InputError
from validator.formats.xlsx import write_xlsx
from validator.load import load_plan
from validator.rulelang.build import build_ruleset


def _plan(tmp_path, targets: int = 4):
    """A plan whose targets name no agency and no frequency."""
    data = small_plan()
    objective = data["objectives"][0]
    objective["targets"] = [{"id": f"O1.T{i}", "indicator": f"Indicator {i}",
                             "category": "outcome", "unit": "percent", "target": 10 + i}
                            for i in range(1, targets + 1)]
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _json(cli, *args):
    code, out, err = cli("validate", *args, "--format", "json", "--lang", "en")
    assert code in (0, 1), err
    return json.loads(out)


def _by_rule(report, rule):
    return [f for f in report["findings"] if f["rule"] == rule]


def test_one_finding_says_how_many_of_how_many_and_lists_the_ids(cli, tmp_path):
    report = _json(cli, _plan(tmp_path))
    (fr01,) = _by_rule(report, "FR-01")
    assert fr01["message"] == ("4 of 4 targets have no collection frequency from the list: "
                               "O1.T1, O1.T2, O1.T3, O1.T4.")
    assert fr01["entity"]["kind"] == "plan" and fr01["entity"]["id"] == "p"
    evidence = fr01["evidence"]
    assert (evidence["count"], evidence["total"], evidence["kind"]) == (4, 4, "target")
    assert evidence["entities"] == ["O1.T1", "O1.T2", "O1.T3", "O1.T4"]
    members = evidence["members"]
    assert [m["entity"]["id"] for m in members] == evidence["entities"]
    assert members[0]["message"] == ("Target O1.T1 needs a collection frequency from the list "
                                     "(none is given).")
    assert all(m["location"]["line"] for m in members)


def test_no_group_and_the_config_key_give_one_finding_per_entity(cli, tmp_path):
    path = _plan(tmp_path)
    ids = ["O1.T1", "O1.T2", "O1.T3", "O1.T4"]
    flat = _json(cli, path, "--no-group")
    assert [f["entity"]["id"] for f in _by_rule(flat, "FR-01")] == ids
    (tmp_path / "plancheck.toml").write_text("group = false\n", encoding="utf-8")
    assert [f["entity"]["id"] for f in _by_rule(_json(cli, path), "FR-01")] == ids
    assert len(_by_rule(_json(cli, path, "--group"), "FR-01")) == 1  # the flag wins


def test_a_wrong_group_setting_is_refused_with_its_key(cli, tmp_path):
    path = _plan(tmp_path)
    (tmp_path / "plancheck.toml").write_text('group = "no"\n', encoding="utf-8")
    code, _, err = cli("validate", path, "--lang", "en")
    assert code == 2 and "group: expected true or false" in err


def test_fewer_entities_than_the_threshold_keep_their_own_findings(cli, tmp_path):
    path = _plan(tmp_path, targets=1)
    assert len(_by_rule(_json(cli, path), "FR-01")) == 1
    path = _plan(tmp_path, targets=2)
    assert len(_by_rule(_json(cli, path), "FR-01")) == 1  # two: already one problem
    path = _plan(tmp_path, targets=4)
    assert len(_by_rule(_json(cli, path, "--param", "group_at_least=5"), "FR-01")) == 4


def test_sarif_lists_each_entity_as_a_related_location(cli, tmp_path):
    code, out, _ = cli("validate", _plan(tmp_path), "--format", "sarif", "--lang", "en")
    results = [r for r in json.loads(out)["runs"][0]["results"] if r["ruleId"] == "FR-01"]
    assert len(results) == 1
    related = results[0]["relatedLocations"]
    assert [r["logicalLocations"][0]["name"] for r in related] == [
        "O1.T1", "O1.T2", "O1.T3", "O1.T4"]
    assert [r["id"] for r in related] == [0, 1, 2, 3]
    assert related[2]["message"]["text"].startswith("Target O1.T3 needs")
    assert all(r["physicalLocation"]["region"]["startLine"] for r in related)


def test_a_waiver_takes_one_entity_out_of_the_group(cli, tmp_path):
    path = _plan(tmp_path)
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("- {rule: FR-01, entity: O1.T2, reason: collected by the ministry, "
                       "approved_by: DPI}\n", encoding="utf-8")
    (fr01,) = _by_rule(_json(cli, path, "--waivers", waivers), "FR-01")
    assert fr01["evidence"]["entities"] == ["O1.T1", "O1.T3", "O1.T4"]
    assert fr01["message"].startswith("3 of 4 targets")


def test_no_grouped_remark_hides_an_entity_from_the_annotated_workbook(cli, tmp_path):
    book = tmp_path / "plan.xlsx"
    book.write_bytes(write_xlsx(load_plan(_plan(tmp_path)).plan, "en"))
    out = tmp_path / "annotated.xlsx"
    code, report, _ = cli("validate", book, "--annotate", out, "--format", "json",
                          "--lang", "en")
    (fr01,) = _by_rule(json.loads(report), "FR-01")
    cells = {m["location"]["cell"] for m in fr01["evidence"]["members"]}
    assert len(cells) == 4
    annotated = load_workbook(out)
    for cell in cells:
        sheet, ref = cell.split("!")
        comment = annotated[sheet.strip("'")][ref].comment
        assert comment is not None and "FR-01" in comment.text, cell


def _rules(tmp_path, group: str):
    path = tmp_path / "x.rules"
    path.write_text(f'''rule X-01
  title vi "Thiếu" en "Missing"
  severity warning
  for each target t
  require t.frequency is present
  message vi "{{t.id}} thiếu" en "{{t.id}} lacks a frequency"
  {group}
''', encoding="utf-8")
    return str(path)


def test_a_group_message_speaks_of_the_plan_never_of_one_entity(tmp_path):
    good = _rules(tmp_path, 'group vi "{count}/{total} ở cấp {t.plan.level}: {ids}" '
                            'en "{count} of {total} at the {t.plan.level} level: {ids}"')
    assert build_ruleset([good]).rules[0].decl.group is not None
    bad = _rules(tmp_path, 'group vi "{count}: {t.id}" en "{count}: {t.id}"')
    with pytest.raises(InputError, match=r"group: \{t.id\} names one target"):
        build_ruleset([bad])
    unknown = _rules(tmp_path, 'group vi "{cout}" en "{count}"')
    with pytest.raises(InputError, match="unknown name 'cout'"):
        build_ruleset([unknown])
    one_language = _rules(tmp_path, 'group en "{count}"')
    with pytest.raises(InputError, match="group has no Vietnamese text"):
        build_ruleset([one_language])


def test_a_parent_not_loaded_is_a_note_of_the_run_not_a_finding(cli, tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(small_plan(parent="vn-sedp-2026-2030"), allow_unicode=True),
                    encoding="utf-8")
    report = _json(cli, path)
    assert not _by_rule(report, "LNK-01")
    assert [n["rule"] for n in report["notes"]] == ["LNK-01"] and report["summary"]["notes"] == 1
    code, out, _ = cli("validate", path, "--lang", "en")
    assert "Notes of the run (1):" in out and "vn-sedp-2026-2030 is not among" in out
    code, out, _ = cli("validate", path, "--format", "sarif", "--lang", "en")
    run = json.loads(out)["runs"][0]
    assert not [r for r in run["results"] if r["ruleId"] == "LNK-01"]
    (note,) = run["invocations"][0]["toolExecutionNotifications"]
    assert note["descriptor"]["id"] == "LNK-01" and note["level"] == "note"


def test_a_pack_s_summary_names_rules_of_the_rule_set(tmp_path):
    pack = tmp_path / "p"
    pack.mkdir()
    (pack / "pack.yaml").write_text('name: p\nversion: "1"\ntitle: {vi: a, en: a}\n'
                                    'authority: {vi: a, en: a}\nextends: [mpi2013]\n'
                                    "summary: [LNK-10]\n", encoding="utf-8")
    with pytest.raises(InputError, match="no rule LNK-10 in the rule set; did you mean"):
        build_ruleset([str(pack)])
