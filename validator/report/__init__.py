"""Reporters: a run's findings rendered in one format. Each format is a module with a
``render(result, options) -> str`` function, registered in :data:`REPORTERS`; the CLI's
``--format`` choices are this registry's keys."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from validator.core.text import printable


@dataclass(frozen=True)
class ReportOptions:
    """How to render: language, colour (terminal only), the --fail-on threshold."""

    lang: str = "vi"
    color: bool = False
    fail_on: str = "warning"


def _reporter(module: str) -> Callable[[Any, ReportOptions], str]:
    """A format's ``render``, its module imported on first use: a run loads only the
    reporter of the format it asks for (the HTML one alone costs more than the check of a
    small plan)."""
    def render(result: Any, options: ReportOptions) -> str:
        found = importlib.import_module(f"validator.report.{module}")
        return found.render(result, options)  # type: ignore[no-any-return]

    render.__name__ = render.__qualname__ = f"{module}.render"
    return render


REPORTERS: dict[str, Callable[[Any, ReportOptions], str]] = {
    "text": _reporter("text_report"),
    "json": _reporter("json_report"),
    "sarif": _reporter("sarif_report"),
    "junit": _reporter("junit_report"),
    "github": _reporter("github_report"),
    "markdown": _reporter("markdown_report"),
    "shacl": _reporter("shacl_report"),
    "html": _reporter("html_report"),
}


# formats whose control characters are written \u001b (valid in JSON strings, Turtle and
# JavaScript, and plain text in HTML); the others are read in terminals and logs (\x1b)
_UNICODE_ESCAPES = {"json", "sarif", "shacl", "html"}


def render(result: Any, fmt: str, options: ReportOptions) -> str:
    """Render a run's result in ``fmt``, with the control characters of plan texts (an OSC
    escape, a carriage return, a lone surrogate) shown escaped, in every format."""
    return printable(REPORTERS[fmt](result, options), unicode=fmt in _UNICODE_ESCAPES,
                     colours=options.color)
