"""A run's policy: which of its findings are reported, and how. Selection and severity
overrides (:mod:`.selection`) first, then waivers (:mod:`.waivers`), then the baseline
(:mod:`.baseline`; with ``write_baseline`` the findings are recorded first, and so come out
unchanged)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

from validator.core.findings import sort_findings
from validator.findings import baseline as base
from validator.findings.grouping import GROUP_DEFAULT, GROUP_PARAM, group_findings
from validator.findings.result import Result
from validator.findings.selection import Selection
from validator.findings.waivers import Waiver, apply_waivers


def apply_policy(result: Result, selection: Selection | None = None,
                 waivers: list[Waiver] | None = None,
                 baseline: tuple[Path, Counter[base.Key]] | None = None,
                 write_baseline: Path | None = None, group: bool = True) -> Result:
    """The result as reported: ``baseline`` is a baseline file and the entries read from it
    (read once, before the run, so a malformed one fails before anything is checked);
    then the findings of the rules a pack lists under ``summary:`` become notes of the run;
    last, unless ``group`` is false, each rule's findings about many entities of a plan
    become one (:mod:`.grouping`)."""
    tags = {r.id: r.tags for r in result.rules}
    findings, rules, waived = result.findings, result.rules, result.waived
    if selection is not None:
        findings = selection.apply(findings)
        rules = [r for r in rules if selection.enabled(r.id, r.tags)]
    if waivers:
        def enabled(rule: str) -> bool:
            return selection is None or selection.enabled(rule, tags.get(rule, ()))

        kept, waived, meta = apply_waivers(findings, waivers, result.plans, enabled, set(tags))
        meta = selection.apply(meta) if selection is not None else meta
        findings = sort_findings(kept + meta)
    comparison = None
    if write_baseline is not None:
        written = base.write_baseline(write_baseline, findings)
        if baseline is None:
            baseline = (write_baseline, written)
        elif baseline[0].resolve() == write_baseline.resolve():
            baseline = (baseline[0], written)  # compared with the file as just written
    if baseline is not None:
        path, accepted = baseline
        files = result.files + sorted({w.file for w in waivers or []})
        findings, comparison = base.compare(findings, path, accepted, files,
                                            [w.finding for w in waived])
    summary = {rule for pack in (result.ruleset.packs if result.ruleset else [])
               for rule in pack.summary_rules}
    notes = [f for f in findings if f.rule in summary]
    findings = [f for f in findings if f.rule not in summary] if notes else findings
    if group:
        values = result.ruleset.values if result.ruleset is not None else {}
        findings = group_findings(findings, int(values.get(GROUP_PARAM, GROUP_DEFAULT)))
    return replace(result, findings=findings, rules=rules, waived=waived, baseline=comparison,
                   notes=notes)
