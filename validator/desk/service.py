"""What a reviewer does at the desk, as operations on the store: receive uploads, read a
submission, accept findings, change its status, remark on it, compare its versions and
overview a planning cycle. The API and the pages both call these."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from validator.core.findings import Finding, Location
from validator.core.i18n import _
from validator.desk.intake import Refused, expand, safe_name
from validator.desk.jobs import Queue, waivers_yaml
from validator.desk.settings import Settings
from validator.desk.store import Blobs, Event, Report, Submission, Waiver, now
from validator.findings.baseline import compare, key

STATUSES = ("received", "in_review", "returned", "accepted")
STATUS_TEXT = {"received": _("received"), "in_review": _("in review"),
               "returned": _("returned"), "accepted": _("accepted")}
SEVERITY_TEXT = {"error": _("Error"), "warning": _("Warning"), "info": _("Note")}
STATE_TEXT = {"queued": _("queued"), "running": _("checking"), "done": _("checked"),
              "invalid": _("cannot be read"), "failed": _("check failed")}


class NotFound(Exception):
    """No such submission or plan."""


@dataclass
class Changes:
    """How a version compares with the one before it (the baseline logic)."""

    previous: Submission | None
    fixed: list[dict[str, Any]]
    new: list[dict[str, Any]]
    unchanged: list[dict[str, Any]]


class Desk:
    """The desk's operations over its store, blobs and queue."""

    def __init__(self, settings: Settings, sessions: sessionmaker, blobs: Blobs,
                 queue: Queue) -> None:
        self.settings = settings
        self.sessions = sessions
        self.blobs = blobs
        self.queue = queue
        self._cycles: dict[tuple[Any, ...], dict[str, Any]] = {}

    # --- receiving -------------------------------------------------------------------

    def submit(self, files: list[tuple[str, bytes]], pack: tuple[str, bytes] | None,
               actor: str) -> tuple[str, list[Submission]]:
        """Store uploaded files (a zip: each plan file in it) and queue their checks; the
        batch id and the submissions made. Nothing is stored when any file is refused."""
        uploads = [u for name, data in files
                   for u in expand(name, data, self.settings.max_upload,
                                   self.settings.max_zip_members)]
        if not uploads:
            raise Refused(_("no file was uploaded"))
        pack_sha = None
        if pack is not None:
            if len(pack[1]) > self.settings.max_upload:
                raise Refused(_("the rule pack is larger than the upload limit"))
            pack_sha = self.blobs.put(pack[1])
        batch = uuid.uuid4().hex
        made = []
        with self.sessions.begin() as db:
            for upload in uploads:
                sub = Submission(filename=upload.name, blob=self.blobs.put(upload.data),
                                 size=len(upload.data), pack=pack_sha, batch=batch,
                                 state="queued", attempts=0, status="received",
                                 created_at=now())
                db.add(sub)
                db.flush()
                db.add(Event(submission_id=sub.id, actor=actor, status="received", at=now()))
                made.append(sub)
        self.queue.wake()
        return batch, made

    # --- reading ---------------------------------------------------------------------

    def get(self, sub_id: int) -> Submission:
        with self.sessions() as db:
            sub = db.get(Submission, sub_id)
        if sub is None:
            raise NotFound(sub_id)
        return sub

    def recent(self, limit: int = 200, batch: str | None = None) -> list[Submission]:
        query = select(Submission).order_by(Submission.id.desc()).limit(limit)
        if batch:
            query = query.where(Submission.batch == batch)
        with self.sessions() as db:
            return list(db.scalars(query).all())

    def report(self, sub_id: int, kind: str) -> bytes | None:
        with self.sessions() as db:
            found = db.get(Report, (sub_id, kind))
        return found.body if found else None

    def events(self, sub_id: int) -> list[Event]:
        with self.sessions() as db:
            return list(db.scalars(select(Event).where(Event.submission_id == sub_id)
                                   .order_by(Event.id)).all())

    def waivers(self, plan_id: str | None = None) -> list[Waiver]:
        query = select(Waiver).order_by(Waiver.id)
        if plan_id is not None:
            query = query.where(Waiver.plan_id == plan_id)
        with self.sessions() as db:
            return list(db.scalars(query).all())

    def waivers_file(self, plan_id: str | None = None) -> str:
        return waivers_yaml(self.waivers(plan_id))

    def versions(self, plan_id: str) -> list[Submission]:
        with self.sessions() as db:
            found = list(db.scalars(select(Submission).where(Submission.plan_id == plan_id)
                                    .order_by(Submission.id)).all())
        if not found:
            raise NotFound(plan_id)
        return found

    def pending(self, ids: list[int]) -> int:
        """How many of these submissions still wait for their check."""
        with self.sessions() as db:
            return db.scalar(select(func.count()).where(Submission.id.in_(ids)).where(
                Submission.state.in_(("queued", "running")))) or 0

    def progress(self, batch: str) -> dict[str, int]:
        with self.sessions() as db:
            rows = db.execute(select(Submission.state, func.count()).where(
                Submission.batch == batch).group_by(Submission.state)).all()
        return {state: n for state, n in rows}

    # --- reviewing -------------------------------------------------------------------

    def accept(self, sub_id: int, rule: str, entity: str, reason: str, reviewer: str) -> None:
        """Accept a finding of a checked submission: a waiver for its plan, from this
        version on; the submission is checked again with it."""
        reason = reason.strip()
        if not reason:
            raise Refused(_("give the reason the finding is accepted"))
        with self.sessions.begin() as db:
            sub = db.get(Submission, sub_id)
            if sub is None or sub.plan_id is None:
                raise NotFound(sub_id)
            if not any(f["rule"] == rule and f["entity"]["id"] == entity
                       for f in (sub.result or {}).get("findings", [])):
                raise Refused(_("the submission has no finding {rule} on {entity}",
                                rule=rule, entity=entity))
            db.add(Waiver(plan_id=sub.plan_id, rule=rule, entity=entity, reason=reason,
                          reviewer=reviewer, submission_id=sub_id, created_at=now()))
            db.add(Event(submission_id=sub_id, actor=reviewer, rule=rule, entity=entity,
                         remark=reason, at=now()))
            sub.state = "queued"
        self.queue.wake()

    def set_status(self, sub_id: int, status: str, actor: str, remark: str = "") -> None:
        if status not in STATUSES:
            raise Refused(_("unknown status {status!r}", status=status))
        with self.sessions.begin() as db:
            sub = db.get(Submission, sub_id)
            if sub is None:
                raise NotFound(sub_id)
            sub.status = status
            db.add(Event(submission_id=sub_id, actor=actor, status=status,
                         remark=remark.strip() or None, at=now()))

    def remark(self, sub_id: int, actor: str, text: str, rule: str | None = None,
               entity: str | None = None) -> None:
        if not text.strip():
            raise Refused(_("the remark is empty"))
        with self.sessions.begin() as db:
            if db.get(Submission, sub_id) is None:
                raise NotFound(sub_id)
            db.add(Event(submission_id=sub_id, actor=actor, remark=text.strip(),
                         rule=rule or None, entity=entity or None, at=now()))

    # --- versions and cycles ---------------------------------------------------------

    def changes(self, sub: Submission) -> Changes:
        """What this version fixed, what is new in it and what is unchanged since the
        version before it (:func:`validator.findings.baseline.compare`)."""
        current = (sub.result or {}).get("findings", [])
        previous = None
        if sub.plan_id is not None and sub.version and sub.version > 1:
            earlier = [s for s in self.versions(sub.plan_id)
                       if s.version == sub.version - 1]
            previous = earlier[0] if earlier else None
        if previous is None:
            return Changes(None, [], [], current)
        before = (previous.result or {}).get("findings", [])
        base = Path("/versions/baseline.json")
        accepted = Counter(key(_finding(f), base.parent) for f in before)
        made = [_finding(f) for f in current]
        new_ones, comparison = compare(made, base, accepted, [_FILE])
        new_ids = {id(f) for f in new_ones}
        new = [d for f, d in zip(made, current, strict=True) if id(f) in new_ids]
        unchanged = [d for f, d in zip(made, current, strict=True) if id(f) not in new_ids]
        by_key = {(f["rule"], f["entity"]["id"]): f for f in before}
        fixed = [by_key.get((e["rule"], e["entity"]),
                            {"rule": e["rule"], "entity": {"id": e["entity"]}})
                 for e in comparison.fixed_entries]
        return Changes(previous, fixed, new, unchanged)

    def latest(self, plan_ids: list[str]) -> dict[str, Submission]:
        out: dict[str, Submission] = {}
        with self.sessions() as db:
            for sub in db.scalars(select(Submission).where(Submission.plan_id.in_(plan_ids))
                                  .order_by(Submission.id)).all():
                out[sub.plan_id] = sub  # type: ignore[index]
        return out

    def cycle(self, parent: str) -> dict[str, Any]:
        """A parent plan and its children: the latest version of each, and the findings
        that only show when they are checked together (roll-ups, phasing across levels)."""
        with self.sessions() as db:
            children = sorted(set(db.scalars(select(Submission.plan_id).where(
                Submission.parent_plan == parent)).all()) - {None})
        members = self.latest([parent, *children])
        if not members:
            raise NotFound(parent)
        checked = [s for s in members.values() if s.state == "done"]
        cross: list[dict[str, Any]] = []
        problems: list[dict[str, Any]] = []
        if len(checked) > 1:
            waivers = self.waivers()
            cache_key = (tuple(s.id for s in checked), tuple(s.checked_at for s in checked),
                         len(waivers))
            found = self._cycles.get(cache_key)
            if found is None:
                files = [(f"{i:03d}-{safe_name(s.filename)}", str(self.blobs.path(s.blob)))
                         for i, s in enumerate(checked)]
                pack = next((s.pack for s in checked if s.plan_id == parent), None)
                found = self.queue.run({"files": files, "reports": False,
                                        "pack": str(self.blobs.path(pack)) if pack else None,
                                        "waivers": waivers_yaml(waivers)})
                self._cycles = {cache_key: found}
            alone = {(f["rule"], f["entity"]["plan"], f["entity"]["id"])
                     for s in checked for f in (s.result or {}).get("findings", [])}
            if found["ok"]:
                cross = [f for f in found["findings"]
                         if (f["rule"], f["entity"]["plan"], f["entity"]["id"]) not in alone]
            else:
                problems = found["problems"]
        return {"parent": parent, "parent_submission": members.get(parent),
                "children": [members[c] for c in children if c in members],
                "cross": cross, "problems": problems}


_FILE = "/versions/plan"


def _finding(data: dict[str, Any]) -> Finding:
    """A stored finding again, placed in one file for every version (versions are compared
    by rule and entity, not by the file's name)."""
    entity = data["entity"]
    return Finding(rule=data["rule"], severity=data["severity"], title=data["title"],
                   message=data["message"], entity_kind=entity["kind"], entity=entity["id"],
                   plan=entity["plan"], objective=entity["objective"],
                   location=Location(_FILE), source=data["source"], tags=tuple(data["tags"]),
                   evidence={})
