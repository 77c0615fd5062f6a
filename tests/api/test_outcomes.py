"""Confirmed outcomes for the network's website: shared deliverables only, no names."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Deliverable, Opdracht, OpdrachtStatus, PartnerPlan, TeamOutcome, utcnow
from tests.api import builders as b
from tests.outcomes.conftest import Closing
from tests.outcomes.conftest import closing as closing  # the fixture, reused


def _outcome(session: Session, c: Closing, *, confirmed: bool) -> TeamOutcome:
    outcome = TeamOutcome(
        published_team_id=c.team.id or 0,
        semester_id=c.semester.id or 0,
        opdracht_id=c.opdracht.id or 0,
        usefulness=4,
        partner_plan=PartnerPlan.CONTINUE,
        follow_up=True,
        confirmed_at=utcnow() if confirmed else None,
    )
    session.add(outcome)
    session.flush()
    for title, shared in (("Wegwijzer", True), ("Intern verslag", False)):
        session.add(
            Deliverable(
                outcome_id=outcome.id or 0,
                kind_id=1,
                title=title,
                link="https://example.org/x",
                public_by_team=shared,
                public_by_partner=shared,
            )
        )
    session.flush()
    return outcome


def test_confirmed_outcomes_with_shared_deliverables_only(
    client: TestClient, session: Session, closing: Closing
):
    outcome = _outcome(session, closing, confirmed=True)
    session.add(
        Opdracht(
            semester_id=closing.semester.id or 0,
            owner_partner_id=closing.partner.id or 0,
            title="Vervolg",
            status=OpdrachtStatus.DRAFT,
            continues_id=closing.opdracht.id,
        )
    )
    session.flush()
    secret = b.token(session, ("outcomes:read",))
    url = f"/api/v1/semesters/{closing.semester.code}/outcomes"
    response = client.get(url, headers=b.bearer(secret))
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1
    [item] = body["items"]
    assert item["id"] == outcome.id
    assert item["opdracht"]["title"] == "Welzijn op Recept"
    assert (item["students"], len(item["continued_by"])) == (2, 1)
    assert item["evaluation"] == {"usefulness": 4, "plan": "continue", "follow_up": True}
    assert [d["title"] for d in item["deliverables"]] == ["Wegwijzer"]
    assert closing.student.name not in response.text
    again = client.get(url, headers=b.bearer(secret) | {"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304
    one = client.get(f"/api/v1/outcomes/{outcome.id}", headers=b.bearer(secret))
    assert one.json()["id"] == outcome.id


def test_unconfirmed_outcomes_are_not_served(
    client: TestClient, session: Session, closing: Closing
):
    outcome = _outcome(session, closing, confirmed=False)
    secret = b.token(session, ("outcomes:read",))
    listing = client.get(
        f"/api/v1/semesters/{closing.semester.code}/outcomes", headers=b.bearer(secret)
    )
    assert listing.json()["total"] == 0
    one = client.get(f"/api/v1/outcomes/{outcome.id}", headers=b.bearer(secret))
    assert one.status_code == 404
    assert one.headers["content-type"] == "application/problem+json"


def test_the_scope_is_needed(client: TestClient, session: Session, closing: Closing):
    secret = b.token(session, ("teams:read",))
    response = client.get(
        f"/api/v1/semesters/{closing.semester.code}/outcomes", headers=b.bearer(secret)
    )
    assert response.status_code == 403
    assert "outcomes:read" in response.json()["detail"]
