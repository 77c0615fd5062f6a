"""Business errors as exception classes, mapped to responses by one handler.

HTML routes get an error page (or a re-rendered form, handled in the route); routes under
/api get ``application/problem+json`` (RFC 9457).
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.cookies import LANG_COOKIE
from app.i18n import DEFAULT_LANGUAGE, LANGUAGES, lazy, set_language, use_request_language
from app.i18n import gettext as _

PROBLEM_JSON = "application/problem+json"
REQUEST_ID_HEADER = "X-Request-ID"
log = logging.getLogger(__name__)


class AppError(Exception):
    """A failure the user can understand; ``message`` is an English message id."""

    status_code = 400
    title = lazy("Bad request")

    def __init__(
        self,
        message: str = "",
        *,
        errors: list[str] | None = None,
        headers: dict[str, str] | None = None,
        **params: Any,
    ):
        super().__init__(message or self.title)
        self.message = message or self.title
        self.errors = errors or []
        self.headers = headers or {}  # sent with the response (Retry-After, WWW-Authenticate)
        self.params = params

    def translated(self) -> str:
        return _(self.message).format(**self.params) if self.params else _(self.message)


class NotAuthenticated(AppError):
    status_code = 401
    title = lazy("Please log in.")


class Forbidden(AppError):
    status_code = 403
    title = lazy("You do not have access to this page.")


class NotFound(AppError):
    status_code = 404
    title = lazy("Not found.")


class Conflict(AppError):
    status_code = 409
    title = lazy("Someone else changed this in the meantime.")


class InvalidInput(AppError):
    status_code = 422
    title = lazy("The input is not valid.")


class TooManyRequests(AppError):
    status_code = 429
    title = lazy("Too many attempts; wait a few minutes and try again.")


_TITLES = {
    400: lazy("Bad request"),
    401: lazy("Please log in."),
    403: lazy("You do not have access to this page."),
    404: lazy("Not found."),
    405: lazy("This method is not allowed here."),
    409: lazy("Someone else changed this in the meantime."),
    413: lazy("The upload is too large."),
    422: lazy("The input is not valid."),
    429: lazy("Too many attempts; wait a few minutes and try again."),
    500: lazy("Something went wrong on our side. Try again later."),
}


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def problem(status: int, detail: str, *, title: str = "", **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title or _TITLES.get(status, "Error")}
    body.update(status=status, detail=detail, **extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def _render_error(request: Request, status: int, message: str) -> Response:
    from app.templating import render

    if status == 401 and request.method == "GET":
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    response = render(request, "errors/error.html", {"status": status, "message": message})
    response.status_code = status
    return response


async def _app_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    use_request_language(request)
    if is_api(request):
        bearer = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else {}
        response = problem(exc.status_code, exc.message, title=exc.title)
        response.headers.update(exc.headers or bearer)
        return response
    return _render_error(request, exc.status_code, exc.translated())


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    use_request_language(request)
    detail = exc.detail if isinstance(exc.detail, str) else _TITLES.get(exc.status_code, "")
    if is_api(request):
        response = problem(exc.status_code, detail)
        response.headers.update(exc.headers or {})
        return response
    return _render_error(request, exc.status_code, _(_TITLES.get(exc.status_code, detail)))


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    use_request_language(request)
    errors = [
        {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
        for e in exc.errors()
    ]
    if is_api(request):
        return problem(422, lazy("The request parameters are not valid."), errors=errors)
    message = (
        _(lazy("The input is not valid."))
        + " "
        + "; ".join(f"{'.'.join(e['loc'][1:])}: {e['msg']}" for e in errors)
    )
    return _render_error(request, 422, message)


def _early_error(request: Request, status: int, detail: str) -> Response:
    """An error page (or problem) for a request refused before the app has seen it."""
    lang = request.cookies.get(LANG_COOKIE, "")
    request.state.lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    set_language(request.state.lang)
    if is_api(request):
        return problem(status, detail)
    return _render_error(request, status, _(_TITLES[status]))


def too_large(request: Request) -> Response:
    """The answer to a request body over the limit, before the app has read it."""
    return _early_error(request, 413, lazy("The request body is too large."))


def invalid_input(request: Request) -> Response:
    """The answer to input no field may hold (a NUL character), before the app reads it."""
    return _early_error(request, 422, lazy("The request contains a NUL character."))


def new_request_id() -> str:
    return secrets.token_hex(6)


def unexpected(request: Request, exc: BaseException) -> Response:
    """The answer to an exception nothing else handled: logged with the request's id, which
    the page (or problem) shows so that a user can quote it; no internals are shown."""
    request_id = getattr(request.state, "request_id", "")
    log.error(
        "unexpected error request_id=%s %s %s",
        request_id,
        request.method,
        request.url.path,
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    lang = getattr(request.state, "lang", "") or request.cookies.get(LANG_COOKIE, "")
    request.state.lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    set_language(request.state.lang)
    if is_api(request):
        return problem(500, lazy("An unexpected error occurred."), request_id=request_id)
    try:
        return _render_error(request, 500, _(_TITLES[500]))
    except Exception:  # the page itself failed (a broken template, a lost database)
        log.exception("the error page failed request_id=%s", request_id)
        text = _(_TITLES[500]) + f" ({_('Error code')}: {request_id})"
        return HTMLResponse(f"<!doctype html><title>500</title><p>{text}</p>", status_code=500)


def too_deep(request: Request) -> Response:
    """The answer to a JSON body nested deeper than any parser should follow."""
    return _early_error(request, 422, lazy("The JSON in the request is nested too deeply."))


def install(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
