from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import MatchRun, Phase, Role, RunStatus
from tests import factories as f
from tests.runs.conftest import World


def test_a_wijkdocent_runs_the_match_and_sees_the_results(
    anon: TestClient, session: Session, world: World, inline
):
    f.login(anon, session, world.wijkdocent)
    response = anon.post("/runs", data={"objective": "sum"})
    assert response.status_code == 303
    page = anon.get(response.headers["location"])
    assert page.status_code == 200
    assert 'role="img"' in page.text  # the chart
    assert "Eerlijkheid per opleiding" in page.text
    assert "Welzijn op Recept" in page.text
    assert "Alle regels kloppen" in page.text


def test_two_simultaneous_runs_give_one_run_and_one_clear_refusal(
    anon: TestClient, session: Session, world: World, deferred
):
    f.login(anon, session, world.wijkdocent)
    first = anon.post("/runs", data={"objective": "sum"})
    second = anon.post("/runs", data={"objective": "sum"})
    assert first.status_code == 303
    assert second.status_code == 409
    assert "loopt al een matchronde" in second.text
    runs = session.exec(select(MatchRun).where(MatchRun.semester_id == world.semester.id)).all()
    assert [r.status for r in runs] == [RunStatus.QUEUED]
    assert len(world.jobs) == 1


def test_the_progress_block_polls_until_the_run_is_finished(
    anon: TestClient, session: Session, world: World, deferred
):
    f.login(anon, session, world.wijkdocent)
    url = anon.post("/runs", data={}).headers["location"]
    htmx = {"HX-Request": "true", "HX-Target": "run_progress"}
    waiting = anon.get(url, headers=htmx)
    assert "<progress" in waiting.text
    assert 'hx-trigger="every 1s"' in waiting.text
    assert "<html" not in waiting.text  # only the block
    assert 'href="' + url + '"' in anon.get(url).text  # a refresh link without JavaScript
    world.jobs.pop()()
    session.expire_all()  # the worker wrote through its own session
    assert anon.get(url, headers=htmx).headers["HX-Refresh"] == "true"


def test_a_bad_fairness_profile_is_refused_and_nothing_is_queued(
    anon: TestClient, session: Session, world: World, deferred
):
    f.login(anon, session, world.wijkdocent)
    response = anon.post("/runs", data={"objective": "lottery"})
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.text
    assert session.exec(select(MatchRun)).first() is None


def test_runs_start_only_in_the_matching_and_review_phases(
    anon: TestClient, session: Session, world: World, deferred
):
    world.semester.phase = Phase.RANKING
    session.add(world.semester)
    session.flush()
    f.login(anon, session, world.wijkdocent)
    assert anon.post("/runs", data={}).status_code == 409
    assert world.jobs == []


@pytest.mark.parametrize("role", [Role.STUDENT, Role.PARTNER])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/runs"),
        ("post", "/runs"),
        ("get", "/runs/approvals"),
        ("post", "/runs/publish"),
        ("get", "/runs/RUN"),
        ("get", "/runs/RUN/export.xlsx"),
        ("get", "/runs/RUN/students/1"),
        ("post", "/runs/RUN/students/1"),
    ],
)
def test_students_and_partners_have_no_access(
    anon: TestClient, session: Session, world: World, inline, role: Role, method: str, path: str
):
    from tests.runs.helpers import run_now

    run = run_now(session, world)
    f.login(anon, session, f.user(session, role))
    response = getattr(anon, method)(path.replace("RUN", str(run.id)))
    assert response.status_code == 403


def test_a_wijkdocent_cannot_publish(anon: TestClient, session: Session, world: World):
    f.login(anon, session, world.wijkdocent)
    assert anon.post("/runs/publish").status_code == 403
    assert anon.post("/runs/reopen", data={"reason": "x"}).status_code == 403


def test_an_unknown_run_is_404(anon: TestClient, session: Session, world: World):
    f.login(anon, session, world.wijkdocent)
    assert anon.get("/runs/999999").status_code == 404
