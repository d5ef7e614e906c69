"""The text report: findings grouped by file and objective, coloured on a terminal.

Coloured output is written by rich. Without colour (a file, a pipe, CI) the same lines are
written directly, as rich writes them (control codes it drops dropped, tabs expanded to
its tab stops; a test compares the two on random texts): importing and running rich cost
more than the rest of the report.
"""

from __future__ import annotations

import io
from collections import Counter
from itertools import groupby
from typing import Any

from validator.core.i18n import N_, Message, _
from validator.core.i18n import render as render_text
from validator.report.reading import SEVERITY_NAMES, evidence_sentence
from validator.report.trace_text import reviewer_lines

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_DROPPED = dict.fromkeys([7, 8, 11, 12, 13])  # what rich drops: BEL, BS, VT, FF, CR
TAB_SIZE = 8


class Text:
    """A line of the report: texts, each with a style (``Text(text, style)`` then
    ``append``), as rich's ``Text`` is built."""

    __slots__ = ("parts",)

    def __init__(self, text: str = "", style: str = "") -> None:
        self.parts: list[tuple[str, str | None]] = [(text, style)]

    def append(self, text: str, style: str | None = None) -> Text:
        self.parts.append((text, style))
        return self


class Console:
    """Where the report's lines go: rich with colour, else plain lines."""

    def __init__(self, color: bool) -> None:
        self.buffer = io.StringIO()
        self.rich: Any = None
        if color:
            from rich.console import Console as RichConsole  # only for a terminal

            self.rich = RichConsole(file=self.buffer, force_terminal=True, no_color=False,
                                    width=100, highlight=False, soft_wrap=True)

    def print(self, line: Text) -> None:
        if self.rich is not None:
            from rich.text import Text as RichText

            (first, base), *rest = line.parts
            text = RichText(first, style=base or "")
            for part, style in rest:
                text.append(part, style=style)
            self.rich.print(text)
        else:
            self.buffer.write(plain_line("".join(part for part, _ in line.parts)))

    def getvalue(self) -> str:
        return self.buffer.getvalue()


def plain_line(text: str) -> str:
    """``text`` as rich prints it without colour and without wrapping, with its newline."""
    text = text.translate(_DROPPED)
    if "\t" in text:
        text = "\n".join(_expand_tabs(line) for line in text.split("\n"))
    return text + "\n"


def _expand_tabs(line: str) -> str:
    """Each tab a space, then spaces to the next tab stop, counted in terminal cells (a
    wide character is two), as rich's ``Text.expand_tabs`` does."""
    from rich.cells import cell_len  # only for a line with a tab

    out, position = [], 0
    *tabbed, last = line.split("\t")
    for part in tabbed:
        part += " "
        position += cell_len(part)
        if position % TAB_SIZE:
            part += " " * (TAB_SIZE - position % TAB_SIZE)
            position += TAB_SIZE - position % TAB_SIZE
        out.append(part)
    return "".join([*out, last])


def summary(findings: list[Any], files: int) -> Message:
    """``2 findings (1 error, 1 warning, 0 info) in 1 file``, counted right in each
    language."""
    counts = Counter(f.severity for f in findings)
    return _("{findings} ({errors}, {warnings}, {infos}) in {files}",
             findings=N_("{n} finding", "{n} findings", len(findings)),
             errors=N_("{n} error", "{n} errors", counts["error"]),
             warnings=N_("{n} warning", "{n} warnings", counts["warning"]),
             infos=N_("{n} info", "{n} info", counts["info"]),
             files=N_("{n} file", "{n} files", files))


def render(result: Any, options: Any) -> str:
    lang, color = options.lang, options.color
    console = Console(color)
    for file, in_file in groupby(result.findings, key=lambda f: f.location.file):
        console.print(Text(file, style="bold underline"))
        by_objective = sorted(in_file, key=lambda f: (f.objective or "", f.sort_key()))
        for objective, group in groupby(by_objective, key=lambda f: f.objective or ""):
            header = (render_text(_("objective {id}", id=objective), lang) if objective
                      else render_text(_("plan"), lang))
            console.print(Text(f"  {header}", style="bold"))
            for f in group:
                line = Text("    ")
                line.append(f.location.render(lang), style="dim")
                line.append("  ")
                line.append(f"{render_text(SEVERITY_NAMES[f.severity], lang):<9}",
                            style=STYLE[f.severity])
                line.append(f" {f.rule:<9} ", style="bold")
                line.append(f.message_in(lang))
                console.print(line)
                seen = evidence_sentence(f, lang) if f.trace is None else ""
                if seen:  # a trace shows the values itself
                    console.print(Text(" " * 6 + render_text(
                        _("looked at: {values}", values=seen), lang), style="dim"))
                if f.trace is not None:  # validate --explain (authoring/explain.py)
                    for why in reviewer_lines(f.trace, lang, " " * 6):
                        console.print(Text(why, style="dim"))
    if any(f.trace is not None for f in result.findings):  # the raw view is elsewhere
        console.print(Text(render_text(_(
            "(a rule's conditions and computed values: plancheck explain RULE PLAN --raw)"),
            lang), style="dim"))
    _ci_sections(console, result, lang)  # summary table, waived, baseline
    if result.findings:
        console.print(Text(render_text(summary(result.findings, len(result.files)), lang)))
    else:
        console.print(Text(render_text(_("No findings."), lang)))
    skipped = getattr(result, "skipped", [])
    if skipped:  # files of scanned folders that are not plans
        console.print(Text(N_("Skipped {n} file that is not a plan:",
                              "Skipped {n} files that are not plans:",
                              len(skipped)).render(lang), style="bold"))
        for file, why in skipped:
            console.print(Text(f"    {file}: {render_text(why, lang)}", style="dim"))
    return console.getvalue()


# --- the summary table by rule, waived findings, baseline counts ---

def _ci_sections(console: Console, result: Any, lang: str) -> None:
    def say(message: Message) -> str:
        return render_text(message, lang)

    if result.findings:
        by_rule: dict[str, list[Any]] = {}
        for f in result.findings:
            by_rule.setdefault(f.rule, []).append(f)
        rows = [(rule, say(SEVERITY_NAMES[group[0].severity]), str(len(group)),
                 str(len({f.location.file for f in group})), group[0].title_in(lang),
                 group[0].severity)
                for rule, group in sorted(by_rule.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
        head = (say(_("rule")), say(_("severity")), say(_("findings")), say(_("files")),
                say(_("title")))
        width = [max(len(head[i]), *(len(r[i]) for r in rows)) for i in range(4)]
        console.print(Text(f"{head[0]:<{width[0]}}  {head[1]:<{width[1]}}  {head[2]:>{width[2]}}"
                           f"  {head[3]:>{width[3]}}  {head[4]}", style="bold"))
        for rule, level, count, files, title, severity in rows:
            line = Text(f"{rule:<{width[0]}}  ")
            line.append(f"{level:<{width[1]}}", style=STYLE[severity])
            line.append(f"  {count:>{width[2]}}  {files:>{width[3]}}  {title}")
            console.print(line)
    if result.waived:
        console.print(Text(say(_("Waived ({n}):", n=len(result.waived))), style="bold"))
        for w in result.waived:
            f, waiver = w.finding, w.waiver
            extra = "".join(f"; {say(k)}: {v}" for k, v in (
                (_("approved by"), waiver.approved_by),
                (_("expires"), render_text(waiver.expires, lang) if waiver.expires else None))
                if v)
            line = Text("    ")
            line.append(f.location.render(lang), style="dim")
            reason = say(_("reason"))
            line.append(f"  {f.rule:<9} {f.entity}  {reason}: {waiver.reason}{extra}")
            console.print(line)
    notes = getattr(result, "notes", [])
    if notes:
        console.print(Text(say(_("Notes of the run ({n}):", n=len(notes))), style="bold"))
        for note in notes:
            line = Text("    ")
            line.append(note.location.render(lang), style="dim")
            line.append(f"  {note.rule:<9} {note.message_in(lang)}")
            console.print(line)
    if result.baseline is not None:
        b = result.baseline
        console.print(Text(say(_("Against the baseline {file}: {new} new, {fixed} fixed, "
                                 "{same} unchanged", file=b.file, new=b.new, fixed=b.fixed,
                                 same=b.unchanged))))
