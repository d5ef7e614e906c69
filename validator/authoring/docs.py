"""The rule reference: rule listings (text, JSON, Markdown) and documentation pages.

``write_docs(ruleset, out)`` writes one index and one page per rule, in Markdown and in
self-contained HTML (no external assets): the rule's id, titles in both languages, severity,
the page it rests on, tags, rationale, the parameters it reads, its text, and its cases.
Output is deterministic: rules in natural id order, no dates, paths relative to the pack.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from validator.authoring.cases import Case, read_cases, rule_case_file
from validator.core.errors import InputError
from validator.core.findings import SEVERITIES
from validator.core.i18n import LANGS, N_, _, render
from validator.core.output import write_file
from validator.plan.model import format_value
from validator.report.cite import citation
from validator.report.reading import KIND_NAMES, SEVERITY_NAMES
from validator.rulelang import ast
from validator.rulelang.variants import walk

# the pages' headings, shown in both languages (the reference is read by authors of either)
LABELS = {
    "severity": _("Severity"), "source": _("Source"), "tags": _("Tags"),
    "entity": _("Entity"), "file": _("File"), "rationale": _("Rationale"),
    "params": _("Parameters"), "text": _("Rule text"), "cases": _("Test cases"),
    "name": _("Name"), "default": _("Default"), "index": _("Index"), "rule": _("Rule"),
    "title": _("Rule title"),
}


def natural_key(rule_id: str) -> tuple[Any, ...]:
    """Sort key putting F-2 before F-10."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", rule_id))


def select(ruleset: Any, tag: str | None = None) -> list[Any]:
    """The rules of a rule set in natural id order, optionally only those with ``tag``."""
    rules = [r for r in ruleset.rules if tag is None or tag in r.tags]
    return sorted(rules, key=lambda r: natural_key(r.id))


def _texts(texts: ast.Texts | None) -> dict[str, str]:
    return texts.as_dict() if texts is not None else {}


def _both(text: Any) -> str:
    """A message in both languages, Vietnamese first: ``Mức độ / Severity``."""
    return " / ".join(dict.fromkeys(render(text, lang) for lang in LANGS))


def _label(key: str) -> str:
    return _both(LABELS[key])


def _severity(severity: str) -> str:
    return _both(SEVERITY_NAMES.get(severity, severity))


def _source(source: str) -> str:
    """The rule's source as a reviewer looks it up, in both languages."""
    return " / ".join(dict.fromkeys(citation(source, lang) for lang in LANGS))


def _by_lang(texts: dict[str, str]) -> list[tuple[str, str]]:
    """A rule's texts by language, in the order of LANGS (Vietnamese first)."""
    return sorted(texts.items(), key=lambda kv: LANGS.index(kv[0]) if kv[0] in LANGS else 99)


# --- listings ------------------------------------------------------------------------

def list_text(rules: list[Any], lang: str) -> str:
    lines = [f"{r.id:<10} {r.severity:<8} {_texts(r.title).get(lang, '')}" for r in rules]
    return "\n".join(lines) + ("\n" if lines else "")


def list_json(rules: list[Any]) -> str:
    return json.dumps([r.summary() for r in rules], ensure_ascii=False, indent=2) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def list_markdown(rules: list[Any], lang: str | None = None) -> str:
    """A Markdown table of rules (both titles unless ``lang`` is given)."""
    langs = [lang] if lang else list(LANGS)
    head = [_label("rule"), _label("severity"),
            *(f"{render(LABELS['title'], code)} ({code})" for code in langs),
            _label("source"), _label("tags")]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rules:
        titles = [_cell(_texts(r.title).get(code, "")) for code in langs]
        cells = [r.id, _severity(r.severity), *titles, _cell(_source(r.source)), ", ".join(r.tags)]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows) + "\n"


# --- pages ----------------------------------------------------------------------------

@dataclass
class Page:
    """What one rule's page shows."""

    rule: Any
    params: list[tuple[str, Any, dict[str, str]]]  # name, default, doc by language
    cases: list[Case]
    location: str


def _params_used(rule: Any, ruleset: Any) -> list[tuple[str, Any, dict[str, str]]]:
    decl = rule.decl
    exprs = [c.expr for c in decl.clauses] + [decl.require]
    names = {n.name for e in exprs for n in walk(e) if isinstance(n, ast.Name)}
    used = sorted(names & set(ruleset.params))
    return [(n, ruleset.params[n].default, _texts(ruleset.params[n].doc)) for n in used]


def page_of(rule: Any, ruleset: Any) -> Page:
    path = rule_case_file(ruleset, rule)
    cases = read_cases(path) if path.is_file() else []
    location = f"{Path(rule.file).name}:{rule.decl.pos.line}"
    return Page(rule, _params_used(rule, ruleset), cases, location)


def _case_outcome(case: Case, lang: str) -> str:
    if case.passing:
        return render(_("no finding"), lang)
    return render(_("findings on {ids}", ids=", ".join(case.expect)), lang)


def _case_yaml(case: Case) -> str:
    data = case.plans[0] if not case.several else {"plans": case.plans}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100).rstrip()


def _facts(page: Page) -> list[tuple[str, str]]:
    r = page.rule
    return [(_label("severity"), _severity(r.severity)), (_label("source"), _source(r.source)),
            (_label("tags"), ", ".join(r.tags)),
            (_label("entity"), _both(KIND_NAMES.get(r.kind, r.kind))),
            (_label("file"), page.location)]


def page_markdown(page: Page) -> str:
    r = page.rule
    titles = _texts(r.title)
    out = [f"# {r.id}", "", f"- **vi:** {titles.get('vi', '')}",
           f"- **en:** {titles.get('en', '')}", "", "| | |", "|---|---|"]
    out += [f"| {k} | {_cell(v)} |" for k, v in _facts(page)]
    out += ["", f"## {_label('rationale')}", ""]
    for lang, text in _by_lang(_texts(r.decl.rationale)):
        out += [f"**{lang}:** {text}", ""]
    if page.params:
        out += [f"## {_label('params')}", "",
                f"| {_label('name')} | {_label('default')} | vi | en |", "|---|---|---|---|"]
        out += [f"| `{n}` | `{_cell(format_value(d))}` | {_cell(doc.get('vi', ''))} | "
                f"{_cell(doc.get('en', ''))} |" for n, d, doc in page.params]
        out.append("")
    out += [f"## {_label('text')}", "", "```text", r.decl.text.rstrip(), "```", "",
            f"## {_label('cases')}", ""]
    if not page.cases:
        out += ["—", ""]
    for i, case in enumerate(page.cases, 1):
        out += [f"### {i}. {case.name}", "",
                f"- vi: {_case_outcome(case, 'vi')}; en: {_case_outcome(case, 'en')}"]
        if case.params:
            params = json.dumps(case.params, ensure_ascii=False, default=str)
            out.append(f"- {_label('params')}: `{params}`")
        out += ["", "```yaml", _case_yaml(case), "```", ""]
    out += [f"[← {_label('index')}](index.md)", ""]
    return "\n".join(out)


def index_markdown(rules: list[Any], title: str) -> str:
    table = list_markdown(rules)
    linked = re.sub(r"^\| ([A-Z][A-Z0-9-]*) \|", lambda m: f"| [{m.group(1)}]({m.group(1)}.md) |",
                    table, flags=re.M)
    return f"# {title}\n\n{_counted(rules)}.\n\n{linked}"


def _counted(rules: list[Any]) -> str:
    """``96 quy tắc (40 lỗi, …) / 96 rules (40 errors, …)``."""
    counts = {s: sum(1 for r in rules if r.severity == s) for s in SEVERITIES}
    return _both(_("{rules} ({errors}, {warnings}, {infos})",
                   rules=N_("{n} rule", "{n} rules", len(rules)),
                   errors=N_("{n} error", "{n} errors", counts["error"]),
                   warnings=N_("{n} warning", "{n} warnings", counts["warning"]),
                   infos=N_("{n} info", "{n} info", counts["info"])))


# --- HTML -----------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:60rem;
margin:2rem auto;padding:0 1rem;color:#1f2328;line-height:1.5}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
h3{font-size:1rem}table{border-collapse:collapse;margin:.5rem 0}
td,th{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}pre{background:#f6f8fa;padding:.8rem;overflow:auto;border-radius:6px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em}
.error{color:#cf222e;font-weight:600}.warning{color:#9a6700;font-weight:600}
.info{color:#0969da;font-weight:600}.lang{color:#57606a;font-size:.85em}
""".strip()


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _html(title: str, body: list[str]) -> str:
    return "\n".join(['<!DOCTYPE html>', '<html lang="vi">', "<head>", '<meta charset="utf-8">',
                      '<meta name="viewport" content="width=device-width, initial-scale=1">',
                      f"<title>{_e(title)}</title>", f"<style>{_CSS}</style>", "</head>",
                      "<body>", *body, "</body>", "</html>", ""])


def page_html(page: Page) -> str:
    r = page.rule
    titles = _texts(r.title)
    body = [f"<h1>{_e(r.id)}</h1>",
            f'<p><span class="lang">vi</span> {_e(titles.get("vi", ""))}<br>'
            f'<span class="lang">en</span> {_e(titles.get("en", ""))}</p>', "<table>"]
    for key, value in _facts(page):
        cls = f' class="{_e(r.severity)}"' if key == _label("severity") else ""
        body.append(f"<tr><th>{_e(key)}</th><td{cls}>{_e(value)}</td></tr>")
    body += ["</table>", f"<h2>{_e(_label('rationale'))}</h2>"]
    for lang, text in _by_lang(_texts(r.decl.rationale)):
        body.append(f'<p lang="{_e(lang)}"><span class="lang">{_e(lang)}</span> {_e(text)}</p>')
    if page.params:
        body += [f"<h2>{_e(_label('params'))}</h2>",
                 f"<table><tr><th>{_e(_label('name'))}</th><th>{_e(_label('default'))}</th>"
                 "<th>vi</th><th>en</th></tr>"]
        body += [f"<tr><td><code>{_e(n)}</code></td><td><code>{_e(format_value(d))}</code></td>"
                 f"<td>{_e(doc.get('vi', ''))}</td><td>{_e(doc.get('en', ''))}</td></tr>"
                 for n, d, doc in page.params]
        body.append("</table>")
    body += [f"<h2>{_e(_label('text'))}</h2>",
             f"<pre><code>{_e(r.decl.text.rstrip())}</code></pre>",
             f"<h2>{_e(_label('cases'))}</h2>"]
    if not page.cases:
        body.append("<p>—</p>")
    for i, case in enumerate(page.cases, 1):
        body += [f"<h3>{i}. {_e(case.name)}</h3>",
                 f"<p><span class=\"lang\">vi</span> {_e(_case_outcome(case, 'vi'))}; "
                 f"<span class=\"lang\">en</span> {_e(_case_outcome(case, 'en'))}</p>"]
        if case.params:
            params = json.dumps(case.params, ensure_ascii=False, default=str)
            body.append(f"<p>{_e(_label('params'))}: <code>{_e(params)}</code></p>")
        body.append(f"<pre><code>{_e(_case_yaml(case))}</code></pre>")
    body.append(f'<p><a href="index.html">← {_e(_label("index"))}</a></p>')
    return _html(f"{r.id} — {titles.get('en', '')}", body)


def index_html(rules: list[Any], title: str) -> str:
    body = [f"<h1>{_e(title)}</h1>", f"<p>{_e(_counted(rules))}.</p>", "<table>",
            f"<tr><th>{_e(_label('rule'))}</th><th>{_e(_label('severity'))}</th><th>vi</th>"
            f"<th>en</th><th>{_e(_label('source'))}</th><th>{_e(_label('tags'))}</th></tr>"]
    for r in rules:
        titles = _texts(r.title)
        body.append(f'<tr><td><a href="{_e(r.id)}.html">{_e(r.id)}</a></td>'
                    f'<td class="{_e(r.severity)}">{_e(_severity(r.severity))}</td>'
                    f"<td>{_e(titles.get('vi', ''))}</td><td>{_e(titles.get('en', ''))}</td>"
                    f"<td>{_e(_source(r.source))}</td><td>{_e(', '.join(r.tags))}</td></tr>")
    body.append("</table>")
    return _html(title, body)


def write_docs(ruleset: Any, out: Path, formats: tuple[str, ...] = ("md", "html"),
               title: str = "Rule reference") -> list[Path]:
    """Write the index and one page per rule in each format; returns the files written."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError.single(str(out), _("cannot make the folder: {reason}",
                                            reason=exc.strerror or str(exc))) from None
    rules = select(ruleset)
    written: list[Path] = []

    def put(name: str, text: str) -> None:
        path = out / name
        write_file(path, text)  # replaces a planted symlink rather than following it
        written.append(path)

    for rule in rules:
        page = page_of(rule, ruleset)
        if "md" in formats:
            put(f"{rule.id}.md", page_markdown(page))
        if "html" in formats:
            put(f"{rule.id}.html", page_html(page))
    if "md" in formats:
        put("index.md", index_markdown(rules, title))
    if "html" in formats:
        put("index.html", index_html(rules, title))
    return written
