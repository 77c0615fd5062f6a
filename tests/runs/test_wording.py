"""Solver explanations in Dutch and English, for staff and for the student, and marked as a
manual change once a wijkdocent moved the student."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.i18n import set_language
from app.matching import parse_problem, solve
from app.runs.data import load_semester
from app.runs.wording import explain
from tests import factories as f
from tests.runs.conftest import World
from tests.runs.helpers import run_now


def _stored(world: World, session: Session) -> dict[str, object]:
    """A solved instance on the world's opdrachten: o1 holds one student, s2 gets choice 2."""
    o1, o2 = (f"o{world.opdrachten[i].id}" for i in (0, 1))
    problem = parse_problem(
        {
            "students": [
                {"id": "s1", "programme": "FT", "ranking": [o1, o2]},
                {"id": "s2", "programme": "VP", "ranking": [o1, o2]},
            ],
            "assignments": [{"id": o1, "max_size": 1}, {"id": o2, "max_size": 1}],
            "costs": {"rank": [0, 1], "unplaced": 10},
        }
    )
    explanations = solve(problem).to_dict()["explanations"]
    assert isinstance(explanations, dict)
    return explanations


def test_codes_read_in_dutch_and_english_for_staff_and_student(session: Session, world: World):
    data = load_semester(session, world.semester)
    stored = _stored(world, session)["s2"]
    first, second = world.opdrachten[0].title, world.opdrachten[1].title
    set_language("nl")
    assert explain(data, stored) == (
        f"keuze 2 («{second}») Hogere keuzes: keuze 1, «{first}», was vol: "
        "1 team(s) van hoogstens 1."
    )
    assert explain(data, stored, student=True).startswith(f"Je kreeg je keuze 2, «{second}».")
    set_language("en")
    assert explain(data, stored) == (
        f"choice 2 («{second}») Higher choices: choice 1, «{first}», was full: "
        "1 team(s) of at most 1."
    )
    set_language("nl")


def test_a_student_moved_by_hand_is_explained_as_a_manual_change(
    anon: TestClient, session: Session, world: World
):
    run = run_now(session, world)
    f.login(anon, session, world.wijkdocent)
    student = world.students[5]
    before = anon.get(f"/runs/{run.id}/students/{student.id}")
    assert "met de hand gewijzigd" not in before.text
    from tests.runs.test_adjust import _move, _team  # the same steps as the adjust tests

    source, target = _team(session, run, world, 2), _team(session, run, world, 0)
    moved = _move(anon, run, student.id, source, target, override="true", reason="stage")
    assert moved.status_code == 303
    after = anon.get(f"/runs/{run.id}/students/{student.id}")
    assert "Na de ronde met de hand gewijzigd. Reden: stage" in after.text
    other = world.students[3]  # moved without breaking a rule: no reason, still marked
    source, target = _team(session, run, world, 0), _team(session, run, world, 2)
    assert _move(anon, run, other.id, source, target).status_code == 303
    assert (
        "Na de ronde met de hand gewijzigd." in anon.get(f"/runs/{run.id}/students/{other.id}").text
    )
