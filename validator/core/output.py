"""Writing outputs so that nothing is lost: never over an input, never half-written.

Every file plancheck writes (a report, a baseline, an annotated or converted workbook, a
template, the rule reference) goes through :func:`write_file`: the data goes to a temporary
file in the same folder, which is then renamed over the target, so a run killed mid-write
leaves the previous file whole. Before a run writes anything, :func:`check_outputs` refuses
an output path that is one of the run's inputs (after symlinks, or the same file under
another name) or a file the run reads from an input folder. A write that fails (no such
folder, a read-only file system, a full disk, standard output closed) is a located error:
exit code 2, never a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import tempfile
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from validator.core.errors import InputError, Problem
from validator.core.i18n import _

STDOUT = "<stdout>"  # the file name of errors writing to standard output


@dataclass(frozen=True)
class Reads:
    """What a run reads: ``path`` itself (a file), or from inside it (a folder) the files
    ending in one of ``suffixes`` (empty: every file)."""

    path: Path
    suffixes: Collection[str] = ()
    may_rewrite: str | None = None  # an output option allowed to replace this input


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: compare the path as written
        return path.absolute()


def _identity(path: Path) -> tuple[Path, tuple[int, int] | None]:
    """The file a path names: its resolved path, and its device and inode when it exists
    (a hard link is another name of the same file)."""
    try:
        info = os.stat(path)
        inode = (info.st_dev, info.st_ino) if info.st_ino else None
    except (OSError, ValueError):
        inode = None
    return _resolved(path), inode


def check_outputs(outputs: Sequence[tuple[str, Path | None]], reads: Iterable[Reads]) -> None:
    """Refuse the run before it writes anything when an output (``(option, path)``, None
    for options not given) would replace one of its inputs or another output."""
    given = [(option, path) for option, path in outputs if path is not None]
    files: dict[Path | tuple[int, int], Reads] = {}
    folders: list[tuple[Path, Reads]] = []
    for read in reads:
        if read.path.is_dir():
            folders.append((_resolved(read.path), read))
            continue
        resolved, inode = _identity(read.path)
        files.setdefault(resolved, read)
        if inode is not None:
            files.setdefault(inode, read)
    problems: list[Problem] = []
    seen: dict[Path | tuple[int, int], str] = {}
    for option, path in given:
        resolved, inode = _identity(path)
        keys = [resolved] if inode is None else [resolved, inode]
        read = next((files[k] for k in keys if k in files), None)
        if read is not None and read.may_rewrite != option:
            problems.append(Problem(str(path), _(
                "{option} names an input of this run ({input}); writing it would destroy "
                "the input: choose another path", option=option, input=str(read.path))))
        elif inode is not None:
            name = path.name.lower()
            for folder, read in folders:
                if folder in resolved.parents and (
                        not read.suffixes or any(name.endswith(s) for s in read.suffixes)):
                    problems.append(Problem(str(path), _(
                        "{option} names a file this run reads from {folder}; writing it "
                        "would destroy an input: choose another path", option=option,
                        folder=str(read.path))))
                    break
        other = next((seen[k] for k in keys if k in seen), None)
        if other is not None:
            problems.append(Problem(str(path), _(
                "{option} and {other} name the same file; give each its own path",
                option=option, other=other)))
        for k in keys:
            seen.setdefault(k, option)
    if problems:
        raise InputError(problems)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _failure(file: str, exc: OSError) -> InputError:
    if exc.errno == errno.ENOSPC:
        return InputError.single(file, _("cannot write the file: the disk is full"))
    return InputError.single(file, _("cannot write the file: {reason}", reason=_reason(exc)))


def _mode(path: Path) -> int:
    """The mode the written file gets: the replaced file's, else the default for new ones."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_file(path: Path, data: bytes | str) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` whole or not at all, as a located error
    when that fails."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    file = str(path)
    folder = path.parent
    if path.is_dir():
        raise InputError.single(file, _("cannot write the file: this is a folder"))
    if not folder.is_dir():
        raise InputError.single(file, _("cannot write the file: the folder {folder} does not "
                                        "exist", folder=str(folder)))
    if path.exists() and not path.is_file():  # a device or a pipe: cannot be renamed over
        try:
            with open(path, "wb") as stream:
                stream.write(data)
        except OSError as exc:
            raise _failure(file, exc) from None
        return
    mode = _mode(path)
    try:
        fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise _failure(file, exc) from None
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise _failure(file, exc) from None


def write_stdout(text: str) -> None:
    """Write ``text`` to standard output, as a located error when that fails (a closed pipe,
    a full disk behind a redirection)."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except OSError as exc:
        raise stdout_failure(exc) from None


def stdout_failure(exc: OSError) -> InputError:
    """The located error of a failed write to standard output, which is then pointed at
    /dev/null so the interpreter's own flush at exit does not fail again."""
    _silence_stdout()
    return _failure(STDOUT, exc)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
