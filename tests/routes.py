"""Walk every route of the app, including those of included routers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute


def api_routes(app: FastAPI) -> Iterator[Any]:
    """Every API route: an APIRoute, or for an included router FastAPI's effective route
    context (same ``path``, ``methods``, ``name``, ``dependant``, ``response_class``)."""
    for route in list(app.routes):
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "effective_route_contexts"):
            yield from route.effective_route_contexts()
