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
from validator.report.reading import Names, evidence_rows, place

COLOURS = {"error": "#c92a2a", "warning": "#e67700", "info": "#1971c2"}

WORDS = {
    "vi": {
        "title": "Báo cáo kiểm tra kế hoạch", "summary": "Tổng quan", "findings": "phát hiện",
        "error": "Lỗi", "warning": "Cảnh báo", "info": "Thông tin", "total": "Tổng số",
        "by_severity": "Theo mức độ", "by_field": "Theo lĩnh vực / ngành",
        "by_family": "Theo nhóm quy tắc", "field": "Lĩnh vực", "sector": "Ngành",
        "family": "Nhóm", "count": "Số phát hiện", "plan_level": "Toàn kế hoạch",
        "objective": "Mục tiêu", "none": "Không có phát hiện nào.", "source": "Căn cứ",
        "location": "Vị trí", "evidence": "Dữ liệu đã xét", "files": "Tệp",
        "rules": "quy tắc", "plans": "kế hoạch", "show": "Hiện", "phasing": "Phân kỳ chỉ tiêu",
        "plan": "Kế hoạch", "uniform": "Chia đều", "actual": "Thực hiện",
        "baseline": "Cơ sở", "completion": "Tiến độ thực hiện", "period": "Kỳ",
        "percent": "Hoàn thành (%)", "no_charts": "Không có chỉ tiêu nào được phân kỳ theo năm.",
        "waived": "phát hiện được miễn trừ", "unclassified": "(chưa phân loại)",
        "entity": {"plan": "kế hoạch", "objective": "mục tiêu", "solution": "giải pháp",
                   "target": "chỉ tiêu", "consultation": "tham vấn"},
        "generated": "Tạo bởi plancheck {v}; các quy tắc dựa trên Sổ tay theo dõi và đánh giá "
                     "dựa trên kết quả (Bộ KH&ĐT, 2013).",
    },
    "en": {
        "title": "Plan review report", "summary": "Summary", "findings": "findings",
        "error": "Errors", "warning": "Warnings", "info": "Info", "total": "Total",
        "by_severity": "By severity", "by_field": "By field / sector",
        "by_family": "By rule family", "field": "Field", "sector": "Sector",
        "family": "Family", "count": "Findings", "plan_level": "Whole plan",
        "objective": "Objective", "none": "No findings.", "source": "Source",
        "location": "Location", "evidence": "Evidence", "files": "Files", "rules": "rules",
        "plans": "plans", "show": "Show", "phasing": "Target phasing", "plan": "Plan",
        "uniform": "Uniform", "actual": "Actual", "baseline": "Baseline",
        "completion": "Completion", "period": "Period", "percent": "Completion (%)",
        "no_charts": "No target is phased by year.", "waived": "findings waived",
        "unclassified": "(not classified)",
        "entity": {"plan": "plan", "objective": "objective", "solution": "solution",
                   "target": "target", "consultation": "consultation"},
        "generated": "Made by plancheck {v}; rules based on the MPI 2013 manual on "
                     "results-based monitoring and evaluation.",
    },
}

FAMILIES = {
    "AG": ("Cơ quan chịu trách nhiệm", "Responsible agencies"),
    "CAL": ("Lịch kế hoạch", "Planning calendar"),
    "CAT": ("Phân loại chỉ tiêu", "Target categories"),
    "DIR": ("Chiều hướng", "Direction"), "F": ("Công thức tính", "Formulas"),
    "FR": ("Tần suất thu thập", "Collection frequency"),
    "LNK": ("Liên kết giữa các kế hoạch", "Links between plans"),
    "MON": ("Theo dõi tiến độ", "Progress monitoring"),
    "PAR": ("Tham vấn và lồng ghép", "Participation and mainstreaming"),
    "REP": ("Báo cáo kết quả", "Results reporting"),
    "RU": ("Tổng hợp từ cấp dưới", "Roll-up from lower levels"),
    "PH": ("Phân kỳ theo năm", "Yearly phasing"), "SMART": ("Tiêu chí SMART", "SMART criteria"),
    "STR": ("Cấu trúc khung logic", "Logframe structure"),
    "XLSX": ("Tệp Excel", "Workbook"),
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


def render(result: Any, options: Any) -> str:
    lang = options.lang
    words = WORDS[lang]
    objectives = _objective_index(result)
    parts = [f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
             '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
             f'<title>plancheck — {escape(words["title"])}</title>\n<style>{CSS}</style>\n'
             '</head>\n<body>\n']
    files = ", ".join(result.files)
    parts.append(f'<header><h1>{escape(words["title"])}</h1><p>{escape(words["files"])}: '
                 f'{escape(files)} · {result.plan_count} {escape(words["plans"])} · '
                 f'{len(result.rules)} {escape(words["rules"])}</p></header>\n<main>\n')
    parts.append(_summary(result, words, lang, objectives))
    names = Names(result.plans)
    for loaded in result.plans:
        parts.append(_plan_section(loaded, result.findings, words, lang, names))
    parts.append(f'<footer>{escape(words["generated"].format(v=__version__))}</footer>\n'
                 f'</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n')
    return "".join(parts)


def _objective_index(result: Any) -> dict[tuple[str, str], Objective]:
    return {(loaded.file, o.id): o for loaded in result.plans for o in loaded.plan.objectives}


def _summary(result: Any, words: dict[str, Any], lang: str,
             objectives: dict[tuple[str, str], Objective]) -> str:
    findings = result.findings
    counts = Counter(f.severity for f in findings)
    cards = [f'<div class="card"><b>{len(findings)}</b>{escape(words["total"])}</div>']
    cards += [f'<div class="card {s}"><b>{counts.get(s, 0)}</b>{escape(words[s])}</div>'
              for s in SEVERITIES]
    waived = len(getattr(result, "waived", None) or [])
    note = f'<p class="meta">{waived} {escape(words["waived"])}</p>' if waived else ""
    by_field: Counter[tuple[str, str]] = Counter()
    for f in findings:
        objective = objectives.get((f.location.file, f.objective or ""))
        if objective is None:
            by_field[(f"({words['plan_level'].lower()})", "—")] += 1
            continue
        field = _label("sector", objective.field, lang, words["unclassified"])
        by_field[(field, _label("sector", objective.sector, lang, "—"))] += 1
    field_rows = "".join(f"<tr><td>{escape(a)}</td><td>{escape(b)}</td>"
                         f'<td class="n">{n}</td></tr>'
                         for (a, b), n in sorted(by_field.items(), key=lambda kv: (-kv[1], kv[0])))
    families = Counter(family(f.rule) for f in findings)
    family_rows = "".join(
        f"<tr><td>{escape(name)}</td><td>{escape(_family_name(name, lang))}</td>"
        f'<td class="n">{n}</td></tr>'
        for name, n in sorted(families.items(), key=lambda kv: (-kv[1], kv[0])))
    bars = count_bars([(words[s], counts.get(s, 0), COLOURS[s]) for s in SEVERITIES])
    filters = "".join(f'<label><input type="checkbox" value="{s}" checked> {escape(words[s])}'
                      f" ({counts.get(s, 0)})</label>" for s in SEVERITIES)
    return (f'<section id="summary"><h2>{escape(words["summary"])}</h2>'
            f'<div class="cards">{"".join(cards)}</div>{note}<div class="grid3">'
            f'<div><h4>{escape(words["by_severity"])}</h4>{bars}</div>'
            f'<div><h4>{escape(words["by_field"])}</h4><table><tr><th>'
            f'{escape(words["field"])}</th><th>{escape(words["sector"])}</th><th>'
            f'{escape(words["count"])}</th></tr>{field_rows}</table></div>'
            f'<div><h4>{escape(words["by_family"])}</h4><table><tr><th>'
            f'{escape(words["family"])}</th><th></th><th>{escape(words["count"])}</th></tr>'
            f'{family_rows}</table></div></div>'
            f'<p class="filters">{escape(words["show"])}: {filters}</p></section>\n')


def _family_name(name: str, lang: str) -> str:
    names = FAMILIES.get(name)
    return "" if names is None else names[0 if lang == "vi" else 1]


def _plan_section(loaded: Any, findings: list[Any], words: dict[str, Any], lang: str,
                  names: Names) -> str:
    plan = loaded.plan
    mine = [f for f in findings if f.location.file == loaded.file]
    title = text_of(plan.plan.title, lang)
    out = [f'<section class="plan"><h2>{escape(title)} <span class="meta">'
           f'({escape(plan.plan.id)} · {escape(loaded.file)})</span></h2>']
    if not mine:
        out.append(f'<p>{escape(words["none"])}</p>')
    general = [f for f in mine if not f.objective]
    if general:
        out.append(f'<h3>{escape(words["plan_level"])}</h3>')
        out.extend(_finding(f, words, lang, names) for f in general)
    for objective in plan.objectives:
        found = [f for f in mine if f.objective == objective.id]
        if not found:
            continue
        field = " · ".join(_label("sector", c, lang, "") for c in (objective.field,
                                                                   objective.sector) if c)
        out.append(f'<h3>{escape(words["objective"])} {escape(objective.id)}: '
                   f'{escape(text_of(objective.title, lang))}</h3>'
                   + (f'<p class="meta">{escape(field)}</p>' if field else ""))
        out.extend(_finding(f, words, lang, names) for f in found)
    out.append(_charts(plan, words, lang))
    out.append("</section>\n")
    return "".join(out)


def _finding(f: Any, words: dict[str, Any], lang: str, names: Names) -> str:
    title = f.title_in(lang)
    message = f.message_in(lang)
    rows = evidence_rows(f, lang)
    evidence = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    details = (f'<details><summary>{escape(words["evidence"])}</summary>'
               f'<table class="evidence">{evidence}</table></details>' if evidence else "")
    source = citation(f.source, lang)
    return (f'<article class="finding sev-{f.severity}" data-severity="{f.severity}">'
            f'<p><span class="badge {f.severity}">{escape(words[f.severity])}</span>'
            f'<span class="rule">{escape(f.rule)}</span>{escape(title)}</p>'
            f"<p>{escape(message)}</p>"
            f'<p class="meta">{escape(names.entity(f, lang))} · {escape(words["location"])}: '
            f"{escape(place(f, lang))}"
            + (f' · {escape(words["source"])}: {escape(source)}' if source else "")
            + f"</p>{details}</article>")


def _charts(plan: Any, words: dict[str, Any], lang: str) -> str:
    period = plan.plan.period
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
                table = (f'<table><tr><th>{escape(words["period"])}</th><th>'
                         f'{escape(words["plan"])}</th><th>{escape(words["actual"])}</th><th '
                         f'colspan="2">{escape(words["percent"])}</th></tr>{rows}</table>')
                progress.append((caption, path.completion))
            figures.append(f'<figure><figcaption>{escape(caption)}</figcaption>'
                           f'{path_chart(path, caption, words, lang)}'
                           f'{legend(words, bool(path.actual), bool(path.uniform))}{table}'
                           '</figure>')
    out = [f'<h3>{escape(words["phasing"])}</h3>']
    if not figures:
        out.append(f'<p class="meta">{escape(words["no_charts"])}</p>')
        return "".join(out)
    if progress:
        rows = "".join(
            f'<tr><td>{escape(caption)}</td><td>{escape(p)}</td><td class="n">'
            f"{escape(num(c, lang))}</td><td>{completion_bar(c, lang)}</td></tr>"
            for caption, items in progress for p, _, _, c in items)
        out.append(f'<h4>{escape(words["completion"])}</h4><table><tr><th></th><th>'
                   f'{escape(words["period"])}</th><th colspan="2">{escape(words["percent"])}'
                   f"</th></tr>{rows}</table>")
    out.append(f'<div class="charts">{"".join(figures)}</div>')
    return "".join(out)
