"""Admin pages for accounts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.audit import record_access
from app.auth.deps import AdminUser, SettingsDep
from app.db import SessionDep
from app.errors import InvalidInput
from app.forms import see_other
from app.i18n import lazy
from app.models import Role
from app.templating import render
from app.users import services

router = APIRouter(prefix="/admin/users")


def _form_context(session: SessionDep, form: services.InviteForm) -> dict[str, object]:
    partners = services.list_partners(session=session)
    return {"form": form, "roles": list(Role), "partners": partners}


@router.get("", response_class=HTMLResponse)
def list_users(
    request: Request, session: SessionDep, admin: AdminUser, role: str = "", q: str = ""
) -> Response:
    return _list_page(request, session, admin, role=role, q=q)


def _list_page(
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    *,
    role: str = "",
    q: str = "",
    error: str = "",
    status: int = 200,
) -> Response:
    users = services.list_users(session=session, role=role, q=q[:100])
    after = {"role": role[:16], "q": q[:100], "shown": len(users)}
    record_access(session=session, actor=admin, action="user.list", entity="user", after=after)
    ctx = {"users": users, "roles": list(Role), "role": role, "q": q, "error": error}
    return render(request, "users/list.html", ctx, status=status)


@router.get("/new", response_class=HTMLResponse)
def invite_form(request: Request, session: SessionDep, admin: AdminUser) -> Response:
    return render(request, "users/new.html", _form_context(session, services.InviteForm()))


@router.post("/new", response_class=HTMLResponse)
def invite_user(
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    settings: SettingsDep,
    name: Annotated[str, Form(max_length=200)] = "",
    email: Annotated[str, Form(max_length=254)] = "",
    role: Annotated[str, Form(max_length=16)] = "",
    language: Annotated[str, Form(max_length=2)] = "nl",
    partner_id: Annotated[int | None, Form()] = None,
) -> Response:
    form = services.InviteForm(name, email, role, language, partner_id)
    try:
        user, link = services.invite_user(
            session=session, form=form, admin=admin, settings=settings
        )
    except InvalidInput:
        return render(request, "users/new.html", _form_context(session, form), status=422)
    return render(request, "users/invited.html", {"invitee": user, "link": link})


@router.post("/{user_id}/active", response_class=HTMLResponse)
def set_active(
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    user_id: int,
    active: Annotated[bool, Form()] = False,
) -> Response:
    try:
        services.set_active(session=session, user_id=user_id, active=active, admin=admin)
    except services.LastAdmin as exc:
        return _list_page(request, session, admin, error=exc.translated(), status=409)
    return see_other("/admin/users", lazy("Saved."))
