"""Done-when of issue 15 on the demo semester: publishing mails each placed student, each
unplaced student and each partner user once; republishing after moving one student mails
only the people of the two teams concerned."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.config import Settings
from app.db import make_engine
from app.demo import build_demo
from app.demo.publish import publish_demo
from app.models import (
    MatchRun,
    Member,
    Opdracht,
    OpdrachtCopartner,
    OutboxMessage,
    PartnerUser,
    Role,
    StudentProfile,
    Team,
    User,
)
from app.runs.adjust import ChangeForm
from app.runs.approval import approve, groups, publish, reopen
from app.runs.commit import apply_change
from app.semesters import current_semester
from tests.conftest import migrate
from tests.db_urls import fresh_database


@pytest.fixture(scope="module")
def demo() -> Iterator[Engine]:
    with fresh_database("notices_demo") as url:
        engine = make_engine(Settings(environment="test", database_url=url))
        migrate(engine)
        with Session(engine) as session:
            build_demo(session, seed=2026)
        publish_demo(engine)
        yield engine
        engine.dispose()


def _mails(session: Session, after: int = 0) -> list[OutboxMessage]:
    stmt = select(OutboxMessage).where(col(OutboxMessage.id) > after)
    return list(session.exec(stmt.order_by(col(OutboxMessage.id))))


def _partner_emails(session: Session, opdracht_ids: set[int]) -> set[str]:
    owners = set(
        session.exec(select(Opdracht.owner_partner_id).where(col(Opdracht.id).in_(opdracht_ids)))
    )
    owners |= set(
        session.exec(
            select(OpdrachtCopartner.partner_id).where(
                col(OpdrachtCopartner.opdracht_id).in_(opdracht_ids)
            )
        )
    )
    stmt = (
        select(User.email)
        .join(PartnerUser, col(PartnerUser.user_id) == User.id)
        .where(col(PartnerUser.partner_id).in_(owners))
    )
    return set(session.exec(stmt))


@pytest.mark.slow
def test_publishing_the_demo_mails_everyone_once_and_a_move_only_the_two_teams(demo: Engine):
    with Session(demo, expire_on_commit=False) as session:
        run = session.exec(select(MatchRun).where(col(MatchRun.is_current))).one()
        students = {
            p.id: u
            for p, u in session.exec(
                select(StudentProfile, User).join(User, col(User.id) == StudentProfile.user_id)
            )
        }
        members = list(session.exec(select(Member).where(Member.run_id == run.id)))
        placed = {m.student_id for m in members}
        approved = set(
            session.exec(
                select(Opdracht.id).where(
                    Opdracht.semester_id == run.semester_id, Opdracht.status == "approved"
                )
            )
        )
        partners = _partner_emails(session, {i for i in approved if i is not None})
        mails = _mails(session)
        per_address = Counter(m.to for m in mails)
        assert set(per_address.values()) == {1}
        assert set(per_address) == {u.email for u in students.values()} | partners
        assert len(placed) < len(students)  # the demo has unplaced students too
        subjects = Counter(m.subject for m in mails)
        assert subjects["Je team is bekend"] == len(placed)
        assert subjects["Je hebt nog geen team"] == len(students) - len(placed)
        assert subjects["Teams published"] + subjects["Teams gepubliceerd"] == len(partners)
        everyone = {u.role for u in session.exec(select(User)) if u.email in per_address}
        assert everyone == {Role.STUDENT, Role.PARTNER}

        semester = current_semester(session=session)
        assert semester is not None
        admin = session.exec(select(User).where(User.role == Role.ADMIN)).one()
        reopen(session=session, semester=semester, user=admin, reason="Een student wisselt")
        teams = {t.id: t for t in session.exec(select(Team).where(Team.run_id == run.id))}
        by_team: dict[int, list[int]] = {}
        for m in members:
            by_team.setdefault(m.team_id, []).append(m.student_id)
        source, target = sorted(by_team)[:2]
        mover = by_team[source][0]
        form = ChangeForm(
            action="move",
            student_id=mover,
            from_team=source,
            from_version=teams[source].version,
            target=f"team:{target}:{teams[target].version}",
            override=True,  # the demo's rules may object; the move is what is tested
            reason="Wisselt van team",
        )
        apply_change(session=session, run=run, form=form, user=admin)
        for group in groups(session=session, run=run, user=admin):
            if group.approved < len(group.teams):
                approve(
                    session=session,
                    semester=semester,
                    leerkring_id=group.leerkring_id,
                    token=group.token,
                    user=admin,
                )
        last = max(m.id or 0 for m in mails)
        publish(session=session, semester=semester, user=admin)

        again = _mails(session, after=last)
        concerned = set(by_team[source]) | set(by_team[target])
        two_opdrachten = {teams[source].opdracht_id, teams[target].opdracht_id}
        expected = {students[s].email for s in concerned} | _partner_emails(session, two_opdrachten)
        assert sorted(m.to for m in again) == sorted(expected)
        moved = next(m for m in again if m.to == students[mover].email)
        assert moved.subject == "Je team is gewijzigd"
