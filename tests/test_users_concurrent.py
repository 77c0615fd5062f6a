"""The last active admin stays: deactivating it is refused and audited, also when two admins
deactivate each other at the same moment (on PostgreSQL both used to succeed, leaving
nobody who could log in to repair it)."""

from __future__ import annotations

from functools import partial

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.config import Settings
from app.models import AuditEvent, Role, User
from tests import factories as f
from tests.concurrent import served


def test_the_only_admin_cannot_deactivate_themselves(anon: TestClient, session: Session):
    admin = f.user(session, Role.ADMIN)
    f.user(session, Role.ADMIN, active=False)
    f.login(anon, session, admin)
    response = anon.post(f"/admin/users/{admin.id}/active", data={"active": "false"})
    assert response.status_code == 409
    assert "laatste actieve beheerdersaccount" in response.text
    assert 'role="alert"' in response.text
    session.refresh(admin)
    assert admin.active
    refusal = session.exec(
        select(AuditEvent).where(AuditEvent.action == "user.last_admin_refused")
    ).one()
    assert (refusal.actor_id, refusal.entity_id) == (admin.id, str(admin.id))
    # With a second active admin, the first may go.
    f.user(session, Role.ADMIN)
    assert anon.post(f"/admin/users/{admin.id}/active", data={}).status_code == 303


def test_two_admins_deactivating_each_other_at_once_leave_one(
    engine: Engine, settings: Settings
) -> None:
    with served(engine, settings) as live:
        with live.session() as session:
            first, second = f.user(session, Role.ADMIN), f.user(session, Role.ADMIN)
            session.commit()
        a, b = live.login(first), live.login(second)
        responses = live.fire(
            [
                partial(a.post, f"/admin/users/{second.id}/active", data={"active": "false"}),
                partial(b.post, f"/admin/users/{first.id}/active", data={"active": "false"}),
            ]
        )
        statuses = sorted(r.status_code for r in responses)
        # The second request is stopped either way: refused as the last admin (409), or,
        # when it started after the first committed, its own admin no longer active (401).
        assert statuses in ([303, 401], [303, 409]), statuses
        with live.session() as session:
            active = session.exec(
                select(User.id).where(col(User.role) == Role.ADMIN, col(User.active).is_(True))
            ).all()
            assert len(active) == 1
            refused = session.exec(
                select(AuditEvent).where(AuditEvent.action == "user.last_admin_refused")
            ).all()
            assert [e.entity_id for e in refused] == ([str(active[0])] if 409 in statuses else [])
