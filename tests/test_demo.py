"""The demo data command: counts, valid rankings, working logins, determinism, idempotence."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col, select

from app.config import ROOT, get_settings
from app.db import make_engine
from app.demo import DEMO_PASSWORD, LOGINS, build_demo, load_if_empty
from app.demo.rankings import is_eligible
from app.models import (
    Leerkring,
    LeerkringWijkdocent,
    Opdracht,
    OpdrachtStatus,
    OpdrachtTargetGroup,
    Partner,
    PartnerUser,
    Phase,
    Preference,
    Programme,
    Role,
    Semester,
    StudentProfile,
    TargetGroup,
    Theme,
    User,
)
from app.security import verify_password

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
VOLATILE_COLUMNS = {"created_at", "updated_at", "password_hash", "last_login_at"}
ROLE_NAME = re.compile(
    r"^(Beheerder|Demostudent|Student \d{3}|Wijkdocent [A-Za-z]+( \d)?|Medewerker .+)$"
)


def _migrated_engine(path: Path) -> Engine:
    """A fresh SQLite database built by the Alembic migrations."""
    url = f"sqlite:///{path}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("OM_DATABASE_URL", url)
        get_settings.cache_clear()
        try:
            cfg = Config(str(ROOT / "alembic.ini"))
            cfg.attributes["configure_logger"] = False
            command.upgrade(cfg, "head")
            return make_engine(get_settings())
        finally:
            mp.undo()
            get_settings.cache_clear()


@pytest.fixture(scope="module")
def demo_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = _migrated_engine(tmp_path_factory.mktemp("demo") / "demo.db")
    with Session(engine) as session:
        build_demo(session, seed=2026, now=NOW)
    yield engine
    engine.dispose()


@pytest.fixture
def db(demo_engine: Engine) -> Iterator[Session]:
    with Session(demo_engine) as session:
        yield session


def _semester(db: Session, code: str) -> Semester:
    return db.exec(select(Semester).where(Semester.code == code)).one()


def test_vocabulary_and_partners(db: Session) -> None:
    codes = set(db.exec(select(Programme.code)).all())
    assert {"SW", "VP", "FT", "ET", "LO", "VD", "TP"} <= codes
    assert len(db.exec(select(Leerkring)).all()) >= 6
    themes = db.exec(select(Theme)).all()
    parents = {t.id: t.code for t in themes if t.parent_id is None}
    assert set(parents.values()) == {"wonen", "leven", "zorgen"}
    assert all(re.fullmatch(r"[a-z0-9-]+", t.code) for t in themes)
    assert len(themes) >= 12
    assert "ouderen" in set(db.exec(select(TargetGroup.code)).all())
    partners = set(db.exec(select(Partner.name)).all())
    assert len(partners) >= 10
    assert {"Gemeente Overbetuwe", "Forte Welzijn", "Kletsbot", "Movisie"} <= partners


def test_semesters_and_opdrachten(db: Session) -> None:
    past, current = _semester(db, "2026-S1"), _semester(db, "2026-S2")
    assert past.phase == Phase.CLOSED
    assert current.phase == Phase.RANKING
    assert current.number_of_ranks == 5
    assert current.rank_costs == [0, 1, 3, 6, 10]
    assert (current.unplaced_cost, current.unranked_cost) == (100, None)
    assert current.focus_theme_id is not None
    assert current.intake_deadline is not None
    assert current.ranking_deadline is not None
    assert current.intake_deadline.replace(tzinfo=UTC) < NOW
    ranking_days = (current.ranking_deadline.replace(tzinfo=UTC) - NOW).days
    assert 8 <= ranking_days <= 12
    rows = db.exec(select(Opdracht).where(Opdracht.semester_id == current.id)).all()
    assert len(rows) >= 30
    statuses = {r.status for r in rows}
    assert {OpdrachtStatus.SUBMITTED, OpdrachtStatus.DRAFT, OpdrachtStatus.REJECTED} <= statuses
    past_ids = set(db.exec(select(Opdracht.id).where(Opdracht.semester_id == past.id)).all())
    assert len([r for r in rows if r.continues_id in past_ids]) >= 2
    assert all(1 <= r.teams <= 3 and r.min_size == 3 and 5 <= r.max_size <= 6 for r in rows)
    approved = [r for r in rows if r.status == OpdrachtStatus.APPROVED]
    capacity = sum(r.teams * r.max_size for r in approved)
    students = len(db.exec(select(StudentProfile)).all())
    assert students >= 150
    assert 1.1 <= capacity / students <= 1.35


def test_every_ranking_is_valid(db: Session) -> None:
    current = _semester(db, "2026-S2")
    opdrachten = {o.id: o for o in db.exec(select(Opdracht)).all()}
    students = {s.id: s for s in db.exec(select(StudentProfile)).all()}
    ranks: dict[int, list[Preference]] = defaultdict(list)
    for pref in db.exec(select(Preference)).all():
        ranks[pref.student_id].append(pref)
    for student_id, prefs in ranks.items():
        assert sorted(p.rank for p in prefs) == [1, 2, 3, 4, 5]
        assert len({p.opdracht_id for p in prefs}) == 5
        for pref in prefs:
            opdracht = opdrachten[pref.opdracht_id]
            assert pref.semester_id == current.id == opdracht.semester_id
            assert opdracht.status == OpdrachtStatus.APPROVED
            assert is_eligible(opdracht.eligible_years, students[student_id].year)
    unranked = len(students) - len(ranks)
    assert 0 < unranked <= 0.08 * len(students)


def test_demo_logins_work(db: Session) -> None:
    users = {u.email: u for u in db.exec(select(User)).all()}
    assert {login.role for login in LOGINS} == set(Role)
    for login in LOGINS:
        user = users[login.email]
        assert user.role == login.role
        assert user.password_hash is not None
        assert verify_password(user.password_hash, DEMO_PASSWORD)
    assert len(DEMO_PASSWORD) >= 12
    assert all(u.email.endswith("@demo.opdrachtmatch.nl") for u in users.values())
    assert all(ROLE_NAME.match(u.name) for u in users.values()), "people are named by role"
    overbetuwe = db.exec(select(Leerkring).where(Leerkring.name == "Overbetuwe")).one()
    wijkdocent = users["wijkdocent@demo.opdrachtmatch.nl"]
    assert db.get(LeerkringWijkdocent, (overbetuwe.id, wijkdocent.id)) is not None
    gemeente = db.exec(select(Partner).where(Partner.name == "Gemeente Overbetuwe")).one()
    assert db.get(PartnerUser, (gemeente.id, users["partner@demo.opdrachtmatch.nl"].id))


def test_demo_student(db: Session) -> None:
    user = db.exec(select(User).where(User.email == "student@demo.opdrachtmatch.nl")).one()
    profile = db.exec(select(StudentProfile).where(StudentProfile.user_id == user.id)).one()
    programme = db.get(Programme, profile.programme_id)
    leerkring = db.get(Leerkring, profile.leerkring_id)
    assert programme is not None
    assert programme.code == "FT"
    assert leerkring is not None
    assert leerkring.name == "Overbetuwe"
    assert profile.year == 2
    prefs = db.exec(select(Preference).where(Preference.student_id == profile.id)).all()
    assert len(prefs) == 5
    ouderen = db.exec(select(TargetGroup).where(TargetGroup.code == "ouderen")).one()
    for_older = db.exec(
        select(Opdracht)
        .join(OpdrachtTargetGroup, col(OpdrachtTargetGroup.opdracht_id) == col(Opdracht.id))
        .where(
            OpdrachtTargetGroup.target_group_id == ouderen.id,
            Opdracht.semester_id == _semester(db, "2026-S2").id,
            Opdracht.status == OpdrachtStatus.APPROVED,
        )
    ).all()
    assert len([o for o in for_older if is_eligible(o.eligible_years, 2)]) >= 5


def _snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    result = {}
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            columns = [c for c in table.columns if c.name not in VOLATILE_COLUMNS]
            query = sa.select(*columns).order_by(*table.primary_key.columns)
            result[table.name] = [tuple(row) for row in conn.execute(query)]
    return result


def test_same_seed_same_data_and_load_if_empty(demo_engine: Engine, tmp_path: Path) -> None:
    engine = _migrated_engine(tmp_path / "again.db")
    try:
        with Session(engine) as session:
            build_demo(session, seed=2026, now=NOW)
        assert _snapshot(engine) == _snapshot(demo_engine)
        users = len(_snapshot(engine)["user"])
        assert load_if_empty(engine) is False
        assert len(_snapshot(engine)["user"]) == users
    finally:
        engine.dispose()


def test_load_if_empty_fills_an_empty_database(tmp_path: Path) -> None:
    engine = _migrated_engine(tmp_path / "empty.db")
    try:
        assert load_if_empty(engine) is True
        assert load_if_empty(engine) is False
        with Session(engine) as session:
            current = _semester(session, "2026-S2")
            assert current.ranking_deadline is not None
            deadline = current.ranking_deadline.replace(tzinfo=UTC)
            assert deadline - datetime.now(UTC) > timedelta(days=8)
    finally:
        engine.dispose()
