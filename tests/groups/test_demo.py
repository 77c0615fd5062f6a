"""The demo semester has a few groups, and a demo run keeps every one of them together."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, col, select

from app.demo import build_demo
from app.demo.publish import run_demo_match
from app.models import GroupMember, Member, Preference, StudentGroup
from tests.test_demo import NOW, _migrated_engine


def test_the_demo_has_groups_and_a_demo_run_keeps_each_together(tmp_path: Path) -> None:
    engine = _migrated_engine(tmp_path / "demo.db")
    try:
        with Session(engine) as session:
            summary = build_demo(session, seed=2026, now=NOW)
        assert 3 <= summary.groups <= 5
        with Session(engine) as session:
            members: dict[int, list[int]] = {}
            for group_id, student_id in session.exec(
                select(GroupMember.group_id, GroupMember.student_id)
            ):
                members.setdefault(group_id, []).append(student_id)
            assert len(members) == summary.groups
            assert all(2 <= len(ids) <= 3 for ids in members.values())
            for ids in members.values():  # one shared ranking per group
                orders = {
                    tuple(
                        session.exec(
                            select(Preference.opdracht_id)
                            .where(Preference.student_id == sid)
                            .order_by(col(Preference.rank))
                        )
                    )
                    for sid in ids
                }
                assert len(orders) == 1
            codes = session.exec(select(StudentGroup.code)).all()
            assert len(set(codes)) == len(codes)
        (run,) = run_demo_match(engine)
        with Session(engine) as session:
            team_of = {
                m.student_id: m.team_id
                for m in session.exec(select(Member).where(Member.run_id == run.id))
            }
        for ids in members.values():
            teams = {team_of.get(sid) for sid in ids}
            assert len(teams) == 1
            assert None not in teams  # placed, with their shared first choices
    finally:
        engine.dispose()
