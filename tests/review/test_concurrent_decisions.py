"""Two wijkdocenten decide on one opdracht at the same moment (one approves, one rejects),
both from version 1: one decision is stored and audited, the other is refused (409) and
leaves no trace. On PostgreSQL both used to get 303: two decisions in the audit trail, one
in the status."""

from __future__ import annotations

from functools import partial

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from app.config import Settings
from app.models import AuditEvent, Opdracht, OpdrachtStatus
from tests import factories as f
from tests.concurrent import served
from tests.opdrachten import world

TRIALS = 3


def test_two_decisions_at_once_store_one_and_refuse_the_other(
    engine: Engine, settings: Settings
) -> None:
    with served(engine, settings) as live:
        with live.session() as session:
            w = world.build(session)
            ids = [
                f.opdracht(
                    session,
                    w.semester,
                    w.owner,
                    status=OpdrachtStatus.SUBMITTED,
                    leerkring_id=w.kring.id,
                ).id
                for _ in range(TRIALS)
            ]
            first, second = f.wijkdocent(session, w.kring), f.wijkdocent(session, w.kring)
            session.commit()
        approver, rejecter = live.login(first), live.login(second)
        for opdracht_id in ids:
            url = f"/review/{opdracht_id}"
            approve = {"decision": "approve", "comment": "", "version": "1"}
            reject = {"decision": "reject", "comment": "Past niet", "version": "1"}
            responses = live.fire(
                [
                    partial(approver.post, url, data=approve),
                    partial(rejecter.post, url, data=reject),
                ]
            )
            statuses = [r.status_code for r in responses]
            assert sorted(statuses) == [303, 409], statuses
            winner = ("approve", "reject")[statuses.index(303)]
            with live.session() as session:
                saved = session.get(Opdracht, opdracht_id)
                assert saved is not None
                expected = OpdrachtStatus.APPROVED if winner == "approve" else "rejected"
                assert (saved.status, saved.version) == (expected, 2)
                actions = session.exec(
                    select(AuditEvent.action).where(
                        AuditEvent.entity == "opdracht",
                        AuditEvent.entity_id == str(opdracht_id),
                        col(AuditEvent.action).in_(["opdracht.approve", "opdracht.reject"]),
                    )
                ).all()
                assert actions == [f"opdracht.{winner}"]
