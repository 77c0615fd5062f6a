"""The team board: cards, filters, preview-then-save, undo, suggestions."""

from __future__ import annotations

import re
from collections import Counter

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import MatchRun, Member, Team, User
from app.runs.adjust import NEW, Dest, Plan, evaluate
from app.runs.board import suggestions, targets
from app.runs.load import RunState, SemesterData, load_run, load_semester
from app.runs.results import run_students, team_views
from app.runs.rules import unplaced_violation
from tests import factories as f
from tests.runs.conftest import World, ident
from tests.runs.helpers import form_with, run_now


def _team(session: Session, run: MatchRun, world: World, i: int) -> Team:
    session.expire_all()
    return session.exec(
        select(Team).where(Team.run_id == run.id, Team.opdracht_id == world.opdrachten[i].id)
    ).one()


def _team_of(session: Session, run: MatchRun, student_id: int | None) -> int | None:
    session.expire_all()
    member = session.exec(
        select(Member).where(Member.run_id == run.id, Member.student_id == student_id)
    ).first()
    return member.team_id if member else None


def _name(session: Session, user_id: int) -> str:
    user = session.get(User, user_id)
    assert user is not None
    return user.name


def test_the_board_shows_every_team_per_leerkring_with_member_chips(
    anon: TestClient, session: Session, world: World
):
    run = run_now(session, world)
    f.login(anon, session, world.wijkdocent)
    page = anon.get(f"/runs/{run.id}/board")
    assert page.status_code == 200
    assert "Noord" in page.text
    assert "Zuid" in page.text
    for o in world.opdrachten:
        assert f"{o.title} · team 1" in page.text
    assert page.text.count('<li class="chip') == len(world.students)
    assert "keuze 1" in page.text
    assert f'href="/runs/{run.id}/board"' in anon.get(f"/runs/{run.id}").text


def test_filters_are_plain_gets_and_pick_teams_and_members(
    anon: TestClient, session: Session, world: World
):
    run = run_now(session, world)
    f.login(anon, session, world.wijkdocent)
    south = world.opdrachten[2].leerkring_id
    only_south = anon.get(f"/runs/{run.id}/board?leerkring={south}")
    assert "Kletsbot · team 1" in only_south.text
    assert "Welzijn op Recept · team 1" not in only_south.text
    name = _name(session, world.students[5].user_id)  # on Kletsbot
    found = anon.get(f"/runs/{run.id}/board", params={"q": name})
    assert found.text.count('<li class="chip hit') == 1
    assert "Kletsbot · team 1" in found.text
    assert "Leefstijlspreekuur · team 1" not in found.text
    by_number = anon.get(f"/runs/{run.id}/board", params={"q": world.students[5].student_number})
    assert by_number.text.count('<li class="chip hit') == 1
    nobody = anon.get(f"/runs/{run.id}/board?min_rank=2")  # everyone got their first choice
    assert "Geen team past bij deze filters" in nobody.text
    assert anon.get(f"/runs/{run.id}/board?broken=1").text.count('<li class="chip') == 0
    fragment = anon.get(
        f"/runs/{run.id}/board?programme=FT",
        headers={"HX-Request": "true", "HX-Target": "board_main"},
    )
    assert fragment.text.startswith('\n<div id="board_main"') or fragment.text.lstrip().startswith(
        '<div id="board_main"'
    )
    assert "<html" not in fragment.text
    assert anon.get(f"/runs/{run.id}/board?leerkring=%C2%B2&min_rank=x").status_code == 200


def _preview_then_confirm(anon: TestClient, run: MatchRun, page_text: str, button: str):
    """Submit the form holding ``button`` (by its text) as a keyboard user would."""
    form = form_with(page_text, button)
    return anon.post(f"/runs/{run.id}/board/change", data=form)


def test_moving_by_keyboard_is_pick_target_preview_confirm_and_undo(
    anon: TestClient, session: Session, world: World
):
    run = run_now(session, world)
    f.login(anon, session, world.wijkdocent)
    sw = world.students[5]  # SW on Kletsbot (team 2); opdracht 0 is their second choice
    team0, team2 = _team(session, run, world, 0), _team(session, run, world, 2)
    picked = anon.get(f"/runs/{run.id}/board?pick={sw.id}")
    name = _name(session, sw.user_id)
    assert f"{name} verplaatsen" in picked.text
    preview = _preview_then_confirm(
        anon, run, picked.text.split(f'id="team-{team0.id}"')[1], "hierheen"
    )
    assert preview.status_code == 200
    assert "Voorbeeld" in preview.text
    assert "<strong>+1</strong> (0 → 1)" in preview.text
    assert _team_of(session, run, sw.id) == team2.id  # a preview saves nothing
    assert "1 lid, minstens 2" in preview.text  # Kletsbot keeps one member
    form = form_with(preview.text, "Bevestigen")
    assert anon.post(f"/runs/{run.id}/board/change", data=form).status_code == 422  # no reason
    form.update(override="true", reason="op verzoek van de student")
    saved = anon.post(f"/runs/{run.id}/board/change", data=form)
    assert saved.status_code == 303
    assert saved.headers["location"].startswith(f"/runs/{run.id}/board")
    assert _team_of(session, run, sw.id) == team0.id

    board = anon.get(f"/runs/{run.id}/board")
    undo_form = re.search(r'name="event_id" value="(\d+)"', board.text)
    assert undo_form is not None
    undo_preview = anon.post(
        f"/runs/{run.id}/board/undo", data={"event_id": undo_form.group(1), "check": "1"}
    )
    assert undo_preview.status_code == 200
    assert "<strong>-1</strong> (1 → 0)" in undo_preview.text
    assert _team_of(session, run, sw.id) == team0.id
    undone = anon.post(f"/runs/{run.id}/board/undo", data={"event_id": undo_form.group(1)})
    assert undone.status_code == 303
    assert _team_of(session, run, sw.id) == team2.id
    again = anon.post(f"/runs/{run.id}/board/undo", data={"event_id": undo_form.group(1)})
    assert again.status_code == 409  # an undo is not undone twice
    assert _team_of(session, run, sw.id) == team2.id


def test_a_rule_breaking_change_on_the_board_needs_a_reason(
    anon: TestClient, session: Session, world: World
):
    run = run_now(session, world)
    f.login(anon, session, world.wijkdocent)
    ft = world.students[2]  # the only FT on Kletsbot: taking them out breaks Kletsbot's rules
    team2 = _team(session, run, world, 2)
    data = {
        "action": "unplace",
        "student_id": str(ft.id),
        "from_team": str(team2.id),
        "from_version": str(team2.version),
    }
    preview = anon.post(f"/runs/{run.id}/board/change", data={**data, "check": "1"})
    assert "Regels die deze wijziging overtreedt" in preview.text
    refused = anon.post(f"/runs/{run.id}/board/change", data=data)
    assert refused.status_code == 422
    assert 'aria-invalid="true"' in refused.text
    assert _team_of(session, run, ft.id) == team2.id
    saved = anon.post(
        f"/runs/{run.id}/board/change", data={**data, "override": "true", "reason": "ziek"}
    )
    assert saved.status_code == 303
    assert _team_of(session, run, ft.id) is None
    board = anon.get(f"/runs/{run.id}/board")
    assert "Suggesties voor" in board.text


def test_a_suggestion_places_an_unplaced_student_in_one_click(
    anon: TestClient, session: Session, world: World
):
    world.opdrachten[0].max_size = 3
    session.add(world.opdrachten[0])
    session.flush()
    run = run_now(session, world)
    f.login(anon, session, world.wijkdocent)
    sw = world.students[7]  # SW, first choice opdracht 1
    team1 = _team(session, run, world, 1)
    out = {
        "action": "unplace",
        "student_id": str(sw.id),
        "from_team": str(team1.id),
        "from_version": str(team1.version),
        "override": "true",
        "reason": "test",
    }
    assert anon.post(f"/runs/{run.id}/board/change", data=out).status_code == 303
    board = anon.get(f"/runs/{run.id}/board")
    tray = board.text.split('id="board_tray"')[1].split("</section>")[0]
    buttons = re.findall(r"Plaats in ([^<(]+)\(kosten ([+-]\d+)\)", tray)
    assert 1 <= len(buttons) <= 3
    costs = [int(c) for _t, c in buttons]
    assert costs == sorted(costs)
    assert buttons[0][0].startswith("Leefstijlspreekuur · team 1")  # back to the first choice
    form = form_with(tray, "Plaats in Leefstijlspreekuur")
    assert anon.post(f"/runs/{run.id}/board/change", data=form).status_code == 303
    assert _team_of(session, run, sw.id) == team1.id


def test_a_stale_board_form_changes_nothing(anon: TestClient, session: Session, world: World):
    run = run_now(session, world)
    f.login(anon, session, world.wijkdocent)
    team0, team1 = _team(session, run, world, 0), _team(session, run, world, 1)
    stale = {
        "action": "move",
        "student_id": str(world.students[0].id),
        "from_team": str(team0.id),
        "from_version": str(team0.version - 1),
        "target": f"team:{team1.id}:{team1.version}",
        "override": "true",
        "reason": "x",
    }
    response = anon.post(f"/runs/{run.id}/board/change", data=stale)
    assert response.status_code == 409
    assert _team_of(session, run, world.students[0].id) == team0.id
    assert _team(session, run, world, 1).version == team1.version


def test_the_htmx_fragment_keeps_the_chip_links(anon: TestClient, session: Session, world: World):
    run = run_now(session, world)
    f.login(anon, session, world.wijkdocent)
    fragment = anon.get(
        f"/runs/{run.id}/board?q={world.students[0].student_number}",
        headers={"HX-Request": "true", "HX-Target": "board_main"},
    )
    assert "Verplaatsen of wijzigen…" in fragment.text


def _whole_run_rules(data: SemesterData, state: RunState) -> Counter[object]:
    """Every rule the run breaks, judged team by team over the whole run."""
    found: Counter[object] = Counter()
    for view in team_views(data, state):
        found.update((v, v.verdict) for v in view.violations)
    for s in run_students(data, state):
        if s.id not in state.team_of:
            found.update((v, v.verdict) for v in unplaced_violation(data, s.id))
    return found


def _applied(state: RunState, dests: dict[int, Dest]) -> RunState:
    """The run as it would be with these students moved (to existing teams or out)."""
    members = {t: [m for m in ms if m.student_id not in dests] for t, ms in state.members.items()}
    for student_id, dest in dests.items():
        old = state.member(student_id)
        if isinstance(dest, int):
            locked = bool(old and old.locked)
            moved = Member(run_id=0, team_id=dest, student_id=student_id, locked=locked)
            members[dest].append(moved)
    team_of = {m.student_id: t for t, ms in members.items() for m in ms}
    return RunState(state.run, state.teams, members, team_of)


def _plans(state: RunState) -> list[Plan]:
    """Every move of one student to another team, every take-out and every swap."""
    plans = []
    for student_id, own in state.team_of.items():
        plans.append(Plan(dests={student_id: None}, student_id=student_id))
        for team_id in state.teams:
            if team_id != own:
                plans.append(Plan(dests={student_id: team_id}, student_id=student_id))
        for other, theirs in state.team_of.items():
            if theirs != own:
                plans.append(Plan(dests={student_id: theirs, other: own}, student_id=student_id))
    return plans


def test_a_preview_judges_only_the_touched_teams_and_agrees_with_the_whole_run(
    session: Session, world: World
):
    run = run_now(session, world)
    data, state = load_semester(session, world.semester), load_run(session, run)
    before = _whole_run_rules(data, state)
    plans = _plans(state)
    assert len(plans) > 50
    for plan in plans:
        effect = evaluate(data, state, plan)
        after = _whole_run_rules(data, _applied(state, plan.dests))
        assert Counter((v, v.verdict) for v in effect.broken) == after - before, plan
        assert Counter((v, v.verdict) for v in effect.fixed) == before - after, plan


def test_suggestions_skip_judging_what_cannot_beat_three_clean_places(
    session: Session, world: World
):
    run = run_now(session, world)
    data, loaded = load_semester(session, world.semester), load_run(session, run)
    out = sorted(loaded.team_of)[:3]
    state = _applied(loaded, dict.fromkeys(out))
    for student_id in out:
        every = []  # judge every place, as a board without the shortcut would
        for value, oid in targets(data, state, list(data.students[student_id].ranking)):
            kind, _sep, rest = value.partition(":")
            dest: Dest = int(rest.split(":")[0]) if kind == "team" else (NEW, oid)
            plan = Plan(dests={student_id: dest}, student_id=student_id)
            every.append((value, evaluate(data, state, plan)))
        every.sort(key=lambda pair: (len(pair[1].broken), pair[1].delta))
        found = suggestions(data, state, student_id)
        assert [s.target for s in found] == [value for value, _e in every[:3]]
        assert found


def _card_html(page: str, team_id: int | None) -> str:
    """The card of one team on a board page."""
    return page.split(f'id="team-{team_id}"')[1].split("</article>")[0]


def test_after_a_move_the_board_shows_the_student_in_the_new_team(
    anon: TestClient, session: Session, world: World
):
    run = run_now(session, world)
    f.login(anon, session, world.wijkdocent)
    team0, team1 = _team(session, run, world, 0), _team(session, run, world, 1)
    student, seen = world.students[0], team1.version
    name = _name(session, student.user_id)
    before = anon.get(f"/runs/{run.id}/board").text
    assert name in _card_html(before, team0.id)
    assert name not in _card_html(before, team1.id)
    move = {
        "action": "move",
        "student_id": str(student.id),
        "from_team": str(team0.id),
        "from_version": str(team0.version),
        "target": f"team:{team1.id}:{team1.version}",
        "override": "true",
        "reason": "test",
    }
    assert anon.post(f"/runs/{run.id}/board/change", data=move).status_code == 303
    after = anon.get(f"/runs/{run.id}/board").text
    assert name not in _card_html(after, team0.id)
    moved = _card_html(after, team1.id)
    assert name in moved
    assert f'data-team="{team1.id}" data-version="{seen + 1}"' in moved


def test_a_move_that_breaks_one_team_and_mends_another_alike_still_breaks_a_rule(
    session: Session, world: World
):
    """Team A of one opdracht drops to 1 member while team B of another rises to 2: the
    words of A's break and B's mend are the same ("1 member, at least 2"), but they are two
    teams, so the change breaks a rule and needs a reason (they cancelled out before)."""
    run = run_now(session, world)
    data, loaded = load_semester(session, world.semester), load_run(session, run)
    first = {t.opdracht_id: tid for tid, t in sorted(loaded.teams.items())}
    team_a, team_b = (first[ident(world.opdrachten[i])] for i in (0, 2))
    ft, vp, sw = (ident(world.students[i]) for i in (0, 3, 5))
    dests: dict[int, Dest] = dict.fromkeys(loaded.team_of)
    dests |= {ft: team_a, vp: team_a, sw: team_b}
    state = _applied(loaded, dests)
    effect = evaluate(data, state, Plan(dests={vp: team_b}, student_id=vp))
    assert effect.broken, "team A now has one member"
    assert effect.fixed, "team B no longer has one member"
