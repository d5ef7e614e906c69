"""The text report: findings grouped by file and objective, coloured on a terminal."""

from __future__ import annotations

import io
from collections import Counter
from itertools import groupby
from typing import Any

from rich.console import Console
from rich.text import Text

from validator.core.i18n import N_
from validator.core.i18n import render as render_text
from validator.report.trace_text import trace_lines

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
WORDS = {
    "vi": {"error": "lỗi", "warning": "cảnh báo", "info": "thông tin", "plan": "kế hoạch",
           "objective": "mục tiêu", "clean": "Không có phát hiện nào.",
           "summary": "{n} phát hiện ({e} lỗi, {w} cảnh báo, {i} thông tin) trong {f} tệp"},
    "en": {"error": "error", "warning": "warning", "info": "info", "plan": "plan",
           "objective": "objective", "clean": "No findings.",
           "summary": "{n} findings ({e} errors, {w} warnings, {i} info) in {f} files"},
}


def render(result: Any, options: Any) -> str:
    lang, color = options.lang, options.color
    words = WORDS[lang]
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=100,
                      highlight=False, soft_wrap=True)
    for file, in_file in groupby(result.findings, key=lambda f: f.location.file):
        console.print(Text(file, style="bold underline"))
        by_objective = sorted(in_file, key=lambda f: (f.objective or "", f.sort_key()))
        for objective, group in groupby(by_objective, key=lambda f: f.objective or ""):
            header = f"{words['objective']} {objective}" if objective else words["plan"]
            console.print(Text(f"  {header}", style="bold"))
            for f in group:
                line = Text("    ")
                line.append(f.location.render(lang), style="dim")
                line.append("  ")
                line.append(f"{words[f.severity]:<9}", style=STYLE[f.severity])
                line.append(f" {f.rule:<9} ", style="bold")
                line.append(f.message_in(lang))
                console.print(line)
                if f.trace is not None:  # validate --explain (validator/explain.py)
                    for why in trace_lines(f.trace, lang, " " * 6):
                        console.print(Text(why, style="dim"))
    _ci_sections(console, result, lang)  # summary table, waived, baseline
    counts = Counter(f.severity for f in result.findings)
    if result.findings:
        console.print(words["summary"].format(n=len(result.findings), e=counts["error"],
                                              w=counts["warning"], i=counts["info"],
                                              f=len(result.files)))
    else:
        console.print(words["clean"])
    skipped = getattr(result, "skipped", [])
    if skipped:  # files of scanned folders that are not plans
        console.print(Text(N_("Skipped {n} file that is not a plan:",
                              "Skipped {n} files that are not plans:",
                              len(skipped)).render(lang), style="bold"))
        for file, why in skipped:
            console.print(Text(f"    {file}: {render_text(why, lang)}", style="dim"))
    return buffer.getvalue()


# --- the summary table by rule, waived findings, baseline counts ---

CI_WORDS = {
    "vi": {"rule": "quy tắc", "severity": "mức", "title": "tiêu đề", "findings": "phát hiện",
           "files": "tệp", "waived": "Được miễn trừ ({n}):", "reason": "lý do",
           "approved_by": "duyệt", "expires": "hết hạn",
           "baseline": "So với đường cơ sở {file}: {new} mới, {fixed} đã sửa, {same} không đổi"},
    "en": {"rule": "rule", "severity": "severity", "title": "title", "findings": "findings",
           "files": "files", "waived": "Waived ({n}):", "reason": "reason",
           "approved_by": "approved by", "expires": "expires",
           "baseline": "Against the baseline {file}: {new} new, {fixed} fixed, {same} unchanged"},
}


def _ci_sections(console: Console, result: Any, lang: str) -> None:
    words, severity = CI_WORDS[lang], WORDS[lang]
    if result.findings:
        by_rule: dict[str, list[Any]] = {}
        for f in result.findings:
            by_rule.setdefault(f.rule, []).append(f)
        rows = [(rule, group[0].severity, str(len(group)),
                 str(len({f.location.file for f in group})),
                 group[0].title_in(lang))
                for rule, group in sorted(by_rule.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
        head = (words["rule"], words["severity"], words["findings"], words["files"],
                words["title"])
        width = [max(len(head[i]), *(len(severity[r[1]]) if i == 1 else len(r[i])
                                     for r in rows)) for i in range(4)]
        console.print(Text(f"{head[0]:<{width[0]}}  {head[1]:<{width[1]}}  {head[2]:>{width[2]}}"
                           f"  {head[3]:>{width[3]}}  {head[4]}", style="bold"))
        for rule, level, count, files, title in rows:
            line = Text(f"{rule:<{width[0]}}  ")
            line.append(f"{severity[level]:<{width[1]}}", style=STYLE[level])
            line.append(f"  {count:>{width[2]}}  {files:>{width[3]}}  {title}")
            console.print(line)
    if result.waived:
        console.print(Text(words["waived"].format(n=len(result.waived)), style="bold"))
        for w in result.waived:
            f, waiver = w.finding, w.waiver
            extra = "".join(f"; {words[k]}: {v}" for k, v in (
                ("approved_by", waiver.approved_by),
                ("expires", waiver.expires.isoformat() if waiver.expires else None)) if v)
            line = Text("    ")
            line.append(f.location.render(lang), style="dim")
            line.append(f"  {f.rule:<9} {f.entity}  {words['reason']}: {waiver.reason}{extra}")
            console.print(line)
    if result.baseline is not None:
        b = result.baseline
        console.print(words["baseline"].format(file=b.file, new=b.new, fixed=b.fixed,
                                               same=b.unchanged))
