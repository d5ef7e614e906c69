"""Reporters: a run's findings rendered in one format. Each format is a module with a
``render(result, options) -> str`` function, registered in :data:`REPORTERS`; the CLI's
``--format`` choices are this registry's keys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from validator.core.text import printable
from validator.report import (
    github_report,
    html_report,
    json_report,
    junit_report,
    markdown_report,
    sarif_report,
    shacl_report,
    text_report,
)


@dataclass(frozen=True)
class ReportOptions:
    """How to render: language, colour (terminal only), the --fail-on threshold."""

    lang: str = "vi"
    color: bool = False
    fail_on: str = "warning"


REPORTERS: dict[str, Callable[[Any, ReportOptions], str]] = {
    "text": text_report.render,
    "json": json_report.render,
    "sarif": sarif_report.render,
    "junit": junit_report.render,
    "github": github_report.render,
    "markdown": markdown_report.render,
    "shacl": shacl_report.render,
    "html": html_report.render,
}


# formats whose control characters are written \u001b (valid in JSON strings, Turtle and
# JavaScript, and plain text in HTML); the others are read in terminals and logs (\x1b)
_UNICODE_ESCAPES = {"json", "sarif", "shacl", "html"}


def render(result: Any, fmt: str, options: ReportOptions) -> str:
    """Render a run's result in ``fmt``, with the control characters of plan texts (an OSC
    escape, a carriage return, a lone surrogate) shown escaped, in every format."""
    return printable(REPORTERS[fmt](result, options), unicode=fmt in _UNICODE_ESCAPES,
                     colours=options.color)
