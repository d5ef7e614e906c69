"""Report formats for CI: SARIF (against the official schema), JUnit, GitHub workflow
commands, Markdown and the SHACL validation report — all from the same run."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, small_plan

DATA = ROOT / "tests" / "data"
CI_RULES = DATA / "ci" / "ci.rules"
FORMATS = ["text", "json", "sarif", "junit", "github", "markdown", "shacl"]


def flawed_plan(plan_id: str = "p", indicator: str = "Households connected") -> dict:
    """small_plan with O1.T1 lacking a unit (CI-UNIT, error) and the outcome O1.T2 lacking a
    baseline (CI-BASE, warning); neither target has a note (CI-NOTE, info)."""
    plan = small_plan(id=plan_id)
    first, second = plan["objectives"][0]["targets"]
    first["indicator"] = indicator
    del first["unit"]
    del second["baseline"]
    return plan


def make_project(root: Path, indicator: str = "Households connected") -> Path:
    """plans/a.yaml (an error, a warning, 2 infos) and plans/b.yaml (2 infos) under ``root``."""
    plans = root / "plans"
    plans.mkdir(parents=True, exist_ok=True)
    (plans / "a.yaml").write_text(yaml.safe_dump(flawed_plan("pa", indicator),
                                                 allow_unicode=True, sort_keys=False),
                                  encoding="utf-8")
    (plans / "b.yaml").write_text(yaml.safe_dump(small_plan(id="pb"), allow_unicode=True,
                                                 sort_keys=False), encoding="utf-8")
    return plans


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_project(tmp_path)
    return tmp_path


def run(cli, *args: str, fmt: str = "json", rules: Path = CI_RULES) -> tuple[int, str, str]:
    return cli("validate", "plans", "--rules", str(rules), "--format", fmt, *args)


def test_cli_formats_are_the_registered_reporters():
    from validator.cli.options import FORMATS as cli_formats
    from validator.report import REPORTERS

    assert cli_formats == list(REPORTERS)
    assert set(FORMATS) <= set(cli_formats)


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_from_the_same_run_is_deterministic(cli, project, fmt):
    code, out, err = run(cli, "--lang", "en", fmt=fmt)
    assert code == 1 and err == ""
    assert run(cli, "--lang", "en", fmt=fmt)[1] == out
    assert "O1.T1" in out
    code, _, _ = run(cli, "--lang", "en", "-o", "report.out", fmt=fmt)
    assert code == 1 and (project / "report.out").read_text(encoding="utf-8") == out


# --- SARIF ----------------------------------------------------------------------------

def sarif_validator():
    from jsonschema import Draft4Validator

    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema)


def test_sarif_validates_against_the_official_schema_with_rule_metadata(cli, project):
    code, out, _ = run(cli, "--lang", "en", fmt="sarif")
    log = json.loads(out)
    errors = sorted(sarif_validator().iter_errors(log), key=str)
    assert not errors, errors[0]
    assert log["version"] == "2.1.0"
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["CI-UNIT", "CI-BASE", "CI-NOTE"]
    unit = rules[0]
    assert unit["name"] == "TargetLacksAUnit"
    assert unit["helpUri"] == "https://w3id.org/plancheck/rules/CI-UNIT"
    assert unit["help"]["text"].startswith("A quantity without a unit cannot be measured.")
    assert unit["defaultConfiguration"]["level"] == "error"
    assert unit["properties"]["tags"] == ["smart", "unit"]
    by_rule = {r["ruleId"]: r for r in run_["results"]}
    assert {r["level"] for r in run_["results"]} == {"error", "warning", "note"}
    result = by_rule["CI-UNIT"]
    assert rules[result["ruleIndex"]]["id"] == "CI-UNIT"
    where = result["locations"][0]["physicalLocation"]
    assert where["artifactLocation"]["uri"] == "plans/a.yaml"
    text = (project / "plans" / "a.yaml").read_text(encoding="utf-8").splitlines()
    line = text[where["region"]["startLine"] - 1]
    assert "id: O1.T1" in line
    assert result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "pa/O1.T1"


def test_sarif_reports_waivers_as_suppressions_and_baseline_state(cli, project):
    (project / "waivers.yaml").write_text(
        "- rule: CI-BASE\n  entity: O1.T2\n  reason: Baseline survey runs in 2026\n"
        "  approved_by: DPI\n  expires: 2999-12-31\n"
        "- rule: CI-NOTE\n  path: plans/b.yaml\n  reason: Old\n  expires: 2001-01-01\n",
        encoding="utf-8")
    run(cli, "--write-baseline", "baseline.json", "--select", "CI-UNIT,CI-BASE")
    code, out, _ = run(cli, "--waivers", "waivers.yaml", "--baseline", "baseline.json",
                       fmt="sarif")
    log = json.loads(out)
    assert not list(sarif_validator().iter_errors(log))
    results = log["runs"][0]["results"]
    suppressed = [r for r in results if r.get("suppressions")]
    assert [r["ruleId"] for r in suppressed] == ["CI-BASE"]
    assert suppressed[0]["suppressions"][0] == {
        "kind": "external", "status": "accepted", "justification": "Baseline survey runs in 2026",
        "location": {"physicalLocation": {"artifactLocation": {"uri": "waivers.yaml"},
                                          "region": {"startLine": 1}}},
        "properties": {"approvedBy": "DPI", "expires": "2999-12-31"}}
    new = [r for r in results if not r.get("suppressions")]
    assert {r["ruleId"] for r in new} == {"CI-NOTE", "WAIVER-EXPIRED"}  # CI-UNIT: baseline
    assert all(r["baselineState"] == "new" for r in new)
    expired = next(r for r in new if r["ruleId"] == "WAIVER-EXPIRED")
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[expired["ruleIndex"]]["id"] == "WAIVER-EXPIRED"
    assert expired["locations"][0]["physicalLocation"]["region"]["startLine"] == 6
    assert log["runs"][0]["properties"]["baseline"]["unchanged"] == 1


# --- JUnit ----------------------------------------------------------------------------

def test_junit_has_a_case_per_plan_file_and_a_failure_per_finding_at_fail_on(cli, project):
    _, out, _ = run(cli, "--lang", "en", fmt="junit")
    suites = ET.fromstring(out)
    suite = suites.find("testsuite")
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert set(cases) == {"plans/a.yaml", "plans/b.yaml"}
    failures = cases["plans/a.yaml"].findall("failure")
    assert [f.get("message") for f in failures] == [
        "CI-UNIT: Target lacks a unit", "CI-BASE: Outcome target lacks a baseline"]
    assert "O1.T1" in failures[0].text and "MPI 2013 manual, p.12" in failures[0].text
    assert cases["plans/b.yaml"].find("failure") is None  # infos are below --fail-on
    assert "info CI-NOTE" in cases["plans/b.yaml"].find("system-out").text
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
    _, out, _ = run(cli, "--lang", "en", "--fail-on", "error", fmt="junit")
    failures = ET.fromstring(out).findall(".//failure")
    assert [f.get("type") for f in failures] == ["error"]
    _, out, _ = run(cli, "--fail-on", "info", fmt="junit")
    assert len(ET.fromstring(out).findall(".//failure")) == 6


# --- GitHub workflow commands ---------------------------------------------------------

def test_github_annotations_escape_data_and_properties(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    plans = make_project(tmp_path, indicator="Rate: 50%, then\nmore")
    (plans / "a.yaml").rename(plans / "odd, name: 1.yaml")
    code, out, _ = run(cli, "--lang", "en", fmt="github")
    lines = out.splitlines()
    unit = next(line for line in lines if line.startswith("::error "))
    props, message = unit[len("::error "):].split("::", 1)
    assert props.split(",")[0] == "file=plans/odd%2C name%3A 1.yaml"
    assert "title=CI-UNIT%3A Target lacks a unit" in props
    assert message == "Target O1.T1 (Rate: 50%25, then%0Amore) lacks a unit."
    line = int(dict(p.split("=", 1) for p in props.split(","))["line"])
    text = (plans / "odd, name: 1.yaml").read_text(encoding="utf-8").splitlines()
    assert "id: O1.T1" in text[line - 1]
    assert sum(x.startswith("::warning ") for x in lines) == 1
    assert sum(x.startswith("::notice ") for x in lines) == 4
    assert lines[-1] == "plancheck: 6 findings, 0 waived, in 2 files"


def test_github_escaping_rules():
    from validator.report.github_report import escape_data, escape_property

    assert escape_data("100%\r\nok: a,b") == "100%25%0D%0Aok: a,b"
    assert escape_property("100%\r\nok: a,b") == "100%25%0D%0Aok%3A a%2Cb"


# --- Markdown -------------------------------------------------------------------------

def test_markdown_pull_request_comment(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_project(tmp_path, indicator="Water | sanitation <b>")
    _, out, _ = run(cli, "--lang", "en", fmt="markdown")
    lines = out.splitlines()
    assert lines[0] == "## plancheck"
    assert lines[2] == "**6 findings** (1 error, 1 warning, 4 info) in 2 of 2 files"
    assert "| `plans/a.yaml` | 1 | 1 | 2 |" in lines
    assert "| **total** | **1** | **1** | **4** |" in lines
    row = next(x for x in lines if "CI-UNIT" in x and x.startswith("| :x:"))
    assert "[`CI-UNIT`](https://w3id.org/plancheck/rules/CI-UNIT)" in row
    assert "Water \\| sanitation &lt;b&gt;" in row
    assert re.search(r'\| target O1\.T\d "Water \\\| sanitation &lt;b&gt;" \|', row)  # named
    assert row.count(" | ") == 4  # the pipe in the text does not open a column
    _, out, _ = run(cli, "--select", "CI-NOTE", fmt="markdown")  # Vietnamese by default
    assert "**4 phát hiện** (0 lỗi, 0 cảnh báo, 4 thông tin) trong 2/2 tệp" in out


def test_markdown_of_a_clean_run_and_waived_findings(cli, project):
    (project / "w.yaml").write_text("- rule: CI-UNIT\n  entity: O1.T1\n  reason: Unit is "
                                    "in the annex | page 3\n", encoding="utf-8")
    _, out, _ = run(cli, "--lang", "en", "--select", "CI-UNIT", "--waivers", "w.yaml",
                    fmt="markdown")
    assert "No findings. · 1 waived" in out
    assert "<details><summary>Waived findings (1)</summary>" in out
    assert "Unit is in the annex \\| page 3" in out


# --- SHACL ----------------------------------------------------------------------------

def test_shacl_validation_report_structure(cli, project):
    from rdflib import RDF, Graph, Literal, URIRef
    from rdflib.namespace import SH

    from validator.formats.rdf.iris import entity_iri
    from validator.formats.rdf.lift import plan_to_graph
    from validator.load import load_plan

    _, out, _ = run(cli, fmt="shacl")
    g = Graph().parse(data=out, format="turtle")
    reports = list(g.subjects(RDF.type, SH.ValidationReport))
    assert len(reports) == 1
    assert g.value(reports[0], SH.conforms) == Literal(False)
    results = list(g.objects(reports[0], SH.result))
    assert len(results) == 6 and all((r, RDF.type, SH.ValidationResult) in g for r in results)
    lifted = plan_to_graph(load_plan(project / "plans" / "a.yaml").plan)
    plan_to_graph(load_plan(project / "plans" / "b.yaml").plan, lifted)
    unit = next(r for r in results
                if g.value(r, SH.sourceShape) == URIRef("https://w3id.org/plancheck/rules/CI-UNIT"))
    focus = g.value(unit, SH.focusNode)
    assert focus == entity_iri("pa", "O1.T1") and (focus, None, None) in lifted
    assert g.value(unit, SH.resultSeverity) == SH.Violation
    component = g.value(unit, SH.sourceConstraintComponent)
    assert (component, RDF.type, SH.ConstraintComponent) in g
    messages = {m.language: str(m) for m in g.objects(unit, SH.resultMessage)}
    assert messages == {"vi": "Chỉ tiêu O1.T1 (Households connected) thiếu đơn vị tính.",
                        "en": "Target O1.T1 (Households connected) lacks a unit."}
    severities = sorted(str(g.value(r, SH.resultSeverity)).rsplit("#", 1)[1] for r in results)
    assert severities == ["Info"] * 4 + ["Violation", "Warning"]
    assert all((g.value(r, SH.focusNode), RDF.type, None) in lifted for r in results)


def test_shacl_report_of_a_clean_run_conforms(cli, project):
    from rdflib import RDF, Graph, Literal
    from rdflib.namespace import SH

    code, out, _ = run(cli, "--ignore", "ALL", fmt="shacl")
    g = Graph().parse(data=out, format="turtle")
    report = g.value(None, RDF.type, SH.ValidationReport)
    assert code == 0 and g.value(report, SH.conforms) == Literal(True)
    assert not list(g.objects(report, SH.result))
