"""Comparing the three profiles on the current rankings, choosing one for the run, and the
settings a run stores and shows."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.match_settings.services import Outcome
from app.models import (
    AuditEvent,
    MatchRun,
    Member,
    Preference,
    ProfileComparison,
    RunStatus,
    Semester,
)
from app.runs.recovery import fail_orphaned_comparisons, this_process
from app.runs.worker import Worker
from tests import factories as f
from tests.runs.conftest import World, ident
from tests.runs.helpers import dead_pid, run_now


def _url(semester: Semester) -> str:
    return f"/admin/semesters/{semester.id}/profiles"


def _latest(session: Session, semester: Semester) -> ProfileComparison:
    session.expire_all()
    stmt = select(ProfileComparison).where(ProfileComparison.semester_id == semester.id)
    latest = session.exec(stmt.order_by(col(ProfileComparison.id).desc())).first()
    assert latest is not None
    return latest


def _row(outcome: Outcome) -> str:
    return (
        f"<td>{outcome.first}</td><td>{outcome.top3}</td><td>{outcome.unranked}</td>"
        f"<td>{outcome.unplaced}</td>"
    )


def test_outcome_figures_of_a_histogram():
    o = Outcome.of({"1": 4, "2": 2, "3": 1, "4": 1, "unranked": 0, "unplaced": 2})
    assert (o.students, o.first, o.top3, o.unplaced, o.worst) == (10, 4, 7, 2, "4")
    assert Outcome.of({"1": 1, "2": 0, "unranked": 1, "unplaced": 0}).worst == "unranked"
    assert Outcome.of({"1": 0, "unplaced": 0}).worst == ""


def test_the_three_profiles_side_by_side(
    anon: TestClient, session: Session, world: World, inline: Worker
):
    client = f.login(anon, session, world.admin)
    assert client.post(_url(world.semester)).status_code == 303
    comparison = _latest(session, world.semester)
    assert comparison.status == RunStatus.SUCCEEDED
    assert comparison.progress == 100
    assert set(comparison.results) == {"sum", "greedy", "generous"}
    page = client.get(_url(world.semester)).text
    for name in ("laagste totale kosten", "zoveel mogelijk eerste keuzes", "niemand ver achteraan"):
        assert name in page
    for _profile, result in comparison.results.items():
        assert result["solved"]
        assert sum(result["histogram"].values()) == 8
        assert _row(Outcome.of(result["histogram"])) in page
        for programme in world.programmes.values():
            assert _row(Outcome.of(result["per_programme"][programme.code])) in page
    assert '<svg class="chart" id="profiles-chart"' in page
    assert "Verdeling over de keuzes per profiel" in page
    for programme in world.programmes.values():
        assert programme.name_nl in page
    # The sum profile gives what a run with the same settings gives.
    run = run_now(session, world)
    ranks = session.exec(select(Member.rank).where(Member.run_id == run.id)).all()
    assert ranks.count(1) == comparison.results["sum"]["histogram"]["1"]
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "profiles.compare")).one()


def test_the_chosen_profile_is_the_one_the_next_run_uses(
    anon: TestClient, session: Session, world: World, inline: Worker
):
    client = f.login(anon, session, world.admin)
    client.post(_url(world.semester))
    form = {"objective": "greedy", "version": str(world.semester.version)}
    assert client.post(_url(world.semester) + "/pick", data=form).status_code == 303
    session.refresh(world.semester)
    assert world.semester.objective == "greedy"
    assert '<option value="greedy" selected>' in client.get("/runs").text
    run = run_now(session, world)  # the start form left on its default
    assert run.parameters["instance"]["objective"] == "greedy"
    assert run.parameters["settings"]["objective"] == "greedy"
    stale = client.post(_url(world.semester) + "/pick", data=form | {"objective": "sum"})
    assert stale.status_code == 409
    bad = {"objective": "best", "version": str(world.semester.version)}
    assert client.post(_url(world.semester) + "/pick", data=bad).status_code == 422
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "semester.profile")).one()
    assert event.after == {"objective": "greedy"}


def test_progress_is_shown_while_the_worker_solves(
    anon: TestClient, session: Session, world: World, deferred: Worker
):
    client = f.login(anon, session, world.admin)
    client.post(_url(world.semester))
    page = client.get(_url(world.semester)).text
    assert 'id="comparison_progress"' in page
    assert "Vernieuwen" in page
    poll = {"HX-Request": "true", "HX-Target": "comparison_progress"}
    assert (
        client.get(_url(world.semester), headers=poll)
        .text.lstrip()
        .startswith('<div id="comparison_progress"')
    )
    for job in world.jobs:
        job()
    done = client.get(_url(world.semester), headers=poll)
    assert done.headers.get("HX-Refresh") == "true"
    assert 'id="comparison_progress"' not in client.get(_url(world.semester)).text


def test_no_rankings_is_said_in_words(
    anon: TestClient, session: Session, world: World, inline: Worker
):
    for pref in session.exec(select(Preference).where(Preference.semester_id == world.semester.id)):
        session.delete(pref)
    session.flush()
    client = f.login(anon, session, world.admin)
    response = client.post(_url(world.semester))
    assert response.status_code == 422
    assert "Nog geen enkele student heeft een voorkeur opgegeven" in response.text
    assert session.exec(select(ProfileComparison)).first() is None


def test_an_infeasible_profile_is_explained(
    anon: TestClient, session: Session, world: World, inline: Worker
):
    world.semester.unplaced_cost = None  # everyone must be placed
    session.add(world.semester)
    f.student(session, world.programmes["SW"], year=2)  # ranked nothing: cannot be placed
    session.flush()
    client = f.login(anon, session, world.admin)
    client.post(_url(world.semester))
    comparison = _latest(session, world.semester)
    assert comparison.status == RunStatus.SUCCEEDED
    assert {r["status"] for r in comparison.results.values()} == {"infeasible"}
    page = client.get(_url(world.semester)).text
    assert page.count("Niet aan alle regels is te voldoen; zie de uitleg.") == 3
    lines = [line for r in comparison.results.values() for line in r["explanations"]]
    assert lines  # the solver's diagnosis, worded on the page under each profile
    assert "Kies het profiel voor de run" not in page  # nothing to choose from


def test_a_run_stores_and_shows_the_settings_it_used(
    anon: TestClient, session: Session, world: World
):
    world.semester.min_ranking_length = 2
    world.semester.number_of_ranks = 3
    session.add(world.semester)
    run = run_now(session, world)
    assert run.parameters["settings"] == {
        "rank_costs": [0, 1, 3],
        "unranked_cost": None,
        "unplaced_cost": 100,
        "move_cost": 5,
        "objective": "sum",
        "min_ranking_length": 2,
        "max_ranking_length": 3,
        "time_limit_seconds": 60,
    }
    # Changing the semester afterwards does not change what the run page says it used.
    world.semester.rank_costs = [0, 5, 9]
    session.add(world.semester)
    session.flush()
    page = f.login(anon, session, world.wijkdocent).get(f"/runs/{run.id}").text
    assert "Instellingen van deze run" in page
    assert "Eerlijkheidsprofiel: laagste totale kosten." in page
    assert "Kosten per keuze (3 keuzes, van eerste tot laatste): 0, 1, 3." in page
    assert "Een student wordt alleen geplaatst op een opdracht die hij of zij koos." in page
    assert "Een student zonder plek laten kostte 100." in page
    assert "Een complete voorkeurslijst had 2 tot 3 keuzes." in page
    assert "Minimale verstoring" not in page  # a first run has no teams to keep
    rerun = run_now(session, world, minimal_disruption=True)
    again = f.login(anon, session, world.wijkdocent).get(f"/runs/{rerun.id}").text
    assert "een student weghalen uit de huidige teams kostte 5." in again


def test_an_older_run_shows_the_costs_of_its_instance(
    anon: TestClient, session: Session, world: World
):
    instance = {"costs": {"rank": [0, 2], "unranked": 7, "unplaced": None}, "objective": "greedy"}
    run = MatchRun(
        semester_id=world.semester.id or 0,
        status=RunStatus.FAILED,
        parameters={"instance": instance},
    )
    session.add(run)
    session.flush()
    page = f.login(anon, session, world.wijkdocent).get(f"/runs/{run.id}").text
    assert "Eerlijkheidsprofiel: zoveel mogelijk eerste keuzes." in page
    assert "Kosten per keuze (2 keuzes, van eerste tot laatste): 0, 2." in page
    assert "voor 7 kostenpunten" in page
    assert "Elke student moest geplaatst worden." in page


def test_a_comparison_whose_worker_died_ends_as_failed_and_can_be_started_again(
    anon: TestClient, session: Session, world: World, deferred: Worker
):
    """The comparison's thread went with its process (a restart): the page must not wait
    for it for ever, and the button to compare again must work."""
    client = f.login(anon, session, world.admin)
    client.post(_url(world.semester))
    comparison = _latest(session, world.semester)
    assert comparison.status == RunStatus.QUEUED
    world.jobs.clear()  # the worker is gone with its process
    owner = {**comparison.parameters["owner"], "pid": dead_pid()}
    comparison.parameters = {**comparison.parameters, "owner": owner}
    session.add(comparison)
    session.flush()
    page = client.get(_url(world.semester)).text
    assert 'id="comparison_progress"' not in page
    assert "De vergelijking is onderbroken" in page
    assert _latest(session, world.semester).status == RunStatus.FAILED
    assert client.post(_url(world.semester)).status_code == 303
    assert _latest(session, world.semester).status == RunStatus.QUEUED


def test_comparisons_left_active_at_start_up_end_as_failed(session: Session, world: World):
    gone = ProfileComparison(
        semester_id=ident(world.semester),
        status=RunStatus.RUNNING,
        parameters={"owner": {**this_process(), "pid": dead_pid()}, "time_limit": 60},
    )
    alive = ProfileComparison(
        semester_id=ident(world.semester),
        status=RunStatus.RUNNING,
        parameters={"owner": this_process(), "time_limit": 60},
    )
    session.add_all([gone, alive])
    session.commit()
    assert fail_orphaned_comparisons(session=session) == [ident(gone)]
    session.refresh(alive)
    assert alive.status == RunStatus.RUNNING
