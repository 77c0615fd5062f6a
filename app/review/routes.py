"""The review queue and the review page of one opdracht (wijkdocenten and the admin)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.auth.deps import StaffUser
from app.db import SessionDep
from app.errors import InvalidInput
from app.forms import FieldError, FormData, see_other
from app.i18n import lazy
from app.opdrachten.cards import Filters
from app.opdrachten.services import card_of
from app.parsing import parse_id
from app.review import services
from app.templating import render

router = APIRouter(prefix="/review")
DONE = {
    "approve": lazy("The opdracht is approved."),
    "reject": lazy("The opdracht is rejected."),
    "send_back": lazy("The opdracht is sent back to the partner."),
}
Param = Annotated[str, Query(max_length=20)]


@router.get("", response_class=HTMLResponse)
def show_queue(
    request: Request,
    session: SessionDep,
    user: StaffUser,
    semester: Param = "",
    leerkring: Param = "",
    theme: Param = "",
    target_group: Param = "",
    partner: Param = "",
    status: Param = "submitted",
) -> Response:
    status = status if status in services.REVIEWABLE else ""
    filters = Filters(
        theme_id=parse_id(theme),
        target_group_id=parse_id(target_group),
        leerkring_id=parse_id(leerkring),
        partner_id=parse_id(partner),
        status=status,
    )
    found = services.queue(
        session=session, user=user, semester_id=parse_id(semester), filters=filters
    )
    ctx = {"queue": found, "filters": filters, "statuses": services.REVIEWABLE}
    return render(request, "review/queue.html", ctx)


def _page(
    request: Request, session: SessionDep, user: StaffUser, opdracht_id: int, **extra: Any
) -> Response:
    opdracht, semester = services.get_for_review(
        session=session, user=user, opdracht_id=opdracht_id
    )
    ctx = {"card": card_of(session=session, opdracht=opdracht), "semester": semester} | extra
    return render(request, "review/page.html", ctx, status=422 if extra else 200)


@router.get("/{opdracht_id}", response_class=HTMLResponse)
def show_review(
    request: Request, session: SessionDep, user: StaffUser, opdracht_id: int
) -> Response:
    return _page(request, session, user, opdracht_id)


@router.post("/{opdracht_id}", response_class=HTMLResponse)
def decide(
    request: Request, session: SessionDep, user: StaffUser, opdracht_id: int, data: FormData
) -> Response:
    decision, comment = data.text("decision", 20), data.text("comment", services.COMMENT_LIMIT)
    try:
        opdracht = services.decide(
            session=session,
            user=user,
            opdracht_id=opdracht_id,
            decision=decision,
            comment=comment,
            version=data.text("version"),
        )
    except InvalidInput as exc:
        errors = {"comment": FieldError(exc.message, exc.params)}
        return _page(request, session, user, opdracht_id, errors=errors, comment=comment)
    return see_other(f"/review?semester={opdracht.semester_id}", DONE[decision])
