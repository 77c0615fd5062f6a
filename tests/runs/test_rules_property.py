"""The app's rules and costs agree with ``app.matching.check`` on random hand-made runs.

Hypothesis moves random students to random teams (or out), locks and bans at random, then
compares, team by team and student by student, the kinds of the rules each side says are
broken, and the total cost. Not just counts: a rule named on one side and not the other
fails the test.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from app.matching import check, parse_problem
from app.models import Ban, Member
from app.runs.data import load_run, load_semester, okey, skey
from app.runs.exports import result_json
from app.runs.instance import build_instance
from app.runs.results import run_students, team_views
from app.runs.rules import student_cost, unplaced_violation
from tests.runs.conftest import World
from tests.runs.helpers import run_now

KINDS = {  # the app's message ids and the checker's kinds
    "team {index}, this opdracht allows {limit} teams": "team_number",
    "{count} member, at least {limit}": "team_too_small",  # plural forms: the singular's id
    "{count} member, at most {limit}": "team_too_large",
    "{count} {programme} student, at most {limit}": "programme_too_many",
    "{count} programme, at least {limit}": "programmes_too_few",
    "no {programme} student, one is required": "programme_missing",
    "{student} is banned from this opdracht": "banned",
    "{student} is in year {year}, this opdracht is for years {years}": "year_not_allowed",
    "{student} did not rank this opdracht": "unranked_not_allowed",
    "{student} is unplaced, but every student must be placed": "unplaced_not_allowed",
}
TEAM_KINDS = set(list(KINDS.values())[:6])
change = st.tuples(
    st.integers(0, 7),  # a student of the world
    st.integers(-1, 4),  # a team (by position), -1: out of any team
    st.booleans(),  # lock them
    st.integers(-1, 2),  # ban them from an opdracht (by position), -1: no ban
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(changes=st.lists(change, min_size=1, max_size=6), unplaced_allowed=st.booleans())
def test_rules_and_costs_agree_with_the_checker(
    session: Session,
    world: World,
    changes: list[tuple[int, int, bool, int]],
    unplaced_allowed: bool,
):
    # Each example starts a new run; the rows of earlier examples stay (the test's own
    # transaction is rolled back at the end), which only makes the runs more varied.
    _compare(session, world, changes, unplaced_allowed)
    session.expire_all()


def _compare(
    session: Session, world: World, changes: list[tuple[int, int, bool, int]], unplaced: bool
) -> None:
    world.semester.unplaced_cost = 100 if unplaced else None
    session.add(world.semester)
    run = run_now(session, world)
    state = load_run(session, run)
    teams = sorted(state.teams)
    # earlier examples' rows may remain (the run's commits end the savepoint): read them
    banned = {(b.student_id, b.opdracht_id) for b in session.exec(select(Ban))}
    for student_i, team_i, lock, ban_i in changes:
        sid = world.students[student_i].id or 0
        member = state.member(sid)
        if team_i < 0 or team_i >= len(teams):
            if member is not None:
                session.delete(member)
        else:
            member = member or Member(run_id=run.id or 0, team_id=teams[team_i], student_id=sid)
            member.team_id, member.locked = teams[team_i], lock
            session.add(member)
        pair = (sid, world.opdrachten[ban_i].id or 0)
        if ban_i >= 0 and pair not in banned:
            banned.add(pair)
            session.add(
                Ban(semester_id=world.semester.id or 0, student_id=pair[0], opdracht_id=pair[1])
            )
        session.flush()
        state = load_run(session, run)
    data = load_semester(session, world.semester)
    ours: Counter[tuple[str, str]] = Counter()
    for view in team_views(data, state):
        for v in view.violations:
            where = okey(view.opdracht.id or 0) if KINDS[v.message] in TEAM_KINDS else ""
            ours[(KINDS[v.message], where)] += 1
    students = run_students(data, state)
    for s in students:
        if s.id not in state.team_of:
            ours.update((KINDS[v.message], "") for v in unplaced_violation(data, s.id))
    problem = parse_problem(build_instance(data, current=state))
    result = {**result_json(run, state), "objective": -1, "bound": None}
    verdicts = check(problem, result)
    theirs = Counter(
        (v.kind, v.assignment or "" if v.kind in TEAM_KINDS else "")
        for v in verdicts
        if v.kind in KINDS.values()
    )
    # A lock on an opdracht is itself a rule the checker knows; the app has no lock rule.
    assert ours == theirs, (ours, theirs)
    cost = sum(student_cost(data, s.id, state.opdracht_of(s.id)) for s in students)
    mismatch = next(v for v in verdicts if v.kind == "objective_mismatch")
    assert mismatch.limit == cost
    assert {skey(s.id) for s in students} == {s.id for s in problem.students}
