"""Partner pages: the organisation's opdrachten per semester, the form, the detail page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.auth.deps import CurrentUser, PartnerUser
from app.db import SessionDep
from app.errors import InvalidInput, NotFound
from app.forms import FormData, FormInput, see_other
from app.i18n import lazy
from app.models import Role, Semester, User
from app.opdrachten import access, continuation, services
from app.opdrachten.cards import Card
from app.opdrachten.forms import LABELS, SUMMARY_LABELS, OpdrachtForm, describe
from app.parsing import parse_id
from app.runs import no_team
from app.templating import render

router = APIRouter(prefix="/opdrachten")
DONE = {
    "submit": lazy("The opdracht is saved and submitted for review."),
    "withdraw": lazy("The opdracht is withdrawn."),
}
SAVED = {
    "draft": lazy("The opdracht is saved as a draft."),
    "submit": lazy("The opdracht is saved and submitted for review."),
}


def _semester_context(session: SessionDep, semester: Semester) -> dict[str, Any]:
    theme, group = services.focus_of(session=session, semester=semester)
    return {
        "semester": semester,
        "intake_open": access.intake_open(semester),
        "focus_theme": theme,
        "focus_group": group,
    }


@router.get("", response_class=HTMLResponse)
def list_opdrachten(
    request: Request, session: SessionDep, user: PartnerUser, semester: int | None = None
) -> Response:
    chosen = services.pick_semester(session=session, semester_id=semester)
    ctx: dict[str, Any] = {
        "semester": chosen,
        "semesters": services.partner_semesters(session=session),
    }
    if chosen is not None:
        ctx |= _semester_context(session, chosen)
        ctx["cards"] = services.list_for_partner(session=session, user=user, semester=chosen)
    return render(request, "opdrachten/list.html", ctx)


def _form_page(
    request: Request,
    session: SessionDep,
    user: User,
    semester: Semester,
    form: OpdrachtForm,
    *,
    card: Card | None = None,
    conflict: services.StaleOpdracht | None = None,
    status: int = 200,
) -> Response:
    options = services.form_options(session=session, user=user, semester=semester, card=card)
    ctx = _semester_context(session, semester) | {
        "form": form,
        "options": options,
        "card": card,
        "summary_labels": SUMMARY_LABELS,
    }
    if conflict is not None:
        ctx["conflict"] = {
            "fields": conflict.current.changed_fields(form),
            "labels": LABELS,
            "saved": describe(conflict.current, options),
            "yours": describe(form, options),
            "changed_by": conflict.changed_by,
        }
    return render(request, "opdrachten/form.html", ctx, status=status)


@router.get("/new", response_class=HTMLResponse)
def new_opdracht(
    request: Request, session: SessionDep, user: PartnerUser, semester: int | None = None
) -> Response:
    chosen = services.pick_semester(session=session, semester_id=semester)
    if chosen is None:
        raise NotFound()
    access.require_intake_open(chosen)
    return _form_page(request, session, user, chosen, OpdrachtForm.defaults(chosen))


@router.post("/new", response_class=HTMLResponse)
def create_opdracht(
    request: Request, session: SessionDep, user: PartnerUser, data: FormData
) -> Response:
    semester = services.pick_semester(
        session=session, semester_id=parse_id(data.text("semester_id"))
    )
    if semester is None or semester.id is None:
        raise NotFound()
    form = OpdrachtForm.parse(data)
    action = "submit" if data.text("action") == "submit" else "draft"
    try:
        opdracht = services.create_opdracht(
            session=session,
            user=user,
            semester_id=semester.id,
            form=form,
            submit=action == "submit",
        )
    except InvalidInput:
        return _form_page(request, session, user, semester, form, status=422)
    return see_other(f"/opdrachten/{opdracht.id}", SAVED[action])


@router.get("/{opdracht_id}", response_class=HTMLResponse)
def show_opdracht(
    request: Request, session: SessionDep, user: CurrentUser, opdracht_id: int
) -> Response:
    opdracht, semester = access.get_viewable(session=session, user=user, opdracht_id=opdracht_id)
    earlier, later = continuation.chain(session=session, user=user, opdracht=opdracht)
    can_edit = access.can_edit(session=session, user=user, opdracht=opdracht)
    staff = user.role in (Role.ADMIN, Role.WIJKDOCENT)
    # Its partners and the staff learn why an opdracht got no team; other readers need not.
    told = (
        no_team.without_team(session=session, semester=semester, opdrachten=[opdracht])
        if can_edit or staff
        else []
    )
    ctx = _semester_context(session, semester) | {
        "card": services.card_of(session=session, opdracht=opdracht),
        "can_edit": can_edit,
        "staff": staff,
        "earlier": earlier,
        "later": later,
        "targets": continuation.duplicate_targets(session=session) if can_edit else [],
        "no_team": told,
    }
    return render(request, "opdrachten/detail.html", ctx)


@router.get("/{opdracht_id}/edit", response_class=HTMLResponse)
def edit_opdracht(
    request: Request, session: SessionDep, user: PartnerUser, opdracht_id: int
) -> Response:
    opdracht, semester = access.get_editable(session=session, user=user, opdracht_id=opdracht_id)
    card = services.card_of(session=session, opdracht=opdracht)
    return _form_page(request, session, user, semester, OpdrachtForm.from_card(card), card=card)


@router.post("/{opdracht_id}/edit", response_class=HTMLResponse)
def update_opdracht(
    request: Request, session: SessionDep, user: PartnerUser, opdracht_id: int, data: FormData
) -> Response:
    form = OpdrachtForm.parse(data)
    action = "submit" if data.text("action") == "submit" else "draft"
    try:
        services.update_opdracht(
            session=session,
            user=user,
            opdracht_id=opdracht_id,
            form=form,
            submit=action == "submit",
        )
    except (InvalidInput, services.StaleOpdracht) as exc:
        opdracht, semester = access.get_editable(
            session=session, user=user, opdracht_id=opdracht_id
        )
        card = services.card_of(session=session, opdracht=opdracht)
        if isinstance(exc, InvalidInput):
            return _form_page(request, session, user, semester, form, card=card, status=422)
        # Keep the user's input, now based on the saved version: saving again is deliberate.
        form.version = str(opdracht.version)
        return _form_page(
            request, session, user, semester, form, card=card, conflict=exc, status=409
        )
    return see_other(f"/opdrachten/{opdracht_id}", SAVED[action])


@router.post("/{opdracht_id}/duplicate")
def duplicate_opdracht(
    session: SessionDep, user: PartnerUser, opdracht_id: int, data: FormData
) -> Response:
    semester_id = parse_id(data.text("semester_id")) or 0
    copy = continuation.duplicate_opdracht(
        session=session, user=user, opdracht_id=opdracht_id, semester_id=semester_id
    )
    return see_other(f"/opdrachten/{copy.id}/edit", lazy("A copy is saved as a draft."))


@router.post("/{opdracht_id}/submit", response_class=HTMLResponse)
def submit_opdracht(
    request: Request, session: SessionDep, user: PartnerUser, opdracht_id: int, data: FormData
) -> Response:
    try:
        return _change_status(session, user, opdracht_id, data, "submit")
    except services.Incomplete as exc:
        # The edit form, with a message at every field the submission still needs.
        opdracht, semester = access.get_editable(
            session=session, user=user, opdracht_id=opdracht_id
        )
        card = services.card_of(session=session, opdracht=opdracht)
        return _form_page(request, session, user, semester, exc.form, card=card, status=422)


@router.post("/{opdracht_id}/withdraw")
def withdraw_opdracht(
    *, session: SessionDep, user: PartnerUser, opdracht_id: int, data: FormData
) -> Response:
    return _change_status(session, user, opdracht_id, data, "withdraw")


def _change_status(
    session: SessionDep, user: User, opdracht_id: int, data: FormInput, action: str
) -> Response:
    version = data.text("version")
    services.change_status(
        session=session, user=user, opdracht_id=opdracht_id, version=version, action=action
    )
    return see_other(f"/opdrachten/{opdracht_id}", DONE[action])
