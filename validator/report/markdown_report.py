"""Markdown for a pull-request comment (``--format markdown``): a headline, a table of
findings per file, the findings (up to :data:`MAX_ROWS`, to stay within a comment's size),
the waived findings with their reasons, and the baseline counts."""

from __future__ import annotations

from collections import Counter
from typing import Any

from validator.core.findings import SEVERITIES
from validator.core.i18n import N_, _
from validator.core.i18n import render as render_text
from validator.report.reading import SEVERITY_NAMES, Names
from validator.report.sarif_report import RULE_BASE

MAX_ROWS = 200
ICON = {"error": ":x:", "warning": ":warning:", "info": ":information_source:"}



def cell(text: Any) -> str:
    """Text safe inside a table cell (pipes, line breaks, HTML)."""
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("|", "\\|").replace("\r", "").replace("\n", "<br>"))


def code(text: Any) -> str:
    return f"`{cell(text).replace('`', '')}`"


def rule_link(rule: str) -> str:
    return f"[{code(rule)}]({RULE_BASE}{rule})"


def _table(header: list[str], rows: list[list[str]], right: int = 0) -> list[str]:
    align = ["---"] * (len(header) - right) + ["---:"] * right
    return ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |",
            *("| " + " | ".join(row) + " |" for row in rows)]


def headline(findings: list[Any], files_with: int, files: int) -> Any:
    """``**3 findings** (1 error, 2 warnings, 0 info) in 1 of 2 files``, counted right in
    each language."""
    counts = Counter(f.severity for f in findings)
    return _("**{findings}** ({errors}, {warnings}, {infos}) in {some} of {files}",
             findings=N_("{n} finding", "{n} findings", len(findings)),
             errors=N_("{n} error", "{n} errors", counts["error"]),
             warnings=N_("{n} warning", "{n} warnings", counts["warning"]),
             infos=N_("{n} info", "{n} info", counts["info"]), some=files_with,
             files=N_("{n} file", "{n} files", files))


def render(result: Any, options: Any) -> str:
    lang = options.lang

    def say(message: Any) -> str:
        return render_text(message, lang)

    findings = result.findings
    counts = Counter(f.severity for f in findings)
    per_file: dict[str, Counter[str]] = {}
    for f in findings:
        per_file.setdefault(f.location.file, Counter())[f.severity] += 1
    lines = ["## plancheck", ""]
    top = (headline(findings, len(per_file), len(result.files)) if findings
           else _("No findings."))
    extra = []
    if result.waived:
        extra.append(say(N_("{n} waived", "{n} waived", len(result.waived))))
    if result.baseline is not None:
        b = result.baseline
        extra.append(say(_("against the baseline: {new} new, {fixed} fixed, {same} unchanged",
                           new=b.new, fixed=b.fixed, same=b.unchanged)))
    lines += [" · ".join([say(top), *extra]), ""]
    rule, where, entity = say(_("rule")), say(_("where")), say(_("entity"))
    names = Names(result.plans)  # "target O1.T4 "Poverty rate"", as a reviewer names it
    if findings:
        levels = SEVERITIES
        rows = [[code(file), *(str(c[s]) for s in levels)] for file, c in per_file.items()]
        total = say(_("total"))
        rows.append([f"**{total}**", *(f"**{counts[s]}**" for s in levels)])
        lines += _table([say(_("file")), *(say(SEVERITY_NAMES[s]) for s in levels)], rows,
                        right=3) + [""]
        lines += ["### " + say(_("Findings")), ""]
        rows = [[f"{ICON[f.severity]} {say(SEVERITY_NAMES[f.severity])}", rule_link(f.rule),
                 code(f.location), cell(names.entity(f, lang)), cell(f.message_in(lang))]
                for f in findings[:MAX_ROWS]]
        lines += _table(["", rule, where, entity, say(_("message"))], rows) + [""]
        if len(findings) > MAX_ROWS:
            lines += [say(N_("… and {n} more finding (see the full report).",
                             "… and {n} more findings (see the full report).",
                             len(findings) - MAX_ROWS)), ""]
    if result.waived:
        rows = [[rule_link(x.finding.rule), code(x.finding.location),
                 cell(names.entity(x.finding, lang)),
                 cell(x.waiver.reason), cell(x.waiver.approved_by or ""),
                 cell(say(x.waiver.expires) if x.waiver.expires else "")]
                for x in result.waived[:MAX_ROWS]]
        waived = say(_("Waived findings ({n})", n=len(result.waived)))
        lines += [f"<details><summary>{waived}</summary>", ""]
        lines += _table([rule, where, entity, say(_("reason")), say(_("approver")),
                         say(_("expires"))], rows)
        lines += ["", "</details>", ""]
    return "\n".join(lines).rstrip("\n") + "\n"
