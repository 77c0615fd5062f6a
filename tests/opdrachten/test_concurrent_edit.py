"""Two partners save one opdracht's form at the same moment, both based on version 1: one
save wins, the other gets the stale-form page (409) and writes nothing. Real requests on
their own connections (tests/concurrent.py); on PostgreSQL both used to get 303 and one
title vanished."""

from __future__ import annotations

from functools import partial

from sqlalchemy.engine import Engine
from sqlmodel import select

from app.config import Settings
from app.models import AuditEvent, Opdracht, OpdrachtCopartner, OpdrachtStatus
from tests import factories as f
from tests.concurrent import served
from tests.opdrachten import world

TRIALS = 3


def test_two_saves_of_one_version_give_one_change_and_one_conflict(
    engine: Engine, settings: Settings
) -> None:
    with served(engine, settings) as live:
        with live.session() as session:
            w = world.build(session)
            opdrachten = []
            for _ in range(TRIALS):
                o = f.opdracht(session, w.semester, w.owner, status=OpdrachtStatus.DRAFT)
                session.add(OpdrachtCopartner(opdracht_id=o.id or 0, partner_id=w.co.id or 0))
                opdrachten.append(o.id)
            session.commit()
        owner, co = live.login(w.owner_user), live.login(w.co_user)
        for opdracht_id in opdrachten:
            url = f"/opdrachten/{opdracht_id}/edit"
            titles = {"eigenaar": "Titel van de eigenaar", "co": "Titel van de co-partner"}
            responses = live.fire(
                [
                    partial(
                        owner.post, url, data=world.form(w, title=titles["eigenaar"], version="1")
                    ),
                    partial(co.post, url, data=world.form(w, title=titles["co"], version="1")),
                ]
            )
            statuses = [r.status_code for r in responses]
            assert sorted(statuses) == [303, 409], statuses
            winner = list(titles.values())[statuses.index(303)]
            loser = responses[statuses.index(409)]
            assert "Iemand anders heeft deze opdracht opgeslagen" in loser.text
            assert winner in loser.text  # what is saved now, beside the user's own input
            with live.session() as session:
                saved = session.get(Opdracht, opdracht_id)
                assert saved is not None
                assert (saved.title, saved.version) == (winner, 2)
                events = session.exec(
                    select(AuditEvent).where(
                        AuditEvent.action == "opdracht.update",
                        AuditEvent.entity_id == str(opdracht_id),
                    )
                ).all()
                assert [e.after["title"] for e in events if e.after] == [winner]
