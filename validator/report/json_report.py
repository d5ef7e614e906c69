"""The JSON report: a documented, versioned schema (docs/json-report.md)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from validator import __version__
from validator.core.findings import SEVERITIES
from validator.core.i18n import render as render_text

SCHEMA = "https://w3id.org/plancheck/report/1"


def render(result: Any, options: Any) -> str:
    lang = options.lang
    counts = Counter(f.severity for f in result.findings)
    data = {
        "$schema": SCHEMA,
        "version": 1,
        "tool": {"name": "plancheck", "version": __version__},
        "lang": lang,
        "files": result.files,
        "summary": {
            "plans": result.plan_count,
            "rules": len(result.rules),
            "findings": len(result.findings),
            "by_severity": {s: counts.get(s, 0) for s in SEVERITIES},
            "waived": len(result.waived),
            "notes": len(result.notes),
        },
        "findings": [f.to_dict(lang) for f in result.findings],
        "waived": [w.to_dict(lang) for w in result.waived],  # with their waiver
        "baseline": result.baseline.to_dict() if result.baseline is not None else None,
        "notes": [f.to_dict(lang) for f in result.notes],  # about the run, not the plans
    }
    skipped = getattr(result, "skipped", [])
    if skipped:  # files of scanned folders that are not plans, with why
        data["skipped"] = [{"file": file, "reason": render_text(why, lang)}
                           for file, why in skipped]
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
