"""Login, logout, invitation links and the language switch."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from app.auth import services
from app.auth.deps import CurrentUser, SettingsDep, client_address
from app.auth.oidc_logout import OIDC_MARK_COOKIE, provider_logout_url
from app.auth.password_login import password_login_allowed
from app.config import Settings
from app.cookies import LANG_COOKIE, SESSION_COOKIE
from app.db import SessionDep
from app.errors import InvalidInput
from app.forms import see_other
from app.i18n import LANGUAGES, lazy
from app.models import User
from app.templating import render

router = APIRouter()
# Routes anyone may use (the access-matrix test reads this marker).
PUBLIC = "public"


def _safe_next(target: str | None) -> str:
    """Only local paths: an open redirect after login would help phishing."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/dashboard"
    return urlparse(target).path or "/dashboard"


@router.get("/login", response_class=HTMLResponse, openapi_extra={"x-roles": PUBLIC})
def login_form(request: Request, next: str = "") -> Response:
    if getattr(request.state, "user", None) is not None:
        return see_other(_safe_next(next))
    return render(request, "auth/login.html", {"next": next, "email": ""})


@router.post("/login", response_class=HTMLResponse, openapi_extra={"x-roles": PUBLIC})
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    address = client_address(request)
    user = services.authenticate(session=session, email=email, password=password, address=address)
    error = None
    if user is None:
        error = lazy("Wrong e-mail address or password.")
    elif not password_login_allowed(session=session, role=user.role):
        error = lazy("Password login is switched off for your role: sign in with your HAN account.")
    if user is None or error:
        ctx = {"next": next, "email": email, "error": error}
        return render(request, "auth/login.html", ctx, status=400)
    return logged_in(request, session, settings, user, next)


def logged_in(
    request: Request, session: Session, settings: Settings, user: User, next: str
) -> Response:
    """The one way in, for the password and the institution's sign-in alike."""
    token = services.log_in(
        session=session, user=user, old_token=request.cookies.get(SESSION_COOKIE)
    )
    response = see_other(_safe_next(next))
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=settings.https)
    return response


@router.post("/logout", openapi_extra={"x-roles": PUBLIC})
def logout(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        services.end_session(session=session, token=token)
    # After an institution sign-in the provider's session ends too (RP-initiated logout).
    response = see_other(
        provider_logout_url(request, settings) or "/login", lazy("You are logged out.")
    )
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(OIDC_MARK_COOKIE)
    return response


@router.get("/invitation/{token}", response_class=HTMLResponse, openapi_extra={"x-roles": PUBLIC})
def invitation_form(request: Request, session: SessionDep, token: str) -> Response:
    _inv, user = services.open_invitation(session=session, token=token)
    return render(request, "auth/invitation.html", {"invitee": user, "token": token})


@router.post("/invitation/{token}", response_class=HTMLResponse, openapi_extra={"x-roles": PUBLIC})
def accept_invitation(
    request: Request,
    session: SessionDep,
    token: str,
    password: Annotated[str, Form(max_length=1024)] = "",
    repeat: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    try:
        services.accept_invitation(session=session, token=token, password=password, repeat=repeat)
    except InvalidInput as exc:
        _inv, user = services.open_invitation(session=session, token=token)
        ctx = {"invitee": user, "token": token, "errors": exc.errors}
        return render(request, "auth/invitation.html", ctx, status=422)
    return see_other("/login", lazy("Your password is set. You can log in now."))


@router.post("/language", openapi_extra={"x-roles": PUBLIC})
def switch_language(
    request: Request,
    session: SessionDep,
    language: Annotated[str, Form(max_length=2)] = "nl",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    if language not in LANGUAGES:
        raise InvalidInput(lazy("Unknown language."))
    user = getattr(request.state, "user", None)
    if user is not None:
        services.set_preferred_language(session=session, user=user, language=language)
    response = see_other(_safe_next(next) if next != "/" else "/")
    response.set_cookie(LANG_COOKIE, language, max_age=365 * 86400, samesite="lax")
    return response


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, user: CurrentUser) -> Response:
    return render(request, "auth/account.html", {})
