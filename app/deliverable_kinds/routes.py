"""Admin page for the kinds of deliverable: add one, rename it, move it up or down, and stop
offering it or offer it again."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.auth.deps import AdminUser
from app.db import SessionDep
from app.deliverable_kinds import services
from app.errors import InvalidInput
from app.forms import see_other
from app.i18n import lazy
from app.templating import render

router = APIRouter(prefix="/admin/deliverable-kinds")
PAGE = "/admin/deliverable-kinds"
# Longer than a name may be, so that a long one gets its message next to the field.
Text = Annotated[str, Form(max_length=1000)]
Flag = Annotated[str, Form(max_length=5)]


def _page(
    request: Request,
    session: SessionDep,
    form: services.KindForm | None = None,
    status: int = 200,
) -> Response:
    ctx = {"kinds": services.kinds(session=session), "form": form or services.KindForm()}
    return render(request, "deliverable_kinds/list.html", ctx, status=status)


@router.get("", response_class=HTMLResponse)
def list_kinds(request: Request, session: SessionDep, admin: AdminUser) -> Response:
    return _page(request, session)


@router.post("", response_class=HTMLResponse)
def create_kind(
    request: Request, session: SessionDep, admin: AdminUser, name_nl: Text = "", name_en: Text = ""
) -> Response:
    form = services.KindForm(name_nl=name_nl, name_en=name_en)
    try:
        kind = services.create_kind(session=session, form=form, admin=admin)
    except InvalidInput:
        return _page(request, session, form=form, status=422)
    return see_other(f"{PAGE}#kind-{kind.id}", lazy("The kind of deliverable was added."))


@router.post("/{kind_id}/rename", response_class=HTMLResponse)
def rename_kind(
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    kind_id: int,
    name_nl: Text = "",
    name_en: Text = "",
    seen_nl: Text = "",
    seen_en: Text = "",
) -> Response:
    form = services.KindForm(kind_id=kind_id, name_nl=name_nl, name_en=name_en)
    try:
        services.rename_kind(
            session=session, form=form, seen_nl=seen_nl, seen_en=seen_en, admin=admin
        )
    except InvalidInput:
        return _page(request, session, form=form, status=422)
    return see_other(f"{PAGE}#kind-{kind_id}", lazy("The kind of deliverable was renamed."))


@router.post("/{kind_id}/move")
def move_kind(
    session: SessionDep, admin: AdminUser, kind_id: int, direction: Flag = ""
) -> Response:
    moved = services.move_kind(session=session, kind_id=kind_id, direction=direction, admin=admin)
    messages = [lazy("The order was changed.")] if moved else []  # already first or last
    return see_other(f"{PAGE}#kind-{kind_id}", *messages)


@router.post("/{kind_id}/active")
def set_active(session: SessionDep, admin: AdminUser, kind_id: int, active: Flag = "") -> Response:
    on = active == "true"
    services.set_active(session=session, kind_id=kind_id, active=on, admin=admin)
    message = (
        lazy("The kind of deliverable is offered again.")
        if on
        else lazy("The kind of deliverable is no longer offered.")
    )
    return see_other(f"{PAGE}#kind-{kind_id}", message)
