"""Review events: a submission reaches the wijkdocenten of its leerkring; a decision reaches
every user of the owner and the co-partners, with the comment."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.models import (
    Language,
    LeerkringWijkdocent,
    OpdrachtCopartner,
    OpdrachtStatus,
    OutboxMessage,
    PartnerUser,
    Role,
)
from tests import factories as f
from tests.opdrachten import world
from tests.opdrachten.world import World


@pytest.fixture
def w(session: Session) -> World:
    return world.build(session)


def _mails(session: Session) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))))


def test_a_submission_mails_the_wijkdocenten_of_its_leerkring_only(
    anon: TestClient, session: Session, w: World, base_url: str
):
    mine = [f.wijkdocent(session, w.kring), f.wijkdocent(session, w.kring)]
    elsewhere = f.wijkdocent(session, f.leerkring(session, "Liemers"))
    draft = world.complete(session, w, status=OpdrachtStatus.DRAFT)
    f.login(anon, session, w.owner_user)
    ok = anon.post(f"/opdrachten/{draft.id}/submit", data={"version": str(draft.version)})
    assert ok.status_code == 303
    mails = _mails(session)
    assert sorted(m.to for m in mails) == sorted(u.email for u in mine)
    assert elsewhere.email not in {m.to for m in mails}
    mail = mails[0]
    assert mail.subject == f"Opdracht ingediend ter beoordeling: {draft.title}"
    assert w.owner.name in mail.body
    assert f"{base_url}/login?next=/review/{draft.id}" in mail.body
    assert f"leerkring {w.kring.name} beoordeelt" in mail.body


def test_a_decision_mails_every_user_of_owner_and_copartners_with_the_comment(
    anon: TestClient, session: Session, w: World, base_url: str
):
    second = f.user(session, Role.PARTNER, preferred_language=Language.EN)
    session.add(PartnerUser(partner_id=w.owner.id, user_id=second.id))
    opdracht = world.complete(session, w, status=OpdrachtStatus.SUBMITTED)
    session.add(OpdrachtCopartner(opdracht_id=opdracht.id, partner_id=w.co.id))
    session.flush()
    f.login(anon, session, f.wijkdocent(session, w.kring))
    comment = "Beschrijf de doelgroep concreter."
    data = {"decision": "send_back", "comment": comment, "version": str(opdracht.version)}
    assert anon.post(f"/review/{opdracht.id}", data=data).status_code == 303
    mails = {m.to: m for m in _mails(session)}
    assert set(mails) == {w.owner_user.email, second.email, w.co_user.email}
    assert w.other_user.email not in mails
    dutch = mails[w.owner_user.email]
    assert dutch.subject == f"Opdracht teruggestuurd: {opdracht.title}"
    assert comment in dutch.body
    assert comment in dutch.html_body
    assert f"{base_url}/login?next=/opdrachten/{opdracht.id}" in dutch.body
    assert f"omdat je werkt voor {w.owner.name}" in dutch.body
    english = mails[second.email]
    assert english.subject == f"Opdracht sent back: {opdracht.title}"
    assert "Comment of the wijkdocent" in english.body
    assert f"omdat je werkt voor {w.co.name}" in mails[w.co_user.email].body

    session.refresh(opdracht)  # now a draft again: resubmit, then approve
    f.login(anon, session, w.owner_user)
    anon.post(f"/opdrachten/{opdracht.id}/submit", data={"version": str(opdracht.version)})
    session.refresh(opdracht)
    f.login(anon, session, f.wijkdocent(session, w.kring))
    data = {"decision": "approve", "comment": "", "version": str(opdracht.version)}
    assert anon.post(f"/review/{opdracht.id}", data=data).status_code == 303
    approved = [m for m in _mails(session) if m.subject.startswith("Opdracht goedgekeurd")]
    assert sorted(m.to for m in approved) == sorted([w.owner_user.email, w.co_user.email])
    assert len([m for m in _mails(session) if m.to == second.email]) == 2  # sent back, approved


def test_no_wijkdocent_in_the_leerkring_means_no_submission_mail(
    anon: TestClient, session: Session, w: World
):
    draft = world.complete(session, w, status=OpdrachtStatus.DRAFT)
    assert not session.exec(select(LeerkringWijkdocent)).all()
    f.login(anon, session, w.owner_user)
    anon.post(f"/opdrachten/{draft.id}/submit", data={"version": str(draft.version)})
    assert _mails(session) == []
