"""Admins saving one semester's settings, or pressing "next phase", at the same moment:
one change, one audit event, the others refused (409) with nothing written. On PostgreSQL
four saves all succeeded, and five "advance" clicks wrote four audit events for one phase
change."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from sqlalchemy.engine import Engine
from sqlmodel import select

from app.config import Settings
from app.models import AuditEvent, Phase, Role, Semester, utcnow
from tests import factories as f
from tests.concurrent import served
from tests.semester_admin.test_routes import _form


def test_four_saves_of_one_version_give_one_change(engine: Engine, settings: Settings) -> None:
    with served(engine, settings) as live:
        with live.session() as session:
            f.programme(session)
            f.programme(session)
            semester = f.semester(session, Phase.CONCEPT, code="2098-S4")
            admins = [f.user(session, Role.ADMIN) for _ in range(4)]
            session.commit()
        clients = [live.login(admin) for admin in admins]
        url = f"/admin/semesters/{semester.id}"
        names = [f"Naam {i}" for i in range(4)]
        responses = live.fire(
            [
                partial(c.post, url, data=_form(code="2098-S4", name=n, version="1"))
                for c, n in zip(clients, names, strict=True)
            ]
        )
        statuses = [r.status_code for r in responses]
        assert sorted(statuses) == [303, 409, 409, 409], statuses
        winner = names[statuses.index(303)]
        with live.session() as session:
            saved = session.get(Semester, semester.id)
            assert saved is not None
            assert (saved.name, saved.version) == (winner, 2)
            events = session.exec(
                select(AuditEvent).where(AuditEvent.action == "semester.update")
            ).all()
            assert [e.after["name"] for e in events if e.after] == [winner]


def test_five_advance_clicks_at_once_move_one_phase_with_one_audit_event(
    engine: Engine, settings: Settings
) -> None:
    with served(engine, settings) as live:
        with live.session() as session:
            semester = f.semester(
                session, Phase.CONCEPT, intake_deadline=utcnow() + timedelta(days=3)
            )
            admin = f.user(session, Role.ADMIN)
            session.commit()
        clients = [live.login(admin) for _ in range(5)]
        url = f"/admin/semesters/{semester.id}/advance"
        responses = live.post_all(clients, url, {"phase": "concept"})
        assert sorted(r.status_code for r in responses) == [303, 409, 409, 409, 409]
        with live.session() as session:
            saved = session.get(Semester, semester.id)
            assert saved is not None
            assert (saved.phase, saved.version) == (Phase.INTAKE, 2)
            events = session.exec(
                select(AuditEvent).where(AuditEvent.action == "semester.advance")
            ).all()
            assert [(e.before, e.after) for e in events] == [
                ({"phase": "concept", "version": 1}, {"phase": "intake", "version": 2})
            ]


def test_one_code_in_two_cases_at_once_gives_one_semester_and_a_field_error(
    engine: Engine, settings: Settings
) -> None:
    with served(engine, settings) as live:
        with live.session() as session:
            f.programme(session)
            f.programme(session)
            admins = [f.user(session, Role.ADMIN) for _ in range(3)]
            session.commit()
        clients = [live.login(admin) for admin in admins]
        codes = ["2098-S5", "2098-s5", "2098-S5"]
        responses = live.fire(
            [
                partial(c.post, "/admin/semesters/new", data=_form(code=code))
                for c, code in zip(clients, codes, strict=True)
            ]
        )
        statuses = [r.status_code for r in responses]
        assert sorted(statuses) == [303, 422, 422], statuses
        for response in responses:
            if response.status_code == 422:
                assert "Er is al een semester met deze code" in response.text
        with live.session() as session:
            stored = session.exec(select(Semester.code)).all()
            assert stored == [codes[statuses.index(303)]]
