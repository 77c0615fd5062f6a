"""Who may use each route, read from the routes' own declarations.

A route declares its users through its dependencies: ``require_role(...)`` (the dependency
carries ``.roles``), ``CurrentUser`` (anyone logged in), the API's bearer token
(``api_token``, with ``require_scope(...)`` carrying ``.scope``), or
``openapi_extra={"x-roles": "public"}``. The table is built from ``app.routes`` through
``tests.routes.api_routes`` (the routers' and the app's own dependencies included), so a
new route without a declaration shows up as undeclared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

from app.api.auth import api_token
from app.auth.deps import current_user
from app.models import Role
from tests.routes import api_routes

LOGGED_IN = frozenset(Role)
# Routes that are not FastAPI operations: declared here, as there is nowhere else to.
PLAIN_ROUTES = {
    ("GET", "/api/v1/openapi.json"): "public",  # the API's description, no data
    ("GET", "/static"): "public",  # CSS, JS, images
}


@dataclass(frozen=True)
class Access:
    """``roles`` for HTML routes (every role when public, plus anonymous); ``scope`` for API
    routes (``""``: any valid token)."""

    public: bool = False
    roles: frozenset[Role] = frozenset()
    token: bool = False
    scope: str = ""

    def allows(self, role: Role | None) -> bool:
        if self.token:
            return False  # a browser session opens no API route
        return self.public or (role is not None and role in self.roles)

    def describe(self) -> str:
        if self.token:
            return f"API token{' with ' + self.scope if self.scope else ''}"
        if self.public:
            return "everyone"
        return ", ".join(sorted(self.roles))


@dataclass
class _Found:
    roles: list[frozenset[Role]] = field(default_factory=list)
    user: bool = False
    token: bool = False
    scopes: list[str] = field(default_factory=list)


def _walk(dependant: Any, found: _Found) -> None:
    call = dependant.call
    if call is current_user:
        found.user = True
    if call is api_token:
        found.token = True
    roles = getattr(call, "roles", None)
    if roles:
        found.roles.append(frozenset(Role(r) for r in roles))
    scope = getattr(call, "scope", None)
    if isinstance(scope, str) and callable(call):
        found.scopes.append(scope)
    for sub in dependant.dependencies:
        _walk(sub, found)


def _access(route: Any, public: bool) -> Access | str:
    """The route's access, or a message saying what is wrong with its declaration."""
    found = _Found()
    _walk(route.dependant, found)
    if found.token and (public or found.roles or found.user):
        return "mixes an API token with browser access"
    if found.token:
        return Access(token=True, scope=",".join(sorted(found.scopes)))
    if public and (found.roles or found.user):
        return "is marked public but also asks for a user"
    if public:
        return Access(public=True)
    if found.roles:
        allowed = frozenset(LOGGED_IN)
        for roles in found.roles:
            allowed &= roles
        return Access(roles=allowed)
    if found.user:
        return Access(roles=LOGGED_IN)
    return "declares nobody (add CurrentUser, require_role(...) or x-roles public)"


def access_table(app: FastAPI) -> tuple[dict[tuple[str, str], Access], list[str]]:
    """(method, path) -> Access for every route, and the routes without a declaration."""
    table: dict[tuple[str, str], Access] = {}
    problems: list[str] = []
    for route in app.routes:  # what is not an API route: Starlette routes and mounts
        if isinstance(route, APIRoute) or hasattr(route, "effective_route_contexts"):
            continue
        path = getattr(route, "path", "")
        for method in sorted((getattr(route, "methods", None) or {"GET"}) - {"HEAD"}):
            if (method, path) in PLAIN_ROUTES:
                table[(method, path)] = Access(public=True)
            else:
                problems.append(f"{method} {path}: not a declared plain route")
    for route in api_routes(app):
        public = (route.openapi_extra or {}).get("x-roles") == "public"
        access = _access(route, public)
        for method in sorted(route.methods or ()):
            if isinstance(access, str):
                problems.append(f"{method} {route.path}: {access}")
            else:
                table[(method, route.path)] = access
    return table, problems


PARAM = re.compile(r"{([^}:]+)(?::[^}]*)?}")


def fill(path: str, values: dict[str, object]) -> str:
    """The path with each {param} replaced by ``values[param]`` (KeyError when unknown)."""
    return PARAM.sub(lambda m: str(values[m.group(1)]), path)
