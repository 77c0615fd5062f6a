from __future__ import annotations

from sqlmodel import Session

from app.matching import check, parse_problem
from app.runs.exports import result_json
from app.runs.load import load_run, load_semester
from app.runs.results import team_views
from tests.runs.conftest import World
from tests.runs.helpers import run_now


def test_the_team_rules_agree_with_the_solvers_checker(session: Session, world: World):
    run = run_now(session, world)
    data = load_semester(session, world.semester)
    assert all(not v.violations for v in team_views(data, load_run(session, run)))
    for o in world.opdrachten:  # tighten the rules after the run: every team now breaks them
        o.max_per_programme, o.min_programmes = 1, 3
        session.add(o)
    session.flush()
    data = load_semester(session, world.semester)
    state = load_run(session, run)
    ours = [v.text() for view in team_views(data, state) for v in view.violations]
    instance = {**run.parameters["instance"]}
    instance["assignments"] = [
        {**a, "max_per_programme": 1, "min_programmes": 3} for a in instance["assignments"]
    ]
    theirs = [
        m for m in check(parse_problem(instance), result_json(run, state)) if m.team is not None
    ]
    assert len(ours) == len(theirs) > 0
