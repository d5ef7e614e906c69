"""Files in a format plancheck does not read itself (.ods, .doc), converted with LibreOffice
when it is installed; never required: without it the user is told how to convert.

The conversion runs ``soffice --headless --convert-to FORMAT`` on a copy in a private
temporary folder with a private LibreOffice profile (so a running LibreOffice is not
disturbed), with a time limit; macros are not run by a headless conversion. The converted
file is read in place of the original, and locations still name the original file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from validator.core.errors import InputError
from validator.core.i18n import _

SOFFICE_SECONDS = 120
NO_SOFFICE_ENV = "PLANCHECK_NO_SOFFICE"  # set to 1: never run LibreOffice


def soffice() -> str | None:
    """The LibreOffice program, when it is installed (and not switched off)."""
    if os.environ.get(NO_SOFFICE_ENV, "").strip() not in ("", "0"):
        return None
    return shutil.which("soffice") or shutil.which("libreoffice")


@contextmanager
def converted(path: Path, to: str) -> Iterator[Path]:
    """``path`` converted to ``to`` (``xlsx``, ``docx``) by LibreOffice, in a temporary
    folder removed afterwards; a located :class:`InputError` saying how to convert it by
    hand when LibreOffice is not installed or the conversion fails."""
    file = str(path)
    how = f"soffice --headless --convert-to {to} {path.name}"
    program = soffice()
    if program is None:
        raise InputError.single(file, _(
            "{kind} files are not read directly; convert it to .{to} (in LibreOffice: "
            "`{how}`, or File > Save As in Excel/Word/LibreOffice) and check the converted "
            "file; with LibreOffice installed plancheck converts it itself",
            kind=path.suffix.lower(), to=to, how=how))
    with tempfile.TemporaryDirectory(prefix="plancheck-") as folder:
        work = Path(folder)
        source = work / f"input{path.suffix.lower()}"
        shutil.copyfile(path, source)
        profile = (work / "profile").as_uri()
        try:
            done = subprocess.run(
                [program, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                 "--convert-to", to, "--outdir", str(work / "out"), str(source)],
                capture_output=True, timeout=SOFFICE_SECONDS, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise InputError.single(file, _(
                "LibreOffice could not convert the file ({error}); convert it to .{to} by "
                "hand (`{how}`)", error=type(exc).__name__, to=to, how=how)) from None
        result = work / "out" / f"input.{to}"
        if done.returncode != 0 or not result.is_file():
            error = _("exit code {code}", code=done.returncode)
            raise InputError.single(file, _(
                "LibreOffice could not convert the file ({error}); convert it to .{to} by "
                "hand (`{how}`)", error=error, to=to, how=how))
        yield result
