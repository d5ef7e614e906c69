"""How a desk runs: where it keeps its data, who may use it, and its limits.

Authentication is one of two kinds, read from a TOML file (``--auth FILE``) or, for the
token, the ``PLANCHECK_DESK_TOKEN`` variable:

- ``token = "..."``: one shared token, typed once on the login page or sent by programs
  as ``Authorization: Bearer ...``;
- ``[users]`` with ``name = "$argon2id$..."`` entries (``plancheck serve --hash-password``
  prints a hash): each reviewer logs in with a name and password, and the name is the one
  recorded on waivers and status changes.

A desk bound to 127.0.0.1 (the default) needs neither; any other host refuses to start
without one.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from validator.core.errors import InputError, Problem
from validator.core.i18n import _

MB = 1024 * 1024
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class Auth:
    """Who may use the desk: a shared token, or users with argon2 password hashes."""

    token: str | None = None
    users: dict[str, str] = field(default_factory=dict)

    @property
    def required(self) -> bool:
        return bool(self.token or self.users)


@dataclass(frozen=True)
class Settings:
    """A desk's data folder, database, authentication and limits."""

    data: Path
    db: str | None = None  # SQLAlchemy URL; None: SQLite in the data folder
    auth: Auth = Auth()
    workers: int = 2  # validation worker processes
    max_upload: int = 20 * MB  # one uploaded file (a zip: its members together)
    max_request: int = 100 * MB  # one request's body
    max_zip_members: int = 500
    max_attempts: int = 3  # a submission whose worker died this often is marked failed

    @property
    def db_url(self) -> str:
        """The SQLAlchemy URL; ``postgresql://`` means psycopg 3 (the serve extra's)."""
        if self.db is None:
            return f"sqlite:///{(self.data / 'desk.sqlite3').resolve()}"
        if self.db.startswith(("postgresql://", "postgres://")):
            return "postgresql+psycopg://" + self.db.split("://", 1)[1]
        return self.db

    def secret(self) -> str:
        """The key that signs session cookies, made once and kept in the data folder."""
        path = self.data / "secret.key"
        if not path.is_file():
            path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip()


def load_auth(path: Path | None) -> Auth:
    """The authentication of ``--auth FILE`` (else ``PLANCHECK_DESK_TOKEN``, else none); a
    malformed file is a located error."""
    token = os.environ.get("PLANCHECK_DESK_TOKEN") or None
    if path is None:
        return Auth(token=token)
    file = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError.single(file, _("cannot read the file: {reason}",
                                        reason=exc.strerror or str(exc))) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError.single(file, _("not valid TOML: {reason}", reason=str(exc))) from None
    problems = [Problem(file, _("unknown key {key!r}; expected token or [users]", key=k))
                for k in data if k not in ("token", "users")]
    file_token = data.get("token")
    if file_token is not None and (not isinstance(file_token, str) or len(file_token) < 16):
        problems.append(Problem(file, _("token: expected a text of at least 16 characters")))
    users = data.get("users", {})
    if not isinstance(users, dict) or not all(
            isinstance(v, str) and v.startswith("$argon2") for v in users.values()):
        problems.append(Problem(file, _("users: expected name = \"$argon2id$...\" entries "
                                        "(plancheck serve --hash-password prints one)")))
        users = {}
    if problems:
        raise InputError(problems)
    return Auth(token=file_token or token, users=dict(users))


def ensure_data(data: Path) -> Path:
    """The data folder, made if missing, with its blobs folder."""
    (data / "blobs").mkdir(parents=True, exist_ok=True)
    return data
