"""GitHub Actions workflow commands (``--format github``): one ``::error``, ``::warning`` or
``::notice`` line per finding, which GitHub shows as an annotation on the file and line.

Values are escaped as the Actions runner reads them: ``%``, CR and LF in the message, and
also ``:`` and ``,`` in properties (file, title).
"""

from __future__ import annotations

from typing import Any

from validator.core.i18n import N_, _
from validator.core.i18n import render as render_text

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


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
    summary = _("plancheck: {findings}, {waived}, in {files}",
                findings=N_("{n} finding", "{n} findings", len(result.findings)),
                waived=N_("{n} waived", "{n} waived", len(result.waived)),
                files=N_("{n} file", "{n} files", len(result.files)))
    line = render_text(summary, lang)
    if result.baseline is not None:
        b = result.baseline
        line += render_text(_("; against the baseline: {new} new, {fixed} fixed, {same} unchanged",
                         new=b.new, fixed=b.fixed, same=b.unchanged), lang)
    lines.append(line)
    return "\n".join(lines) + "\n"
