"""The pages a reviewer works in (Vietnamese by default, English by the switch): the inbox,
a submission, a plan's versions, a cycle's overview, and the login. Their texts are
plancheck's messages (``_()`` in the templates, extracted by tools/messages.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool

from validator.core.i18n import LANGS, Message, render
from validator.desk import shown
from validator.desk.context import desk, lang, user
from validator.desk.intake import Refused
from validator.desk.security import (
    LOCAL_REVIEWER,
    check_csrf,
    check_password,
    check_token,
    csrf_token,
)
from validator.desk.service import SEVERITY_TEXT, STATE_TEXT, STATUS_TEXT, STATUSES

router = APIRouter(include_in_schema=False)
TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
                        autoescape=select_autoescape(["html"]), trim_blocks=True,
                        lstrip_blocks=True)
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _local(moment: datetime) -> datetime:
    """A stored time (UTC) in the desk machine's own time zone, as its reviewers read it."""
    return moment.replace(tzinfo=UTC).astimezone()


TEMPLATES.filters["when"] = lambda moment: _local(moment).strftime("%d/%m/%Y %H:%M")
TEMPLATES.filters["day"] = lambda moment: _local(moment).strftime("%d/%m/%Y")


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    here = lang(request)
    settings = request.app.state.desk.settings

    def translate(msgid: str, **args: Any) -> str:
        return Message(msgid, tuple(args.items())).render(here)

    html = TEMPLATES.get_template(name).render(
        _=translate, lang=here, langs=LANGS, request=request, csrf=csrf_token(request),
        who=request.session.get("user") or request.session.get("name") or LOCAL_REVIEWER,
        auth=settings.auth.required, logged_in=bool(request.session.get("user")),
        status_text={k: render(v, here) for k, v in STATUS_TEXT.items()},
        state_text={k: render(v, here) for k, v in STATE_TEXT.items()},
        severity_text={k: render(v, here) for k, v in SEVERITY_TEXT.items()},
        statuses=STATUSES, path=request.url.path,
        where=lambda location: shown.where(location, here),
        cite=lambda text: shown.source(text, here),
        level=lambda code: shown.level(code, here), **context)
    return HTMLResponse(html, status_code=status_code)


def back(target: str) -> RedirectResponse:
    """After a form's post, the page to show (303: the browser gets it)."""
    return RedirectResponse(target, status_code=303)


# --- the inbox -----------------------------------------------------------------------

@router.get("/", response_class=HTMLResponse)
def inbox(request: Request, batch: str | None = None, _who: str = Depends(user)) -> Any:
    the_desk = desk(request)
    subs = the_desk.recent(200)
    parents = sorted({s.parent_plan for s in subs if s.parent_plan}
                     | {s.plan_id for s in subs if s.plan_id and s.plan_id in
                        {c.parent_plan for c in subs}})
    return page(request, "inbox.html", subs=subs, batch=batch, parents=parents)


@router.post("/upload")
async def upload(request: Request, file: Annotated[list[UploadFile], File()],
                 pack: Annotated[UploadFile | None, File()] = None,
                 csrf_token: Annotated[str, Form()] = "", who: str = Depends(user)) -> Any:
    """The inbox's form without scripts: store, then show the batch in the inbox."""
    the_desk = desk(request)
    check_csrf(the_desk.settings.auth, request, csrf_token)
    limit = the_desk.settings.max_upload
    files = [(f.filename or "plan", await f.read(limit + 1)) for f in file if f.filename]
    pack_file = ((pack.filename, await pack.read(limit + 1))
                 if pack is not None and pack.filename else None)
    batch, _made = await run_in_threadpool(the_desk.submit, files, pack_file, who)
    return back(f"/?batch={batch}")


# --- a submission --------------------------------------------------------------------

@router.get("/submissions/{sub_id}", response_class=HTMLResponse)
def submission(request: Request, sub_id: int, _who: str = Depends(user)) -> Any:
    the_desk = desk(request)
    sub = the_desk.get(sub_id)
    here = lang(request)
    result = sub.result or {}
    findings = sorted(result.get("findings", []),
                      key=lambda f: (SEVERITY_ORDER.get(f["severity"], 3), f["rule"]))
    changes = the_desk.changes(sub) if sub.state == "done" else None
    return page(request, "submission.html", sub=sub, result=result, findings=findings,
                plan=(result.get("plans") or [None])[0], events=the_desk.events(sub_id),
                waivers=the_desk.waivers(sub.plan_id) if sub.plan_id else [],
                changes=changes, annotated=result.get("annotatable", False),
                t=lambda d: (d or {}).get(here) or (d or {}).get("en") or "")


@router.post("/submissions/{sub_id}/accept")
def accept(request: Request, sub_id: int, rule: Annotated[str, Form()],
           entity: Annotated[str, Form()], reason: Annotated[str, Form()] = "",
           csrf_token: Annotated[str, Form()] = "", who: str = Depends(user)) -> Any:
    the_desk = desk(request)
    check_csrf(the_desk.settings.auth, request, csrf_token)
    the_desk.accept(sub_id, rule, entity, reason, who)
    return back(f"/submissions/{sub_id}")


@router.post("/submissions/{sub_id}/status")
def status(request: Request, sub_id: int, status: Annotated[str, Form()],
           remark: Annotated[str, Form()] = "", csrf_token: Annotated[str, Form()] = "",
           who: str = Depends(user)) -> Any:
    the_desk = desk(request)
    check_csrf(the_desk.settings.auth, request, csrf_token)
    the_desk.set_status(sub_id, status, who, remark)
    return back(f"/submissions/{sub_id}")


@router.post("/submissions/{sub_id}/remark")
def remark(request: Request, sub_id: int, remark: Annotated[str, Form()],
           rule: Annotated[str, Form()] = "", entity: Annotated[str, Form()] = "",
           csrf_token: Annotated[str, Form()] = "", who: str = Depends(user)) -> Any:
    the_desk = desk(request)
    check_csrf(the_desk.settings.auth, request, csrf_token)
    the_desk.remark(sub_id, who, remark, rule, entity)
    return back(f"/submissions/{sub_id}")


# --- versions and cycles -------------------------------------------------------------

@router.get("/plans/{plan_id}", response_class=HTMLResponse)
def plan(request: Request, plan_id: str, _who: str = Depends(user)) -> Any:
    the_desk = desk(request)
    versions = the_desk.versions(plan_id)
    rows = [(s, the_desk.changes(s) if s.state == "done" else None, the_desk.events(s.id))
            for s in versions]
    return page(request, "plan.html", plan_id=plan_id, rows=rows,
                waivers=the_desk.waivers(plan_id))


@router.get("/cycles/{plan_id}", response_class=HTMLResponse)
async def cycle(request: Request, plan_id: str, _who: str = Depends(user)) -> Any:
    data = await run_in_threadpool(desk(request).cycle, plan_id)
    here = lang(request)
    return page(request, "cycle.html", plan_id=plan_id, data=data,
                t=lambda d: (d or {}).get(here) or (d or {}).get("en") or "")


# --- language, name, login -----------------------------------------------------------

@router.get("/lang/{code}")
def switch(request: Request, code: str, next: str = "/") -> Any:
    if code in LANGS:
        request.session["lang"] = code
    return back(_local_path(next))


@router.post("/name")
def name(request: Request, name: Annotated[str, Form()], next: Annotated[str, Form()] = "/",
         csrf_token: Annotated[str, Form()] = "") -> Any:
    check_csrf(desk(request).settings.auth, request, csrf_token)
    if not desk(request).settings.auth.required and name.strip():
        request.session["name"] = name.strip()[:100]
    return back(_local_path(next))


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> Any:
    return page(request, "login.html", next=_local_path(next), failed=False)


@router.post("/login")
def login(request: Request, next: Annotated[str, Form()] = "/",
          token: Annotated[str, Form()] = "", name: Annotated[str, Form()] = "",
          password: Annotated[str, Form()] = "",
          csrf_token: Annotated[str, Form()] = "") -> Any:
    auth = desk(request).settings.auth
    check_csrf(auth, request, csrf_token)
    who = None
    if token and check_token(auth, token):
        who = "reviewer"
    elif name and password and check_password(auth, name, password):
        who = name
    if who is None:
        return page(request, "login.html", next=_local_path(next), failed=True, status_code=401)
    request.session["user"] = who
    return back(_local_path(next))


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form()] = "") -> Any:
    check_csrf(desk(request).settings.auth, request, csrf_token)
    request.session.pop("user", None)
    return back("/login")


def _local_path(target: str) -> str:
    """Only a path of this desk: a login link cannot send the reviewer elsewhere."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def not_found(request: Request) -> Response:
    return page(request, "message.html", status_code=404, kind="not_found",
                detail=None)


def refused(request: Request, exc: Refused) -> Response:
    return page(request, "message.html", status_code=400, kind="refused",
                detail=render(exc.message, lang(request)))

