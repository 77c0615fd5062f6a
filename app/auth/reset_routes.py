"""The pages of the password reset: ask for a link, and set a new password through it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.auth import reset
from app.auth.deps import SettingsDep, client_address
from app.db import SessionDep
from app.errors import InvalidInput
from app.forms import see_other
from app.i18n import lazy
from app.templating import render

router = APIRouter(prefix="/password")
PUBLIC = {"x-roles": "public"}


@router.get("/forgot", response_class=HTMLResponse, openapi_extra=PUBLIC)
def forgot_form(request: Request) -> Response:
    return render(request, "auth/forgot.html", {"email": "", "sent": False})


@router.post("/forgot", response_class=HTMLResponse, openapi_extra=PUBLIC)
def forgot(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    email: Annotated[str, Form(max_length=254)] = "",
) -> Response:
    reset.request_reset(
        session=session, email=email, address=client_address(request), settings=settings
    )
    # The same page whether or not the address has an account.
    return render(request, "auth/forgot.html", {"email": email, "sent": True})


@router.get("/reset/{token}", response_class=HTMLResponse, openapi_extra=PUBLIC)
def reset_form(request: Request, session: SessionDep, token: str) -> Response:
    user = reset.open_reset(session=session, token=token)
    return render(request, "auth/reset.html", {"account": user, "token": token})


@router.post("/reset/{token}", response_class=HTMLResponse, openapi_extra=PUBLIC)
def reset_password(
    request: Request,
    session: SessionDep,
    token: str,
    password: Annotated[str, Form(max_length=1024)] = "",
    repeat: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    try:
        reset.reset_password(session=session, token=token, password=password, repeat=repeat)
    except InvalidInput as exc:
        user = reset.open_reset(session=session, token=token)
        ctx = {"account": user, "token": token, "errors": exc.errors}
        return render(request, "auth/reset.html", ctx, status=422)
    return see_other("/login", lazy("Your new password is set. You can log in now."))
