"""One load per request: a run page, the compare page and the approvals page read the
semester once, each run once and the semester's students once (counted statements)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import Session

from tests import factories as f
from tests.runs.conftest import World
from tests.runs.helpers import run_now

TABLES = ("semester", "match_run", "student_profile", "team")


@contextmanager
def counted(session: Session) -> Iterator[Counter[str]]:
    """Count the SELECTs per table of ``TABLES`` the session's connection runs."""
    found: Counter[str] = Counter()

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            for table in TABLES:
                if re.search(rf"\bFROM {table}\b", statement):
                    found[table] += 1

    session.expunge_all()  # nothing from before the request: every load shows
    engine = session.connection().engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", before)


def test_a_candidate_run_page_loads_the_semester_and_each_run_once(
    anon: TestClient, session: Session, world: World
):
    current = run_now(session, world)
    candidate = run_now(session, world)
    assert current.is_current
    assert not candidate.is_current
    f.login(anon, session, world.wijkdocent)
    candidate_id = candidate.id
    with counted(session) as loads:
        page = anon.get(f"/runs/{candidate_id}")
    assert page.status_code == 200
    assert 'id="diff-title"' in page.text  # the page compares it with the current run
    # the semester once; the run shown and the current run it is compared with, once each
    assert loads == {"semester": 1, "match_run": 2, "student_profile": 1, "team": 2}


def test_the_compare_page_loads_the_semester_and_each_run_once(
    anon: TestClient, session: Session, world: World
):
    a, b = run_now(session, world).id, run_now(session, world).id
    f.login(anon, session, world.wijkdocent)
    with counted(session) as loads:
        page = anon.get(f"/runs/compare?a={a}&b={b}")
    assert page.status_code == 200
    assert loads == {"semester": 1, "match_run": 2, "student_profile": 1, "team": 2}


def test_the_approvals_page_loads_the_semester_and_the_run_once(
    anon: TestClient, session: Session, world: World
):
    run_now(session, world)
    f.login(anon, session, world.wijkdocent)
    with counted(session) as loads:
        page = anon.get("/runs/approvals")
    assert page.status_code == 200
    assert loads == {"semester": 1, "match_run": 1, "student_profile": 1, "team": 1}


def test_the_current_run_page_loads_the_run_once(anon: TestClient, session: Session, world: World):
    run_id = run_now(session, world).id
    f.login(anon, session, world.wijkdocent)
    with counted(session) as loads:
        page = anon.get(f"/runs/{run_id}")
    assert page.status_code == 200
    assert loads == {"semester": 1, "match_run": 1, "student_profile": 1, "team": 1}
