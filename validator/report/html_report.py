"""The HTML report: one self-contained page (inline CSS, SVG and a few lines of script; no
external assets, works offline) in Vietnamese or English.

A summary (counts by severity, by field/sector and by rule family), then per plan the
findings grouped by objective with the manual's reference and the evidence, and charts of
each phased target's yearly path against the uniform path, with completion where actuals
exist. The same result gives byte-identical HTML (no timestamps).
"""

from __future__ import annotations

from collections import Counter
from html import escape
from typing import Any

from validator import __version__
from validator.core.findings import SEVERITIES
from validator.core.i18n import N_, Message, _
from validator.core.i18n import render as say
from validator.plan.model import Objective, text_of
from validator.plan.ontology import label
from validator.plan.shown import unit_text
from validator.report.cite import citation
from validator.report.html_charts import (
    completion_bar,
    count_bars,
    legend,
    num,
    path_chart,
    target_path,
)
from validator.report.reading import SEVERITY_NAMES, Names, evidence_rows, place
from validator.report.trace_text import reviewer_rows

COLOURS = {"error": "#c92a2a", "warning": "#e67700", "info": "#1971c2"}

# the summary's cards and filters, by severity
SEVERITY_HEADS = {"error": _("Errors"), "warning": _("Warnings"), "info": _("Info")}

# the rule families: a rule id's prefix (SMART-M2 -> SMART)
FAMILIES = {
    "AG": _("Responsible agencies"), "CAL": _("Planning calendar"),
    "CAT": _("Target categories"), "DIR": _("Direction"), "F": _("Formulas"),
    "FR": _("Collection frequency"), "LNK": _("Links between plans"),
    "LOC": _("Administrative units"), "LV": _("Administrative levels"),
    "MON": _("Progress monitoring"), "PAR": _("Participation and mainstreaming"),
    "REP": _("Results reporting"), "RU": _("Roll-up from lower levels"),
    "PH": _("Yearly phasing"), "SMART": _("SMART criteria"),
    "STR": _("Logframe structure"), "XLSX": _("Workbook"),
}

CSS = """
:root{--fg:#1d232b;--muted:#5c6670;--line:#d5dbe1;--bg:#f6f8fa}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;
color:var(--fg);margin:0;background:#fff}
header{background:#17324d;color:#fff;padding:20px 28px}
header h1{margin:0 0 4px;font-size:24px}header p{margin:0;color:#c9d6e3}
main{max-width:1100px;margin:0 auto;padding:12px 28px 40px}
h2{border-bottom:2px solid var(--line);padding-bottom:4px;margin-top:32px}
h3{margin:24px 0 6px}h4{margin:16px 0 6px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:12px 0}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:130px;
background:var(--bg)}.card b{display:block;font-size:26px}
.card.error b{color:#c92a2a}.card.warning b{color:#e67700}.card.info b{color:#1971c2}
.grid3{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:16px}
table{border-collapse:collapse;width:100%;margin:6px 0}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--bg)}td.n{text-align:right;font-variant-numeric:tabular-nums}
.finding{border-left:5px solid #999;background:var(--bg);margin:8px 0;padding:8px 12px;
border-radius:0 6px 6px 0}
.finding.sev-error{border-color:#c92a2a}.finding.sev-warning{border-color:#e67700}
.finding.sev-info{border-color:#1971c2}
.badge{display:inline-block;border-radius:4px;color:#fff;font-size:12px;padding:0 6px;
margin-right:6px;text-transform:uppercase;letter-spacing:.03em}
.badge.error{background:#c92a2a}.badge.warning{background:#e67700}.badge.info{background:#1971c2}
.rule{font-weight:700;margin-right:6px}.meta{color:var(--muted);font-size:13px}
.finding p{margin:4px 0}details{margin-top:4px}summary{cursor:pointer;color:var(--muted)}
table.evidence{width:auto;font-size:13px;margin:4px 0}table.evidence th{font-weight:normal;
color:var(--muted)}table.evidence td{word-break:break-word}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(430px,1fr));gap:14px}
figure{margin:0;border:1px solid var(--line);border-radius:6px;padding:8px}
figcaption{font-size:13px;margin-bottom:4px}
svg.chart{max-width:100%;height:auto}svg .grid{stroke:#e3e7ec}
svg .tick{font-size:11px;fill:#5c6670}.legend{font-size:12px;color:var(--muted);margin:2px 0}
.legend span{margin-right:12px}.filters label{margin-right:14px}
.hidden{display:none}footer{color:var(--muted);font-size:13px;margin-top:40px}
@media print{.filters{display:none}.finding{break-inside:avoid}figure{break-inside:avoid}}
"""

SCRIPT = """
(function(){
  var boxes=document.querySelectorAll('.filters input[type=checkbox]');
  function apply(){
    var on={};
    for(var i=0;i<boxes.length;i++){on[boxes[i].value]=boxes[i].checked;}
    var items=document.querySelectorAll('.finding');
    for(var j=0;j<items.length;j++){
      items[j].classList.toggle('hidden',!on[items[j].getAttribute('data-severity')]);
    }
  }
  for(var k=0;k<boxes.length;k++){boxes[k].addEventListener('change',apply);}
})();
"""


def family(rule: str) -> str:
    """A rule's family: its id up to the first dash (``SMART-M`` -> ``SMART``)."""
    return rule.split("-", 1)[0] if "-" in rule else rule


def _label(scheme: str, code: str | None, lang: str, unclassified: str) -> str:
    if not code:
        return unclassified

    return label(scheme, code, lang)


def _e(message: Message, lang: str) -> str:
    """A message of the report in ``lang``, escaped for HTML."""
    return escape(say(message, lang))


def render(result: Any, options: Any) -> str:
    lang = options.lang
    objectives = _objective_index(result)
    title = _e(_("Plan review report"), lang)
    parts = [f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
             '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
             f'<title>plancheck — {title}</title>\n<style>{CSS}</style>\n'
             '</head>\n<body>\n']
    files = _e(_("Files: {files}", files=", ".join(result.files)), lang)
    plans = _e(N_("{n} plan", "{n} plans", result.plan_count), lang)
    rules = _e(N_("{n} rule", "{n} rules", len(result.rules)), lang)
    parts.append(f"<header><h1>{title}</h1><p>{files} · {plans} · {rules}</p></header>\n"
                 "<main>\n")
    parts.append(_summary(result, lang, objectives))
    names = Names(result.plans)
    for loaded in result.plans:
        parts.append(_plan_section(loaded, result.findings, lang, names))
    made = _e(_("Made by plancheck {version}; rules based on the MPI 2013 manual on "
                "results-based monitoring and evaluation.", version=__version__), lang)
    parts.append(f"<footer>{made}</footer>\n</main>\n<script>{SCRIPT}</script>\n"
                 "</body>\n</html>\n")
    return "".join(parts)


def _objective_index(result: Any) -> dict[tuple[str, str], Objective]:
    return {(loaded.file, o.id): o for loaded in result.plans for o in loaded.plan.objectives}


def _summary(result: Any, lang: str, objectives: dict[tuple[str, str], Objective]) -> str:
    findings = result.findings
    counts = Counter(f.severity for f in findings)
    heads = {s: _e(SEVERITY_HEADS[s], lang) for s in SEVERITIES}
    total = _e(_("Total"), lang)
    cards = [f'<div class="card"><b>{len(findings)}</b>{total}</div>']
    cards += [f'<div class="card {s}"><b>{counts.get(s, 0)}</b>{heads[s]}</div>'
              for s in SEVERITIES]
    waived = len(getattr(result, "waived", None) or [])
    waived_text = _e(N_("{n} finding waived", "{n} findings waived", waived), lang)
    note = f'<p class="meta">{waived_text}</p>' if waived else ""
    whole_plan = say(_("(whole plan)"), lang)
    unclassified = say(_("(not classified)"), lang)
    by_field: Counter[tuple[str, str]] = Counter()
    for f in findings:
        objective = objectives.get((f.location.file, f.objective or ""))
        if objective is None:
            by_field[(whole_plan, "—")] += 1
            continue
        field = _label("sector", objective.field, lang, unclassified)
        by_field[(field, _label("sector", objective.sector, lang, "—"))] += 1
    field_rows = "".join(f"<tr><td>{escape(a)}</td><td>{escape(b)}</td>"
                         f'<td class="n">{n}</td></tr>'
                         for (a, b), n in sorted(by_field.items(), key=lambda kv: (-kv[1], kv[0])))
    families = Counter(family(f.rule) for f in findings)
    family_rows = "".join(
        f"<tr><td>{escape(name)}</td><td>{escape(_family_name(name, lang))}</td>"
        f'<td class="n">{n}</td></tr>'
        for name, n in sorted(families.items(), key=lambda kv: (-kv[1], kv[0])))
    bars = count_bars([(say(SEVERITY_HEADS[s], lang), counts.get(s, 0), COLOURS[s])
                       for s in SEVERITIES])
    filters = "".join(f'<label><input type="checkbox" value="{s}" checked> {heads[s]}'
                      f" ({counts.get(s, 0)})</label>" for s in SEVERITIES)
    t = {key: _e(message, lang) for key, message in (
        ("summary", _("Summary")), ("by_severity", _("By severity")),
        ("by_field", _("By field / sector")), ("field", _("Field")), ("sector", _("Sector")),
        ("count", _("Number of findings")), ("by_family", _("By rule family")),
        ("family", _("Family")), ("show", _("Show:")))}
    return (f'<section id="summary"><h2>{t["summary"]}</h2>'
            f'<div class="cards">{"".join(cards)}</div>{note}<div class="grid3">'
            f'<div><h4>{t["by_severity"]}</h4>{bars}</div>'
            f'<div><h4>{t["by_field"]}</h4><table><tr><th>{t["field"]}</th>'
            f'<th>{t["sector"]}</th><th>{t["count"]}</th></tr>{field_rows}</table></div>'
            f'<div><h4>{t["by_family"]}</h4><table><tr><th>{t["family"]}</th><th></th>'
            f'<th>{t["count"]}</th></tr>{family_rows}</table></div></div>'
            f'<p class="filters">{t["show"]} {filters}</p></section>\n')


def _family_name(name: str, lang: str) -> str:
    found = FAMILIES.get(name)
    return "" if found is None else say(found, lang)


def _plan_section(loaded: Any, findings: list[Any], lang: str, names: Names) -> str:
    plan = loaded.plan
    mine = [f for f in findings if f.location.file == loaded.file]
    title = text_of(plan.plan.title, lang)
    out = [f'<section class="plan"><h2>{escape(title)} <span class="meta">'
           f'({escape(plan.plan.id)} · {escape(loaded.file)})</span></h2>']
    if not mine:
        out.append("<p>" + _e(_("No findings."), lang) + "</p>")
    general = [f for f in mine if not f.objective]
    if general:
        out.append("<h3>" + _e(_("Whole plan"), lang) + "</h3>")
        out.extend(_finding(f, lang, names) for f in general)
    for objective in plan.objectives:
        found = [f for f in mine if f.objective == objective.id]
        if not found:
            continue
        field = " · ".join(_label("sector", c, lang, "") for c in (objective.field,
                                                                   objective.sector) if c)
        heading = _("Objective {id}: {title}", id=objective.id,
                    title=text_of(objective.title, lang))
        out.append(f"<h3>{_e(heading, lang)}</h3>"
                   + (f'<p class="meta">{escape(field)}</p>' if field else ""))
        out.extend(_finding(f, lang, names) for f in found)
    out.append(_charts(plan, lang))
    out.append("</section>\n")
    return "".join(out)


def _finding(f: Any, lang: str, names: Names) -> str:
    title = f.title_in(lang)
    message = f.message_in(lang)
    # with validate --explain, the trace's rows: the entities its conditions picked out too
    rows = evidence_rows(f, lang) if f.trace is None else reviewer_rows(f.trace, lang)
    evidence = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    looked = _e(_("Evidence"), lang)
    details = (f'<details><summary>{looked}</summary>'
               f'<table class="evidence">{evidence}</table></details>' if evidence else "")
    source = citation(f.source, lang)
    where = _e(_("Location: {place}", place=place(f, lang)), lang)
    cited = _e(_("Source: {source}", source=source), lang) if source else ""
    return (f'<article class="finding sev-{f.severity}" data-severity="{f.severity}">'
            f'<p><span class="badge {f.severity}">{_e(SEVERITY_NAMES[f.severity], lang)}</span>'
            f'<span class="rule">{escape(f.rule)}</span>{escape(title)}</p>'
            f"<p>{escape(message)}</p>"
            f'<p class="meta">{escape(names.entity(f, lang))} · {where}'
            + (f" · {cited}" if cited else "") + f"</p>{details}</article>")


def _charts(plan: Any, lang: str) -> str:
    period = plan.plan.period
    t = {key: _e(message, lang) for key, message in (
        ("period", _("Period")), ("plan", _("Plan")), ("actual", _("Actual")),
        ("percent", _("Completion (%)")))}
    figures, progress = [], []
    for objective in plan.objectives:
        for target in objective.targets:
            path = target_path(target, period)
            if path is None:
                continue
            name = text_of(target.indicator, lang)
            unit = f" ({unit_text(target.unit, lang)})" if target.unit else ""
            caption = f"{target.id}: {name}{unit}"
            table = ""
            if path.completion:
                rows = "".join(
                    f'<tr><td>{escape(p)}</td><td class="n">{escape(num(a, lang))}</td>'
                    f'<td class="n">{escape(num(b, lang))}</td><td class="n">'
                    f'{escape(num(c, lang))}</td><td>{completion_bar(c, lang)}</td></tr>'
                    for p, a, b, c in path.completion)
                table = (f'<table><tr><th>{t["period"]}</th><th>{t["plan"]}</th>'
                         f'<th>{t["actual"]}</th><th colspan="2">{t["percent"]}</th></tr>'
                         f"{rows}</table>")
                progress.append((caption, path.completion))
            figures.append(f'<figure><figcaption>{escape(caption)}</figcaption>'
                           f'{path_chart(path, caption, lang)}'
                           f'{legend(lang, bool(path.actual), bool(path.uniform))}{table}'
                           '</figure>')
    out = ["<h3>" + _e(_("Target phasing"), lang) + "</h3>"]
    if not figures:
        out.append('<p class="meta">' + _e(_("No target is phased by year."), lang) + "</p>")
        return "".join(out)
    if progress:
        rows = "".join(
            f'<tr><td>{escape(caption)}</td><td>{escape(p)}</td><td class="n">'
            f"{escape(num(c, lang))}</td><td>{completion_bar(c, lang)}</td></tr>"
            for caption, items in progress for p, _plan, _got, c in items)
        completion = _e(_("Completion"), lang)
        out.append(f'<h4>{completion}</h4><table><tr><th></th>'
                   f'<th>{t["period"]}</th><th colspan="2">{t["percent"]}</th></tr>'
                   f"{rows}</table>")
    out.append(f'<div class="charts">{"".join(figures)}</div>')
    return "".join(out)
