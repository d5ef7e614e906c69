"""What the desk keeps: submissions, their check results and reports, reviewers' waivers,
status changes and remarks (SQLAlchemy 2; SQLite by default, PostgreSQL by URL), and the
uploaded files themselves, content-addressed under the data folder.

The schema is Alembic's (``migrations/``), brought up to date each time the desk starts.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Submission(Base):
    """One uploaded plan file and what its check found. ``state`` is the queue's
    (queued, running, done, invalid: the file cannot be read, failed: its worker died
    every attempt); ``status`` is the reviewer's (received, in_review, returned,
    accepted)."""

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    filename: Mapped[str] = mapped_column(String(255))
    blob: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    pack: Mapped[str | None] = mapped_column(String(64), nullable=True)  # an uploaded pack's blob
    batch: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    state: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="received")
    plan_id: Mapped[str | None] = mapped_column(String(255), nullable=True, index=True)
    parent_plan: Mapped[str | None] = mapped_column(String(255), nullable=True, index=True)
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    checked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)


class Report(Base):
    """A rendered report of a submission's last check: html-vi, json, sarif, annotated-vi …"""

    __tablename__ = "reports"

    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    body: Mapped[bytes] = mapped_column(LargeBinary)


class Waiver(Base):
    """A finding a reviewer accepted, with the reason: it holds for every later version of
    the same plan, and is exported as a plancheck waivers file."""

    __tablename__ = "waivers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[str] = mapped_column(String(255), index=True)
    rule: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(255))
    reason: Mapped[str] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"))


class Event(Base):
    """A status change or a remark on a submission, by whom and when."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=now)
    actor: Mapped[str] = mapped_column(String(255))
    status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    remark: Mapped[str | None] = mapped_column(Text, nullable=True)
    rule: Mapped[str | None] = mapped_column(String(64), nullable=True)  # a remark on a finding
    entity: Mapped[str | None] = mapped_column(String(255), nullable=True)


def open_db(url: str) -> sessionmaker:
    """An engine for ``url`` with the schema migrated to the newest revision."""
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    migrate(engine)
    return sessionmaker(engine, expire_on_commit=False)


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not wait for the writer
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def migrate(engine: Engine) -> None:
    """Bring the schema up to Alembic's newest revision."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class Blobs:
    """Uploaded files by the SHA-256 of their bytes: ``blobs/ab/abcdef…``. The same file
    uploaded twice is stored once; no name a user gave is used on disk."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha: str) -> Path:
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            raise ValueError("not a SHA-256")
        return self.root / sha[:2] / sha

    def put(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        path = self.path(sha)
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)  # whole or not at all, even if the desk stops here
        return sha

    def get(self, sha: str) -> bytes:
        return self.path(sha).read_bytes()
