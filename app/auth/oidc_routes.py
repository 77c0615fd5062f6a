"""Sign in with the HAN account (OpenID Connect), and the admin's switch for password login."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.auth import oidc_login, password_login
from app.auth.deps import AdminUser, SettingsDep
from app.auth.oidc import ProviderUnavailable, SignInRefused, provider_for
from app.auth.oidc_logout import OIDC_MARK_COOKIE
from app.auth.routes import PUBLIC, _safe_next, logged_in
from app.db import SessionDep
from app.errors import InvalidInput, NotFound
from app.forms import see_other
from app.i18n import lazy
from app.models import Role
from app.security import tokens_equal
from app.templating import render

router = APIRouter()
log = logging.getLogger(__name__)
STATE_COOKIE = "om_oidc_state"
STATE_COOKIE_PATH = "/oidc"


@router.get("/oidc/start", openapi_extra={"x-roles": PUBLIC})
def start_sign_in(
    request: Request, session: SessionDep, settings: SettingsDep, next: str = ""
) -> Response:
    if not settings.oidc_enabled:
        raise NotFound()
    try:
        auth = provider_for(settings).authorization_request()
    except ProviderUnavailable as exc:
        log.warning("OIDC provider unavailable: %s", exc)
        raise oidc_login.ProviderDown(oidc_login.PROVIDER_DOWN) from exc
    oidc_login.save_request(session=session, request=auth, next_path=_safe_next(next))
    response = see_other(auth.url)
    # Binds the callback to this browser: a state minted for someone else is refused.
    response.set_cookie(
        STATE_COOKIE,
        auth.state,
        max_age=int(oidc_login.REQUEST_LIFETIME.total_seconds()),
        path=STATE_COOKIE_PATH,
        httponly=True,
        samesite="lax",
        secure=settings.https,
    )
    return response


def _refused(reason: str) -> oidc_login.SignInFailed:
    log.warning("OIDC sign-in refused: %s", reason)
    return oidc_login.SignInFailed(oidc_login.SIGN_IN_FAILED)


@router.get("/oidc/callback", response_class=HTMLResponse, openapi_extra={"x-roles": PUBLIC})
def finish_sign_in(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    code: str = "",
    state: str = "",
    error: str = "",
) -> Response:
    if not settings.oidc_enabled:
        raise NotFound()
    if error:
        raise _refused(f"the provider answered {error[:60]}")
    expected = request.cookies.get(STATE_COOKIE, "")
    if not code or not state or not expected or not tokens_equal(state, expected):
        raise _refused("state does not match this browser")
    pending = oidc_login.take_request(session=session, state=state)
    if pending is None:
        raise _refused("state unknown, used or expired")
    provider = provider_for(settings)
    try:
        claims = provider.redeem(
            code=code, code_verifier=pending.code_verifier, nonce=pending.nonce
        )
        identity = oidc_login.identity_from_claims(
            claims, issuer=provider.metadata()["issuer"], settings=settings
        )
    except ProviderUnavailable as exc:
        log.warning("OIDC provider unavailable: %s", exc)
        raise oidc_login.ProviderDown(oidc_login.PROVIDER_DOWN) from exc
    except SignInRefused as exc:
        raise _refused(exc.reason) from exc
    try:
        user = oidc_login.user_for_identity(session=session, identity=identity)
    except oidc_login.NoAccount as exc:
        ctx = {"staff": exc.staff, "unverified_email": exc.unverified_email}
        return render(request, "auth/oidc_no_account.html", ctx, status=403)
    response = logged_in(request, session, settings, user, pending.next_path)
    response.set_cookie(OIDC_MARK_COOKIE, "1", httponly=True, samesite="lax", secure=settings.https)
    response.delete_cookie(STATE_COOKIE, path=STATE_COOKIE_PATH)
    return response


def _methods_page(
    request: Request, allowed: dict[Role, bool], errors: list[str], status: int = 200
) -> Response:
    ctx = {"allowed": allowed, "roles": list(Role), "errors": errors}
    return render(request, "auth/login_methods.html", ctx, status=status)


@router.get("/admin/login-methods", response_class=HTMLResponse)
def login_methods(request: Request, session: SessionDep, admin: AdminUser) -> Response:
    return _methods_page(request, password_login.allowed_roles(session=session), [])


@router.post("/admin/login-methods", response_class=HTMLResponse)
def save_login_methods(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    admin: AdminUser,
    password: Annotated[list[str] | None, Form(max_length=10)] = None,
) -> Response:
    allowed = {role: role.value in (password or []) for role in Role}
    try:
        password_login.set_allowed_roles(
            session=session, actor=admin, allowed=allowed, settings=settings
        )
    except InvalidInput as exc:
        return _methods_page(request, allowed, [exc.message], status=422)
    return see_other("/admin/login-methods", lazy("The login methods are saved."))
