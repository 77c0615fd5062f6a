"""The app's rules and costs agree with ``app.matching.check`` on random hand-made runs.

Hypothesis moves random students to random teams (or out), locks and bans at random, then
compares every verdict with its ids and numbers (the app's worded rules carry the
checker's verdict), the member rules one by one, and each student's cost and the total.
Not just counts: a rule named on one side and not the other fails the test.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from app.matching import check, parse_problem, placement_cost
from app.models import Ban, Member
from app.runs.exports import result_json
from app.runs.instance import build_instance
from app.runs.load import load_run, load_semester, okey, skey
from app.runs.results import run_students, team_views
from app.runs.rules import Violation, member_violations, student_cost, unplaced_violation
from tests.runs.conftest import World
from tests.runs.helpers import run_now

# The verdicts the app's rules give; the checker's others are about the result's format,
# its totals and locks (a lock broken is a rule the checker knows, the app has no such rule).
KINDS = {
    "team_number",
    "team_too_small",
    "team_too_large",
    "programme_too_many",
    "programmes_too_few",
    "programme_missing",
    "banned",
    "year_not_allowed",
    "unranked_not_allowed",
    "unplaced_not_allowed",
}
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
    ours: Counter[str] = Counter()  # every verdict with its ids and numbers
    for view in team_views(data, state):
        ours.update(_verdicts(view.violations))
        for m, s in view.members:  # the member rules one by one agree with the team's
            rules = member_violations(data, s.id, view.opdracht.id or 0, locked=m.locked)
            assert set(rules) <= set(view.violations)
    students = run_students(data, state)
    for s in students:
        if s.id not in state.team_of:
            ours.update(_verdicts(unplaced_violation(data, s.id)))
    problem = parse_problem(build_instance(data, current=state))
    result = {**result_json(run, state), "objective": -1, "bound": None}
    verdicts = check(problem, result)
    theirs = Counter(str(v) for v in verdicts if v.kind in KINDS)
    assert ours == theirs, (ours, theirs)
    costs = problem.costs
    by_id = {p.id: p for p in problem.students}
    for s in students:  # each student's cost, and so the total
        where = state.opdracht_of(s.id)
        expected = placement_cost(costs, by_id[skey(s.id)].ranking, okey(where) if where else None)
        assert student_cost(data, s.id, where) == expected
    cost = sum(student_cost(data, s.id, state.opdracht_of(s.id)) for s in students)
    mismatch = next(v for v in verdicts if v.kind == "objective_mismatch")
    assert mismatch.limit == cost
    assert {skey(s.id) for s in students} == {s.id for s in problem.students}


def _verdicts(violations: list[Violation]) -> list[str]:
    """The checker's verdicts behind the app's worded rules; each has words of its own."""
    for v in violations:
        assert v.verdict is not None
        assert v.text()
        assert v.message != v.kind
    return [str(v.verdict) for v in violations]
