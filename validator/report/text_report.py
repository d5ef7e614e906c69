"""The text report: findings grouped by file and objective, coloured on a terminal."""

from __future__ import annotations

import io
from collections import Counter
from itertools import groupby
from typing import Any

from rich.console import Console
from rich.text import Text

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
                line.append(str(f.location), style="dim")
                line.append("  ")
                line.append(f"{words[f.severity]:<9}", style=STYLE[f.severity])
                line.append(f" {f.rule:<9} ", style="bold")
                line.append(f.message.get(lang) or f.message.get("en", ""))
                console.print(line)
    counts = Counter(f.severity for f in result.findings)
    if result.findings:
        console.print(words["summary"].format(n=len(result.findings), e=counts["error"],
                                              w=counts["warning"], i=counts["info"],
                                              f=len(result.files)))
    else:
        console.print(words["clean"])
    return buffer.getvalue()
