from __future__ import annotations

from sqlmodel import Session, select

from app.matching import parse_problem
from app.models import Ban, Member
from app.runs.instance import build_instance
from app.runs.load import load_run, load_semester
from tests import factories as f
from tests.runs.conftest import World, ident
from tests.runs.helpers import run_now


def test_the_instance_has_exactly_the_documented_format(session: Session, world: World):
    ft, kletsbot = world.students[0], world.opdrachten[2]
    session.add(
        Ban(semester_id=ident(world.semester), student_id=ident(ft), opdracht_id=ident(kletsbot))
    )
    f.opdracht(session, world.semester, world.partner, status="submitted")  # not approved: left out
    session.flush()
    instance = build_instance(load_semester(session, world.semester))
    assert set(instance) == {"students", "assignments", "locks", "bans", "costs", "objective"}
    o = [f"o{op.id}" for op in world.opdrachten]
    ft_code = world.programmes["FT"].code
    assert instance["students"][0] == {
        "id": f"s{ft.id}",
        "programme": ft_code,
        "year": 2,
        "ranking": o,
    }
    assert instance["assignments"] == [
        {
            "id": o[0], "teams": 1, "min_size": 2, "max_size": 4, "max_per_programme": 2,
            "min_programmes": 2, "required_programmes": [], "years": None,
        },
        {
            "id": o[1], "teams": 1, "min_size": 2, "max_size": 4, "max_per_programme": 2,
            "min_programmes": 2, "required_programmes": [ft_code], "years": None,
        },
        {
            "id": o[2], "teams": 1, "min_size": 2, "max_size": 4, "max_per_programme": 2,
            "min_programmes": 2, "required_programmes": [], "years": [2, 3],
        },
    ]  # fmt: skip
    assert instance["locks"] == []
    assert instance["bans"] == [{"student": f"s{ft.id}", "assignment": o[2]}]
    assert instance["costs"] == {"rank": [0, 1, 3], "unranked": None, "unplaced": 100, "move": 5}
    assert instance["objective"] == "sum"
    assert len(instance["students"]) == 8
    parse_problem(instance)  # and the solver accepts it


def test_rankings_are_cut_to_the_number_of_rank_costs(session: Session, world: World):
    world.semester.rank_costs = [0, 2]
    instance = build_instance(load_semester(session, world.semester))
    assert all(len(s["ranking"]) == 2 for s in instance["students"])


def test_a_rerun_carries_locks_and_the_previous_teams(session: Session, world: World):
    run = run_now(session, world)
    member = session.exec(select(Member).where(Member.run_id == run.id)).first()
    assert member is not None
    member.locked = True
    session.add(member)
    session.flush()
    state = load_run(session, run)
    data = load_semester(session, world.semester)
    instance = build_instance(data, current=state, minimal_disruption=True)
    opdracht = state.opdracht_of(member.student_id)
    assert instance["locks"] == [{"student": f"s{member.student_id}", "assignment": f"o{opdracht}"}]
    previous = instance["previous"]["teams"]
    assert sum(len(t["members"]) for t in previous) == 8
    assert set(previous[0]) == {"assignment", "team", "members"}
    assert "previous" not in build_instance(data, current=state, minimal_disruption=False)
    parse_problem(instance)
