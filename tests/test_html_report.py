"""The HTML report: self-contained, deterministic, vi/en, with the summary, the findings by
objective and the phasing charts; and a real headless Chromium run of it."""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path

import pytest
from chromium import launched
from conftest import EXAMPLES

from validator.load import load_plan
from validator.report.cite import citation
from validator.report.html_charts import target_path

MANUAL_LAYOUT = EXAMPLES / "xlsx" / "province-five-year-manual-layout.xlsx"
FLAWED = EXAMPLES / "flawed" / "ph04-dir01-sum-mismatch-poverty-rises.yaml"
@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The report of a hand-made workbook and a flawed YAML plan, in both languages."""
    from click.testing import CliRunner

    from validator.cli import main

    folder = tmp_path_factory.mktemp("html")
    out = {}
    for lang in ("vi", "en"):
        path = folder / f"report-{lang}.html"
        result = CliRunner().invoke(main, ["validate", str(MANUAL_LAYOUT), str(FLAWED),
                                           "--format", "html", "--lang", lang, "-o",
                                           str(path)])
        assert result.exit_code == 1, result.output
        json_out = CliRunner().invoke(main, ["validate", str(MANUAL_LAYOUT), str(FLAWED),
                                             "--format", "json", "--lang", lang])
        out[lang] = (path, path.read_text(encoding="utf-8"),
                     json.loads(json_out.stdout)["findings"])
    return out


def test_the_report_is_self_contained_and_deterministic(reports, tmp_path, cli):
    path, html, _ = reports["vi"]
    assert html.startswith("<!DOCTYPE html>") and '<html lang="vi">' in html
    assert not re.search(r"<link|<img|<iframe|\bsrc=|@import|url\(", html)
    assert set(re.findall(r"https?://[^\s\"'<)]+", html)) <= {"http://www.w3.org/2000/svg"}
    again = tmp_path / "again.html"
    cli("validate", MANUAL_LAYOUT, FLAWED, "--format", "html", "--lang", "vi", "-o", again)
    assert again.read_bytes() == path.read_bytes()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_report_shows_summary_findings_and_evidence(reports, lang):
    _, html, findings = reports[lang]
    words = {"vi": ("Tổng quan", "Theo nhóm quy tắc", "Căn cứ", "Dữ liệu đã xét"),
             "en": ("Summary", "By rule family", "Source", "Evidence")}[lang]
    for word in words:
        assert word in html
    errors = sum(f["severity"] == "error" for f in findings)
    assert re.search(rf'<div class="card error"><b>{errors}</b>', html)
    for finding in findings:
        assert html.count(f'<span class="rule">{finding["rule"]}</span>') >= 1
        assert escape(finding["message"]) in html
        assert escape(citation(finding["source"], lang)) in html  # as a reviewer cites it
    manual = {"vi": "Sổ tay MPI 2013, tr.", "en": "MPI 2013 manual, p."}[lang]
    assert manual in html and "source 0" not in html
    assert "<td>PH</td>" in html  # rule families counted by id prefix
    for objective in ("O1", "O2"):
        assert re.search(rf"<h3>[^<]* {objective}: ", html)


def escape(text: str) -> str:
    from html import escape as esc

    return esc(text)


def test_every_phased_target_has_a_chart_and_completion_where_actuals_exist(reports):
    _, html, _ = reports["en"]
    phased = 0
    for path in (MANUAL_LAYOUT, FLAWED):
        plan = load_plan(path).plan
        phased += sum(target_path(t, plan.plan.period) is not None
                      for o in plan.objectives for t in o.targets)
    assert html.count('<svg class="chart"') == phased > 10
    assert "Uniform" in html and "Completion (%)" in html
    # O4.T3: 62.5 actual against 63 planned in 2026
    assert re.search(r"<td>2026</td><td class=\"n\">63</td><td class=\"n\">62.5</td>"
                     r"<td class=\"n\">99.21</td>", html)


def _target(**values):
    from validator.plan.model import Target

    base = {"id": "T1", "indicator": "Trạm y tế đạt chuẩn", "unit": "station",
            "annual": {2026: 3, 2027: 5, 2028: 6, 2029: 8, 2030: 9}, "target": 9}
    return Target.model_validate({**base, **values})


def test_a_chart_draws_no_even_split_when_the_roll_up_is_unknown():
    from validator.report.html_charts import path_chart

    unknown = target_path(_target(), (2026, 2030))
    assert unknown is not None and unknown.uniform == {}
    assert "stroke-dasharray" not in path_chart(unknown, "T1", "vi")
    summed = target_path(_target(rollup="sum", target=31), (2026, 2030))
    assert summed is not None and "stroke-dasharray" in path_chart(summed, "T1", "vi")


def test_axis_ticks_are_round_whole_numbers_for_counts_and_local_for_values():
    from validator.report.html_charts import path_chart

    svg = path_chart(target_path(_target(), (2026, 2030)), "T1", "vi")
    ticks = re.findall(r'text-anchor="end">([^<]+)<', svg)
    assert ticks and all(t.lstrip("-").isdigit() for t in ticks), ticks
    big = _target(unit="billion VND", annual={2026: 6400, 2027: 7100.5, 2028: 8000},
                  target=8000)
    svg = path_chart(target_path(big, (2026, 2028)), "T1", "vi")
    assert "6.400" in svg and "7.100,5" in svg  # Vietnamese numbers in the tooltips
    ticks = re.findall(r'text-anchor="end">([^<]+)<', svg)
    assert all(re.fullmatch(r"\d{1,3}(\.\d{3})*", t) for t in ticks), ticks


# --- a real browser ------------------------------------------------------------------------

@pytest.fixture
def browser(tmp_path):
    with launched(tmp_path / "profile", window="1200,1800") as running:
        yield running.page


def test_the_report_in_headless_chromium(reports, browser):
    from PIL import Image

    path, _, findings = reports["vi"]
    url = Path(path).resolve().as_uri()
    for domain in ("Network", "Runtime", "Log", "Page"):
        browser.call(f"{domain}.enable")
    browser.events.clear()
    browser.call("Page.navigate", url=url)
    browser.wait_for("Page.loadEventFired")
    text = browser.call("Runtime.evaluate", expression="document.body.innerText",
                        returnByValue=True)["result"]["value"]
    shot = browser.call("Page.captureScreenshot", format="png")["data"]
    hidden = browser.call("Runtime.evaluate", returnByValue=True, expression=(
        "document.querySelector('.filters input[value=warning]').click();"
        "document.querySelectorAll('.finding.hidden').length"))["result"]["value"]
    errors = [e for e in browser.events
              if e.get("method") == "Runtime.exceptionThrown"
              or (e.get("method") == "Runtime.consoleAPICalled"
                  and e["params"]["type"] in {"error", "assert"})
              or (e.get("method") == "Log.entryAdded"
                  and e["params"]["entry"]["level"] == "error")]
    assert errors == []
    requests = {e["params"]["request"]["url"] for e in browser.events
                if e.get("method") == "Network.requestWillBeSent"}
    assert requests == {url}  # the page itself and nothing else
    for finding in findings:
        assert finding["rule"] in text and finding["message"] in text
    image = Image.open(io.BytesIO(base64.b64decode(shot))).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20)
    assert image.size[0] >= 1000 and colours is not None and len(colours) > 50
    assert hidden == sum(f["severity"] == "warning" for f in findings)


def test_with_explain_the_evidence_names_what_the_deciding_condition_picked_out(cli, tmp_path):
    plan = EXAMPLES / "flawed" / "cat02-cat06-smartm2-catalogue.yaml"
    plain, traced = tmp_path / "plain.html", tmp_path / "traced.html"
    cli("validate", plan, "--format", "html", "-o", plain)
    cli("validate", plan, "--format", "html", "--explain", "-o", traced)
    cat06 = re.compile(r'<span class="rule">CAT-06</span>.*?</article>', re.S)
    shown = cat06.search(traced.read_text(encoding="utf-8")).group(0)
    assert "<tr><th>Liên quan</th><td>O1.T1</td></tr>" in shown
    assert "Liên quan" not in cat06.search(plain.read_text(encoding="utf-8")).group(0)
    assert "require" not in shown and "t.category" not in shown  # no rule text in HTML


def test_every_rule_family_of_the_bundled_pack_has_a_name():
    from validator.report.html_report import FAMILIES, family
    from validator.rulelang.cache import load_ruleset

    families = {family(r.id) for r in load_ruleset((), None).rules}
    assert families <= set(FAMILIES), sorted(families - set(FAMILIES))
