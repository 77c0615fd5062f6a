"""Unknown query parameters are refused: a typo (``limt=10``) must not silently mean the
default, and input the API does not describe is input it does not accept."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError

# Refused with their own message by the token check (a token in a URL).
from app.api.auth import URL_TOKEN_PARAMETERS


async def known_query_only(request: Request) -> None:
    """422 for a query parameter the operation does not declare. (``async``: no I/O, so no
    worker thread is needed.)"""
    route: Any = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known = set(URL_TOKEN_PARAMETERS)
    pending = [dependant]
    while pending:  # the operation's own parameters and those of its dependencies
        current = pending.pop()
        known.update(p.alias for p in current.query_params)
        pending.extend(current.dependencies)
    unknown = [name for name in request.query_params if name not in known]
    if unknown:
        raise RequestValidationError(
            [
                {"type": "extra_forbidden", "loc": ("query", name), "msg": "Unknown parameter"}
                for name in unknown
            ]
        )
