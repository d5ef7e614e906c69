"""Who is asking, and whether a request may do what it asks: logins (a shared token or
users' argon2 password hashes), CSRF tokens on every form and script post, and the cap on
a request's size."""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import secrets
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from validator.core.i18n import Number, _, render
from validator.desk.settings import Auth

HASHER = PasswordHasher()
LOCAL_REVIEWER = "reviewer"


class NotAllowed(Exception):
    """A request without a login (401) or without a valid CSRF token (403)."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def check_password(auth: Auth, name: str, password: str) -> bool:
    stored = auth.users.get(name)
    if stored is None:
        HASHER.hash(password)  # as slow as a real check: names cannot be probed by timing
        return False
    try:
        return HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def check_token(auth: Auth, token: str) -> bool:
    return bool(auth.token) and hmac.compare_digest(token.encode(), auth.token.encode())


def by_header(auth: Auth, request: Request) -> str | None:
    """The user an ``Authorization`` header proves: ``Bearer TOKEN`` or, with users,
    ``Basic`` name and password."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and check_token(auth, value.strip()):
        return "api"
    if scheme.lower() == "basic" and auth.users:
        try:
            name, _, password = base64.b64decode(value.strip()).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        if check_password(auth, name, password):
            return name
    return None


def current_user(auth: Auth, request: Request) -> str | None:
    """The reviewer's name, or None when the desk needs a login and has none."""
    if not auth.required:
        return request.session.get("name") or LOCAL_REVIEWER
    return request.session.get("user") or by_header(auth, request)


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def check_csrf(auth: Auth, request: Request, given: str | None) -> None:
    """Refuse a post that a page of another site could have made: it must carry this
    session's token (a form field or the X-CSRF-Token header), or prove who sends it in an
    Authorization header, or, on a desk without logins, come from a program (no cookie,
    no Origin: browsers send an Origin with every cross-site post)."""
    expected = request.session.get("csrf")
    given = given or request.headers.get("x-csrf-token")
    if expected and given and hmac.compare_digest(given, expected):
        return
    if auth.required and by_header(auth, request):
        return
    if (not auth.required and "origin" not in request.headers
            and "cookie" not in request.headers):
        return
    raise NotAllowed(403)


class BodyLimit:
    """Refuse a request whose body is larger than ``limit`` bytes (413), by its
    Content-Length or as it arrives, before it is read whole."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        lang = "en" if b"lang=en" in scope.get("query_string", b"") else "vi"
        if length is not None and length.isdigit() and int(length) > self.limit:
            await _too_large(send, lang, self.limit)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except TooLarge:
            await _too_large(send, lang, self.limit)


class TooLarge(Exception):
    pass


async def _too_large(send: Send, lang: str, limit: int) -> None:
    message = _("the upload is larger than the limit of {limit} MB",
                limit=Number(limit / 1024 / 1024, 1))
    body = json.dumps({"detail": render(message, lang)}, ensure_ascii=False).encode("utf-8")
    headers: list[Any] = [(b"content-type", b"application/json"),
                          (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
