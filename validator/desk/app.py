"""The desk's ASGI app: the store, the queue and the routes put together, with the
session, size-cap and error handling every request goes through."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.middleware.sessions import SessionMiddleware

from validator import __version__
from validator.core.i18n import _
from validator.desk import api, pages
from validator.desk.context import text
from validator.desk.intake import Refused
from validator.desk.jobs import Queue
from validator.desk.security import BodyLimit, NotAllowed
from validator.desk.service import Desk, NotFound
from validator.desk.settings import Settings, ensure_data
from validator.desk.store import Blobs, open_db


def create_app(settings: Settings) -> FastAPI:
    """The desk over ``settings``' data folder and database (migrated on start); its
    worker pool starts and stops with the app."""
    ensure_data(settings.data)
    sessions = open_db(settings.db_url)
    blobs = Blobs(settings.data / "blobs")
    queue = Queue(settings, sessions, blobs)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        queue.start()
        try:
            yield
        finally:
            queue.stop()

    app = FastAPI(title="plancheck review desk", version=__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None,
                  description="Submit development plans, read their findings, accept "
                              "exceptions and follow versions (docs/review-desk.md).")
    app.state.desk = Desk(settings, sessions, blobs, queue)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(Refused, _refused)
    app.add_exception_handler(NotAllowed, _not_allowed)
    app.add_middleware(SessionMiddleware, secret_key=settings.secret(),
                       session_cookie="plancheck_desk", same_site="lax",
                       max_age=12 * 3600)
    app.add_middleware(BodyLimit, limit=settings.max_request)
    return app


def _api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def _not_found(request: Request, exc: Exception) -> Any:
    if _api(request):
        return JSONResponse({"detail": text(_("not found"), request)}, status_code=404)
    return pages.not_found(request)


async def _refused(request: Request, exc: Exception) -> Any:
    assert isinstance(exc, Refused)
    if _api(request):
        return api.refused(request, exc)
    return pages.refused(request, exc)


async def _not_allowed(request: Request, exc: Exception) -> Any:
    assert isinstance(exc, NotAllowed)
    if exc.status == 401 and not _api(request) and request.method == "GET":
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    message = (_("log in first (docs/review-desk.md, Security)") if exc.status == 401 else
               _("the form's CSRF token is missing or wrong: reload the page"))
    return JSONResponse({"detail": text(message, request)}, status_code=exc.status)
