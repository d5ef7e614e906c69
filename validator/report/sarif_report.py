"""SARIF 2.1.0 (``--format sarif``): for GitHub code scanning and other SARIF viewers.

One run; the driver lists the rules with their title, rationale, source and reference page;
each finding is a result with its file, line and column, the entity as a logical location,
and a fingerprint of rule, file and entity; a grouped finding (one for many entities of a
plan) lists each entity as a related location with its own message. Waived findings are
results with an accepted external suppression carrying the waiver's reason; with a
baseline, results are marked new.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from validator import __version__
from validator.core.findings import Finding
from validator.core.i18n import _, in_lang
from validator.core.i18n import render as say
from validator.findings.meta import META_RULES, meta_summary
from validator.report.cite import citation

SCHEMA = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
          "sarif-schema-2.1.0.json")
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
RULE_BASE = "https://w3id.org/plancheck/rules/"  # a rule's IRI and reference page: + its id


def rule_summaries(result: Any) -> dict[str, dict[str, Any]]:
    """Each rule that ran, then each waiver rule that found something, by id: its
    ``Rule.summary()`` (id, severity, title, source, tags, rationale). Shared by reports."""

    out = {r.id: r.summary() for r in result.rules}
    for finding in result.findings:
        if finding.rule not in out and finding.rule in META_RULES:
            out[finding.rule] = meta_summary(finding.rule)
    return out


def artifact_uri(file: str) -> str:
    """A file as a URI reference: relative paths stay relative (to the checkout)."""
    path = Path(file)
    if path.is_absolute():
        return path.as_uri()
    return quote(path.as_posix(), safe="/")


def rule_name(title_en: str) -> str:
    """A rule's English title as an identifier: ``OutcomeTargetLacksABaselineValueOrYear``."""
    return "".join(w[:1].upper() + w[1:] for w in re.findall(r"[A-Za-z0-9]+", title_en))


def fingerprint(finding: Finding) -> str:
    key = "\x1f".join((finding.rule, Path(finding.location.file).as_posix(), finding.entity))
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def descriptor(info: dict[str, Any], lang: str) -> dict[str, Any]:
    title, rationale = info.get("title", {}), info.get("rationale") or {}
    short = in_lang(title, lang) or info["id"]
    full = in_lang(rationale, lang) or short
    uri = RULE_BASE + info["id"]
    source = info.get("source", "")
    cited = citation(source, lang)
    sourced = say(_("Source: {source}.", source=cited), lang) + " " if source else ""
    reference = say(_("Reference"), lang)
    return {
        "id": info["id"],
        "name": rule_name(title.get("en") or info["id"]),
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "helpUri": uri,
        "help": {"text": f"{full} ({cited})" if source else full,
                 "markdown": f"**{short}**\n\n{full}\n\n{sourced}[{reference}]({uri})"},
        "defaultConfiguration": {"level": LEVEL[info.get("severity", "warning")]},
        "properties": {"tags": list(info.get("tags", [])), "source": source},
    }


def location(finding: Finding) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(finding.location.file)}}
    if finding.location.line:
        physical["region"] = {"startLine": finding.location.line}
        if finding.location.column:
            physical["region"]["startColumn"] = finding.location.column
    logical = {"name": finding.entity, "kind": "object",
               "fullyQualifiedName": f"{finding.plan}/{finding.entity}" if finding.plan
               else finding.entity}
    return {"physicalLocation": physical, "logicalLocations": [logical]}


def related(member: Finding, index: int, lang: str) -> dict[str, Any]:
    """One entity of a grouped finding: its place, its name and its own message."""
    return {"id": index, **location(member), "message": {"text": member.message_in(lang)}}


def sarif_result(finding: Finding, index: dict[str, int], lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {"ruleId": finding.rule}
    if finding.rule in index:
        out["ruleIndex"] = index[finding.rule]
    out.update({
        "level": LEVEL[finding.severity],
        "message": {"text": finding.message_in(lang)},
        "locations": [location(finding)],
        "partialFingerprints": {"plancheck/v1": fingerprint(finding)},
        **({"relatedLocations": [related(m, i, lang) for i, m in enumerate(finding.members)]}
           if finding.members else {}),
        "properties": {"entityKind": finding.entity_kind, "plan": finding.plan,
                       "objective": finding.objective, "keyPath": finding.location.path,
                       "source": finding.source, "evidence": finding.evidence},
    })
    return out


def notification(note: Finding, lang: str) -> dict[str, Any]:
    """A note about the run (a rule a pack lists under ``summary:``, such as LNK-01)."""
    return {"level": LEVEL[note.severity], "message": {"text": note.message_in(lang)},
            "descriptor": {"id": note.rule}, "locations": [location(note)]}


def suppression(waiver: Any) -> dict[str, Any]:
    where: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(waiver.file)}}
    if waiver.line:
        where["region"] = {"startLine": waiver.line}
    props = {k: v for k, v in (("approvedBy", waiver.approved_by),
                               ("expires", waiver.expires.isoformat() if waiver.expires
                                else None)) if v}
    out: dict[str, Any] = {"kind": "external", "status": "accepted",
                           "justification": waiver.reason,
                           "location": {"physicalLocation": where}}
    if props:
        out["properties"] = props
    return out


def render(result: Any, options: Any) -> str:
    lang = options.lang
    rules = rule_summaries(result)
    index = {rule_id: i for i, rule_id in enumerate(rules)}
    results = []
    for finding in result.findings:
        item = sarif_result(finding, index, lang)
        if result.baseline is not None:
            item["baselineState"] = "new"
        results.append(item)
    for waived in result.waived:
        item = sarif_result(waived.finding, index, lang)
        item["suppressions"] = [suppression(waived.waiver)]
        results.append(item)
    properties: dict[str, Any] = {"files": len(result.files), "waived": len(result.waived)}
    if result.baseline is not None:
        properties["baseline"] = {k: v for k, v in result.baseline.to_dict().items()
                                  if k != "fixed_findings"}
    run = {
        "tool": {"driver": {
            "name": "plancheck", "version": __version__, "semanticVersion": __version__,
            "informationUri": "https://w3id.org/plancheck", "language": lang,
            "rules": [descriptor(info, lang) for info in rules.values()],
        }},
        "invocations": [{"executionSuccessful": True, **({"toolExecutionNotifications": [
            notification(n, lang) for n in result.notes]} if result.notes else {})}],
        "language": lang,
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": properties,
    }
    data = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
