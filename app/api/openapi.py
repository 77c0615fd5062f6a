"""The OpenAPI document at /api/v1/openapi.json describes the JSON API only, not the HTML pages."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts

PREFIX = "/api/v1/"
DESCRIPTION = """\
Published interprofessional teams and approved opdrachten of the Zorgalliantie, for HAN's
timetabling system.

- **Authentication**: `Authorization: Bearer <token>`; admins create tokens under
  *API tokens*. Tokens in a URL are refused.
- **Scopes**: `teams:read` for teams, `opdrachten:read` for opdrachten, `outcomes:read`
  for the confirmed outcomes of teams.
- **Sync**: a full sync lists every published team; keep the `watermark` of its first page
  and pass it as `updated_since` next time to get only changes, removals as tombstones.
- **Paging**: `limit`/`offset`; follow `Link: <...>; rel="next"`.
- **Caching**: every response has an `ETag`; send it as `If-None-Match` to get 304.
- **Errors**: `application/problem+json` (RFC 9457).
- **Rate limit**: per token and minute; 429 with `Retry-After` beyond it.
- **Versioning**: fields are only added within v1; anything incompatible becomes /api/v2.
"""
TAGS = [
    {"name": "semesters", "description": "Semesters with their phase and dates."},
    {"name": "teams", "description": "Published teams (scope teams:read)."},
    {"name": "opdrachten", "description": "Approved opdrachten (scope opdrachten:read)."},
    {"name": "outcomes", "description": "Confirmed outcomes of teams (scope outcomes:read)."},
]


def install(app: FastAPI) -> None:
    """Replace the app's OpenAPI document by one that covers only the routes under /api/v1."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            routes = [r for r in iter_route_contexts(app.routes) if _is_api(r)]
            app.openapi_schema = get_openapi(
                title="opdrachtmatch API",
                version="1.0.0",
                description=DESCRIPTION,
                routes=routes,
                tags=TAGS,
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _is_api(route: RouteContext) -> bool:
    return isinstance(route.original_route, APIRoute) and (route.path or "").startswith(PREFIX)
