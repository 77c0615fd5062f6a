from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.models import AuditEvent, Ban, MatchRun, Member, Preference, Role, Team
from app.runs.instance import build_instance
from app.runs.load import load_run, load_semester
from tests import factories as f
from tests.runs.conftest import World
from tests.runs.helpers import run_now

# After the run every student has their first choice: the world's students 0, 3, 6 are on
# opdracht 0, students 1, 4, 7 on opdracht 1 and students 2 (FT) and 5 (SW) on opdracht 2.


def _team(session: Session, run: MatchRun, world: World, i: int) -> Team:
    session.expire_all()
    return session.exec(
        select(Team).where(Team.run_id == run.id, Team.opdracht_id == world.opdrachten[i].id)
    ).one()


def _member(session: Session, run: MatchRun, student_id: int | None) -> Member:
    return session.exec(
        select(Member).where(Member.run_id == run.id, Member.student_id == student_id)
    ).one()


def _move(
    client: TestClient, run: MatchRun, student_id: int | None, source: Team, target: Team, **extra
):
    data = {
        "action": "move",
        "from_team": source.id,
        "from_version": source.version,
        "target": f"team:{target.id}:{target.version}",
        **extra,
    }
    return client.post(f"/runs/{run.id}/students/{student_id}", data=data)


def test_a_move_that_breaks_a_rule_needs_an_override_with_a_reason(
    anon: TestClient, session: Session, world: World
):
    run = run_now(session, world)
    world.opdrachten[0].max_per_programme = 1
    session.add(world.opdrachten[0])
    session.flush()
    f.login(anon, session, world.wijkdocent)
    ft = world.students[2]
    source, target = _team(session, run, world, 2), _team(session, run, world, 0)
    version = target.version

    refused = _move(anon, run, ft.id, source, target)
    assert refused.status_code == 422
    assert f"2 studenten {world.programmes['FT'].name_nl}, hoogstens 1" in refused.text
    assert "1 lid, minstens 2" in refused.text  # the team left behind (a plural form)
    assert "vink afwijken aan" in refused.text
    assert _member(session, run, ft.id).team_id == source.id
    no_reason = _move(anon, run, ft.id, source, target, override="true", reason="  ")
    assert no_reason.status_code == 422

    saved = _move(
        anon, run, ft.id, source, target, override="true", reason="Stage bij dezelfde praktijk"
    )
    assert saved.status_code == 303
    session.expire_all()
    moved = _member(session, run, ft.id)
    assert moved.team_id == target.id
    assert moved.override_reason == "Stage bij dezelfde praktijk"
    assert _team(session, run, world, 0).version == version + 1
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "run.move")).one()
    assert event.reason == "Stage bij dezelfde praktijk"
    assert event.before is not None
    assert event.after is not None
    assert (event.before["team"], event.after["team"]) == (source.id, target.id)


def test_checking_a_change_shows_its_effect_and_saves_nothing(
    anon: TestClient, session: Session, world: World
):
    run = run_now(session, world)
    f.login(anon, session, world.wijkdocent)
    sw = world.students[5]
    source, target = _team(session, run, world, 2), _team(session, run, world, 0)
    response = _move(anon, run, sw.id, source, target, check="1")
    assert response.status_code == 200
    assert "Kostenverandering" in response.text
    assert (
        "<strong>+1</strong> (0 → 1)" in response.text
    )  # from the first choice (cost 0) to the second (1)
    assert _member(session, run, sw.id).team_id == source.id


def test_a_stale_adjustment_is_refused_without_losing_the_other_change(
    app, anon: TestClient, session: Session, world: World
):
    run = run_now(session, world)
    team0, team2 = _team(session, run, world, 0), _team(session, run, world, 2)
    seen0, seen2 = (team0.id, team0.version), (team2.id, team2.version)  # both pages load now
    other = TestClient(app, follow_redirects=False)
    other.get("/healthz")
    other.headers["X-CSRF-Token"] = other.cookies["om_csrf"]
    f.login(other, session, f.user(session, Role.ADMIN))
    f.login(anon, session, world.wijkdocent)

    first = _move(
        other, run, world.students[5].id, team2, team0, override="true", reason="op verzoek"
    )
    assert first.status_code == 303

    stale = anon.post(
        f"/runs/{run.id}/students/{world.students[3].id}",
        data={
            "action": "move",
            "from_team": seen0[0],
            "from_version": seen0[1],
            "target": f"team:{seen2[0]}:{seen2[1]}",
            "override": "true",
            "reason": "ook op verzoek",
        },
    )
    assert stale.status_code == 409
    assert "Iemand anders heeft dit team intussen gewijzigd" in stale.text
    session.expire_all()
    assert _member(session, run, world.students[5].id).team_id == seen0[0]  # the first change stays
    assert (
        _member(session, run, world.students[3].id).team_id == seen0[0]
    )  # the stale one did nothing


def test_a_swap_within_the_rules_is_saved_at_once(anon: TestClient, session: Session, world: World):
    run = run_now(session, world)
    f.login(anon, session, world.wijkdocent)
    a, b = world.students[0], world.students[2]  # both FT, on opdracht 0 and 2
    team0, team2 = _team(session, run, world, 0), _team(session, run, world, 2)
    response = anon.post(
        f"/runs/{run.id}/students/{a.id}",
        data={
            "action": "swap",
            "from_team": team0.id,
            "from_version": team0.version,
            "target": f"member:{b.id}:{team2.id}:{team2.version}",
        },
    )
    assert response.status_code == 303
    session.expire_all()
    assert (_member(session, run, a.id).team_id, _member(session, run, b.id).team_id) == (
        team2.id,
        team0.id,
    )
    assert _member(session, run, a.id).rank == 3  # opdracht 2 is student 0's third choice


def _swap(client: TestClient, run: MatchRun, student_id: int | None, source: Team, target: str):
    data = {
        "action": "swap",
        "from_team": source.id,
        "from_version": source.version,
        "target": target,
        "override": "true",
        "reason": "op verzoek",
    }
    return client.post(f"/runs/{run.id}/students/{student_id}", data=data)


def test_a_stale_swap_form_is_refused_when_the_other_student_moved_teams(
    anon: TestClient, session: Session, world: World
):
    """Issue 21 item 2: the form's version must be checked against the team it showed."""
    run = run_now(session, world)
    f.login(anon, session, world.wijkdocent)
    team0 = _team(session, run, world, 0)
    bump = anon.post(f"/runs/{run.id}/teams/{team0.id}/lock", data={"version": team0.version})
    assert bump.status_code == 303  # team 0 is now one version ahead of team 1
    page = anon.get(f"/runs/{run.id}/students/{world.students[5].id}")
    other = world.students[3]  # on team 0
    shown = _team(session, run, world, 0)
    swaps = re.findall(r'value="(member:[^"]+)"', page.text)
    target = next(v for v in swaps if v.split(":")[1] == str(other.id))
    assert str(shown.version) in target.split(":")[2:]
    moved = _move(
        anon, run, other.id, shown, _team(session, run, world, 1), override="true", reason="x"
    )
    assert moved.status_code == 303  # the other student is now on team 1, at team 0's old version

    stale = _swap(anon, run, world.students[5].id, _team(session, run, world, 2), target)
    assert stale.status_code == 409
    session.expire_all()
    assert _member(session, run, other.id).team_id == _team(session, run, world, 1).id
    assert _member(session, run, world.students[5].id).team_id == _team(session, run, world, 2).id


def test_a_swap_onto_unranked_opdrachten_shows_no_made_up_cost(
    anon: TestClient, session: Session, world: World
):
    """Issue 14: the preview said "-1 (1 → 0)" while neither student chose the new opdracht."""
    run = run_now(session, world)
    a, b = world.students[0], world.students[1]  # first choice each: opdracht 0 and opdracht 1
    for student, opdracht in ((a, world.opdrachten[1]), (b, world.opdrachten[0])):
        pref = session.exec(
            select(Preference).where(
                Preference.student_id == student.id, Preference.opdracht_id == opdracht.id
            )
        ).one()
        session.delete(pref)
    session.flush()
    f.login(anon, session, world.wijkdocent)
    team0, team1 = _team(session, run, world, 0), _team(session, run, world, 1)
    response = anon.post(
        f"/runs/{run.id}/students/{a.id}",
        data={
            "action": "swap",
            "from_team": team0.id,
            "from_version": team0.version,
            "target": f"member:{b.id}:{team1.id}:{team1.version}",
            "check": "1",
        },
    )
    assert response.status_code == 200
    assert "koos deze opdracht niet" in response.text
    assert "(0 → 0)" not in response.text
    assert "Kostenverandering: onbekend" in response.text


def test_the_ban_form_keeps_its_opdracht_after_checking_the_effect(
    anon: TestClient, session: Session, world: World
):
    run = run_now(session, world)
    f.login(anon, session, world.wijkdocent)
    student, team = world.students[0], _team(session, run, world, 0)
    chosen = world.opdrachten[2]
    data = {
        "action": "ban",
        "from_team": team.id,
        "from_version": team.version,
        "opdracht_id": chosen.id,
        "check": "1",
    }
    checked = anon.post(f"/runs/{run.id}/students/{student.id}", data=data)
    assert checked.status_code == 200
    assert f'<option value="{chosen.id}" selected>' in checked.text


def test_locked_teams_become_locks_of_the_next_run(
    anon: TestClient, session: Session, world: World
):
    run = run_now(session, world)
    f.login(anon, session, world.wijkdocent)
    for i in (0, 1):
        team = _team(session, run, world, i)
        response = anon.post(
            f"/runs/{run.id}/teams/{team.id}/lock", data={"version": team.version, "locked": "true"}
        )
        assert response.status_code == 303
    session.expire_all()
    locked = session.exec(
        select(Member).where(Member.run_id == run.id, col(Member.locked).is_(True))
    ).all()
    assert len(locked) == 6
    stale = _team(session, run, world, 0)
    assert (
        anon.post(
            f"/runs/{run.id}/teams/{stale.id}/lock", data={"version": stale.version - 1}
        ).status_code
        == 409
    )
    instance = build_instance(
        load_semester(session, world.semester), current=load_run(session, run)
    )
    assert len(instance["locks"]) == 6
    locked_student = world.students[0]
    moved = anon.post(
        f"/runs/{run.id}/students/{locked_student.id}",
        data={"action": "unplace", "from_team": stale.id, "from_version": stale.version},
    )
    assert moved.status_code == 422
    assert "eerst los" in moved.text


def test_banning_a_student_from_their_team_is_a_broken_rule(
    anon: TestClient, session: Session, world: World
):
    run = run_now(session, world)
    f.login(anon, session, world.wijkdocent)
    student, team = world.students[0], _team(session, run, world, 0)
    data = {
        "action": "ban",
        "from_team": team.id,
        "from_version": team.version,
        "opdracht_id": world.opdrachten[0].id,
    }
    refused = anon.post(f"/runs/{run.id}/students/{student.id}", data=data)
    assert refused.status_code == 422
    assert "is uitgesloten van deze opdracht" in refused.text
    assert session.exec(select(Ban)).first() is None
    elsewhere = {**data, "opdracht_id": world.opdrachten[2].id}
    assert anon.post(f"/runs/{run.id}/students/{student.id}", data=elsewhere).status_code == 303
    ban = session.exec(select(Ban)).one()
    assert (ban.student_id, ban.opdracht_id) == (student.id, world.opdrachten[2].id)


def test_a_bad_target_is_a_form_error_not_a_crash(anon: TestClient, session: Session, world: World):
    run = run_now(session, world)
    f.login(anon, session, world.wijkdocent)
    team = _team(session, run, world, 0)
    data = {
        "action": "move",
        "from_team": team.id,
        "from_version": team.version,
        "target": "team:x",
    }
    response = anon.post(f"/runs/{run.id}/students/{world.students[0].id}", data=data)
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.text


def test_an_older_run_cannot_be_adjusted(anon: TestClient, session: Session, world: World):
    run_now(session, world)
    candidate = run_now(session, world)  # a re-run waits beside the current run
    f.login(anon, session, world.wijkdocent)
    response = anon.post(
        f"/runs/{candidate.id}/students/{world.students[0].id}", data={"action": "lock"}
    )
    assert response.status_code == 409


def test_a_wijkdocent_cannot_change_students_of_another_leerkring(
    anon: TestClient, session: Session, world: World
):
    # docs/security.md, "Access": a wijkdocent adjusts students of their own leerkringen only.
    run = run_now(session, world)
    f.login(anon, session, world.other_wijkdocent)  # of Zuid; every student is in Noord
    student = world.students[0]
    source, target = _team(session, run, world, 0), _team(session, run, world, 1)

    refused = _move(anon, run, student.id, source, target)
    assert refused.status_code == 403
    assert _member(session, run, student.id).team_id == source.id
    locked = anon.post(
        f"/runs/{run.id}/teams/{source.id}/lock", data={"version": source.version, "locked": "1"}
    )
    assert locked.status_code in (403, 404)
    assert not _member(session, run, student.id).locked
