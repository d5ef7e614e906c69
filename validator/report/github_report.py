"""GitHub Actions workflow commands (``--format github``): one ``::error``, ``::warning`` or
``::notice`` line per finding, which GitHub shows as an annotation on the file and line.

Values are escaped as the Actions runner reads them: ``%``, CR and LF in the message, and
also ``:`` and ``,`` in properties (file, title).
"""

from __future__ import annotations

from typing import Any

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}
SUMMARY = {"vi": "plancheck: {n} phát hiện, {w} được miễn trừ, trong {f} tệp",
           "en": "plancheck: {n} findings, {w} waived, in {f} files"}
BASELINE = {"vi": "; so với đường cơ sở: {new} mới, {fixed} đã sửa, {same} không đổi",
            "en": "; against the baseline: {new} new, {fixed} fixed, {same} unchanged"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: Any, options: Any) -> str:
    lang = options.lang
    lines = []
    for f in result.findings:
        props = [f"file={escape_property(f.location.file)}"]
        if f.location.line:
            props.append(f"line={f.location.line}")
            if f.location.column:
                props.append(f"col={f.location.column}")
        title = f.title_in(lang)
        props.append(f"title={escape_property(f'{f.rule}: {title}')}")
        message = f.message_in(lang)
        lines.append(f"::{COMMAND[f.severity]} {','.join(props)}::{escape_data(message)}")
    summary = SUMMARY[lang].format(n=len(result.findings), w=len(result.waived),
                                   f=len(result.files))
    if result.baseline is not None:
        b = result.baseline
        summary += BASELINE[lang].format(new=b.new, fixed=b.fixed, same=b.unchanged)
    lines.append(summary)
    return "\n".join(lines) + "\n"
