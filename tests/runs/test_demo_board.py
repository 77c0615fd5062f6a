"""The demo's wijkdocent places the demo run's unplaced students from the board (issue 14,
"Done when"): the nine students whose choices are all full get no suggestion, so each is
picked, moved into a team of the wijkdocent's leerkring, previewed and saved with a reason.
Both databases; all nine are placed."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.config import Settings
from app.db import make_engine
from app.demo import build_demo
from app.demo.publish import run_demo_match
from app.demo.vocabulary import DEMO_LEERKRING, DEMO_PASSWORD, login_email
from app.main import create_app
from app.models import Leerkring, Role
from tests.conftest import migrate
from tests.db_urls import fresh_database
from tests.runs.helpers import form_with
from tests.test_demo import NOW


def _tray(page: str) -> str:
    return page.split('id="board_tray"', 1)[1].split("</section>", 1)[0]


def test_the_demo_wijkdocent_places_the_unplaced_students_in_a_few_clicks(
    settings: Settings,
) -> None:
    with fresh_database("demo_board") as url:  # the demo's own database, as `make run` has
        own = settings.model_copy(update={"database_url": url})
        engine = make_engine(own)
        try:
            migrate(engine)
            with Session(engine) as session:
                build_demo(session, seed=2026, now=NOW)
            (run,) = run_demo_match(engine)
            with Session(engine) as session:
                name = Leerkring.name == DEMO_LEERKRING
                kring = session.exec(select(Leerkring.id).where(name)).one()
            assert run.id is not None
            _place_from_the_board(own, run.id, kring)
        finally:
            engine.dispose()


def _place_from_the_board(settings: Settings, run_id: int, kring: int | None) -> None:
    with TestClient(create_app(settings), follow_redirects=False) as client:
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        login = {"email": login_email(Role.WIJKDOCENT), "password": DEMO_PASSWORD}
        assert (
            client.post("/login", data={**login, "csrf_token": token.group(1)}).status_code == 303
        )
        board = f"/runs/{run_id}/board"
        unplaced = re.findall(r'data-student="(\d+)"', _tray(client.get(board).text))
        assert unplaced, "the demo run leaves students unplaced: their choices are full"
        placed = 0
        for sid in unplaced:
            # Pick the student, move them into a team of the wijkdocent's leerkring: a preview
            # of the change first, then the reason for the rule it breaks, then save.
            pick = client.get(f"{board}?leerkring={kring}&pick={sid}").text
            move = form_with(pick, "hierheen verplaatsen")
            preview = client.post(f"{board}/change", data=move)
            assert preview.status_code == 200
            assert 'id="board_preview"' in preview.text  # nothing is saved yet
            confirm = form_with(preview.text, "Bevestigen en opslaan")
            confirm |= {"override": "true", "reason": "Keuzes vol; past bij de wijk"}
            assert client.post(f"{board}/change", data=confirm).status_code == 303
            placed += 1
        left = re.findall(r'data-student="(\d+)"', _tray(client.get(board).text))
        assert placed >= 1
        assert len(left) == len(unplaced) - placed
