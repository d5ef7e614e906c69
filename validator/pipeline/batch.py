"""Batch runs: many plan files checked by worker processes (``--jobs N``), with a progress
bar on a terminal.

Workers are started with ``spawn`` and compile the rule set once each (engines do not
pickle; file paths, rule paths and parameters do). Each worker loads a chunk of files and
checks them together, with :func:`validator.pipeline.check.check` as one process would; a
plan linked to another plan of the run (a parent or child, or one sharing its id) is checked
again with its whole linked group (sent to a worker as loaded, not read again), so the
findings are the same as in one process.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from validator.core.errors import InputError, Problem
from validator.core.findings import Finding, sort_findings
from validator.load import load_plan
from validator.pipeline.check import check
from validator.plan.loaded import LoadedPlan
from validator.rulelang.cache import load_ruleset
from validator.rulelang.ruleset import RuleSet

Advance = Callable[[int], None]
_RULESET: RuleSet | None = None  # the worker's compiled rule set
_INIT_PROBLEMS: list[Problem] = []  # why the worker could not compile it (a rule file changed)


@contextlib.contextmanager
def progress_bar(enabled: bool) -> Iterator[Callable[[str, int], Advance]]:
    """Yield ``task(label, total) -> advance(n)``; draws on stderr only when ``enabled``."""
    if not enabled:
        yield lambda label, total: lambda n: None
        return
    from rich import progress as rp  # only on a terminal: rich's progress costs 30 ms
    from rich.console import Console

    columns = (rp.TextColumn("{task.description}"), rp.BarColumn(), rp.MofNCompleteColumn(),
               rp.TimeElapsedColumn())
    with rp.Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        def task(label: str, total: int) -> Advance:
            handle = bar.add_task(label, total=total)
            return lambda n: bar.advance(handle, n)
        yield task


def workers(jobs: int) -> int:
    """``--jobs`` as a number of processes (0: one per CPU)."""
    return max(1, jobs if jobs > 0 else (os.cpu_count() or 1))


def _load(paths: list[str], advance: Advance | None = None
          ) -> tuple[list[LoadedPlan], list[Problem]]:
    plans, problems = [], []
    for path in paths:
        try:
            plans.append(load_plan(Path(path)))
        except InputError as exc:
            problems.extend(exc.problems)
        if advance:
            advance(1)
    return plans, problems


def _init_worker(rule_paths: tuple[str, ...], params: dict[str, Any] | None) -> None:
    global _RULESET, _INIT_PROBLEMS
    try:
        _RULESET = load_ruleset(rule_paths, params)
    except InputError as exc:  # reported by the tasks: an exception here breaks the pool
        _INIT_PROBLEMS = exc.problems


def _check_chunk(paths: list[str]) -> tuple[list[LoadedPlan], list[Finding], list[Problem]]:
    """Worker: load ``paths`` and check them together (each alone if their ids clash)."""
    if _INIT_PROBLEMS:
        return [], [], _INIT_PROBLEMS
    plans, problems = _load(paths)
    if problems:
        return plans, [], problems
    try:
        findings = check(plans, _RULESET)
    except InputError:  # the clash is reported when the linked group is checked
        findings = [f for p in plans for f in check([p], _RULESET)]
    return plans, findings, []


def _check_group(plans: list[LoadedPlan]) -> tuple[list[Finding], list[Problem]]:
    """Worker: check a group of linked plans together (as loaded by the first pass: a plan
    is read once)."""
    if _INIT_PROBLEMS:
        return [], _INIT_PROBLEMS
    try:
        return check(plans, _RULESET), []
    except InputError as exc:
        return [], exc.problems


def linked_groups(plans: list[LoadedPlan]) -> list[list[str]]:
    """Files whose plans are linked in a run (parent/child, or the same plan id), in file
    order; groups of one file are left out."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    ids = {p.plan.plan.id for p in plans}
    for p in plans:
        header = p.plan.plan
        parent[find("file:" + p.file)] = find("plan:" + header.id)
        if header.parent in ids:
            parent[find("plan:" + header.parent)] = find("plan:" + header.id)
    groups: dict[str, list[str]] = {}
    for p in plans:
        groups.setdefault(find("file:" + p.file), []).append(p.file)
    return [g for g in groups.values() if len(g) > 1]


def check_files(paths: list[Path], ruleset: RuleSet, rule_paths: tuple[str, ...],
                params: dict[str, Any] | None, jobs: int = 1, progress: bool = False
                ) -> tuple[list[LoadedPlan], list[Finding]]:
    """Load and check ``paths`` (every load error is reported before anything is checked)."""
    files = [str(p) for p in paths]
    with progress_bar(progress) as task:
        count = min(workers(jobs), max(1, len(files)))
        if count == 1:
            plans, problems = _load(files, task("loading", len(files)))
            if problems:
                raise InputError(problems)
            advance = task("checking", len(plans))
            findings = check(plans, ruleset)
            advance(len(plans))
            return plans, findings
        return _parallel(files, rule_paths, params, count, task)


def _parallel(files: list[str], rule_paths: tuple[str, ...], params: dict[str, Any] | None,
              count: int, task: Callable[[str, int], Advance]
              ) -> tuple[list[LoadedPlan], list[Finding]]:
    size = max(1, min(32, math.ceil(len(files) / (count * 4))))
    chunks = [files[i:i + size] for i in range(0, len(files), size)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(count, mp_context=context, initializer=_init_worker,
                             initargs=(tuple(rule_paths), params)) as pool:
        advance = task("checking", len(files))
        futures = {pool.submit(_check_chunk, chunk): i for i, chunk in enumerate(chunks)}
        done: dict[int, tuple[list[LoadedPlan], list[Finding], list[Problem]]] = {}
        for future in as_completed(futures):
            done[futures[future]] = future.result()
            advance(len(chunks[futures[future]]))
        ordered = [done[i] for i in range(len(chunks))]
        problems = [p for _, _, found in ordered for p in found]
        if problems:
            raise InputError(list(dict.fromkeys(problems)))  # a worker's rule errors once
        plans = [p for loaded, _, _ in ordered for p in loaded]
        findings = [f for _, found, _ in ordered for f in found]
        groups = linked_groups(plans)
        if groups:
            regrouped = {file for group in groups for file in group}
            findings = [f for f in findings if f.location.file not in regrouped]
            advance = task("linked plans", len(regrouped))
            by_file = {p.file: p for p in plans}
            futures = {pool.submit(_check_group, [by_file[f] for f in g]): i
                       for i, g in enumerate(groups)}
            for future in as_completed(futures):
                found, group_problems = future.result()
                findings += found
                problems += group_problems
                advance(len(groups[futures[future]]))
            if problems:
                order = {file: i for i, file in enumerate(files)}
                raise InputError(sorted(problems, key=lambda p: (order.get(p.file, 0),
                                                                 p.line or 0)))
    return plans, sort_findings(findings)
