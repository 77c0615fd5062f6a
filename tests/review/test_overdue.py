"""Submitted opdrachten nobody reviewed before the semester moved on, on staff dashboards."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import OpdrachtStatus, Phase, Role
from tests import factories as f


@pytest.fixture
def late(session: Session):
    kring, other_kring = f.leerkring(session, "Lingewaard"), f.leerkring(session, "Liemers")
    sem = f.semester(session, Phase.RANKING)
    owner = f.partner(session, "MEE")
    forgotten = f.opdracht(
        session,
        sem,
        owner,
        title="Mantelzorg in de wijk",
        status=OpdrachtStatus.SUBMITTED,
        leerkring_id=kring.id,
    )
    elsewhere = f.opdracht(
        session,
        sem,
        owner,
        title="Jongeren en geld",
        status=OpdrachtStatus.SUBMITTED,
        leerkring_id=other_kring.id,
    )
    f.opdracht(session, sem, owner, title="Al goedgekeurd", leerkring_id=kring.id)
    still_open = f.semester(session, Phase.INTAKE)
    f.opdracht(
        session,
        still_open,
        owner,
        title="Nog in de intake",
        status=OpdrachtStatus.SUBMITTED,
        leerkring_id=kring.id,
    )
    return kring, forgotten, elsewhere


def _section(page: str) -> str:
    assert "Niet beoordeeld voordat de intake sloot" in page
    return page.split('id="unreviewed-title"')[1].split("</section>")[0]


def test_the_wijkdocent_sees_the_unreviewed_opdrachten_of_their_leerkring(
    anon: TestClient, session: Session, late
):
    kring, forgotten, _elsewhere = late
    page = _section(f.login(anon, session, f.wijkdocent(session, kring)).get("/dashboard").text)
    assert "1 ingediende opdracht is niet beoordeeld" in page
    assert f'href="/review/{forgotten.id}">Mantelzorg in de wijk' in page
    assert "Jongeren en geld" not in page  # another leerkring
    assert "Al goedgekeurd" not in page
    assert "Nog in de intake" not in page  # its intake is still open


def test_the_admin_sees_all_of_them(anon: TestClient, session: Session, late):
    page = _section(f.login(anon, session, f.user(session, Role.ADMIN)).get("/dashboard").text)
    assert "2 ingediende opdrachten zijn niet beoordeeld" in page
    assert "Mantelzorg in de wijk" in page
    assert "Jongeren en geld" in page


def test_partners_and_students_do_not_get_the_list(anon: TestClient, session: Session, late):
    page = f.login(anon, session, f.user(session, Role.PARTNER)).get("/dashboard").text
    assert "Niet beoordeeld voordat de intake sloot" not in page
