"""One validation run: expand the inputs, load every plan, run the rule set, collect findings."""

from __future__ import annotations

import glob
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from validator.errors import InputError, Problem
from validator.findings import Finding, sort_findings
from validator.loader import PLAN_SUFFIXES, LoadedPlan, load_plan


@dataclass
class Result:
    """What a run produced: the plans it read, the rules it ran, what they found."""

    files: list[str]
    plans: list[LoadedPlan]
    findings: list[Finding]
    rules: list[Any] = field(default_factory=list)
    ruleset: Any = None
    waived: list[Any] = field(default_factory=list)  # validator.waivers.Waived, in order
    baseline: Any = None  # validator.baseline.Comparison when compared with a baseline


def expand_inputs(inputs: tuple[str, ...] | list[str]) -> list[Path]:
    """Files as given; folders searched for plan files; glob patterns expanded. Sorted, unique."""
    out: list[Path] = []
    problems: list[Problem] = []
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            # office lock files (~$plan.xlsx) and hidden files are not plans
            found = sorted(p for p in path.rglob("*") if p.is_file()
                           and p.suffix.lower() in PLAN_SUFFIXES
                           and not p.name.startswith(("~$", ".")))
            if not found:
                problems.append(Problem(raw, "no plan files in this folder (looked for "
                                        f"{', '.join(sorted(PLAN_SUFFIXES))})"))
            out.extend(found)
        elif path.exists():
            out.append(path)
        elif any(ch in raw for ch in "*?["):
            found = sorted(Path(p) for p in glob.glob(raw, recursive=True) if Path(p).is_file())
            if not found:
                problems.append(Problem(raw, "the pattern matches no file"))
            out.extend(found)
        else:
            problems.append(Problem(raw, "no such file or folder"))
    if problems:
        raise InputError(problems)
    unique: dict[str, Path] = {}
    for p in out:
        unique.setdefault(str(p), p)
    return list(unique.values())


def load_all(paths: list[Path]) -> list[LoadedPlan]:
    """Load every plan; if any cannot be read, refuse the run with every problem found."""
    plans, problems = [], []
    for path in paths:
        try:
            plans.append(load_plan(path))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return plans


def validate_files(inputs: tuple[str, ...] | list[str], rule_paths: tuple[str, ...] | list[str]
                   = (), params: dict[str, Any] | None = None, *, jobs: int = 1,
                   progress: bool = False) -> Result:
    """Load the plans and the rules, run the rules, return the result."""
    from validator.linking import knowledge_base
    from validator.ruleset import load_ruleset

    paths = expand_inputs(inputs)
    ruleset = load_ruleset(tuple(rule_paths), params)
    if jobs != 1 or progress:  # worker processes and/or a progress bar (validator.batch)
        from validator.batch import check_files

        plans, findings = check_files(paths, ruleset, tuple(rule_paths), params, jobs,
                                      progress)
    else:
        plans = load_all(paths)
        findings = ruleset.evaluate(knowledge_base(plans))
    return Result([str(p) for p in paths], plans, findings, ruleset.rules, ruleset)


def apply_policy(result: Result, selection: Any = None, waivers: list[Any] | None = None,
                 baseline: Path | None = None, write_baseline: Path | None = None) -> Result:
    """Narrow a run's findings to what is reported: selection and severity overrides
    (validator.selection), then waivers (validator.waivers), then the baseline
    (validator.baseline: with ``write_baseline`` the findings are recorded first)."""
    from validator import baseline as base
    from validator.selection import check_rules
    from validator.waivers import apply_waivers

    tags = {r.id: r.tags for r in result.rules}
    if selection is not None:
        check_rules(selection, result.rules)
        result.findings = selection.apply(result.findings)
        result.rules = [r for r in result.rules if selection.enabled(r.id, r.tags)]
    if waivers:
        def enabled(rule: str) -> bool:
            return selection is None or selection.enabled(rule, tags.get(rule, ()))

        kept, result.waived, meta = apply_waivers(result.findings, waivers, result.plans,
                                                  enabled, set(tags))
        meta = selection.apply(meta) if selection is not None else meta
        result.findings = sort_findings(kept + meta)
    if write_baseline is not None:
        base.write_baseline(write_baseline, result.findings)
    against = baseline or write_baseline
    if against is not None:
        accepted = base.load_baseline(against)
        files = result.files + sorted({w.file for w in waivers or []})
        result.findings, result.baseline = base.compare(result.findings, against, accepted,
                                                        files, [w.finding for w in result.waived])
    return result
