"""The intake as a new user would try it, on the demo data (issue 4, "Done when")."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TypeVar

from fastapi.testclient import TestClient
from sqlmodel import Session, SQLModel, select

from app.demo import LOGINS, build_demo
from app.models import (
    Leerkring,
    Opdracht,
    OpdrachtStatus,
    Partner,
    PartnerUser,
    Phase,
    Role,
    Semester,
    TargetGroup,
    Theme,
    User,
    utcnow,
)
from app.semester_admin.forms import SemesterForm
from app.templating import TZ
from tests import factories as f

M = TypeVar("M", bound=SQLModel)
TITLE = "Samen oud worden in Elst: wonen en zorg dichtbij"


def _as(anon: TestClient, session: Session, role: Role) -> TestClient:
    email = next(login.email for login in LOGINS if login.role == role)
    return f.login(anon, session, session.exec(select(User).where(User.email == email)).one())


def _partner_user(session: Session, partner: Partner) -> User:
    stmt = select(User).join(PartnerUser).where(PartnerUser.partner_id == partner.id)
    return session.exec(stmt).first()  # type: ignore[return-value]


def _one(session: Session, model: type[M], **where: object) -> M:
    return session.exec(select(model).filter_by(**where)).one()


def _version(html: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', html)
    assert found is not None
    return found.group(1)


def _reopen_intake(anon: TestClient, session: Session, semester: Semester) -> None:
    """The demo semester is in ranking: the admin steps back and extends the deadline."""
    _as(anon, session, Role.ADMIN)
    back = {"phase": "ranking", "reason": "Nieuwe opdracht over wonen en zorg"}
    assert anon.post(f"/admin/semesters/{semester.id}/back", data=back).status_code == 303
    form = SemesterForm.from_semester(session.get(Semester, semester.id))  # type: ignore[arg-type]
    data = {k: v for k, v in vars(form).items() if k != "errors" and v is not None}
    data["intake_deadline"] = (
        (utcnow() + timedelta(days=2)).astimezone(TZ).strftime("%Y-%m-%dT%H:%M")
    )
    data["restrict_to_leerkring"] = "1" if form.restrict_to_leerkring else ""
    assert anon.post(f"/admin/semesters/{semester.id}", data=data).status_code == 303


def test_partner_posts_wijkdocent_approves_students_see_it(anon: TestClient, session: Session):
    build_demo(session)
    semester = _one(session, Semester, code="2026-S2")
    _reopen_intake(anon, session, semester)
    theme = _one(session, Theme, code="wonen-en-zorg")
    group = _one(session, TargetGroup, code="ouderen")
    co = [_one(session, Partner, name=n) for n in ("Forte Welzijn", "Woonstichting Valburg")]

    # The demo partner posts a new opdracht with two co-partners.
    _as(anon, session, Role.PARTNER)
    new = anon.get(f"/opdrachten/new?semester={semester.id}")
    assert new.status_code == 200
    form = {
        "semester_id": semester.id,
        "title": TITLE,
        "description": "Ouderen willen langer thuis wonen.\nWat hebben zij nodig?",
        "theme_ids": [theme.id],
        "target_group_ids": [group.id],
        "leerkring_id": _one(session, Leerkring, name="Overbetuwe").id,
        "teams": "1",
        "min_size": "3",
        "max_size": "5",
        "max_per_programme": "2",
        "min_programmes": "2",
        "copartner_ids": [p.id for p in co],
        "contact_name": "Coördinator wonen",
        "contact_email": "wonen@example.org",
        "action": "submit",
    }
    form["owner_partner_id"] = re.findall(r'name="owner_partner_id" value="(\d+)"', new.text)[0]
    assert anon.post("/opdrachten/new", data=form).status_code == 303
    opdracht = _one(session, Opdracht, title=TITLE)
    assert opdracht.status == OpdrachtStatus.SUBMITTED
    stale_form = {**form, "version": _version(anon.get(f"/opdrachten/{opdracht.id}/edit").text)}

    # A co-partner improves it in the meantime.
    f.login(anon, session, _partner_user(session, co[0]))
    edit = {**stale_form, "location": "Elst, wijk Westeraam"}
    assert anon.post(f"/opdrachten/{opdracht.id}/edit", data=edit).status_code == 303

    # The demo wijkdocent finds it in the queue and approves it.
    _as(anon, session, Role.WIJKDOCENT)
    queue = anon.get("/review").text
    assert TITLE in queue
    row = queue[queue.index(TITLE) :]
    decision = {"decision": "approve", "version": _version(row)}
    assert anon.post(f"/review/{opdracht.id}", data=decision).status_code == 303
    session.refresh(opdracht)
    assert str(opdracht.status) == "approved"

    # Students do not see it during intake; after the move to ranking they do.
    _as(anon, session, Role.STUDENT)
    assert TITLE not in anon.get("/catalogue").text
    _as(anon, session, Role.ADMIN)
    advance = anon.post(f"/admin/semesters/{semester.id}/advance", data={"phase": "intake"})
    assert advance.status_code == 303
    assert _one(session, Semester, code="2026-S2").phase == Phase.RANKING
    _as(anon, session, Role.STUDENT)
    catalogue = anon.get(f"/catalogue?theme={theme.id}&target_group={group.id}").text
    assert TITLE in catalogue
    assert anon.get(f"/opdrachten/{opdracht.id}").status_code == 200

    # The partner's form from before the co-partner's edit is stale: refused, nothing lost.
    _as(anon, session, Role.PARTNER)
    refused = anon.post(f"/opdrachten/{opdracht.id}/edit", data={**stale_form, "title": "Oud"})
    assert refused.status_code == 409
    session.refresh(opdracht)
    assert (opdracht.title, opdracht.location) == (TITLE, "Elst, wijk Westeraam")


def test_a_stale_form_is_refused_with_what_changed_during_intake(
    anon: TestClient, session: Session
):
    build_demo(session)
    semester = _one(session, Semester, code="2026-S2")
    _reopen_intake(anon, session, semester)
    mine = _one(session, Partner, name="Gemeente Overbetuwe")
    stmt = select(Opdracht).where(
        Opdracht.semester_id == semester.id,
        Opdracht.owner_partner_id == mine.id,
        Opdracht.status == OpdrachtStatus.SUBMITTED,
    )
    opdracht = session.exec(stmt).first()
    assert opdracht is not None
    _as(anon, session, Role.PARTNER)
    page = anon.get(f"/opdrachten/{opdracht.id}/edit").text
    fields = dict(
        re.findall(
            r'<input id="(\w+)" name="\w+" type="(?:text|number|email)" value="([^"]*)"', page
        )
    )
    # Only the text inputs are scraped, so save as a draft (a submission needs themes too).
    base = {**fields, "version": _version(page), "action": "draft"}
    assert (
        anon.post(f"/opdrachten/{opdracht.id}/edit", data={**base, "title": "Eerste"}).status_code
        == 303
    )
    second = anon.post(f"/opdrachten/{opdracht.id}/edit", data={**base, "title": "Tweede"})
    assert second.status_code == 409
    assert "Iemand anders heeft deze opdracht opgeslagen" in second.text
    assert "Eerste" in second.text
    assert 'value="Tweede"' in second.text
