"""Solver explanations in Dutch and English, for staff and for the student, and marked as a
manual change once a wijkdocent moved the student."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.i18n import set_language, translations
from app.matching import Explanation, Violation, parse_problem, solve
from app.matching.checker import STATUSES
from app.runs import rules, wording
from app.runs.load import load_run, load_semester
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
        f"keuze 2 («{second}») Hogere keuzes: keuze 1, «{first}», was vol: 1 team van hoogstens 1."
    )
    assert explain(data, stored, student=True).startswith(f"Je kreeg je keuze 2, «{second}».")
    set_language("en")
    assert explain(data, stored) == (
        f"choice 2 («{second}») Higher choices: choice 1, «{first}», was full: 1 team of at most 1."
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


DOCS = Path(__file__).resolve().parents[2] / "docs" / "matching.md"


def _documented() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The codes of docs/matching.md's "Codes" with their params: (violations, explanations)."""
    text = DOCS.read_text(encoding="utf-8")
    codes = text.split("## Codes", 1)[1].split("\n## ", 1)[0]
    violations, explanations = codes.split("### Explanations", 1)
    tables: list[dict[str, list[str]]] = []
    for part in (violations, explanations):
        found = {}
        for code, params in re.findall(r"^\| `([a-z_]+)` \| ([^|]*) \|", part, re.MULTILINE):
            found[code] = [p.strip() for p in params.replace("...", "").split(",") if p.strip()]
        tables.append(found)
    # the per-student entries of an infeasible instance, named in the prose
    for code in re.findall(r"`(no_option|locked_conflict|group_conflict)`", explanations):
        tables[1].setdefault(code, ["assignment", "group"])
    tables[1]["infeasible"] = ["relaxed", "checked"]
    return tables[0], tables[1]


SAMPLE: dict[str, object] = {
    "student": "s1",
    "students": ["s1", "s2"],
    "programmes": ["FT"],
    "required": ["FT"],
    "relaxed": ["min_size", "bans"],
    "years": [3, 4],
    "locked": ["s1"],
    "checked": True,
    "rule": "max_size",
    "closed": "banned",
    "blocked": "full",
    "programme": "FT",
    "member": "s2",
    "assignment": "o1",
    "current": "o2",
    "group": "g1",
    "detail": "'x'",
}


def _sample(names: list[str]) -> dict[str, object]:
    return {n: SAMPLE.get(n, 2) for n in [*names, "choice", "assignment"]}


def _ids_of(world: World) -> dict[str, str]:
    """The sample's ids as the world's (a test of names must find them)."""
    s1, s2 = (f"s{world.students[i].id}" for i in (0, 1))
    o1, o2 = (f"o{world.opdrachten[i].id}" for i in (0, 1))
    return {"s1": s1, "s2": s2, "o1": o1, "o2": o2}


def _real(value: object, ids: dict[str, str]) -> object:
    if isinstance(value, list):
        return [ids.get(v, v) if isinstance(v, str) else v for v in value]
    return ids.get(value, value) if isinstance(value, str) else value


def _dutch(msgid: str) -> bool:
    catalog = getattr(translations("nl"), "_catalog", {})
    return msgid in catalog or (msgid, 0) in catalog


def test_docs_list_the_codes_this_test_reads():
    violations, explanations = _documented()
    assert {"team_too_small", "banned", "objective_mismatch"} <= set(violations)
    assert {"choice", "full", "group_too_big", "group_room", "group_closed"} <= set(explanations)
    assert {"group_fits_nowhere", "too_few_places", "no_option", "infeasible"} <= set(explanations)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_documented_code_has_a_wording_in_both_languages(
    session: Session, world: World, language: str
):
    """Fails when docs/matching.md gains a code that has no wording (or no Dutch one)."""
    data = load_semester(session, world.semester)
    violations, explanations = _documented()
    assert sorted(set(violations) - set(rules.WORDS)) == []
    assert sorted(set(explanations) - wording.CODES) == []
    for m in rules.WORDS.values():
        assert _dutch(m if isinstance(m, str) else m[0]), m
    tables = (wording.REASONS, wording.STAFF_HEADS, wording.STUDENT_HEADS, wording.CONFLICTS)
    for table in tables:
        for w in table.values():
            assert _dutch(w if isinstance(w, str) else w[0]), w
    assert set(wording.STUDENT_HEADS) == set(wording.STAFF_HEADS)
    solver = translations(language)
    for status in STATUSES:  # the run page names the solver's status in words too
        assert solver.gettext(f"solver:{status}") != f"solver:{status}"
    ids = _ids_of(world)
    programme = next(iter(data.programmes))
    SAMPLE.update(programme=programme, programmes=[programme], required=[programme])
    set_language(language)
    try:
        for kind in violations:
            student, assignment = ids["s1"], ids["o1"]
            v = Violation(kind, student, assignment, 1, programme, "g1", 2, 3, (3,), "'x'")
            text = rules.worded(data, v).text()
            assert "{" not in text, (kind, text)
            assert language == "en" or kind not in text, (kind, text)
            assert not re.search(r"\b[so]\d+\b", text), (kind, text)
        for code, params in explanations.items():
            stored = _real_dict(_explained(code, params).to_dict(), ids)
            for student_view in (False, True):
                text = explain(data, stored, student=student_view)
                assert text, code
                assert "{" not in text, (code, text)
                assert language == "en" or code not in text, (code, text)
                assert not re.search(r"\b[so]\d+\b", text), (code, text)
    finally:
        set_language("nl")


def _real_dict(stored: dict[str, Any], ids: dict[str, str]) -> dict[str, Any]:
    params = {k: _real(v, ids) for k, v in stored["params"].items()}
    reasons = [_real_dict(r, ids) for r in stored.get("reasons", [])]
    return {"code": stored["code"], "params": params, "reasons": reasons}


def _explained(code: str, params: list[str]) -> Explanation:
    """A stored explanation that uses ``code``: as the head, a reason or a conflict."""
    values = _sample(params)
    if code in wording.STAFF_HEADS:
        return Explanation(code, values)
    if code in wording.REASONS:
        return Explanation(
            "choice", {"choice": 3, "assignment": "o1"}, (Explanation(code, values),)
        )
    return Explanation(
        "infeasible",
        _sample(["relaxed", "checked"]),
        (Explanation(code, values),) if code in wording.CONFLICTS else (),
    )


def test_the_diagnosis_of_an_infeasible_run_reads_in_dutch_with_names(
    anon: TestClient, session: Session, world: World
):
    first = run_now(session, world)
    crowded = world.opdrachten[0]
    state = load_run(session, first)
    team = next(t for t in state.teams.values() if t.opdracht_id == crowded.id)
    locked = state.members[team.id or 0]
    for m in locked:  # all of the team locked to it, then it is made too small for them
        m.locked = True
        session.add(m)
    crowded.max_size, crowded.teams = len(locked) - 1, 1
    session.add(crowded)
    session.flush()
    run = run_now(session, world)
    assert run.solver_status == "infeasible"
    data = load_semester(session, world.semester)
    f.login(anon, session, world.wijkdocent)
    page = anon.get(f"/runs/{run.id}").text
    main = page.split("<main", 1)[1]
    assert "Geen enkele indeling voldoet aan alle regels." in main
    ids = sorted(f"s{m.student_id}" for m in locked)  # the solver lists them by id
    names = ", ".join(data.students[int(i[1:])].name for i in ids)
    assert (
        f"«{crowded.title}» moet {len(locked)} studenten opnemen ({names}), "
        f"maar heeft plaats voor {len(locked) - 1}"
    ) in main
    assert "infeasible" not in main.replace("run-infeasible", "")
    assert re.search(r"\bs\d+\b|\bo\d+\b", main) is None


def test_old_plain_strings_are_shown_as_they_are_with_names(session: Session, world: World):
    data = load_semester(session, world.semester)
    student, opdracht = world.students[0], world.opdrachten[0]
    old = f"unplaced: s{student.id} ranked o{opdracht.id}"
    name = data.students[student.id or 0].name
    assert explain(data, old) == f"unplaced: {name} ranked «{opdracht.title}»"


def test_the_run_page_explains_in_dutch(anon: TestClient, session: Session, world: World):
    crowded = world.opdrachten[0]  # three ranked it first: one misses their first choice
    crowded.max_size = 2
    session.add(crowded)
    session.flush()
    run = run_now(session, world)
    assert run.explanations
    f.login(anon, session, world.wijkdocent)
    page = anon.get(f"/runs/{run.id}").text
    assert "Hogere keuzes: keuze 1" in page
    assert "(solver: optimaal)" in page
    assert "Higher choices" not in page
    assert 'lang="en">' not in page.replace('value="en" lang="en">', "")
