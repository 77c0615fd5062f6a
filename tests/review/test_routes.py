"""The review queue: scope per leerkring, filters, decisions, access and phase."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import (
    AuditEvent,
    Opdracht,
    OpdrachtStatus,
    OpdrachtTargetGroup,
    OpdrachtTheme,
    Phase,
    Role,
)
from tests import factories as f
from tests.opdrachten import world
from tests.opdrachten.world import World


@pytest.fixture
def w(session: Session) -> World:
    return world.build(session)


def _submitted(session: Session, w: World, **kw: object) -> Opdracht:
    kw.setdefault("leerkring_id", w.kring.id)
    return f.opdracht(session, w.semester, w.owner, status=OpdrachtStatus.SUBMITTED, **kw)


def _decide(anon: TestClient, o: Opdracht, decision: str, comment: str = ""):
    data = {"decision": decision, "comment": comment, "version": str(o.version)}
    return anon.post(f"/review/{o.id}", data=data)


def test_queue_shows_the_wijkdocents_leerkringen_only(anon: TestClient, session: Session, w: World):
    mine = _submitted(session, w, title="In mijn leerkring")
    elsewhere = f.leerkring(session, "Liemers")
    _submitted(session, w, title="In een andere leerkring", leerkring_id=elsewhere.id)
    _submitted(session, w, title="Zonder leerkring", leerkring_id=None)
    f.opdracht(session, w.semester, w.owner, title="Nog een concept", status=OpdrachtStatus.DRAFT)
    f.login(anon, session, f.wijkdocent(session, w.kring))
    page = anon.get(f"/review?semester={w.semester.id}").text
    assert "In mijn leerkring" in page
    assert "Zonder leerkring" in page
    assert "In een andere leerkring" not in page
    assert "Nog een concept" not in page
    other = _submitted(session, w, title="Elders", leerkring_id=elsewhere.id)
    assert _decide(anon, other, "approve").status_code == 403
    assert anon.get(f"/review/{mine.id}").status_code == 200

    f.login(anon, session, f.user(session, Role.ADMIN))
    page = anon.get(f"/review?semester={w.semester.id}").text
    assert "In een andere leerkring" in page


def test_queue_filters(anon: TestClient, session: Session, w: World):
    tagged = _submitted(session, w, title="Wonen met ouderen")
    assert tagged.id is not None
    session.add(OpdrachtTheme(opdracht_id=tagged.id, theme_id=w.theme.id or 0))
    session.add(OpdrachtTargetGroup(opdracht_id=tagged.id, target_group_id=w.group.id or 0))
    _submitted(session, w, title="Iets anders")
    f.opdracht(session, w.semester, w.other, title="Al goedgekeurd", leerkring_id=w.kring.id)
    session.flush()
    f.login(anon, session, f.user(session, Role.ADMIN))
    base = f"/review?semester={w.semester.id}"
    for query in (f"&theme={w.theme.id}", f"&target_group={w.group.id}", f"&partner={w.owner.id}"):
        page = anon.get(base + query + "&status=submitted").text
        assert "Wonen met ouderen" in page
        assert "Al goedgekeurd" not in page
    assert "Iets anders" not in anon.get(f"{base}&theme={w.theme.id}").text
    assert "Al goedgekeurd" in anon.get(f"{base}&status=approved").text
    assert "Al goedgekeurd" in anon.get(f"{base}&status=all").text
    assert "Iets anders" not in anon.get(f"{base}&status=approved").text


def test_approve_reject_and_send_back(anon: TestClient, session: Session, w: World):
    a, b, c = (_submitted(session, w, title=t) for t in ("Opdracht A", "Opdracht B", "Opdracht C"))
    f.login(anon, session, f.wijkdocent(session, w.kring))
    assert _decide(anon, a, "approve").status_code == 303
    no_reason = _decide(anon, b, "reject", "  ")
    assert no_reason.status_code == 422
    assert "Schrijf een toelichting" in no_reason.text
    assert 'aria-invalid="true"' in no_reason.text
    assert _decide(anon, b, "reject", "Past niet bij het thema").status_code == 303
    assert _decide(anon, c, "send_back", "Maak de vraag concreter").status_code == 303
    for o in (a, b, c):
        session.refresh(o)
    assert [o.status for o in (a, b, c)] == ["approved", "rejected", "draft"]
    assert c.review_comment == "Maak de vraag concreter"
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.entity == "opdracht")).all()
    assert sorted(actions) == ["opdracht.approve", "opdracht.reject", "opdracht.send_back"]
    # The partner sees the status and the comment.
    f.login(anon, session, w.owner_user)
    listing = anon.get(f"/opdrachten?semester={w.semester.id}").text
    assert "Maak de vraag concreter" in listing
    assert "Past niet bij het thema" in listing
    assert "Maak de vraag concreter" in anon.get(f"/opdrachten/{c.id}/edit").text


def test_stale_or_impossible_decisions_are_refused(anon: TestClient, session: Session, w: World):
    o = _submitted(session, w)
    f.login(anon, session, f.user(session, Role.ADMIN))
    stale = anon.post(f"/review/{o.id}", data={"decision": "approve", "version": "0"})
    assert stale.status_code == 409
    assert _decide(anon, o, "approve").status_code == 303
    session.refresh(o)
    assert _decide(anon, o, "approve").status_code == 409  # already approved
    assert _decide(anon, o, "publish").status_code == 422
    draft = f.opdracht(session, w.semester, w.owner, status=OpdrachtStatus.DRAFT)
    assert anon.get(f"/review/{draft.id}").status_code == 404


def test_review_only_during_intake(anon: TestClient, session: Session, w: World):
    o = _submitted(session, w)
    w.semester.phase = Phase.RANKING
    session.add(w.semester)
    session.flush()
    f.login(anon, session, f.user(session, Role.ADMIN))
    response = _decide(anon, o, "approve")
    assert response.status_code == 409
    session.refresh(o)
    assert o.status == OpdrachtStatus.SUBMITTED


def test_partners_and_students_cannot_review(anon: TestClient, session: Session, w: World):
    o = _submitted(session, w)
    for who in (w.owner_user, f.user(session, Role.STUDENT)):
        f.login(anon, session, who)
        assert anon.get("/review").status_code == 403
        assert _decide(anon, o, "approve").status_code == 403
    session.refresh(o)
    assert o.status == OpdrachtStatus.SUBMITTED
