"""Configuration (discovery, select/ignore, per-file ignores, severity overrides and their
precedence), waivers (valid, expired, unused, malformed) and baselines (new/fixed/unchanged,
matched by rule, file and entity rather than by line)."""

from __future__ import annotations

import json
from datetime import date

import pytest
import yaml
from test_formats import CI_RULES, make_project


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_project(tmp_path)
    return tmp_path


def findings(cli, *args: str, target: str = "plans") -> tuple[int, dict]:
    code, out, err = cli("validate", target, "--rules", str(CI_RULES), "--format", "json",
                         *args)
    assert code in (0, 1), err
    return code, json.loads(out)


def rules_of(report: dict) -> list[tuple[str, str, str]]:
    return [(f["rule"], f["entity"]["id"], f["severity"]) for f in report["findings"]]


def write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


# --- configuration --------------------------------------------------------------------

def test_config_is_found_above_the_files_and_flags_win(cli, project):
    write(project / "plancheck.toml", 'lang = "en"\nfail-on = "error"\nselect = ["CI-BASE", '
          '"advisory"]\n[severity]\nCI-BASE = "error"\n')
    code, report = findings(cli, target="plans/a.yaml")
    assert report["lang"] == "en" and code == 1  # CI-BASE raised to error fails the run
    assert rules_of(report) == [("CI-NOTE", "O1.T1", "info"), ("CI-BASE", "O1.T2", "error"),
                                ("CI-NOTE", "O1.T2", "info")]
    code, report = findings(cli, "--select", "CI-UNIT", "--lang", "vi", target="plans/a.yaml")
    assert report["lang"] == "vi" and rules_of(report) == [("CI-UNIT", "O1.T1", "error")]
    _, report = findings(cli, "--ignore", "advisory", target="plans/a.yaml")  # adds to config
    assert rules_of(report) == [("CI-BASE", "O1.T2", "error")]
    assert report["summary"]["rules"] == 1


def test_pyproject_table_and_specificity(cli, project):
    write(project / "pyproject.toml", '[project]\nname = "x"\n\n[tool.plancheck]\n'
          'select = ["CI"]\nignore = ["CI-NOTE"]\n')
    _, report = findings(cli)
    assert {r for r, _, _ in rules_of(report)} == {"CI-UNIT", "CI-BASE"}
    write(project / "pyproject.toml", '[tool.plancheck]\nselect = ["CI-NOTE"]\n'
          'ignore = ["CI"]\n')  # the id is more specific than the prefix
    _, report = findings(cli)
    assert {r for r, _, _ in rules_of(report)} == {"CI-NOTE"}


def test_per_file_ignores_are_globs_relative_to_the_config(cli, project):
    write(project / "plancheck.toml", '[per-file-ignores]\n"plans/b.*" = ["advisory"]\n'
          '"**/a.yaml" = ["CI-UNIT"]\n')
    (project / "sub").mkdir()
    import os

    os.chdir(project / "sub")  # the globs do not depend on where the command runs
    _, report = findings(cli, target="../plans")
    assert sorted({(f["rule"], f["location"]["file"]) for f in report["findings"]}) == [
        ("CI-BASE", "../plans/a.yaml"), ("CI-NOTE", "../plans/a.yaml")]


@pytest.mark.parametrize("toml, message", [
    ('ignore = ["CI-UNTI"]\n', "plancheck.toml:1:11: ignore[0]: 'CI-UNTI' is not a rule id, "
                               "id prefix or tag of the rule set; did you mean 'CI-UNIT'?"),
    ('[severity]\nCI-UNIT = "fatal"\n', "plancheck.toml:2:1: severity.CI-UNIT: expected one "
                                        "of error, warning, info, got 'fatal'"),
    ('select = "CI-UNIT"\n', "plancheck.toml:1:1: select: expected a list of rule ids"),
    ('[per-file-ignores]\n"a.yaml" = "CI-UNIT"\n',
     "plancheck.toml:2:1: per-file-ignores.'a.yaml': expected a list"),
    ('[per-file-ignores]\n"a.yaml" = ["CI-UNTI"]\n',
     "plancheck.toml:2:13: per-file-ignores.'a.yaml'[0]: 'CI-UNTI' is not a rule id"),
    ('selct = ["CI"]\n', "plancheck.toml:1:1: selct: unknown key 'selct'; did you mean "
                         "'select'?"),
])
def test_bad_selection_settings_exit_2_naming_the_key(cli, project, toml, message):
    write(project / "plancheck.toml", toml)
    code, out, err = cli("validate", "plans", "--rules", str(CI_RULES), "--lang", "en")
    assert code == 2 and out == "" and "Traceback" not in err
    assert message in err


def test_unknown_selector_on_the_command_line(cli, project):
    code, _, err = cli("validate", "plans", "--rules", str(CI_RULES), "--select", "NOPE",
                      "--lang", "en")
    assert code == 2 and "--select: 'NOPE' is not a rule id" in err
    assert err.startswith("--select: ")  # no English "the command line" before it
    code, _, err = cli("validate", "plans", "--rules", str(CI_RULES), "--ignore", "NOPE")
    assert code == 2 and err.startswith("--ignore: 'NOPE' không phải mã quy tắc")


def test_every_wrong_setting_of_pyproject_is_named_under_tool_plancheck(cli, project):
    write(project / "pyproject.toml", '[tool.plancheck]\nlang = "fr"\nfail_on = "error"\n'
          'rules = [3]\n[tool.plancheck.per-file-ignores]\n"drafts/*.yaml" = [""]\n')
    code, out, err = cli("validate", "plans", "--rules", str(CI_RULES), "--lang", "en")
    assert code == 2 and out == ""
    assert [line.split("pyproject.toml:", 1)[1] for line in err.splitlines()
            if "pyproject.toml:" in line] == [
        "4:1: tool.plancheck.rules: expected a list of rule files, folders or pack names",
        "2:1: tool.plancheck.lang: expected one of vi, en, got 'fr'",
        "6:1: tool.plancheck.per-file-ignores.'drafts/*.yaml': expected a list of rule ids, "
        "id prefixes or tags",
        "3:1: tool.plancheck.fail_on: unknown key 'fail_on'; did you mean 'fail-on'?"]


# --- waivers --------------------------------------------------------------------------

WAIVERS = """\
# accepted findings
- rule: CI-UNIT
  entity: O1.T1
  reason: The unit is given in the annex
  approved_by: DPI
  expires: 2999-12-31
- rule: CI-BASE
  path: "plans/a.*"
  reason: Survey in 2026
  expires: 2020-01-01
- rule: CI-NOTE
  entity: O9.T9
  plan: pa
  reason: An entity renamed since
- rule: CI-NOTE
  path: "elsewhere/*.yaml"
  reason: Not part of this run
- rule: CI-NOTE
  entity: O7.T7
  reason: Only an entity, which no plan of this run has
- rule: CI-NOTE
  entity: O1.T1
  path: "plans/b.yaml"
  reason: Notes follow
"""


def test_waivers_valid_expired_unused(cli, project):
    write(project / "waivers.yaml", WAIVERS)
    code, report = findings(cli, "--waivers", "waivers.yaml", "--lang", "en")
    waived = [(w["rule"], w["entity"]["id"], w["location"]["file"], w["waiver"]["reason"])
              for w in report["waived"]]
    assert waived == [("CI-UNIT", "O1.T1", "plans/a.yaml", "The unit is given in the annex"),
                      ("CI-NOTE", "O1.T1", "plans/b.yaml", "Notes follow")]
    assert report["summary"]["waived"] == 2
    meta = [(f["rule"], f["location"]["line"], f["message"]) for f in report["findings"]
            if f["rule"].startswith("WAIVER")]
    assert meta == [
        ("WAIVER-EXPIRED", 7, "The waiver for CI-BASE plans/a.* expired on 2020-01-01 "
                              "(reason: Survey in 2026); its findings are reported again."),
        ("WAIVER-UNUSED", 11, "The waiver for CI-NOTE O9.T9 matches no finding; remove it.")]
    # the expired waiver no longer hides its finding; the out-of-scope one is not "unused"
    assert ("CI-BASE", "O1.T2", "warning") in rules_of(report)
    assert code == 1


def test_waived_findings_in_the_text_report_and_today(cli, project):
    from validator.findings.waivers import apply_waivers, load_waivers

    write(project / "waivers.yaml", WAIVERS)
    _, out, _ = cli("validate", "plans", "--rules", str(CI_RULES), "--waivers", "waivers.yaml",
                    "--lang", "en")
    assert "Waived (2):" in out
    assert "CI-UNIT   O1.T1  reason: The unit is given in the annex; approved by: DPI; " \
           "expires: 2999-12-31" in out
    waivers = load_waivers(project / "waivers.yaml")
    assert waivers[1].expires == date(2020, 1, 1)
    _, _, meta = apply_waivers([], waivers[1:2], [], lambda r: True, {"CI-BASE"},
                               today=date(2019, 12, 31))
    assert meta == []  # not yet expired, and no plan in scope


def test_waivers_from_config_and_ignoring_the_unused_report(cli, project):
    write(project / "w.yaml", "- rule: CI-NOTE\n  entity: O9.T9\n  plan: pa\n  reason: r\n")
    write(project / "plancheck.toml", 'waivers = "w.yaml"\n')
    _, report = findings(cli)
    unused = [f for f in report["findings"] if f["rule"] == "WAIVER-UNUSED"]
    assert [(f["location"]["file"], f["location"]["line"]) for f in unused] == [("w.yaml", 1)]
    write(project / "plancheck.toml", 'waivers = "w.yaml"\nignore = ["waiver"]\n')
    _, report = findings(cli)
    assert not [f for f in report["findings"] if f["rule"].startswith("WAIVER")]


@pytest.mark.parametrize("text, message", [
    ("- rule: CI-UNIT\n  entity: O1.T1\n", "w.yaml:1:3: [0]: missing required key 'reason': "
                                           "why the finding is accepted"),
    ("- rule: CI-UNIT\n  reason: r\n", "w.yaml:1:3: [0]: a waiver needs an 'entity' id or a "
                                       "'path' glob"),
    ("- rule: CI-UNIT\n  entity: O1.T1\n  reason: r\n  expires: 31/12/2026\n",
     "w.yaml:4:3: [0].expires: expected a date YYYY-MM-DD, got '31/12/2026'"),
    ("- rule: CI-UNIT\n  entity: O1.T1\n  reason: r\n  aproved_by: me\n",
     "w.yaml:4:3: [0].aproved_by: unknown key 'aproved_by'; did you mean 'approved_by'?"),
    ("- rule: CI-UNIT\n  entity: [O1.T1\n", "w.yaml:3:1: invalid YAML"),
    ("rule: CI-UNIT\n", "w.yaml:1:1: expected a list of waivers"),
    ("- rule: CI-UNIT\n  entity: O1.T1\n  reason: ''\n", "w.yaml:3:3: [0].reason: expected "
                                                        "text"),
])
def test_malformed_waiver_file_exits_2_with_line_and_column(cli, project, text, message):
    write(project / "w.yaml", text)
    code, out, err = cli("validate", "plans", "--rules", str(CI_RULES), "--waivers", "w.yaml",
                         "--lang", "en")
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.startswith(message), err


def test_every_problem_of_a_waiver_file_is_reported_at_once(cli, project):
    write(project / "w.yaml", "- rule: CI-UNIT\n  entity: O1.T1\n  reason: r\n"
          "- expires: 2026-13-01\n  plan: 7\n- CI-BASE\n")
    code, _, err = cli("validate", "plans", "--rules", str(CI_RULES), "--waivers", "w.yaml",
                       "--lang", "en")
    assert code == 2
    assert [line for line in err.splitlines() if line.startswith("w.yaml")] == [
        "w.yaml:4:3: [1].expires: expected a date YYYY-MM-DD, got '2026-13-01'",
        "w.yaml:4:3: [1]: missing required key 'rule': the id of the rule waived",
        "w.yaml:4:3: [1]: missing required key 'reason': why the finding is accepted",
        "w.yaml:4:3: [1]: a waiver needs an 'entity' id or a 'path' glob (or both)",
        "w.yaml:5:3: [1].plan: expected text, got 7",
        "w.yaml:6:3: [2]: expected a waiver: a mapping with rule, reason and entity or path"]


# --- baselines ------------------------------------------------------------------------

def test_baseline_reports_only_new_findings_matched_without_lines(cli, project):
    code, out, err = cli("validate", "plans", "--rules", str(CI_RULES), "--write-baseline",
                         "baseline.json", "--format", "json")
    assert code == 0 and "đã ghi 6 phát hiện vào baseline.json" in err  # vi: the default
    data = json.loads((project / "baseline.json").read_text(encoding="utf-8"))
    assert data["version"] == 1 and data["findings"][0] == {
        "rule": "CI-BASE", "file": "plans/a.yaml", "entity": "O1.T2"}
    assert json.loads(out)["baseline"] == {"file": "baseline.json", "new": 0, "unchanged": 6,
                                           "fixed": 0, "fixed_findings": []}
    # edit a.yaml: lines shift (comments on top), O1.T2 gets its baseline, O1.T1 stays
    # without a unit; b.yaml's first target loses its unit (new)
    a, b = project / "plans" / "a.yaml", project / "plans" / "b.yaml"
    plan = yaml.safe_load(a.read_text(encoding="utf-8"))
    plan["objectives"][0]["targets"][1]["baseline"] = {"year": 2025, "value": 61}
    write(a, "# reviewed\n# again\n" + yaml.safe_dump(plan, allow_unicode=True))
    plan = yaml.safe_load(b.read_text(encoding="utf-8"))
    del plan["objectives"][0]["targets"][0]["unit"]
    write(b, yaml.safe_dump(plan, allow_unicode=True))
    code, report = findings(cli, "--baseline", "baseline.json")
    assert code == 1
    assert [(f["rule"], f["location"]["file"], f["entity"]["id"]) for f in report["findings"]
            ] == [("CI-UNIT", "plans/b.yaml", "O1.T1")]
    assert report["baseline"]["new"] == 1 and report["baseline"]["unchanged"] == 5
    assert report["baseline"]["fixed_findings"] == [
        {"rule": "CI-BASE", "file": "plans/a.yaml", "entity": "O1.T2"}]
    _, out, _ = cli("validate", "plans", "--rules", str(CI_RULES), "--baseline",
                    "baseline.json", "--lang", "en")
    assert "Against the baseline baseline.json: 1 new, 1 fixed, 5 unchanged" in out


def test_baseline_matches_from_another_folder_and_ignores_files_not_checked(cli, project,
                                                                         monkeypatch):
    cli("validate", "plans", "--rules", str(CI_RULES), "--write-baseline", "baseline.json")
    monkeypatch.chdir(project / "plans")
    code, report = findings(cli, "--baseline", "../baseline.json", target="a.yaml")
    assert code == 0 and report["findings"] == []
    assert (report["baseline"]["unchanged"], report["baseline"]["fixed"]) == (4, 0)


@pytest.mark.parametrize("text, message", [
    ('{"version": 1, "findings": [{"rule": "X", "file": "a"}]}',
     'b.json:1:29: findings[0]: expected {"rule": …, "file": …, "entity": …}'),
    ('{"version": 1, "findings": []', "b.json:1:30: invalid JSON"),
    ('[]', "b.json:1:1: expected a plancheck baseline"),
    ('{"version": 1, "findings": [], "extra": 1}', "b.json:1:32: extra: unknown field 'extra'"),
])
def test_malformed_baseline_exits_2_with_location(cli, project, text, message):
    write(project / "b.json", text)
    code, out, err = cli("validate", "plans", "--rules", str(CI_RULES), "--baseline", "b.json",
                         "--lang", "en")
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.startswith(message), err


def test_baseline_from_config_and_write_baseline_first_time(cli, project):
    write(project / "plancheck.toml", 'baseline = "plancheck-baseline.json"\n')
    code, _, err = cli("validate", "plans", "--rules", str(CI_RULES), "--write-baseline",
                       "plancheck-baseline.json")
    assert code == 0, err
    code, report = findings(cli)
    assert code == 0 and report["baseline"]["unchanged"] == 6
