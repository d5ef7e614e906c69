"""Markdown for a pull-request comment (``--format markdown``): a headline, a table of
findings per file, the findings (up to :data:`MAX_ROWS`, to stay within a comment's size),
the waived findings with their reasons, and the baseline counts."""

from __future__ import annotations

from collections import Counter
from typing import Any

from validator.core.findings import SEVERITIES
from validator.report.sarif_report import RULE_BASE

MAX_ROWS = 200
ICON = {"error": ":x:", "warning": ":warning:", "info": ":information_source:"}
WORDS = {
    "vi": {"error": "lỗi", "warning": "cảnh báo", "info": "thông tin", "file": "tệp",
           "total": "tổng", "rule": "quy tắc", "where": "vị trí", "entity": "đối tượng",
           "message": "nội dung", "reason": "lý do", "approved_by": "người duyệt",
           "expires": "hết hạn", "findings": "Phát hiện", "clean": "Không có phát hiện nào.",
           "headline": "**{n} phát hiện** ({e} lỗi, {w} cảnh báo, {i} thông tin) trong {k}/{f} "
                       "tệp",
           "waived": "Phát hiện được miễn trừ ({n})", "waived_short": "{n} được miễn trừ",
           "baseline": "so với đường cơ sở: {new} mới, {fixed} đã sửa, {same} không đổi",
           "more": "… và {n} phát hiện khác (xem báo cáo đầy đủ)."},
    "en": {"error": "error", "warning": "warning", "info": "info", "file": "file",
           "total": "total", "rule": "rule", "where": "where", "entity": "entity",
           "message": "message", "reason": "reason", "approved_by": "approved by",
           "expires": "expires", "findings": "Findings", "clean": "No findings.",
           "headline": "**{n} findings** ({e} errors, {w} warnings, {i} info) in {k} of {f} "
                       "files",
           "waived": "Waived findings ({n})", "waived_short": "{n} waived",
           "baseline": "against the baseline: {new} new, {fixed} fixed, {same} unchanged",
           "more": "… and {n} more findings (see the full report)."},
}


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


def render(result: Any, options: Any) -> str:
    lang = options.lang
    w = WORDS[lang]
    findings = result.findings
    counts = Counter(f.severity for f in findings)
    per_file: dict[str, Counter[str]] = {}
    for f in findings:
        per_file.setdefault(f.location.file, Counter())[f.severity] += 1
    lines = ["## plancheck", ""]
    headline = (w["headline"].format(n=len(findings), e=counts["error"], w=counts["warning"],
                                     i=counts["info"], k=len(per_file), f=len(result.files))
                if findings else w["clean"])
    extra = []
    if result.waived:
        extra.append(w["waived_short"].format(n=len(result.waived)))
    if result.baseline is not None:
        b = result.baseline
        extra.append(w["baseline"].format(new=b.new, fixed=b.fixed, same=b.unchanged))
    lines += [" · ".join([headline, *extra]), ""]
    if findings:
        levels = SEVERITIES
        rows = [[code(file), *(str(c[s]) for s in levels)] for file, c in per_file.items()]
        rows.append([f"**{w['total']}**", *(f"**{counts[s]}**" for s in levels)])
        lines += _table([w["file"], *(w[s] for s in levels)], rows, right=3) + [""]
        lines += [f"### {w['findings']}", ""]
        rows = [[f"{ICON[f.severity]} {w[f.severity]}", rule_link(f.rule), code(f.location),
                 code(f.entity), cell(f.message_in(lang))]
                for f in findings[:MAX_ROWS]]
        lines += _table(["", w["rule"], w["where"], w["entity"], w["message"]], rows) + [""]
        if len(findings) > MAX_ROWS:
            lines += [w["more"].format(n=len(findings) - MAX_ROWS), ""]
    if result.waived:
        rows = [[rule_link(x.finding.rule), code(x.finding.location), code(x.finding.entity),
                 cell(x.waiver.reason), cell(x.waiver.approved_by or ""),
                 cell(x.waiver.expires.isoformat() if x.waiver.expires else "")]
                for x in result.waived[:MAX_ROWS]]
        lines += [f"<details><summary>{w['waived'].format(n=len(result.waived))}</summary>", ""]
        lines += _table([w["rule"], w["where"], w["entity"], w["reason"], w["approved_by"],
                         w["expires"]], rows)
        lines += ["", "</details>", ""]
    return "\n".join(lines).rstrip("\n") + "\n"
