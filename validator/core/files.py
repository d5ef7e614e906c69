"""Reading input files with a size cap, as located errors when that fails."""

from __future__ import annotations

from pathlib import Path

from validator.core.errors import InputError, Problem

MAX_PLAN_BYTES = 64 * 1024 * 1024  # a plan, rule, pack, case, waiver or baseline file


def check_size(path: Path, limit: int, kind: str) -> None:
    """Refuse a file over ``limit`` bytes before reading it (``kind``: "plan files", ...)."""
    file = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError.single(file, f"cannot read the file: {exc.strerror or exc}") from None
    if size > limit:
        raise InputError.single(file, f"the file is {size:,} bytes; {kind} are limited to "
                                      f"{limit:,}")


def read_text(path: Path, limit: int = MAX_PLAN_BYTES, kind: str = "plan files") -> str:
    """Read a UTF-8 text file with a size cap, as a located error when that fails."""
    file = str(path)
    check_size(path, limit, kind)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError.single(file, f"cannot read the file: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError([Problem(file, "the file is not UTF-8 text", line=line,
                                  column=column)]) from None
