"""Admin page for leerkringen: add one, open or close it, say which wijkdocenten answer for
it (what they see and may change follows from this), and keep its learning effects."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.auth.deps import AdminUser
from app.db import SessionDep
from app.errors import InvalidInput
from app.forms import see_other
from app.i18n import lazy
from app.leerkringen import services
from app.parsing import parse_id
from app.templating import render

router = APIRouter(prefix="/admin/leerkringen")
PAGE = "/admin/leerkringen"
Text = Annotated[str, Form(max_length=120)]


def _page(
    request: Request,
    session: SessionDep,
    form: services.LeerkringForm | None = None,
    effect: services.EffectForm | None = None,
    status: int = 200,
) -> Response:
    ctx = {
        "rows": services.overview(session=session),
        "form": form or services.LeerkringForm(),
        "effect": effect or services.EffectForm(),
    }
    return render(request, "leerkringen/list.html", ctx, status=status)


@router.get("", response_class=HTMLResponse)
def list_leerkringen(request: Request, session: SessionDep, admin: AdminUser) -> Response:
    return _page(request, session)


@router.post("", response_class=HTMLResponse)
def create_leerkring(
    request: Request, session: SessionDep, admin: AdminUser, name: Text = "", region: Text = ""
) -> Response:
    form = services.LeerkringForm(name=name, region=region)
    try:
        lk = services.create_leerkring(session=session, form=form, admin=admin)
    except InvalidInput:
        return _page(request, session, form=form, status=422)
    return see_other(f"{PAGE}#leerkring-{lk.id}", lazy("The leerkring was added."))


@router.post("/{leerkring_id}/wijkdocenten")
def add_wijkdocent(
    session: SessionDep,
    admin: AdminUser,
    leerkring_id: int,
    user_id: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    services.add_wijkdocent(
        session=session, leerkring_id=leerkring_id, user_id=parse_id(user_id) or 0, admin=admin
    )
    return see_other(f"{PAGE}#leerkring-{leerkring_id}", lazy("The wijkdocent was added."))


@router.post("/{leerkring_id}/wijkdocenten/{user_id}/remove")
def remove_wijkdocent(
    session: SessionDep, admin: AdminUser, leerkring_id: int, user_id: int
) -> Response:
    services.remove_wijkdocent(
        session=session, leerkring_id=leerkring_id, user_id=user_id, admin=admin
    )
    return see_other(f"{PAGE}#leerkring-{leerkring_id}", lazy("The wijkdocent was removed."))


@router.post("/{leerkring_id}/active")
def set_active(
    session: SessionDep,
    admin: AdminUser,
    leerkring_id: int,
    active: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    on = active == "true"
    services.set_active(session=session, leerkring_id=leerkring_id, active=on, admin=admin)
    message = lazy("The leerkring is open again.") if on else lazy("The leerkring is closed.")
    return see_other(f"{PAGE}#leerkring-{leerkring_id}", message)


@router.post("/{leerkring_id}/effects", response_class=HTMLResponse)
def add_effect(
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    leerkring_id: int,
    name_nl: Text = "",
    name_en: Text = "",
) -> Response:
    form = services.EffectForm(leerkring_id=leerkring_id, name_nl=name_nl, name_en=name_en)
    try:
        services.add_effect(session=session, form=form, admin=admin)
    except InvalidInput:
        return _page(request, session, effect=form, status=422)
    return see_other(f"{PAGE}#leerkring-{leerkring_id}", lazy("The learning effect was added."))


@router.post("/effects/{effect_id}/active")
def set_effect_active(
    session: SessionDep,
    admin: AdminUser,
    effect_id: int,
    active: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    on = active == "true"
    kring = services.set_effect_active(session=session, effect_id=effect_id, active=on, admin=admin)
    message = (
        lazy("The learning effect is offered again.")
        if on
        else lazy("The learning effect is no longer offered.")
    )
    return see_other(f"{PAGE}#leerkring-{kring}", message)
