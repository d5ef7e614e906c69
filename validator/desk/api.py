"""The JSON API, the one the pages use too, so a provincial system can send plans and read
what the desk found (OpenAPI at ``/openapi.json``)."""

from __future__ import annotations

import asyncio
import time
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from validator.core.i18n import render
from validator.desk.context import desk, lang, user
from validator.desk.intake import Refused
from validator.desk.letter import letter
from validator.desk.security import check_csrf
from validator.desk.service import STATE_TEXT, STATUS_TEXT, NotFound
from validator.desk.store import Submission

router = APIRouter()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
WAIT_SECONDS = 120


class Counts(BaseModel):
    error: int = 0
    warning: int = 0
    info: int = 0


class SubmissionView(BaseModel):
    """A submission as the API shows it. ``state`` is the check's (queued, running, done,
    invalid, failed); ``status`` is the reviewer's (received, in_review, returned,
    accepted). ``findings`` are in the asked language; ``problems`` are the located errors
    of a file that cannot be read."""

    id: int
    filename: str
    plan_id: str | None
    parent_plan: str | None
    version: int | None
    state: str
    state_text: str
    status: str
    status_text: str
    counts: Counts
    findings: list[dict[str, Any]]
    waived: list[dict[str, Any]]
    problems: list[dict[str, Any]]
    error: str | None
    batch: str | None
    links: dict[str, str]


class Batch(BaseModel):
    """The submissions of one upload (a zip gives one per plan file in it)."""

    batch: str
    progress: dict[str, int]
    submissions: list[SubmissionView]


class Accept(BaseModel):
    rule: str
    entity: str
    reason: str
    csrf_token: str | None = None


class Remark(BaseModel):
    text: str
    rule: str | None = None  # a remark on one finding: its rule and entity
    entity: str | None = None
    csrf_token: str | None = None


class Status(BaseModel):
    status: str
    remark: str = ""
    csrf_token: str | None = None


def view(sub: Submission, lang: str) -> dict[str, Any]:
    result = sub.result or {}
    findings = [_in(f, lang) for f in result.get("findings", [])]
    base = f"/api/submissions/{sub.id}"
    return {
        "id": sub.id, "filename": sub.filename, "plan_id": sub.plan_id,
        "parent_plan": sub.parent_plan, "version": sub.version, "state": sub.state,
        "state_text": render(STATE_TEXT[sub.state], lang), "status": sub.status,
        "status_text": render(STATUS_TEXT[sub.status], lang),
        "counts": result.get("counts", {}), "findings": findings,
        "waived": [_in(f, lang) for f in result.get("waived", [])],
        "problems": [{**p, "message": p["message"][lang], "rendered": p["rendered"][lang]}
                     for p in result.get("problems", [])],
        "error": sub.error, "batch": sub.batch,
        "links": {"self": base, "report": f"{base}/report.html", "json": f"{base}/report.json",
                  "sarif": f"{base}/report.sarif", "annotated": f"{base}/annotated",
                  "letter": f"{base}/letter.docx", "page": f"/submissions/{sub.id}"},
    }


def _in(finding: dict[str, Any], lang: str) -> dict[str, Any]:
    return {**finding, "title": finding["title"].get(lang) or finding["title"].get("en"),
            "message": finding["message"].get(lang) or finding["message"].get("en")}


@router.post("/api/submissions", response_model=SubmissionView | Batch, status_code=201,
             summary="Submit plan files")
async def submit(request: Request, file: Annotated[list[UploadFile], File(description=(
                     "A plan file (.xlsx, .docx, .yaml, .json, .ttl …) or a zip of several; "
                     "repeat the field for more"))],
                 pack: Annotated[UploadFile | None, File(description=(
                     "A rule pack: a .rules file or a zip of a pack; default: the bundled "
                     "pack"))] = None,
                 lang: Annotated[str, Form()] = "vi",
                 wait: Annotated[bool, Query(description=(
                     "wait for the check (at most two minutes) before answering"))] = True,
                 csrf_token: Annotated[str | None, Form()] = None,
                 who: str = Depends(user)) -> Any:
    """Store the files and check them. One plan file answers with its submission, a zip
    or several files with the batch; with ``wait=false`` the answer comes at once and the
    check's progress is read with ``GET /api/submissions?batch=``."""
    the_desk = desk(request)
    check_csrf(the_desk.settings.auth, request, csrf_token)
    limit = the_desk.settings.max_upload
    files = [(f.filename or "plan", await f.read(limit + 1)) for f in file]
    pack_file = (pack.filename or "pack", await pack.read(limit + 1)) if pack else None
    batch, made = await run_in_threadpool(the_desk.submit, files, pack_file, who)
    ids = [s.id for s in made]
    if wait:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            if not await run_in_threadpool(the_desk.pending, ids):
                break
            await asyncio.sleep(0.25)
    subs = await run_in_threadpool(lambda: [the_desk.get(i) for i in ids])
    if len(files) == 1 and len(subs) == 1 and not files[0][0].lower().endswith(".zip"):
        return view(subs[0], lang)
    return {"batch": batch, "progress": the_desk.progress(batch),
            "submissions": [view(s, lang) for s in subs]}


@router.get("/api/submissions", response_model=Batch | list[SubmissionView],
            summary="Recent submissions, or those of one upload")
def recent(request: Request, batch: str | None = None, limit: int = 200,
           _who: str = Depends(user)) -> Any:
    the_desk = desk(request)
    subs = the_desk.recent(min(limit, 1000), batch)
    if batch:
        return {"batch": batch, "progress": the_desk.progress(batch),
                "submissions": [view(s, lang(request)) for s in reversed(subs)]}
    return [view(s, lang(request)) for s in subs]


@router.get("/api/submissions/{sub_id}", response_model=SubmissionView,
            summary="One submission and its findings")
def one(request: Request, sub_id: int, _who: str = Depends(user)) -> Any:
    return view(desk(request).get(sub_id), lang(request))


def _report(request: Request, sub_id: int, kind: str) -> bytes:
    desk(request).get(sub_id)
    body = desk(request).report(sub_id, f"{kind}-{lang(request)}")
    if body is None:
        raise NotFound(sub_id)
    return body


@router.get("/api/submissions/{sub_id}/report.html", summary="The HTML findings report",
            response_class=Response)
def report_html(request: Request, sub_id: int, _who: str = Depends(user)) -> Response:
    return Response(_report(request, sub_id, "html"), media_type="text/html; charset=utf-8")


@router.get("/api/submissions/{sub_id}/report.json", summary="The JSON report",
            response_class=Response)
def report_json(request: Request, sub_id: int, _who: str = Depends(user)) -> Response:
    return Response(_report(request, sub_id, "json"), media_type="application/json")


@router.get("/api/submissions/{sub_id}/report.sarif", summary="The SARIF 2.1.0 report",
            response_class=Response)
def report_sarif(request: Request, sub_id: int, _who: str = Depends(user)) -> Response:
    sub = desk(request).get(sub_id)
    return Response(_report(request, sub_id, "sarif"), media_type="application/sarif+json",
                    headers=_attachment(f"{_stem(sub)}.sarif"))


@router.get("/api/submissions/{sub_id}/annotated", summary="The annotated copy",
            response_class=Response)
def annotated(request: Request, sub_id: int, _who: str = Depends(user)) -> Response:
    """The uploaded workbook with each finding as a comment on its cell and a Findings
    sheet, or the uploaded Word document with each finding as a Word comment (workbook and
    .docx submissions only)."""
    the_desk = desk(request)
    sub = the_desk.get(sub_id)
    here = lang(request)
    body = the_desk.report(sub_id, f"annotated-{here}") or the_desk.queue.annotate(sub_id, here)
    if body is None:
        raise NotFound(sub_id)
    document = sub.filename.lower().endswith(".docx")
    return Response(body, media_type=DOCX if document else XLSX,
                    headers=_attachment(f"{_stem(sub)}-annotated.{'docx' if document else 'xlsx'}"))


@router.get("/api/submissions/{sub_id}/letter.docx", summary="The remarks letter",
            response_class=Response)
def letter_docx(request: Request, sub_id: int, _who: str = Depends(user)) -> Response:
    the_desk = desk(request)
    sub = the_desk.get(sub_id)
    if sub.state != "done":
        raise NotFound(sub_id)
    body = letter(sub, the_desk.events(sub_id), the_desk.waivers(sub.plan_id),
                  lang(request))
    return Response(body, media_type=DOCX, headers=_attachment(f"{_stem(sub)}-remarks.docx"))


@router.get("/api/waivers.yaml", summary="Accepted findings as a waivers file",
            response_class=PlainTextResponse)
def waivers(request: Request, plan_id: str | None = None,
            _who: str = Depends(user)) -> Response:
    """For ``plancheck validate --waivers``: every finding accepted at the desk (or those of
    one plan), with its reason and who accepted it when."""
    return PlainTextResponse(desk(request).waivers_file(plan_id) or "[]\n",
                             media_type="application/yaml",
                             headers=_attachment("waivers.yaml"))


@router.post("/api/submissions/{sub_id}/accept", summary="Accept a finding with a reason")
def accept(request: Request, sub_id: int, body: Accept, who: str = Depends(user)) -> Any:
    the_desk = desk(request)
    check_csrf(the_desk.settings.auth, request, body.csrf_token)
    the_desk.accept(sub_id, body.rule, body.entity, body.reason, who)
    return {"ok": True}


@router.post("/api/submissions/{sub_id}/status", summary="Change the review status")
def status(request: Request, sub_id: int, body: Status, who: str = Depends(user)) -> Any:
    the_desk = desk(request)
    check_csrf(the_desk.settings.auth, request, body.csrf_token)
    the_desk.set_status(sub_id, body.status, who, body.remark)
    return {"ok": True}


@router.post("/api/submissions/{sub_id}/remarks", summary="Add a remark (for the letter)")
def remark(request: Request, sub_id: int, body: Remark, who: str = Depends(user)) -> Any:
    """A remark on the submission or, with ``rule`` and ``entity``, on one of its findings;
    the remarks letter prints it under that finding."""
    the_desk = desk(request)
    check_csrf(the_desk.settings.auth, request, body.csrf_token)
    the_desk.remark(sub_id, who, body.text, body.rule, body.entity)
    return {"ok": True}


@router.get("/api/plans/{plan_id}/versions", response_model=list[SubmissionView],
            summary="Every version of a plan, oldest first")
def versions(request: Request, plan_id: str, _who: str = Depends(user)) -> Any:
    return [view(s, lang(request)) for s in desk(request).versions(plan_id)]


@router.get("/api/plans/{plan_id}/cycle", summary="A parent plan and its children")
def cycle(request: Request, plan_id: str, _who: str = Depends(user)) -> Any:
    data = desk(request).cycle(plan_id)
    here = lang(request)
    return {"parent": plan_id,
            "plans": [view(s, here) for s in
                      ([data["parent_submission"]] if data["parent_submission"] else [])
                      + data["children"]],
            "cross_plan_findings": [_in(f, here) for f in data["cross"]],
            "problems": data["problems"]}


@router.get("/healthz", summary="Whether the desk is up")
def healthz(request: Request) -> Any:
    the_desk = desk(request)
    return {"ok": True, "database": the_desk.sessions.kw["bind"].dialect.name,
            "checking": len(the_desk.queue.running)}


def _stem(sub: Submission) -> str:
    return sub.filename.rsplit(".", 1)[0]


def _attachment(name: str) -> dict[str, str]:
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return {"content-disposition": f"attachment; filename=\"{ascii_name}\"; "
                                   f"filename*=UTF-8''{quote(name)}"}


def refused(request: Request, exc: Refused) -> JSONResponse:
    return JSONResponse({"detail": render(exc.message, lang(request))}, status_code=400)
