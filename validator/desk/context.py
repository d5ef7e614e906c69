"""What every request handler needs: the desk, the reader's language, and who is asking."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from validator.core.i18n import LANGS, render
from validator.desk.security import NotAllowed, current_user
from validator.desk.service import Desk


def desk(request: Request) -> Desk:
    return request.app.state.desk


def lang(request: Request) -> str:
    """``?lang=`` when given, else the language chosen with the switch, else Vietnamese."""
    asked = request.query_params.get("lang") or request.session.get("lang")
    return asked if asked in LANGS else "vi"


def user(request: Request) -> str:
    """The reviewer's name; a desk that needs a login refuses a request without one."""
    name = current_user(request.app.state.desk.settings.auth, request)
    if name is None:
        raise NotAllowed(401)
    return name


def text(message: Any, request: Request) -> str:
    return render(message, lang(request))
