"""Request context: the logged-in user, language, CSRF; and role checks."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app import csrf
from app.auth import services
from app.config import Settings
from app.cookies import LANG_COOKIE, SESSION_COOKIE
from app.db import SessionDep
from app.errors import Forbidden, NotAuthenticated
from app.i18n import DEFAULT_LANGUAGE, LANGUAGES, lazy
from app.models import Role, User
from app.security import tokens_equal

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


# The dependencies below that do no I/O are ``async def``: FastAPI runs a plain ``def``
# dependency in a worker thread, a hop per dependency and request that costs more than the
# check itself. ``load_user`` hops only when it has a query to make.


async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


async def load_user(request: Request, session: SessionDep, settings: SettingsDep) -> User | None:
    """Runs for every request: finds the session user and the language to speak. Only a
    request with a session cookie has a query to make, in a worker thread; the others (the
    API, the login page, static files) skip the hop."""
    token = request.cookies.get(SESSION_COOKIE)
    user = None
    if token:
        user = await run_in_threadpool(
            services.user_for_token, session=session, token=token, settings=settings
        )
    request.state.user = user
    cookie_lang = request.cookies.get(LANG_COOKIE, "")
    if user is not None:
        request.state.lang = user.preferred_language
    elif cookie_lang in LANGUAGES:
        request.state.lang = cookie_lang
    else:
        request.state.lang = settings.default_language or DEFAULT_LANGUAGE
    return user


async def verify_csrf(request: Request) -> None:
    """Every unsafe HTML request sends the token of its cookie back, in a hidden field or
    htmx's header, and the token is signed for this request's session (``app.csrf``)."""
    if request.method not in UNSAFE_METHODS or request.url.path.startswith("/api/"):
        return
    settings: Settings = request.app.state.settings
    expected = request.cookies.get(csrf.cookie_name(https=settings.https), "")
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD, "")
            sent = value if isinstance(value, str) else ""
    session_token = request.cookies.get(SESSION_COOKIE, "")
    if (
        not expected
        or not sent
        or not tokens_equal(expected, sent)
        or not csrf.valid(settings.secret_key, session_token, sent)
    ):
        raise Forbidden(lazy("The form has expired. Reload the page and try again."))


async def current_user(request: Request) -> User:
    user: User | None = getattr(request.state, "user", None)
    if user is None:
        raise NotAuthenticated()
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require_role(*roles: Role) -> Callable[[User], Coroutine[None, None, User]]:
    """A dependency that admits only users with one of ``roles``."""

    async def dependency(user: CurrentUser) -> User:
        if user.role not in roles:
            raise Forbidden()
        return user

    dependency.roles = roles  # type: ignore[attr-defined]  # read by the access-matrix test
    return dependency


AdminUser = Annotated[User, Depends(require_role(Role.ADMIN))]
StaffUser = Annotated[User, Depends(require_role(Role.ADMIN, Role.WIJKDOCENT))]
PartnerUser = Annotated[User, Depends(require_role(Role.PARTNER))]
StudentUser = Annotated[User, Depends(require_role(Role.STUDENT))]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


__all__ = ["Session"]
