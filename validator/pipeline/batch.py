"""Batch runs: many plan files checked in one process or by worker processes
(``--jobs N``), under per-file limits, with a progress bar on a terminal.

A small batch stays in one process: starting workers costs more than it saves below about
:data:`BYTES_PER_WORKER` of input per worker. A larger one goes to a
:class:`validator.pipeline.workers.Pool`: each worker loads and checks one file at a time
and sends back only its findings and its plan's id and parent. A plan linked to another
plan of the run (a parent or child, or one sharing its id) is then checked again with its
whole linked group, from the plans the workers kept (read once), so the findings are the
same as in one process. The plans themselves cross processes only when the caller needs
them (``keep_plans``: HTML reports, explanations, waivers, annotated workbooks).

Limits (:class:`validator.pipeline.workers.Limits`): a file that takes longer than
``--timeout`` seconds, or needs more than ``--memory-limit`` MB, is an input error of that
file, and the run goes on with the others; so is a worker that dies.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from validator.core.errors import InputError, Problem
from validator.core.findings import Finding, sort_findings
from validator.load import load_plan
from validator.pipeline.check import check
from validator.pipeline.workers import (
    DEFAULT_LIMITS,
    Limits,
    Outcome,
    Pool,
    available_cpus,
    memory_problem,
    timeout_problem,
)
from validator.plan.loaded import LoadedPlan
from validator.rulelang.ruleset import RuleSet

Advance = Callable[[int], None]
BYTES_PER_WORKER = 256 * 1024  # less input than this per worker: fewer workers


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


def workers(jobs: int, files: list[str] | None = None) -> int:
    """``--jobs`` as a number of processes (0: one per CPU this process may use), fewer
    for a batch too small to share."""
    count = jobs if jobs > 0 else available_cpus()
    if files is not None:
        size = 0
        for file in files:
            with contextlib.suppress(OSError):
                size += Path(file).stat().st_size
        count = min(count, len(files), 1 + size // BYTES_PER_WORKER)
    return max(1, count)


class _Timeout(BaseException):
    """Raised by the alarm inside a file's load (a BaseException: readers' ``except
    Exception`` must not swallow it)."""


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`_Timeout` after ``seconds`` (main thread of a Unix process only)."""
    if (seconds is None or not hasattr(signal, "setitimer")
            or threading.current_thread() is not threading.main_thread()):
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def load_limited(paths: list[str], limits: Limits, advance: Advance | None = None,
                 given: dict[str, Any] | None = None) -> tuple[list[LoadedPlan], list[Problem]]:
    """Load files in this process, each within the time limit; every problem found."""
    plans, problems = [], []
    for path in paths:
        try:
            with _time_limit(limits.timeout):
                plans.append(load_plan(Path(path), given))
        except InputError as exc:
            problems.extend(exc.problems)
        except _Timeout:
            problems.append(timeout_problem(path, limits.timeout or 0))
        except MemoryError:
            problems.append(memory_problem(path, None))
        if advance:
            advance(1)
    return plans, problems


def linked_groups(plans: list[LoadedPlan]) -> list[list[str]]:
    """Files whose plans are linked in a run (parent/child, or the same plan id), in file
    order; groups of one file are left out."""
    return groups_of([(p.file, p.plan.plan.id, p.plan.plan.parent) for p in plans])


def groups_of(headers: list[tuple[str, str, str | None]]) -> list[list[str]]:
    """:func:`linked_groups` from each file's (file, plan id, parent id)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    ids = {plan_id for _, plan_id, _ in headers}
    for file, plan_id, parent_id in headers:
        parent[find("file:" + file)] = find("plan:" + plan_id)
        if parent_id in ids:
            parent[find("plan:" + parent_id)] = find("plan:" + plan_id)
    groups: dict[str, list[str]] = {}
    for file, _, _ in headers:
        groups.setdefault(find("file:" + file), []).append(file)
    return [g for g in groups.values() if len(g) > 1]


def check_files(paths: list[Path], ruleset: RuleSet, rule_paths: tuple[str, ...],
                params: dict[str, Any] | None, jobs: int = 1, progress: bool = False, *,
                limits: Limits = DEFAULT_LIMITS, keep_plans: bool = True,
                given: dict[str, Any] | None = None) -> tuple[list[LoadedPlan], list[Finding]]:
    """Load and check ``paths`` (every load error is reported before anything is checked);
    the plans are returned only with ``keep_plans`` (else an empty list); ``given`` header
    fields fill in what a workbook does not say (``--plan``)."""
    files = [str(p) for p in paths]
    with progress_bar(progress) as task:
        count = workers(jobs, files)
        if count == 1:
            plans, problems = load_limited(files, limits, task("loading", len(files)), given)
            if problems:
                raise InputError(problems)
            advance = task("checking", len(plans))
            findings = check(plans, ruleset)
            advance(len(plans))
            return plans, findings
        pool = Pool(count, ruleset, rule_paths, params, limits, given)
        try:
            return _parallel(pool, files, ruleset, task, keep_plans)
        except BaseException:
            pool.kill()
            raise
        finally:
            pool.close()


def _parallel(pool: Pool, files: list[str], ruleset: RuleSet,
              task: Callable[[str, int], Advance], keep_plans: bool
              ) -> tuple[list[LoadedPlan], list[Finding]]:
    outcomes: dict[str, Outcome] = {}
    advance = task("checking", len(files))

    def done(file: str, outcome: Outcome) -> None:
        outcomes[file] = outcome
        advance(1)

    pool.run(files, done)
    problems = [p for file in files for p in outcomes[file][2]]
    if problems:
        raise InputError(problems)
    headers = [(file, *outcomes[file][0]) for file in files]  # type: ignore[misc]
    groups = groups_of(headers)  # type: ignore[arg-type]
    regrouped = {file for group in groups for file in group}
    findings = [f for file in files if file not in regrouped for f in outcomes[file][1]]
    if groups:
        advance = task("linked plans", len(regrouped))
        order = {file: i for i, file in enumerate(files)}
        kept = pool.plans(sorted(regrouped, key=order.__getitem__))
        for group in groups:
            try:
                findings += check([kept[file] for file in group], ruleset)
            except InputError as exc:
                problems += exc.problems
            advance(len(group))
        if problems:
            raise InputError(sorted(problems, key=lambda p: (order.get(p.file, 0),
                                                             p.line or 0)))
    found = pool.plans(files) if keep_plans else {}
    plans = [found[file] for file in files] if keep_plans else []
    return plans, sort_findings(findings)
