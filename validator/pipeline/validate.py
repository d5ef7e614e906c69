"""A whole validation run: the rule set, the run's policy files, the inputs, every plan
loaded, checked (in one process or many) and narrowed to what is reported.

Everything that can be refused is read before anything is checked, in this order: the rule
set (and the selection against it), the waivers, the baseline, the inputs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from validator.findings.baseline import load_baseline
from validator.findings.policy import apply_policy
from validator.findings.result import Result
from validator.findings.selection import Selection, check_rules
from validator.findings.waivers import load_waivers
from validator.load import keep_latest, load_all, scan_inputs
from validator.pipeline.batch import check_files
from validator.pipeline.check import check
from validator.pipeline.workers import DEFAULT_LIMITS, Limits
from validator.rulelang.cache import load_ruleset


@dataclass(frozen=True)
class Policy:
    """What a run reports of its findings: a selection, the files of its waivers and
    baselines (all optional), and whether findings are grouped."""

    selection: Selection | None = None
    waivers: Path | None = None
    baseline: Path | None = None
    write_baseline: Path | None = None
    group: bool = True  # one finding per rule and plan where the rule groups (--no-group)


def validate(inputs: Sequence[str], rule_paths: Sequence[str] = (),
             params: Mapping[str, Any] | None = None, *, policy: Policy = Policy(),
             jobs: int = 1, progress: bool = False, limits: Limits = DEFAULT_LIMITS,
             keep_plans: bool = True, given: Mapping[str, Any] | None = None,
             latest: bool = False) -> Result:
    """Validate plan files, folders or glob patterns against a rule set (by default the
    bundled pack); ``jobs`` worker processes (0: one per CPU), a progress bar on request,
    per-file ``limits``. Without ``keep_plans`` a batch's plans are not gathered from its
    workers (the result's ``plans`` is then empty: enough for reports that count them).
    ``given`` plan header fields fill in what a workbook does not say (``--plan``);
    ``latest``: of two versions of one plan (the same id), only the newest is checked."""
    ruleset = load_ruleset(tuple(rule_paths), dict(params) if params else None)
    if policy.selection is not None:
        check_rules(policy.selection, ruleset.rules)
    waivers = load_waivers(policy.waivers) if policy.waivers else None
    baseline = ((policy.baseline, load_baseline(policy.baseline))
                if policy.baseline is not None else None)
    paths, skipped = scan_inputs(inputs)
    if latest:  # the versions are compared once loaded: all are loaded here, in-process
        plans, dropped = keep_latest(load_all(paths, given))
        skipped = skipped + dropped
        findings = check(plans, ruleset)
        paths = [Path(p.file) for p in plans]
    else:
        keep = keep_plans or waivers is not None
        plans, findings = check_files(paths, ruleset, tuple(rule_paths),
                                      dict(params) if params else None, jobs, progress,
                                      limits=limits, keep_plans=keep,
                                      given=dict(given) if given else None)
    result = Result([str(p) for p in paths], plans, findings, ruleset.rules, ruleset,
                    checked=None if plans or not paths else len(paths), skipped=skipped)
    return apply_policy(result, policy.selection, waivers, baseline, policy.write_baseline,
                        group=policy.group)
