"""Staff importing the same new students at the same moment (two tabs, two colleagues):
every import answers, the students exist once, each with one invitation. On PostgreSQL 3 of
4 such imports gave a 500 (IntegrityError on ix_user_email)."""

from __future__ import annotations

import re
from functools import partial

from sqlalchemy.engine import Engine
from sqlmodel import func, select

from app.config import Settings
from app.models import Invitation, Leerkring, Programme, Role, StudentProfile, User
from tests import factories as f
from tests.concurrent import served
from tests.student_import.test_import import csv

NEW = re.compile(r'<span class="big">(\d+)</span> nieuwe studenten')
FILE = csv(*(f"40{i:02};Student {i};s{i}@example.org;SW;2;Overbetuwe" for i in range(12)))


def test_concurrent_imports_of_the_same_new_students_create_them_once(
    engine: Engine, settings: Settings
) -> None:
    with served(engine, settings) as live:
        with live.session() as session:
            session.add(Programme(code="SW", name_nl="Social Work", name_en="Social Work"))
            session.add(Leerkring(name="Overbetuwe"))
            staff = [f.user(session, Role.ADMIN), f.wijkdocent(session)]
            staff += [f.user(session, Role.ADMIN), f.wijkdocent(session)]
            session.commit()
        clients = [live.login(who) for who in staff]
        upload = {"file": ("studenten.csv", FILE)}
        responses = live.fire([partial(c.post, "/students/import", files=upload) for c in clients])
        assert [r.status_code for r in responses] == [200] * 4
        # One import created them; the others found them all there, unchanged.
        created = sorted(int(NEW.findall(r.text)[0]) for r in responses)
        assert created == [0, 0, 0, 12]
        with live.session() as session:
            assert session.exec(select(func.count()).select_from(StudentProfile)).one() == 12
            students = select(func.count()).select_from(User).where(User.role == Role.STUDENT)
            assert session.exec(students).one() == 12
            assert session.exec(select(func.count()).select_from(Invitation)).one() == 12


def test_a_confirm_token_sent_four_times_at_once_imports_once(
    engine: Engine, settings: Settings
) -> None:
    """Four tabs confirming the same dry run: the token is consumed by one statement, so one
    import runs and the others are told to upload the file again."""
    with served(engine, settings) as live:
        with live.session() as session:
            session.add(Programme(code="SW", name_nl="Social Work", name_en="Social Work"))
            session.add(Leerkring(name="Overbetuwe"))
            admin = f.user(session, Role.ADMIN)
            session.commit()
        clients = [live.login(admin) for _ in range(4)]
        checked = clients[0].post(
            "/students/import", files={"file": ("studenten.csv", FILE)}, data={"dry_run": "true"}
        )
        assert checked.status_code == 200
        token = checked.text.split('name="token" value="', 1)[1].split('"', 1)[0]
        confirm = [
            partial(c.post, "/students/import/confirm", data={"token": token}) for c in clients
        ]
        responses = live.fire(confirm)
        assert sorted(r.status_code for r in responses) == [200, 422, 422, 422]
        assert sum("upload het bestand opnieuw" in r.text for r in responses) == 3
        with live.session() as session:
            assert session.exec(select(func.count()).select_from(StudentProfile)).one() == 12
            assert session.exec(select(func.count()).select_from(Invitation)).one() == 12
