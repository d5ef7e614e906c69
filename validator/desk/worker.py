"""What a validation worker process does: check uploaded plan files with plancheck's own
pipeline and render the reports the desk serves.

It runs in a separate process (:mod:`.jobs`), so a check that crashes or runs out of memory
takes only its worker down. The rule set is compiled once per worker process, when it
starts (the warm path, :class:`validator.pipeline.warm.Checker`), and kept in the process's
caches, where every later ``validate`` of the worker finds it with its engine. Each check
works in a fresh folder of its own under the data folder, where the upload is written under
a name the desk made; the reports then name the file as the reviewer uploaded it.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
import zipfile
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from validator.core.errors import InputError
from validator.core.findings import SEVERITIES
from validator.core.i18n import _
from validator.findings.meta import UNUSED
from validator.findings.result import Result
from validator.pipeline.validate import Policy, validate
from validator.pipeline.warm import Checker
from validator.plan.model import text_of
from validator.report import ReportOptions, render

LANGS = ("vi", "en")
PACK_FILE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,100}\.(rules|yaml|yml)")
MAX_PACK_BYTES = 5 * 1024 * 1024


def warm() -> None:
    """A new worker compiles the bundled pack and builds its engine before its first check
    (the pool's initializer: :class:`validator.pipeline.warm.Checker`), so no reviewer
    waits for it; ``validate`` then finds both in the process's caches."""
    Checker.compile()


def check(job: dict[str, Any]) -> dict[str, Any]:
    """Check the files of ``job`` (``files``: [(name, stored path)], ``pack``: a stored
    pack or None, ``waivers``: a waivers file's text, ``work``: a folder to work in,
    ``reports``: whether to render them, ``annotate``: the languages to write an annotated
    workbook in) and return what was found, as plain data."""
    work = Path(tempfile.mkdtemp(prefix="check-", dir=job["work"]))
    here = os.getcwd()
    try:
        for name, stored in job["files"]:
            shutil.copyfile(stored, work / name)
        rules = [str(prepare_pack(Path(job["pack"]), Path(job["packs"])))] if job["pack"] else []
        waivers = None
        if job.get("waivers"):
            waivers = work / "waivers.yaml"
            waivers.write_text(job["waivers"], encoding="utf-8")
        os.chdir(work)  # the findings then name the files by their names, not the folder
        try:
            result = validate([name for name, _ in job["files"]], rules,
                              policy=Policy(waivers=Path(waivers.name) if waivers else None))
        except InputError as exc:
            return {"ok": False, "problems": [_problem(p) for p in exc.problems]}
        # the desk's waivers follow a plan from version to version: one a later version
        # no longer needs is not a mistake of the reviewer's
        result = replace(result, findings=[f for f in result.findings if f.rule != UNUSED])
        out = summary(result)
        if job.get("reports"):
            out["reports"] = reports(result)
        if job.get("annotate"):
            out["annotated"] = annotated(result, job["annotate"])
        return out
    finally:
        os.chdir(here)
        shutil.rmtree(work, ignore_errors=True)


def _problem(problem: Any) -> dict[str, Any]:
    return {"file": problem.file, "line": problem.line, "column": problem.column,
            "where": problem.location(), "path": problem.to_dict()["path"],
            "message": {lang: problem.text(lang) for lang in LANGS},
            "rendered": {lang: problem.render(lang) for lang in LANGS}}


def summary(result: Result) -> dict[str, Any]:
    """The plans, findings (both languages), waived findings and counts of a run."""
    counts = Counter(f.severity for f in result.findings)
    return {
        "ok": True,
        "annotatable": len(_annotatable(result)) == 1,
        "plans": [_plan(p) for p in result.plans],
        "findings": [f.to_dict() for f in result.findings],
        "waived": [w.to_dict() for w in result.waived],
        "counts": {s: counts.get(s, 0) for s in SEVERITIES},
    }


def _plan(loaded: Any) -> dict[str, Any]:
    plan = loaded.plan
    head = plan.plan
    return {
        "file": loaded.file, "id": head.id, "parent": head.parent, "kind": head.kind,
        "level": head.level, "locality": head.locality, "period": list(head.period),
        "title": {lang: text_of(head.title, lang) for lang in LANGS},
        "objectives": [{
            "id": o.id, "kind": o.kind,
            "title": {lang: text_of(o.title, lang) for lang in LANGS},
            "targets": [{"id": t.id, "category": t.category, "unit": t.unit,
                         "name": {lang: text_of(t.indicator, lang) for lang in LANGS},
                         "target": _plain(t.target)}
                        for t in o.targets],
        } for o in plan.objectives],
    }


def _plain(value: Any) -> Any:
    return value.model_dump(mode="json") if hasattr(value, "model_dump") else value


def reports(result: Result) -> dict[str, bytes]:
    """The reports the desk serves: HTML, JSON and SARIF in each language."""
    out: dict[str, bytes] = {}
    for lang in LANGS:
        options = ReportOptions(lang=lang)
        for fmt in ("html", "json", "sarif"):
            out[f"{fmt}-{lang}"] = render(result, fmt, options).encode("utf-8")
    return out


ANNOTATABLE = (".xlsx", ".xlsm", ".docx")  # the copies plancheck can annotate


def _annotatable(result: Result) -> list[Any]:
    return [p for p in result.plans if Path(p.file).suffix.lower() in ANNOTATABLE]


def annotated(result: Result, langs: list[str]) -> dict[str, bytes]:
    """The annotated copy of the run's one workbook (comments on cells, a Findings sheet)
    or Word document (Word comments, shaded cells) in each of ``langs``; written when first
    asked for, as it costs more than all the other reports together."""
    from validator.report.annotate import annotate_workbook  # openpyxl: workbooks only
    from validator.report.annotate_docx import annotate_document  # python-docx: documents

    out = {}
    books = _annotatable(result)
    for lang in langs if len(books) == 1 else []:
        document = Path(books[0].file).suffix.lower() == ".docx"
        target = Path(f"annotated-{lang}{'.docx' if document else '.xlsx'}")
        (annotate_document if document else annotate_workbook)(books[0], result.findings, lang,
                                                               target)
        out[f"annotated-{lang}"] = target.read_bytes()
    return out


def prepare_pack(stored: Path, packs: Path) -> Path:
    """The folder of an uploaded rule pack (a .rules file or a zip of a pack's files),
    unpacked once by its content's hash. Only rule files and YAML at any depth are kept,
    under their own plain names (a member's folders are dropped, a member named otherwise
    is refused): nothing in the upload chooses where it is written."""
    folder = packs / stored.name
    if folder.is_dir():
        return folder
    data = stored.read_bytes()
    tmp = Path(tempfile.mkdtemp(prefix="pack-", dir=packs))
    if zipfile.is_zipfile(io.BytesIO(data)):
        total = 0
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                base = info.filename.replace("\\", "/").rsplit("/", 1)[-1]
                if info.is_dir() or "/cases/" in f"/{info.filename}" or not base:
                    continue
                if not PACK_FILE.fullmatch(base):
                    continue
                total += info.file_size
                if total > MAX_PACK_BYTES:
                    raise InputError.single("pack.zip", _("the pack is larger than "
                                                          "5 MB unpacked"))
                (tmp / base).write_bytes(archive.read(info))
    else:
        (tmp / "pack.rules").write_bytes(data)
    try:
        os.replace(tmp, folder)
    except OSError:  # another worker unpacked it first
        shutil.rmtree(tmp, ignore_errors=True)
    return folder
