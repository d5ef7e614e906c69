"""The validation queue: submissions wait in the database (state ``queued``) and a bounded
pool of worker processes checks them in order of arrival.

The database is the queue, so a restart loses nothing: work that was queued or running
when the desk stopped is queued again when it starts. A worker that dies (a crash, the
memory limit) breaks only the checks it held: they are queued again, and a submission whose
worker died ``max_attempts`` times is marked failed, its file kept. Each worker process is
replaced after some checks, so memory stays bounded.
"""

from __future__ import annotations

import multiprocessing
import threading
import traceback
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import yaml
from sqlalchemy import delete, select, update
from sqlalchemy.orm import sessionmaker

from validator.desk import worker
from validator.desk.settings import Settings
from validator.desk.store import Blobs, Report, Submission, Waiver, now

TASKS_PER_WORKER = 200


class Queue:
    """The pool and the thread that feeds it from the database."""

    def __init__(self, settings: Settings, sessions: sessionmaker, blobs: Blobs) -> None:
        self.settings = settings
        self.sessions = sessions
        self.blobs = blobs
        self.pool: ProcessPoolExecutor | None = None
        self.running: dict[int, Future] = {}
        self.wakeup = threading.Event()
        self.stopping = False
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        for name in ("work", "packs"):
            (settings.data / name).mkdir(parents=True, exist_ok=True)

    # --- the pool --------------------------------------------------------------------

    def _pool(self) -> ProcessPoolExecutor:
        with self.lock:
            if self.pool is None:
                self.pool = ProcessPoolExecutor(
                    max_workers=self.settings.workers, max_tasks_per_child=TASKS_PER_WORKER,
                    mp_context=multiprocessing.get_context("spawn"), initializer=worker.warm)
            return self.pool

    def _broken(self, pool: ProcessPoolExecutor) -> None:
        with self.lock:
            if self.pool is pool:
                self.pool = None
        pool.shutdown(wait=False, cancel_futures=True)

    def start(self) -> None:
        """Queue again what a stop interrupted, and start feeding the pool."""
        with self.sessions.begin() as db:
            db.execute(update(Submission).where(Submission.state == "running")
                       .values(state="queued"))
        pool = self._pool()
        for _ in range(self.settings.workers):  # start the workers now, not on the first upload
            pool.submit(worker.warm)
        self.thread = threading.Thread(target=self._loop, name="desk-queue", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stopping = True
        self.wakeup.set()
        if self.thread is not None:
            self.thread.join(timeout=30)
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def wake(self) -> None:
        self.wakeup.set()

    def run(self, job: dict[str, Any], timeout: float = 300) -> dict[str, Any]:
        """Run one check in the pool and wait for it (a cycle's plans checked together)."""
        job = {**job, "work": str(self.settings.data / "work"),
               "packs": str(self.settings.data / "packs")}
        return self._pool().submit(worker.check, job).result(timeout=timeout)

    # --- feeding it ------------------------------------------------------------------

    def _loop(self) -> None:
        while not self.stopping:
            self.wakeup.clear()
            try:
                self._dispatch()
            except Exception:  # the database is away for a moment: try again shortly
                traceback.print_exc()
            self.wakeup.wait(timeout=2.0)

    def _dispatch(self) -> None:
        free = self.settings.workers * 2 - len(self.running)  # a little ahead of the pool
        if free <= 0:
            return
        with self.sessions.begin() as db:
            rows = db.scalars(select(Submission).where(Submission.state == "queued")
                              .where(Submission.id.not_in(list(self.running) or [-1]))
                              .order_by(Submission.id).limit(free)).all()
            jobs = []
            for sub in rows:
                sub.state, sub.attempts = "running", sub.attempts + 1
                jobs.append((sub.id, self._job(db, sub)))
        for sub_id, job in jobs:
            pool = self._pool()
            try:
                future = pool.submit(worker.check, job)
            except (BrokenProcessPool, RuntimeError):
                self._broken(pool)
                self._requeue(sub_id, "the worker pool stopped")
                continue
            self.running[sub_id] = future
            future.add_done_callback(lambda f, i=sub_id, p=pool: self._done(i, f, p))

    def annotate(self, sub_id: int, lang: str) -> bytes | None:
        """The annotated workbook of a checked submission in ``lang``, written in the pool
        when first asked for and kept until the submission is checked again."""
        with self.sessions() as db:
            sub = db.get(Submission, sub_id)
            if sub is None or sub.state != "done" or not (sub.result or {}).get("annotatable"):
                return None
            job = {**self._job(db, sub), "reports": False, "annotate": [lang]}
            checked_at = sub.checked_at
        body = self.run(job).get("annotated", {}).get(f"annotated-{lang}")
        if body is not None:
            with self.sessions.begin() as db:
                sub = db.get(Submission, sub_id)
                if sub is not None and sub.checked_at == checked_at:  # not re-checked since
                    db.merge(Report(submission_id=sub_id, kind=f"annotated-{lang}", body=body))
        return body

    def _job(self, db: Any, sub: Submission) -> dict[str, Any]:
        return {
            "files": [(sub.filename, str(self.blobs.path(sub.blob)))],
            "pack": str(self.blobs.path(sub.pack)) if sub.pack else None,
            "waivers": waivers_yaml(db.scalars(select(Waiver).order_by(Waiver.id)).all()),
            "work": str(self.settings.data / "work"),
            "packs": str(self.settings.data / "packs"),
            "reports": True,
        }

    def _done(self, sub_id: int, future: Future, pool: ProcessPoolExecutor) -> None:
        try:
            try:
                out = future.result()
            except BrokenProcessPool:
                self._broken(pool)
                self._requeue(sub_id, "the worker checking it stopped unexpectedly")
            except Exception as exc:  # a bug in a check: the file is kept, the page says so
                self._fail(sub_id, "".join(traceback.format_exception_only(exc)).strip())
            else:
                try:
                    self.record(sub_id, out)
                except Exception as exc:  # never leave a submission "running"
                    traceback.print_exc()
                    self._fail(sub_id, "".join(traceback.format_exception_only(exc)).strip())
        finally:
            self.running.pop(sub_id, None)
            self.wakeup.set()

    def _requeue(self, sub_id: int, why: str) -> None:
        with self.sessions.begin() as db:
            sub = db.get(Submission, sub_id)
            if sub is None:
                return
            if sub.attempts >= self.settings.max_attempts:
                sub.state, sub.error = "failed", why
            else:
                sub.state = "queued"

    def _fail(self, sub_id: int, why: str) -> None:
        with self.sessions.begin() as db:
            sub = db.get(Submission, sub_id)
            if sub is not None:
                sub.state, sub.error = "failed", why

    def record(self, sub_id: int, out: dict[str, Any]) -> None:
        """Store what a check found, and number the versions of its plan."""
        reports = out.pop("reports", {})
        with self.sessions.begin() as db:
            sub = db.get(Submission, sub_id)
            if sub is None:
                return
            sub.checked_at, sub.result, sub.error = now(), out, None
            db.execute(delete(Report).where(Report.submission_id == sub_id))
            db.add_all(Report(submission_id=sub_id, kind=k, body=v) for k, v in reports.items())
            if not out["ok"]:
                sub.state = "invalid"
                return
            plan = out["plans"][0]
            sub.state, sub.plan_id, sub.parent_plan = "done", plan["id"], plan["parent"]
            db.flush()
            versions = db.scalars(select(Submission).where(Submission.plan_id == plan["id"])
                                  .order_by(Submission.id)).all()
            for n, each in enumerate(versions, start=1):
                each.version = n


def waivers_yaml(waivers: list[Waiver]) -> str:
    """The desk's accepted findings as a plancheck waivers file (each scoped to its plan)."""
    entries = [{"rule": w.rule, "entity": w.entity, "plan": w.plan_id, "reason": w.reason,
                "approved_by": f"{w.reviewer}, {w.created_at.date().isoformat()}"}
               for w in waivers]
    if not entries:
        return ""
    header = "# Findings accepted at the plancheck review desk (plancheck validate --waivers)\n"
    return header + yaml.safe_dump(entries, allow_unicode=True, sort_keys=False)
