"""One finding for one problem: the findings of a rule about many entities of a plan folded
into one, when the rule declares a ``group`` message and at least ``at_least`` entities of
the plan fired (the parameter ``group_at_least``; docs/rule-language.md, "Grouping").

The grouped finding keeps its members: reporters show each entity from them (the JSON
evidence, SARIF's related locations, one comment per cell in an annotated workbook), and
waivers and baselines, applied before grouping, still work per entity.
"""

from __future__ import annotations

import re
from dataclasses import replace

from validator.core.findings import SEVERITY_RANK, Finding, sort_findings

GROUP_PARAM = "group_at_least"  # the rule-set parameter that sets the threshold
GROUP_DEFAULT = 2  # when the rule set does not declare it


def group_findings(findings: list[Finding], at_least: int) -> list[Finding]:
    """``findings`` with each rule's findings about one plan folded into one where the rule
    groups and at least ``at_least`` entities fired; the others unchanged."""
    buckets: dict[tuple[str, str, str], list[Finding]] = {}
    for finding in findings:
        if finding.grouping is not None and not finding.members:
            key = (finding.rule, finding.location.file, finding.plan)
            buckets.setdefault(key, []).append(finding)
    grouped: dict[int, Finding | None] = {}
    for members in buckets.values():
        if len(members) < max(at_least, 2):
            continue
        grouped[id(members[0])] = fold(members)
        grouped.update({id(m): None for m in members[1:]})
    if not grouped:
        return findings
    out = [grouped.get(id(f), f) if id(f) in grouped else f for f in findings]
    return sort_findings([f for f in out if f is not None])


def fold(members: list[Finding]) -> Finding:
    """The finding that stands for ``members`` (one rule, one plan, several entities)."""
    first = members[0]
    texts, total = first.grouping  # type: ignore[misc]
    ids = [m.entity for m in members]
    values = {"count": str(len(members)), "total": str(max(total, len(members))),
              "ids": ", ".join(ids)}
    message = {lang: _fill(text, values) for lang, text in texts.items()}
    worst = max(members, key=lambda m: SEVERITY_RANK[m.severity]).severity
    return replace(first, severity=worst, message=message, entity_kind="plan",
                   entity=first.plan, objective=None,
                   evidence={"count": len(members), "total": max(total, len(members)),
                             "kind": first.entity_kind, "entities": ids},
                   members=tuple(members), trace=None)


_KEPT = re.compile(r"\{\s*(count|total|ids)\s*\}")


def _fill(text: str, values: dict[str, str]) -> str:
    return _KEPT.sub(lambda match: values[match.group(1)], text)
