"""Admin semester pages: create, edit, phases forward and back, access."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import AuditEvent, OpdrachtStatus, Phase, Role, Semester, utcnow
from tests import factories as f


def _admin(anon: TestClient, session: Session) -> TestClient:
    return f.login(anon, session, f.user(session, Role.ADMIN))


def _form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "code": "2098-S1",
        "name": "Semester 1 2098",
        "starts_on": "2098-02-01",
        "intake_deadline": "2097-12-01T17:00",
        "ranking_deadline": "2098-01-10T17:00",
        "publication_at": "2098-01-20T09:00",
        "default_min_size": "3",
        "default_max_size": "5",
        "default_max_per_programme": "2",
        "default_min_programmes": "2",
        "number_of_ranks": "5",
        "max_group_size": "3",
    }
    data.update(overrides)
    return data


def test_admin_creates_a_semester_with_deadlines_and_focus(anon: TestClient, session: Session):
    _admin(anon, session)
    f.programme(session)
    f.programme(session)
    theme = f.theme(session)
    response = anon.post("/admin/semesters/new", data=_form(focus_theme_id=theme.id))
    assert response.status_code == 303
    semester = session.exec(select(Semester).where(Semester.code == "2098-S1")).one()
    assert semester.phase == Phase.CONCEPT
    # Entered in Dutch time (CET in December), stored in UTC.
    assert semester.intake_deadline == datetime(2097, 12, 1, 16, 0, tzinfo=UTC)
    assert semester.starts_on == date(2098, 2, 1)  # a calendar day, no time zone to shift it
    assert semester.focus_theme_id == theme.id
    assert (semester.default_min_size, semester.default_max_size) == (3, 5)
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "semester.create")).one()
    page = anon.get(f"/admin/semesters/{semester.id}").text
    assert 'value="2097-12-01T17:00"' in page
    assert 'value="2098-02-01"' in page
    assert "2098-S1" in anon.get("/admin/semesters").text


def test_semester_form_errors_are_shown_and_nothing_is_saved(anon: TestClient, session: Session):
    _admin(anon, session)
    f.programme(session)
    f.semester(session, code="2098-S2")
    bad = _form(
        code="2098-S2",
        default_min_size="6",
        default_max_size="4",
        ranking_deadline="2097-11-01T17:00",
        publication_at="geen datum",
    )
    response = anon.post("/admin/semesters/new", data=bad)
    assert response.status_code == 422
    text = response.text
    assert "Er is al een semester met deze code" in text
    assert "minimale teamgrootte kan niet groter zijn" in text
    assert "De momenten moeten op elkaar volgen" in text
    assert "Vul een datum en tijd in" in text
    assert 'value="geen datum"' in text
    assert session.exec(select(Semester).where(Semester.name == "Semester 1 2098")).first() is None


def test_edit_with_a_stale_version_is_refused(anon: TestClient, session: Session):
    _admin(anon, session)
    f.programme(session)
    f.programme(session)
    semester = f.semester(session, Phase.CONCEPT, code="2098-S3")
    ok = anon.post(f"/admin/semesters/{semester.id}", data=_form(code="2098-S3", version="1"))
    assert ok.status_code == 303
    session.refresh(semester)
    assert semester.version == 2
    stale = _form(code="2098-S3", name="Oude naam", version="1")
    response = anon.post(f"/admin/semesters/{semester.id}", data=stale)
    assert response.status_code == 409
    assert 'value="Oude naam"' in response.text
    session.refresh(semester)
    assert semester.name == "Semester 1 2098"


def test_phases_move_forward_with_their_conditions(anon: TestClient, session: Session):
    _admin(anon, session)
    semester = f.semester(session, Phase.CONCEPT)
    url = f"/admin/semesters/{semester.id}/advance"
    refused = anon.post(url, data={"phase": "concept"})
    assert refused.status_code == 409
    assert "deadline voor de intake in de toekomst" in refused.text
    semester.intake_deadline = utcnow() + timedelta(days=3)
    session.add(semester)
    session.flush()
    assert anon.post(url, data={"phase": "concept"}).status_code == 303
    session.refresh(semester)
    assert semester.phase == Phase.INTAKE
    # A second click on the same button must not skip the intake.
    assert anon.post(url, data={"phase": "concept"}).status_code == 409
    no_approved = anon.post(url, data={"phase": "intake"})
    assert no_approved.status_code == 409
    assert "nog geen opdracht goedgekeurd" in no_approved.text
    f.opdracht(session, semester, f.partner(session), status=OpdrachtStatus.APPROVED)
    assert anon.post(url, data={"phase": "intake"}).status_code == 303
    session.refresh(semester)
    assert str(semester.phase) == "ranking"
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "semester.advance")).all()
    assert [e.after["phase"] for e in events if e.after] == ["intake", "ranking"]


def test_step_back_needs_a_reason_and_is_audited(anon: TestClient, session: Session):
    _admin(anon, session)
    semester = f.semester(session, Phase.RANKING)
    url = f"/admin/semesters/{semester.id}/back"
    missing = anon.post(url, data={"phase": "ranking", "reason": "  "})
    assert missing.status_code == 422
    assert "Geef een reden" in missing.text
    assert 'aria-invalid="true"' in missing.text
    session.refresh(semester)
    assert semester.phase == Phase.RANKING
    ok = anon.post(url, data={"phase": "ranking", "reason": "Een partner mist de deadline"})
    assert ok.status_code == 303
    session.refresh(semester)
    assert str(semester.phase) == "intake"
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "semester.step_back")).one()
    assert event.reason == "Een partner mist de deadline"
    concept = f.semester(session, Phase.CONCEPT)
    back = anon.post(
        f"/admin/semesters/{concept.id}/back", data={"phase": "concept", "reason": "x"}
    )
    assert back.status_code == 409


def test_closed_semester_cannot_be_edited(anon: TestClient, session: Session):
    _admin(anon, session)
    f.programme(session)
    semester = f.semester(session, Phase.CLOSED, code="2098-S4")
    response = anon.post(f"/admin/semesters/{semester.id}", data=_form(code="2098-S4", version="1"))
    assert response.status_code == 409
    assert "gesloten semester" in response.text


def test_only_admins_manage_semesters(anon: TestClient, session: Session):
    semester = f.semester(session, Phase.INTAKE)
    for role in (Role.WIJKDOCENT, Role.PARTNER, Role.STUDENT):
        f.login(anon, session, f.user(session, role))
        assert anon.get("/admin/semesters").status_code == 403
        assert anon.get(f"/admin/semesters/{semester.id}").status_code == 403
        advance = anon.post(f"/admin/semesters/{semester.id}/advance", data={"phase": "intake"})
        assert advance.status_code == 403
    session.refresh(semester)
    assert semester.phase == Phase.INTAKE


def test_a_code_differing_only_in_case_is_taken(anon: TestClient, session: Session):
    _admin(anon, session)
    f.programme(session)
    f.programme(session)
    f.semester(session, code="2098-S6")
    response = anon.post("/admin/semesters/new", data=_form(code="2098-s6"))
    assert response.status_code == 422
    assert "Er is al een semester met deze code" in response.text


def test_matching_before_the_ranking_deadline_needs_a_confirmation(
    anon: TestClient, session: Session
):
    _admin(anon, session)
    semester = f.semester(
        session, Phase.RANKING, ranking_deadline=utcnow() + timedelta(days=2), number_of_ranks=2
    )
    opdracht = f.opdracht(session, semester, f.partner(session))
    f.student(session, f.programme(session))  # ranked nothing
    assert opdracht.id is not None
    url = f"/admin/semesters/{semester.id}/advance"
    asked = anon.post(url, data={"phase": "ranking"})
    assert asked.status_code == 409
    assert "De deadline voor de voorkeuren" in asked.text
    assert "nog geen complete voorkeuren" in asked.text
    assert 'name="confirm" value="1"' in asked.text
    session.refresh(semester)
    assert semester.phase == Phase.RANKING
    assert anon.post(url, data={"phase": "ranking", "confirm": "1"}).status_code == 303
    session.refresh(semester)
    assert str(semester.phase) == "matching"


def test_matching_after_the_ranking_deadline_needs_no_confirmation(
    anon: TestClient, session: Session
):
    _admin(anon, session)
    semester = f.semester(session, Phase.RANKING, ranking_deadline=utcnow() - timedelta(hours=1))
    f.opdracht(session, semester, f.partner(session))
    url = f"/admin/semesters/{semester.id}/advance"
    assert anon.post(url, data={"phase": "ranking"}).status_code == 303


def test_stepping_back_into_an_expired_intake_offers_a_new_deadline(
    anon: TestClient, session: Session
):
    _admin(anon, session)
    semester = f.semester(session, Phase.RANKING, intake_deadline=utcnow() - timedelta(days=1))
    page = anon.get(f"/admin/semesters/{semester.id}").text
    assert 'name="intake_deadline_new"' in page
    assert "Nieuwe deadline voor de intake" in page
    url = f"/admin/semesters/{semester.id}/back"
    past = anon.post(
        url,
        data={
            "phase": "ranking",
            "reason": "Late partner",
            "intake_deadline_new": "2001-01-01T12:00",
        },
    )
    assert past.status_code == 422
    assert "Vul een nieuwe deadline voor de intake in de toekomst in." in past.text
    session.refresh(semester)
    assert semester.phase == Phase.RANKING
    ok = anon.post(
        url,
        data={
            "phase": "ranking",
            "reason": "Late partner",
            "intake_deadline_new": "2098-03-01T17:00",
        },
    )
    assert ok.status_code == 303
    session.refresh(semester)
    assert str(semester.phase) == "intake"
    assert semester.intake_deadline == datetime(2098, 3, 1, 16, 0, tzinfo=UTC)


def test_stepping_back_into_an_open_intake_asks_no_new_deadline(anon: TestClient, session: Session):
    _admin(anon, session)
    semester = f.semester(session, Phase.RANKING, intake_deadline=utcnow() + timedelta(days=1))
    assert 'name="intake_deadline_new"' not in anon.get(f"/admin/semesters/{semester.id}").text


def test_the_number_of_choices_has_one_home_the_matching_settings(
    anon: TestClient, session: Session
):
    """The semester form used to edit it too, past the matching settings' lock after the
    first run, and without the rank costs that go with it (rankings were cut silently)."""
    _admin(anon, session)
    f.programme(session)
    f.programme(session)
    semester = f.semester(session, Phase.CONCEPT, code="2098-S4", number_of_ranks=5)
    page = anon.get(f"/admin/semesters/{semester.id}").text
    assert 'name="number_of_ranks"' not in page
    assert f"/admin/semesters/{semester.id}/matching" in page
    data = _form(code="2098-S4", version=str(semester.version), number_of_ranks="9")
    assert anon.post(f"/admin/semesters/{semester.id}", data=data).status_code == 303
    session.refresh(semester)
    assert semester.number_of_ranks == 5
