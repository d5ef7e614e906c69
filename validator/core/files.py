"""Reading input files with a size cap, as located errors when that fails.

A file is read only when it is a regular file reached without a symlink (unless
``--follow-symlinks``, kept in the environment so worker processes see it too), and never
one that resolves to a device, a pipe or a file of /proc, /sys or /dev: a symlink planted in
a pull request (``plans/x.yaml -> /proc/self/environ``) would otherwise print the CI's
secrets in a parse error's excerpt.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from validator.core.errors import InputError, Problem
from validator.core.i18n import Message, Number, _

MAX_PLAN_BYTES = 64 * 1024 * 1024  # a plan, rule, pack, case, waiver or baseline file


FOLLOW_SYMLINKS = "PLANCHECK_FOLLOW_SYMLINKS"  # set to 1 by --follow-symlinks
_SYSTEM = (Path("/proc"), Path("/sys"), Path("/dev"))


def follow_symlinks() -> bool:
    return os.environ.get(FOLLOW_SYMLINKS, "") not in ("", "0")


def _symlink_in(path: Path) -> Path | None:
    """The first symlink on the way to ``path``: the file itself, or a folder of a relative
    path (the folders above an absolute path are the user's own choice)."""
    parts = path.parts
    first = len(parts) - 1 if path.is_absolute() else 0
    for i in range(max(first, 0), len(parts)):
        step = Path(*parts[:i + 1])
        if step.name not in ("", ".", "..") and step.is_symlink():
            return step
    return None


def check_readable(path: Path) -> None:
    """Refuse to read ``path`` through a symlink (unless asked), or when it resolves to
    anything but a regular file outside /proc, /sys and /dev."""
    file = str(path)
    link = _symlink_in(path)
    if link is not None and not follow_symlinks():
        raise InputError.single(file, _(
            "{link} is a symbolic link; files are not read through symlinks (pass "
            "--follow-symlinks to allow it)", link=str(link)))
    try:
        real = path.resolve()
        info = os.stat(real)
    except (OSError, RuntimeError):
        return  # missing or a loop: reading it gives the located error
    if any(real == root or root in real.parents for root in _SYSTEM) or not stat.S_ISREG(
            info.st_mode):
        raise InputError.single(file, _(
            "{real} is not a regular file (a device, a pipe or a system file); only plain "
            "files are read", real=str(real)))


def cannot_read(exc: OSError) -> Message:
    """Why a file cannot be read, in the user's language (the system's words otherwise)."""
    why = {errno.ENOENT: _("no such file"), errno.EACCES: _("permission denied"),
           errno.EISDIR: _("it is a folder"), errno.EPERM: _("permission denied")}
    return _("cannot read the file: {why}",
             why=why.get(exc.errno or 0) or exc.strerror or str(exc))


def check_size(path: Path, limit: int, kind: str | Message) -> None:
    """Refuse a file over ``limit`` bytes before reading it (``kind``: "plan files", ...);
    refuse it unread when it is not a plain file (:func:`check_readable`)."""
    file = str(path)
    check_readable(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError.single(file, cannot_read(exc)) from None
    if size > limit:
        raise InputError.single(file, _("the file is {size} bytes; {kind} are limited to "
                                        "{limit}", size=Number(size), kind=kind,
                                        limit=Number(limit)))


def read_text(path: Path, limit: int = MAX_PLAN_BYTES, kind: str | Message | None = None) -> str:
    """Read a UTF-8 text file with a size cap, as a located error when that fails."""
    file = str(path)
    check_size(path, limit, kind or _("plan files"))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError.single(file, cannot_read(exc)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError([Problem(file, _("the file is not UTF-8 text"), line=line,
                                  column=column)]) from None
