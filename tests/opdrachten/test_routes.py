"""Partner pages: create, edit, validation, phase and deadline, access, concurrency."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.models import (
    AuditEvent,
    Opdracht,
    OpdrachtCopartner,
    OpdrachtRequiredProgramme,
    OpdrachtStatus,
    OpdrachtTheme,
    Phase,
    Role,
    utcnow,
)
from tests import factories as f
from tests.opdrachten import world
from tests.opdrachten.world import World


@pytest.fixture
def w(session: Session) -> World:
    return world.build(session)


def _count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Opdracht)).one()


def _post_new(anon: TestClient, session: Session, w: World, **overrides: object):
    f.login(anon, session, w.owner_user)
    return anon.post("/opdrachten/new", data=world.form(w, **overrides))


def test_partner_posts_an_opdracht_with_co_partners_and_tags(
    anon: TestClient, session: Session, w: World
):
    response = _post_new(anon, session, w)
    assert response.status_code == 303
    opdracht = session.exec(select(Opdracht).where(Opdracht.semester_id == w.semester.id)).one()
    assert response.headers["location"] == f"/opdrachten/{opdracht.id}"
    assert opdracht.status == OpdrachtStatus.SUBMITTED
    assert (opdracht.teams, opdracht.min_size, opdracht.max_size) == (2, 3, 5)
    assert opdracht.eligible_years == [2, 3]
    assert opdracht.description == "Regel een\nRegel twee"
    links = session.exec(select(OpdrachtCopartner.partner_id)).all()
    assert list(links) == [w.co.id]
    assert session.exec(select(OpdrachtTheme.theme_id)).all() == [w.theme.id]
    assert session.exec(select(OpdrachtRequiredProgramme.programme_id)).all() == [
        w.programmes[0].id
    ]
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "opdracht.create")).one()
    assert event.after is not None
    assert event.after["copartner_ids"] == [w.co.id]
    page = anon.get(f"/opdrachten/{opdracht.id}").text
    assert w.co.name in page
    assert "Wonen en zorg" in page
    listing = anon.get(f"/opdrachten?semester={w.semester.id}").text
    assert "Hop-on-Hop-off" in listing
    assert w.co.name in listing


def test_save_as_draft_then_submit(anon: TestClient, session: Session, w: World):
    _post_new(anon, session, w, action="draft")
    opdracht = session.exec(select(Opdracht)).one()
    assert opdracht.status == OpdrachtStatus.DRAFT
    stale = anon.post(f"/opdrachten/{opdracht.id}/submit", data={"version": "99"})
    assert stale.status_code == 409
    ok = anon.post(f"/opdrachten/{opdracht.id}/submit", data={"version": str(opdracht.version)})
    assert ok.status_code == 303
    session.refresh(opdracht)
    assert str(opdracht.status) == "submitted"
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "opdracht.submit")).one()


def test_an_owner_in_unicode_digits_is_refused_not_a_500(
    anon: TestClient, session: Session, w: World
):
    response = _post_new(anon, session, w, owner_partner_id="²")
    assert response.status_code == 422
    # The error summary names the field: "Geplaatst door: kies de organisatie ..."
    assert "Geplaatst door: kies de organisatie die deze opdracht plaatst" in response.text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Vul een titel in"),
        ({"min_size": "6", "max_size": "4"}, "minimale teamgrootte kan niet groter zijn"),
        ({"teams": "0"}, "Vul een getal van 1 tot en met 50 in"),
        ({"teams": "twee"}, "Vul een heel getal in"),
        (
            {"max_size": "2", "min_size": "1", "min_programmes": "1"},
            "Er zijn 3 opleidingen verplicht",
        ),
        ({"max_per_programme": "1", "min_size": "4"}, "kan een team nooit de minimale grootte"),
        ({"min_programmes": "6", "max_size": "5"}, "niet meer opleidingen bevatten"),
        ({"contact_email": "geen-adres"}, "geldig e-mailadres"),
        ({"contact_email": "a@example.org\r\nBcc: b@example.org"}, "geldig e-mailadres"),
        ({"teams": "²"}, "Vul een heel getal in"),
        ({"leerkring_id": "²"}, "Kies uit de getoonde mogelijkheden"),
        ({"continues_id": "١"}, "Kies uit de getoonde mogelijkheden"),
        ({"theme_ids": ["999999"]}, "Kies uit de getoonde mogelijkheden"),
        ({"title": "\u200b\u200d\u2060\ufeff \u00a0"}, "Vul een titel in"),  # nothing visible
        ({"eligible_years": ["x"]}, "Kies uit de getoonde mogelijkheden"),  # not "all years"
        ({"eligible_years": ["2", "x"]}, "Kies uit de getoonde mogelijkheden"),
    ],
)
def test_invalid_input_is_refused_with_the_form_kept(
    anon: TestClient, session: Session, w: World, overrides: dict[str, object], message: str
):
    if "3 opleidingen" in message:
        overrides["required_programme_ids"] = [p.id for p in w.programmes]
    response = _post_new(anon, session, w, **overrides)
    assert response.status_code == 422
    assert message in response.text
    assert 'class="error-summary"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert 'value="Elst"' in response.text  # the user's input is kept
    assert 'type="number" value="2" required min="1" max="50"' in response.text
    assert _count(session) == 0


def test_intake_closed_refuses_posting(anon: TestClient, session: Session, w: World):
    w.semester.phase = Phase.RANKING
    session.add(w.semester)
    session.flush()
    response = _post_new(anon, session, w)
    assert response.status_code == 409
    assert "huidige fase" in response.text
    assert anon.get(f"/opdrachten/new?semester={w.semester.id}").status_code == 409
    assert _count(session) == 0


def test_intake_deadline_is_enforced_by_the_server(anon: TestClient, session: Session, w: World):
    w.semester.intake_deadline = utcnow() - timedelta(minutes=1)
    session.add(w.semester)
    session.flush()
    response = _post_new(anon, session, w)
    assert response.status_code == 409
    assert "deadline voor de intake is verstreken" in response.text
    assert _count(session) == 0
    listing = anon.get(f"/opdrachten?semester={w.semester.id}").text
    assert "deadline voor de intake is verstreken" in listing


def test_co_partner_edits_and_other_partner_cannot(anon: TestClient, session: Session, w: World):
    opdracht = f.opdracht(session, w.semester, w.owner, status=OpdrachtStatus.DRAFT)
    assert opdracht.id is not None
    session.add(OpdrachtCopartner(opdracht_id=opdracht.id, partner_id=w.co.id or 0))
    session.flush()
    f.login(anon, session, w.other_user)
    assert anon.get(f"/opdrachten/{opdracht.id}").status_code == 403
    assert anon.get(f"/opdrachten/{opdracht.id}/edit").status_code == 403
    data = world.form(w, title="Gekaapt", version=str(opdracht.version))
    assert anon.post(f"/opdrachten/{opdracht.id}/edit", data=data).status_code == 403
    assert anon.post(f"/opdrachten/{opdracht.id}/withdraw", data=data).status_code == 403
    assert "Gekaapt" not in anon.get("/opdrachten").text

    f.login(anon, session, w.co_user)
    assert anon.get(f"/opdrachten/{opdracht.id}/edit").status_code == 200
    data = world.form(w, title="Samen geschreven", version=str(opdracht.version))
    assert anon.post(f"/opdrachten/{opdracht.id}/edit", data=data).status_code == 303
    session.refresh(opdracht)
    assert opdracht.title == "Samen geschreven"
    assert opdracht.owner_partner_id == w.owner.id
    assert opdracht.version == 2


def test_other_partners_see_approved_opdrachten_but_cannot_edit(
    anon: TestClient, session: Session, w: World
):
    opdracht = f.opdracht(session, w.semester, w.owner, status=OpdrachtStatus.APPROVED)
    f.login(anon, session, w.other_user)
    assert anon.get(f"/opdrachten/{opdracht.id}").status_code == 200
    assert anon.get(f"/opdrachten/{opdracht.id}/edit").status_code == 403


def test_students_see_only_approved_opdrachten_once_ranking_starts(
    anon: TestClient, session: Session, w: World
):
    draft = f.opdracht(session, w.semester, w.owner, status=OpdrachtStatus.SUBMITTED)
    approved = f.opdracht(session, w.semester, w.owner, status=OpdrachtStatus.APPROVED)
    f.login(anon, session, f.user(session, Role.STUDENT))
    assert anon.get(f"/opdrachten/{approved.id}").status_code == 403  # still in intake
    w.semester.phase = Phase.RANKING
    session.add(w.semester)
    session.flush()
    assert anon.get(f"/opdrachten/{approved.id}").status_code == 200
    assert anon.get(f"/opdrachten/{draft.id}").status_code == 403
    assert anon.get("/opdrachten").status_code == 403
    assert anon.get("/opdrachten/999999").status_code == 404


def test_a_stale_edit_is_refused_showing_what_changed(anon: TestClient, session: Session, w: World):
    opdracht = f.opdracht(session, w.semester, w.owner, title="Eerste titel", min_size=3)
    opdracht.status = OpdrachtStatus.DRAFT
    session.add(opdracht)
    session.flush()
    f.login(anon, session, w.co_user)
    session.add(OpdrachtCopartner(opdracht_id=opdracht.id or 0, partner_id=w.co.id or 0))
    session.flush()
    first = world.form(w, title="Titel van de co-partner", version="1")
    assert anon.post(f"/opdrachten/{opdracht.id}/edit", data=first).status_code == 303

    f.login(anon, session, w.owner_user)
    stale = world.form(w, title="Titel van de eigenaar", location="Valburg", version="1")
    response = anon.post(f"/opdrachten/{opdracht.id}/edit", data=stale)
    assert response.status_code == 409
    assert "Iemand anders heeft deze opdracht opgeslagen" in response.text
    assert "Titel van de co-partner" in response.text  # what is saved now
    assert 'value="Titel van de eigenaar"' in response.text  # the user's input, kept
    assert 'name="version" value="2"' in response.text
    assert w.co_user.name in response.text
    session.refresh(opdracht)
    assert opdracht.title == "Titel van de co-partner"
    # Saving again, now knowingly on top of version 2, succeeds.
    stale["version"] = "2"
    assert anon.post(f"/opdrachten/{opdracht.id}/edit", data=stale).status_code == 303
    session.refresh(opdracht)
    assert (opdracht.title, opdracht.version) == ("Titel van de eigenaar", 3)


def test_editing_an_approved_opdracht_sends_it_back_to_review(
    anon: TestClient, session: Session, w: World
):
    opdracht = f.opdracht(session, w.semester, w.owner, status=OpdrachtStatus.APPROVED)
    f.login(anon, session, w.owner_user)
    data = world.form(w, copartner_ids=[], version=str(opdracht.version))
    assert anon.post(f"/opdrachten/{opdracht.id}/edit", data=data).status_code == 303
    session.refresh(opdracht)
    assert opdracht.status == OpdrachtStatus.SUBMITTED
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "opdracht.update")).one()
    assert event.before is not None
    assert event.after is not None
    assert (event.before["status"], event.after["status"]) == ("approved", "submitted")


def test_withdraw(anon: TestClient, session: Session, w: World):
    opdracht = f.opdracht(session, w.semester, w.owner, status=OpdrachtStatus.SUBMITTED)
    f.login(anon, session, w.owner_user)
    response = anon.post(f"/opdrachten/{opdracht.id}/withdraw", data={"version": "1"})
    assert response.status_code == 303
    session.refresh(opdracht)
    assert opdracht.status == OpdrachtStatus.WITHDRAWN
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "opdracht.withdraw")).one()
    again = anon.post(f"/opdrachten/{opdracht.id}/withdraw", data={"version": "2"})
    assert again.status_code == 409


def test_description_is_plain_text_with_line_breaks(anon: TestClient, session: Session, w: World):
    _post_new(anon, session, w, description="<script>alert(1)</script>\nTweede regel")
    opdracht = session.exec(select(Opdracht)).one()
    page = anon.get(f"/opdrachten/{opdracht.id}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;\nTweede regel" in page


def test_focus_of_the_semester_is_shown_to_partners(anon: TestClient, session: Session, w: World):
    w.semester.focus_theme_id = w.theme.id
    w.semester.focus_target_group_id = w.group.id
    session.add(w.semester)
    session.flush()
    f.login(anon, session, w.owner_user)
    for path in ("/opdrachten", f"/opdrachten/new?semester={w.semester.id}"):
        page = anon.get(path).text
        assert "Focus van dit semester" in page
        assert "Wonen en zorg" in page
        assert "Ouderen" in page


def test_wrong_roles_cannot_use_partner_pages(anon: TestClient, session: Session, w: World):
    opdracht = f.opdracht(session, w.semester, w.owner, status=OpdrachtStatus.DRAFT)
    for role in (Role.STUDENT, Role.WIJKDOCENT, Role.ADMIN):
        f.login(anon, session, f.user(session, role))
        assert anon.get(f"/opdrachten/new?semester={w.semester.id}").status_code == 403
        data = world.form(w, version="1")
        assert anon.post(f"/opdrachten/{opdracht.id}/edit", data=data).status_code == 403
    anon.cookies.clear()
    assert anon.get("/opdrachten").status_code == 303  # to the login page


NEEDED = {
    "description": ("", "Beschrijving: beschrijf de opdracht."),
    "theme_ids": ([], "Thema's: kies minstens één thema."),
    "target_group_ids": ([], "Doelgroepen: kies minstens één doelgroep."),
    "leerkring_id": ("", "Leerkring: kies een leerkring."),
    "contact_name": ("", "Contactpersoon: vul een contactpersoon in."),
    "contact_email": ("", "E-mailadres contactpersoon: vul een e-mailadres"),
}


@pytest.mark.parametrize("name", list(NEEDED))
def test_submitting_needs_a_complete_opdracht(
    anon: TestClient, session: Session, w: World, name: str
):
    empty, summary = NEEDED[name]
    response = _post_new(anon, session, w, **{name: empty})
    assert response.status_code == 422
    assert summary in response.text.split('class="error-summary"')[1].split("</div>")[0]
    assert _count(session) == 0


def test_a_draft_may_be_incomplete_but_is_not_submitted_so(
    anon: TestClient, session: Session, w: World
):
    empty = {name: value for name, (value, _summary) in NEEDED.items()}
    assert _post_new(anon, session, w, action="draft", **empty).status_code == 303
    opdracht = session.exec(select(Opdracht)).one()
    assert opdracht.status == OpdrachtStatus.DRAFT
    refused = anon.post(f"/opdrachten/{opdracht.id}/submit", data={"version": opdracht.version})
    assert refused.status_code == 422
    assert "Beschrijving: beschrijf de opdracht." in refused.text
    assert 'aria-invalid="true"' in refused.text
    session.refresh(opdracht)
    assert opdracht.status == OpdrachtStatus.DRAFT


def test_the_error_summary_names_each_field(anon: TestClient, session: Session, w: World):
    response = _post_new(anon, session, w, teams="twee", min_size="drie")
    summary = response.text.split('class="error-summary"')[1].split("</div>")[0]
    assert "Aantal teams: vul een heel getal in." in summary
    assert "Minimale teamgrootte: vul een heel getal in." in summary
