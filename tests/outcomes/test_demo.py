"""The demo data answers the alliantiemakelaar's question: which themes did Overbetuwe work
on over the last semesters, what came of them, and which continue."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.models import Leerkring
from app.outcomes import overview
from tests.test_demo import db as db  # the demo database, reused
from tests.test_demo import demo_engine as demo_engine


def test_two_earlier_semesters_with_outcomes_chains_and_trends(db: Session, demo_engine: Engine):
    elst = db.exec(select(Leerkring).where(Leerkring.name == "Overbetuwe")).one()
    view = overview.overview(session=db, filters=overview.Filters(leerkring_id=elst.id))
    assert [row.semester.code for row in view.semesters] == ["2025-S2", "2026-S1"]
    assert all(row.deliverables > 0 and row.rating is not None for row in view.semesters)
    assert view.semesters[0].continuation_rate == 67  # two of the three with teams continue
    assert {t.name_nl for t, _ in view.themes} >= {
        "Wonen en zorg",
        "Anders zorgen / positieve gezondheid",
    }
    titles = {c.title: c.semesters for c in view.chains}
    assert titles["Welzijn op Recept: wat vragen huisartsen?"] == 3  # to the current semester
    network = overview.overview(session=db, filters=overview.Filters())
    assert len(network.facts) > len(view.facts)
