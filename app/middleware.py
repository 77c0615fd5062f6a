"""Per-response concerns: security headers, the CSRF cookie and one-shot flash messages;
and a guard on request input (body size, NUL characters)."""

from __future__ import annotations

import json

from fastapi import Request, Response
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.auth.deps import CSRF_COOKIE
from app.errors import invalid_input, too_large
from app.security import new_token

FLASH_COOKIE = "om_flash"
API_REFERENCE = "/api/v1/docs"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def flash(response: Response, *messages: str) -> None:
    """Show English message ids (translated at render time) on the next page."""
    response.set_cookie(FLASH_COOKIE, json.dumps(list(messages)), httponly=True, samesite="lax")


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

    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        csrf = request.cookies.get(CSRF_COOKIE)
        request.state.csrf_token = csrf or new_token()
        request.state.flashes = _read_flashes(request)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                self._cookies(request, csrf, message["status"], headers)
                self._headers(request, headers)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _cookies(
        self, request: Request, csrf: str | None, status: int, headers: MutableHeaders
    ) -> None:
        cookies = Response()
        # Machine clients of the JSON API use no cookies; they get none. The API reference is a
        # page for people, with the site's forms.
        path = request.url.path
        if not csrf and (not path.startswith("/api/") or path == API_REFERENCE):
            cookies.set_cookie(
                CSRF_COOKIE,
                request.state.csrf_token,
                httponly=True,
                samesite="lax",
                secure=self.https,
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


class RequestGuardMiddleware:
    """Refuses input no route should see, before any route reads it.

    413 for a body over ``max_bytes``: at once when Content-Length says so, else as soon as
    the streamed body passes the limit (before a form parser holds it all). 422 for a NUL
    character in the URL, a form or a JSON body (uploads are checked by their parser).
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        length = headers.get("content-length", "")
        url = scope.get("raw_path", b"") + b"?" + scope.get("query_string", b"")
        if length.isdigit() and int(length) > self.max_bytes:
            await too_large(Request(scope))(scope, receive, send)
        elif _has_nul(url):
            await invalid_input(Request(scope))(scope, receive, send)
        elif headers.get("content-type", "").startswith(_READ_WHOLE):
            await self._whole_body(scope, receive, send)
        else:
            await self.app(scope, self._limited(receive), send)

    def _limited(self, receive: Receive) -> Receive:
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
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
        if _has_nul(b"".join(m.get("body", b"") for m in messages)):
            await invalid_input(Request(scope))(scope, receive, send)
            return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


def _has_nul(data: bytes) -> bool:
    lowered = data.lower()
    return any(mark in lowered for mark in _NUL_MARKS)
