"""Admin pages for API tokens: list, create (the secret is shown once), revoke."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.api_tokens import services
from app.auth.deps import AdminUser
from app.db import SessionDep
from app.errors import InvalidInput
from app.forms import see_other
from app.i18n import lazy
from app.models import utcnow
from app.templating import render

router = APIRouter(prefix="/admin/api-tokens")


def _form_page(request: Request, form: services.TokenForm, status: int = 200) -> Response:
    return render(
        request, "api_tokens/new.html", {"form": form, "scopes": services.SCOPES}, status=status
    )


@router.get("", response_class=HTMLResponse)
def list_tokens(request: Request, session: SessionDep, admin: AdminUser) -> Response:
    tokens = services.list_tokens(session=session)
    now = utcnow()
    rows = [(t, services.status(t, now)) for t in tokens]
    return render(request, "api_tokens/list.html", {"rows": rows, "scopes": services.SCOPES})


@router.get("/new", response_class=HTMLResponse)
def new_token_form(request: Request, admin: AdminUser) -> Response:
    today = utcnow().astimezone(services.TZ).date()
    return _form_page(request, services.TokenForm(expires_on=services.default_expiry(today)))


@router.post("/new", response_class=HTMLResponse)
def create_token(
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    name: Annotated[str, Form(max_length=120)] = "",
    scopes: Annotated[list[str] | None, Form(max_length=10)] = None,
    expires_on: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    form = services.TokenForm(name=name, scopes=scopes or [], expires_on=expires_on)
    try:
        token, secret = services.create_token(session=session, form=form, admin=admin)
    except InvalidInput:
        return _form_page(request, form, status=422)
    return render(request, "api_tokens/created.html", {"token": token, "secret": secret})


@router.post("/{token_id}/revoke")
def revoke_token(session: SessionDep, admin: AdminUser, token_id: int) -> Response:
    services.revoke_token(session=session, token_id=token_id, admin=admin)
    return see_other("/admin/api-tokens", lazy("The token was revoked."))
