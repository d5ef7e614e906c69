"""One validation run: expand the inputs, load every plan, run the rule set, collect findings."""

from __future__ import annotations

import glob
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from validator.errors import InputError, Problem
from validator.findings import Finding
from validator.loader import PLAN_SUFFIXES, LoadedPlan, load_plan


@dataclass
class Result:
    """What a run produced: the plans it read, the rules it ran, what they found."""

    files: list[str]
    plans: list[LoadedPlan]
    findings: list[Finding]
    rules: list[Any] = field(default_factory=list)
    ruleset: Any = None


def expand_inputs(inputs: tuple[str, ...] | list[str]) -> list[Path]:
    """Files as given; folders searched for plan files; glob patterns expanded. Sorted, unique."""
    out: list[Path] = []
    problems: list[Problem] = []
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file()
                           and p.suffix.lower() in PLAN_SUFFIXES)
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
                   = (), params: dict[str, Any] | None = None) -> Result:
    """Load the plans and the rules, run the rules, return the result."""
    from validator.facts import build_views
    from validator.ruleset import load_ruleset

    paths = expand_inputs(inputs)
    ruleset = load_ruleset(tuple(rule_paths), params)
    plans = load_all(paths)
    findings = ruleset.evaluate([build_views(p) for p in plans])
    return Result([str(p) for p in paths], plans, findings, ruleset.rules, ruleset)
