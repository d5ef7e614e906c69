"""Reporters: findings rendered as text or JSON (more formats plug in here)."""

from __future__ import annotations

from typing import Any

from validator.report import json_report, text_report

REPORTERS = {"text": text_report.render, "json": json_report.render}


def render(result: Any, fmt: str, lang: str, color: bool = False) -> str:
    """Render a run's result in ``fmt`` and ``lang``."""
    return REPORTERS[fmt](result, lang=lang, color=color)
