"""Worker processes of a batch, each loading and checking one file at a time under the
run's limits, and keeping what it loaded until the run asks for it.

Why a pool of its own rather than :class:`concurrent.futures.ProcessPoolExecutor`: a file
that hangs must be stopped without stopping the run, so the parent knows which worker holds
which file, since when, and kills that worker alone; a dead worker (the OOM killer) is a
located error for its file, not a broken pool; and linked plans stay where they were
loaded until a group needs them, so only findings and plan headers cross processes.

Workers are forked where the system can (they inherit the compiled rule set: nothing to
compile) and spawned elsewhere (they load it from the cache on disk). They ignore Ctrl-C:
the parent stops them and reports the interruption once.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from validator.core.errors import InputError, Problem
from validator.core.findings import Finding
from validator.core.i18n import Number, _
from validator.load import load_plan
from validator.pipeline.check import check
from validator.plan.loaded import LoadedPlan
from validator.rulelang.cache import load_ruleset
from validator.rulelang.ruleset import RuleSet

DEFAULT_TIMEOUT = 300.0  # seconds per file: a 100,000-target plan takes about a minute
DEFAULT_MEMORY_MB = 4096  # address space per worker process
#: files sent to a worker ahead of its answers: it starts the next file while the parent
#: takes in the last one's findings (a commune plan takes a few milliseconds to check, about
#: what the parent's wake-up takes on a busy machine, during which the worker would idle)
IN_FLIGHT = 2


@dataclass(frozen=True)
class Limits:
    """Per-file limits of a batch (None: no limit)."""

    timeout: float | None = DEFAULT_TIMEOUT
    memory_mb: int | None = DEFAULT_MEMORY_MB


DEFAULT_LIMITS = Limits()


#: what a worker says about one file: its plan's (id, parent), findings, problems
Header = tuple[str, str | None]
Outcome = tuple[Header | None, list[Finding], list[Problem]]

_RULESET: RuleSet | None = None  # a forked worker's rule set, inherited from the parent


def timeout_problem(file: str, seconds: float) -> Problem:
    return Problem(file, _("loading and checking this file took longer than the limit of "
                           "{seconds} seconds (--timeout); it was stopped",
                           seconds=Number(seconds)))


def memory_problem(file: str, megabytes: int | None) -> Problem:
    if megabytes is None:
        return Problem(file, _("loading and checking this file ran out of memory"))
    return Problem(file, _("loading and checking this file needed more than the limit of "
                           "{megabytes} MB (--memory-limit)", megabytes=Number(megabytes)))


def _dead_problem(file: str, code: int | None) -> Problem:
    how = (_("killed by signal {signal}", signal=-code) if code is not None and code < 0
           else _("exit code {code}", code=code))
    return Problem(file, _("the worker process checking this file stopped ({how}); the "
                           "file was not checked", how=how))


def check_one(path: str, ruleset: RuleSet, memory_mb: int | None,
              given: dict[str, Any] | None = None) -> tuple[Outcome, LoadedPlan | None]:
    """Load and check one file (``given``: header fields from ``--plan``): its outcome, and
    the plan loaded (None when it failed)."""
    try:
        plan = load_plan(Path(path), given)
        findings = check([plan], ruleset)
    except InputError as exc:
        return (None, [], exc.problems), None
    except MemoryError:
        return (None, [], [memory_problem(path, memory_mb)]), None
    header = plan.plan.plan
    return ((header.id, header.parent), findings, []), plan


def _serve(conn: Connection, rule_paths: tuple[str, ...], params: dict[str, Any] | None,
           limits: Limits, given: dict[str, Any] | None = None) -> None:
    """A worker's loop: ``("file", path)`` -> its outcome; ``("plans", files)`` -> the
    plans it loaded of those files; ``("stop",)``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent reports Ctrl-C, once
    if limits.memory_mb is not None:
        try:
            import resource

            size = limits.memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (size, size))
        except (ImportError, ValueError, OSError):  # no such limit here: the timeout remains
            pass
    try:
        ruleset = _RULESET or load_ruleset(rule_paths, params)
    except InputError as exc:
        conn.send(("broken", exc.problems))
        return
    kept: dict[str, LoadedPlan] = {}
    while True:
        message = conn.recv()
        if message[0] == "file":
            outcome, plan = check_one(message[1], ruleset, limits.memory_mb, given)
            if plan is not None:
                kept[message[1]] = plan
            conn.send(("done", message[1], outcome))
        elif message[0] == "plans":
            conn.send(("plans", {f: kept[f] for f in message[1] if f in kept}))
        else:
            return


@dataclass
class _Worker:
    process: Any
    conn: Connection
    started: float = 0.0  # when it started the first of ``sent``, as far as the parent knows
    files: list[str] | None = None  # the files whose plans it keeps
    sent: deque[str] = field(default_factory=deque)  # files sent, not answered, in order

    @property
    def file(self) -> str | None:
        """The file it is checking (the first of those sent and not answered)."""
        return self.sent[0] if self.sent else None


class Pool:
    """``count`` workers checking files one at a time, with the run's limits."""

    def __init__(self, count: int, ruleset: RuleSet, rule_paths: tuple[str, ...],
                 params: dict[str, Any] | None, limits: Limits,
                 given: dict[str, Any] | None = None) -> None:
        global _RULESET
        methods = multiprocessing.get_all_start_methods()
        self.context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        _RULESET = ruleset if "fork" in methods else None
        self.args = (rule_paths, params, limits, given)
        self.given = given
        self.limits = limits
        self.workers = [self._start() for _ in range(count)]
        self.owner: dict[str, _Worker] = {}  # file -> the worker that keeps its plan
        self.queue: deque[str] = deque()  # the files of the run not yet sent

    def _start(self) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_serve, args=(child, *self.args), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent, files=[])

    def run(self, files: list[str], done: Callable[[str, Outcome], None]) -> None:
        """Check every file; ``done(file, outcome)`` as each finishes (in any order)."""
        queue = deque(files)
        self.queue = queue
        while queue or any(w.file is not None for w in self.workers):
            for worker in self.workers:
                while queue and len(worker.sent) < IN_FLIGHT:
                    if not worker.sent:
                        worker.started = time.monotonic()
                    worker.sent.append(queue.popleft())
                    worker.conn.send(("file", worker.sent[-1]))
            busy = [w for w in self.workers if w.file is not None]
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy],
                         timeout=self._next_deadline(busy))
            for worker in busy:
                if worker.conn in ready or worker.process.sentinel in ready:
                    self._receive(worker, done)
            for worker in [w for w in self.workers if w.file is not None]:
                if (self.limits.timeout is not None
                        and time.monotonic() - worker.started > self.limits.timeout):
                    file = worker.file
                    self._replace(worker)
                    done(file, (None, [], [timeout_problem(file, self.limits.timeout)]))

    def _next_deadline(self, busy: list[_Worker]) -> float | None:
        if self.limits.timeout is None or not busy:
            return None
        now = time.monotonic()
        return max(0.0, min(w.started + self.limits.timeout - now for w in busy)) + 0.01

    def _receive(self, worker: _Worker, done: Callable[[str, Outcome], None]) -> None:
        file = worker.file
        assert file is not None
        try:
            if not worker.conn.poll():
                raise EOFError
            message = worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join(5)
            code = worker.process.exitcode
            self._replace(worker)
            done(file, (None, [], [_dead_problem(file, code)]))
            return
        if message[0] == "broken":
            raise InputError(message[1])
        worker.sent.popleft()
        worker.started = time.monotonic()  # it has started the next one sent, if any
        outcome = message[2]
        if outcome[0] is not None and worker.files is not None:
            worker.files.append(file)
            self.owner[file] = worker
        done(file, outcome)

    def _replace(self, worker: _Worker) -> None:
        """Stop ``worker`` (its kept plans are lost: they are read again if needed) and put
        a new one in its place; the files sent to it after the one it was checking go back
        to the front of the queue."""
        worker.sent.popleft()
        self.queue.extendleft(reversed(worker.sent))
        worker.process.kill()
        worker.process.join()
        worker.conn.close()
        for file in worker.files or []:
            if self.owner.get(file) is worker:
                del self.owner[file]
        self.workers[self.workers.index(worker)] = self._start()

    def plans(self, files: list[str]) -> dict[str, LoadedPlan]:
        """The plans of ``files`` as their workers loaded them (a plan whose worker was
        replaced is loaded again here)."""
        found: dict[str, LoadedPlan] = {}
        wanted: dict[int, list[str]] = {}
        for file in files:
            worker = self.owner.get(file)
            if worker is not None:
                wanted.setdefault(id(worker), []).append(file)
        for worker in self.workers:
            if id(worker) in wanted:
                worker.conn.send(("plans", wanted[id(worker)]))
                found.update(worker.conn.recv()[1])
        for file in files:
            if file not in found:
                found[file] = load_plan(Path(file), self.given)
        return found

    def close(self) -> None:
        for worker in self.workers:
            with contextlib.suppress(OSError):
                worker.conn.send(("stop",))
        for worker in self.workers:
            worker.process.join(2)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()

    def kill(self) -> None:
        """Stop every worker now (Ctrl-C)."""
        for worker in self.workers:
            worker.process.kill()
        for worker in self.workers:
            worker.process.join()


def available_cpus() -> int:
    """The CPUs this process may use: its affinity, and a cgroup's quota where there is
    one (a container's ``os.cpu_count()`` is the host's)."""
    try:
        count = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        count = os.cpu_count() or 1
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            count = min(count, max(1, int(int(quota) // int(period))))
    except (OSError, ValueError):
        pass
    return max(1, count)
