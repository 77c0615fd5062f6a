"""Joins at the same moment, over real requests, on SQLite and PostgreSQL: a join claims its
place with one conditional UPDATE of the group row, so the maximum size holds and a student
ends up in one group at most."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import col, func, select

from app.config import Settings
from app.models import GroupMember, StudentGroup
from tests import factories as f
from tests.concurrent import Live, served
from tests.groups.builders import build, group

N = 4


@dataclass
class Setup:
    live: Live
    group_id: int
    code: str
    members: list[int]  # user ids of the members
    others: list[int]  # user ids of students in no group


@pytest.fixture
def setup(engine: Engine, settings: Settings) -> Iterator[Setup]:
    with served(engine, settings) as live:
        with live.session() as session:
            s = build(session, max_group_size=3)
            # Each joiner alone would fit: FT and VP members, at most 2 per programme.
            extra = [f.student(session, s.programmes[c], year=2) for c in ("VP", "SW")]
            g = group(session, s.semester, [s.students[0], s.students[3]])
            others = [s.students[4], s.students[1], *extra]
            ids = (g.id or 0, g.code, [s.students[0].user_id, s.students[3].user_id])
            session.commit()
            result = Setup(live, ids[0], ids[1], ids[2], [o.user_id for o in others])
        yield result


def _count(s: Setup, *where: object) -> int:
    with s.live.session() as session:
        return session.exec(select(func.count()).select_from(GroupMember).where(*where)).one()


def test_students_joining_the_last_place_at_once_only_one_gets_in(setup: Setup):
    clients = [setup.live.login(u, page="/student/group") for u in setup.others]
    responses = setup.live.post_all(clients, "/student/group/join", {"code": setup.code})
    assert sorted(r.status_code for r in responses) == [303] + [422] * (N - 1)
    assert all("Deze groep is vol" in r.text for r in responses if r.status_code == 422)
    assert _count(setup, col(GroupMember.group_id) == setup.group_id) == 3
    with setup.live.session() as session:
        row = session.get(StudentGroup, setup.group_id)
        assert row is not None
        assert row.size == 3


def test_one_student_forming_a_group_twice_at_once_gets_one(setup: Setup):
    user = setup.others[0]
    clients = [setup.live.login(user, page="/student/group") for _ in range(N)]
    responses = setup.live.post_all(clients, "/student/group/create")
    assert sorted(r.status_code for r in responses) == [303] + [422] * (N - 1)
    with setup.live.session() as session:
        groups = session.exec(select(StudentGroup).where(StudentGroup.size == 1)).all()
        assert len(groups) == 1
    assert _count(setup, col(GroupMember.group_id) != setup.group_id) == 1
