"""HTTP details shared by the API routes: ETag and 304, the RFC 8288 next link, problems."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from fastapi import Request, Response
from pydantic import BaseModel

from app.api.schemas import Page, Problem

CACHE_CONTROL = "private, no-cache"  # clients may keep a copy but must revalidate (ETag)


def etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    candidates = {c.strip().removeprefix("W/") for c in header.split(",")}
    return "*" in candidates or etag in candidates


def json_response(
    request: Request, model: BaseModel, headers: dict[str, str] | None = None
) -> Response:
    """200 with the model as JSON and a strong ETag, or 304 when If-None-Match has it."""
    body = model.model_dump_json().encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    all_headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL, **(headers or {})}
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=all_headers)
    return Response(body, media_type="application/json", headers=all_headers)


def next_link(request: Request, page: Page, **extra: str) -> dict[str, str]:
    """A ``Link: <...>; rel="next"`` header while more items follow this page."""
    if page.offset + page.limit >= page.total:
        return {}
    url = request.url.include_query_params(
        limit=page.limit, offset=page.offset + page.limit, **extra
    )
    return {"Link": f'<{url}>; rel="next"'}


def as_utc(value: datetime | None) -> datetime | None:
    """Normalise a client's aware datetime; values beyond the calendar clamp to its ends."""
    if value is None:
        return None
    try:
        return value.astimezone(UTC)
    except OverflowError:
        return (datetime.min if value.year < 2 else datetime.max).replace(tzinfo=UTC)


def _problem(status: int, title: str, detail: str, **extra: Any) -> dict[str, Any]:
    example = Problem(title=title, status=status, detail=detail, **extra)
    return {
        "description": title,
        "content": {
            "application/problem+json": {
                "schema": Problem.model_json_schema(),
                "example": example.model_dump(exclude_none=True),
            }
        },
    }


def _header(description: str) -> dict[str, Any]:
    return {"description": description, "schema": {"type": "string"}}


ETAG_HEADERS = {
    "ETag": _header("Send it back as If-None-Match to get 304 while nothing changed."),
    "Cache-Control": _header("private, no-cache"),
}
PAGE_HEADERS = {
    **ETAG_HEADERS,
    "Link": _header('RFC 8288: <url>; rel="next" while more items follow.'),
}

ERRORS: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the ETag in If-None-Match is still current."},
    400: _problem(400, "Bad request", "Send the API token in the Authorization header, ..."),
    401: _problem(401, "Please log in.", "The API token is unknown, revoked or expired."),
    403: _problem(
        403, "You do not have access to this page.", "This token lacks the scope teams:read."
    ),
    404: _problem(404, "Not found.", "No semester with this key."),
    422: _problem(
        422,
        "The input is not valid.",
        "The request parameters are not valid.",
        errors=[{"loc": ["query", "limit"], "msg": "Input should be less than or equal to 500"}],
    ),
    429: {
        **_problem(
            429,
            "Too many attempts; wait a few minutes and try again.",
            "This token made too many requests; wait and try again.",
        ),
        "headers": {"Retry-After": _header("Seconds to wait before the next request.")},
    },
}


def responses(
    example: dict[str, Any], headers: dict[str, Any] | None = None
) -> dict[int | str, Any]:
    """The OpenAPI responses of an operation: 200 with an example, and every problem."""
    ok: dict[str, Any] = {"content": {"application/json": {"example": example}}}
    ok["headers"] = headers or ETAG_HEADERS
    return {200: ok, **ERRORS}
