"""Uploads made submissions: a file is one, a zip (a province and its communes) is one per
plan file inside it. Names are cut to a plain file name; sizes and counts are capped before
anything is read whole."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from validator.core.i18n import Message, Number, _
from validator.load import PLAN_SUFFIXES

EXTRA_SUFFIXES = {".docx", ".xls"}  # read by the loaders that have them; else a located error
UNSAFE = re.compile(r"[^\w .()\-]+")


class Refused(Exception):
    """An upload the desk does not store (too large, an empty zip), with why."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Upload:
    """One plan file of an upload, under a safe name."""

    name: str
    data: bytes


def safe_name(raw: str, fallback: str = "plan") -> str:
    """A plain file name: no folders, no control or shell characters, at most 120
    characters, its suffix kept."""
    base = unicodedata.normalize("NFC", raw.replace("\\", "/").rsplit("/", 1)[-1])
    base = UNSAFE.sub("_", base).strip(" .") or fallback
    if "." in base:
        stem, suffix = base.rsplit(".", 1)
        return f"{stem[:110] or fallback}.{suffix[:10].lower()}"
    return base[:120]


def expand(filename: str, data: bytes, max_bytes: int, max_members: int) -> list[Upload]:
    """The submissions of one uploaded file."""
    if len(data) > max_bytes:
        raise Refused(_("{name} is larger than the limit of {limit} MB", name=filename,
                        limit=Number(max_bytes / 1024 / 1024, 1)))
    name = safe_name(filename)
    if not name.lower().endswith(".zip"):
        return [Upload(name, data)]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise Refused(_("{name} is not a readable zip file", name=filename)) from None
    wanted = PLAN_SUFFIXES | EXTRA_SUFFIXES
    members = [m for m in archive.infolist() if not m.is_dir()
               and "__MACOSX" not in m.filename
               and not safe_name(m.filename).startswith(("~$", "."))
               and "." + safe_name(m.filename).rsplit(".", 1)[-1] in wanted]
    if not members:
        raise Refused(_("{name} holds no plan file (looked for {suffixes})", name=filename,
                        suffixes=", ".join(sorted(wanted))))
    if len(members) > max_members:
        raise Refused(_("{name} holds {n} plan files; the limit is {limit}", name=filename,
                        n=len(members), limit=max_members))
    if sum(m.file_size for m in members) > max_bytes:
        raise Refused(_("{name} is larger than the limit of {limit} MB once unpacked",
                        name=filename, limit=Number(max_bytes / 1024 / 1024, 1)))
    out, seen, total = [], set(), 0
    for member in sorted(members, key=lambda m: m.filename):
        with archive.open(member) as handle:
            body = handle.read(max_bytes - total + 1)  # the sizes a zip declares may lie
        total += len(body)
        if total > max_bytes:
            raise Refused(_("{name} is larger than the limit of {limit} MB once unpacked",
                            name=filename, limit=Number(max_bytes / 1024 / 1024, 1)))
        member_name = safe_name(member.filename)
        stem, suffix = member_name.rsplit(".", 1)
        n = 2
        while member_name in seen:  # communes/a/plan.xlsx and communes/b/plan.xlsx
            member_name, n = f"{stem} ({n}).{suffix}", n + 1
        seen.add(member_name)
        out.append(Upload(member_name, body))
    return out
