"""Per-response concerns: security headers, the CSRF cookie and one-shot flash messages;
a guard on request input (body size, NUL characters); request ids and unexpected errors."""

from __future__ import annotations

import json
import logging

from fastapi import Request, Response
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import csrf
from app.cookies import FLASH_COOKIE, SESSION_COOKIE
from app.errors import (
    REQUEST_ID_HEADER,
    invalid_input,
    new_request_id,
    too_deep,
    too_large,
    unexpected,
)
from app.parsing import ascii_int, json_too_deep

log = logging.getLogger(__name__)
API_REFERENCE = "/api/v1/docs"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def flash(response: Response, *messages: str) -> None:
    """Show English message ids (translated at render time) on the next page."""
    response.set_cookie(FLASH_COOKIE, json.dumps(list(messages)), httponly=True, samesite="lax")


def _for_people(path: str) -> bool:
    """Pages for people get the CSRF cookie; the API's machine clients get none, but the API
    reference is a page with the site's forms."""
    return not path.startswith("/api/") or path == API_REFERENCE


def _new_session_cookie(headers: MutableHeaders) -> str | None:
    """The session token a response sets ("" when it deletes the cookie), else None."""
    for value in headers.getlist("set-cookie"):
        name, _eq, rest = value.partition("=")
        if name.strip() == SESSION_COOKIE:
            token = rest.split(";", 1)[0].strip().strip('"')
            return "" if "max-age=0" in value.lower() else token
    return None


def _read_flashes(request: Request) -> list[str]:
    try:
        value = json.loads(request.cookies.get(FLASH_COOKIE, "[]"))
    except ValueError:
        return []
    return [str(v) for v in value][:5] if isinstance(value, list) else []


class SecurityMiddleware:
    """The CSRF cookie, flash messages and security headers of every response.

    Plain ASGI: it changes the response's first message on its way out. (Starlette's
    ``BaseHTTPMiddleware`` would run every request in a task of its own, passing the
    response through memory streams: a cost on every request.)
    """

    def __init__(self, app: ASGIApp, *, https: bool, secret_key: str) -> None:
        self.app = app
        self.https = https
        self.secret_key = secret_key
        self.csrf_cookie = csrf.cookie_name(https=https)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        token = request.cookies.get(self.csrf_cookie, "")
        session_token = request.cookies.get(SESSION_COOKIE, "")
        # A missing, forged or other session's token is replaced (it is refused anyway).
        keep = csrf.valid(self.secret_key, session_token, token)
        request.state.csrf_token = token if keep else csrf.issue(self.secret_key, session_token)
        request.state.flashes = _read_flashes(request)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                self._cookies(request, keep, message["status"], headers)
                self._headers(request, headers)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _cookies(self, request: Request, keep: bool, status: int, headers: MutableHeaders) -> None:
        cookies = Response()
        new_session = _new_session_cookie(headers)
        token = ""
        if new_session is not None:  # a login or logout: a new token goes with the session
            token = csrf.issue(self.secret_key, new_session)
        elif not keep and (
            not request.url.path.startswith("/api/") or request.url.path == API_REFERENCE
        ):
            # The API's machine clients get no cookie; its reference is a page for people.
            token = request.state.csrf_token
        if token:
            cookies.set_cookie(
                self.csrf_cookie, token, httponly=True, samesite="lax", secure=self.https
            )
        new_flash = any(c.startswith(f"{FLASH_COOKIE}=") for c in headers.getlist("set-cookie"))
        if request.state.flashes and not new_flash and status < 300:
            cookies.delete_cookie(FLASH_COOKIE)
        for value in cookies.headers.getlist("set-cookie"):
            headers.append("set-cookie", value)

    def _headers(self, request: Request, h: MutableHeaders) -> None:
        h.setdefault("Content-Security-Policy", CSP)
        h["X-Content-Type-Options"] = "nosniff"
        h["Referrer-Policy"] = "same-origin"
        h["X-Frame-Options"] = "DENY"
        h["Cross-Origin-Opener-Policy"] = "same-origin"
        if self.https:
            h["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if request.url.path.startswith("/static/"):
            h.setdefault("Cache-Control", "public, max-age=3600")
        else:
            h.setdefault("Cache-Control", "no-store")


# A NUL character is never meaningful in a form, a query or JSON, and PostgreSQL refuses to
# store one in text (an error instead of an answer).
_NUL_MARKS = (b"\x00", b"%00", b"\\u0000")
_READ_WHOLE = ("application/x-www-form-urlencoded", "application/json")
UPLOAD_FORM_SLACK = 256 * 1024


class RequestGuardMiddleware:
    """Refuses input no route should see, before any route reads it.

    413 for a body over ``max_bytes``: at once when Content-Length says so, else as soon as
    the streamed body passes the limit (before a form parser holds it all). 422 for a NUL
    character in the URL, a form or a JSON body (uploads are checked by their parser),
    and for JSON nested deeper than ``app.parsing.MAX_JSON_DEPTH``.
    """

    def __init__(
        self, app: ASGIApp, *, max_bytes: int, upload_bytes: int = 0, upload_prefix: str = ""
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        # A file upload (multipart) under ``upload_prefix`` may carry a file of
        # ``upload_bytes`` and its form; the route checks the file's own size and says so
        # next to the field.
        self.upload_limit = max(max_bytes, upload_bytes + UPLOAD_FORM_SLACK)
        self.upload_prefix = upload_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        length = headers.get("content-length", "")
        upload = bool(self.upload_prefix) and scope["path"].startswith(self.upload_prefix)
        upload = upload and headers.get("content-type", "").startswith("multipart/form-data")
        limit = self.upload_limit if upload else self.max_bytes
        url = scope.get("raw_path", b"") + b"?" + scope.get("query_string", b"")
        if (ascii_int(length) or 0) > limit:
            await too_large(Request(scope))(scope, receive, send)
        elif _has_nul(url):
            await invalid_input(Request(scope))(scope, receive, send)
        elif _reads_whole(headers.get("content-type", "")):
            await self._whole_body(scope, receive, send)
        else:
            await self.app(scope, self._limited(receive, limit), send)

    def _limited(self, receive: Receive, limit: int) -> Receive:
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise HTTPException(413)  # the app's handler renders it
            return message

        return limited

    async def _whole_body(self, scope: Scope, receive: Receive, send: Send) -> None:
        messages, size = [], 0
        while True:
            message = await receive()
            messages.append(message)
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                await too_large(Request(scope))(scope, receive, send)
                return
            if message["type"] != "http.request" or not message.get("more_body"):
                break
        body = b"".join(m.get("body", b"") for m in messages)
        if _has_nul(body):
            await invalid_input(Request(scope))(scope, receive, send)
            return
        if _is_json(Headers(scope=scope).get("content-type", "")) and json_too_deep(body):
            await too_deep(Request(scope))(scope, receive, send)
            return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


def _is_json(content_type: str) -> bool:
    media = content_type.split(";")[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _reads_whole(content_type: str) -> bool:
    return content_type.startswith(_READ_WHOLE) or _is_json(content_type)


def _has_nul(data: bytes) -> bool:
    lowered = data.lower()
    return any(mark in lowered for mark in _NUL_MARKS)


class ErrorMiddleware:
    """Gives every request an id (``X-Request-ID`` on the response) and turns an exception
    nothing else handled into the app's error page or problem (``app.errors.unexpected``).

    It runs inside ``SecurityMiddleware``, so that answer carries every security header;
    Starlette's own last resort (``ServerErrorMiddleware``, outside all middleware) answered
    bare text without them.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        request_id = request.state.request_id = new_request_id()
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            if started:  # too late for an error page: the server closes the connection
                log.exception("error after the response started request_id=%s", request_id)
                raise
            await unexpected(request, exc)(scope, receive, send_with_id)
