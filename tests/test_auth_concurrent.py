"""One-time links and the login throttle under real concurrent requests
(tests/concurrent.py). On PostgreSQL one invitation link was accepted four times (the last
password won), and 25 wrong passwords at once for one account were checked 8 times, not 5."""

from __future__ import annotations

from functools import partial

from sqlalchemy.engine import Engine
from sqlmodel import col, func, select

from app.auth.services import MAX_FAILURES_PER_ACCOUNT, create_invitation
from app.config import Settings
from app.models import Invitation, LoginAttempt, Role, User
from app.security import verify_password
from tests import factories as f
from tests.concurrent import served

PASSWORDS = [f"nieuw-wachtwoord-{i}-voor-de-student" for i in range(4)]


def test_an_invitation_link_is_accepted_once(engine: Engine, settings: Settings) -> None:
    with served(engine, settings) as live:
        with live.session() as session:
            user = f.user(session, Role.STUDENT)
            token = create_invitation(
                session=session, user=user, created_by=None, settings=settings
            )
            session.commit()
        url = f"/invitation/{token}"
        clients = [live.anonymous(url) for _ in PASSWORDS]
        responses = live.fire(
            [
                partial(c.post, url, data={"password": p, "repeat": p})
                for c, p in zip(clients, PASSWORDS, strict=True)
            ]
        )
        statuses = [r.status_code for r in responses]
        assert sorted(statuses) == [303, 404, 404, 404], statuses
        winner = PASSWORDS[statuses.index(303)]
        with live.session() as session:
            stored = session.get(User, user.id)
            assert stored is not None
            assert verify_password(stored.password_hash, winner)
            invitation = session.exec(select(Invitation)).one()
            assert invitation.used_at is not None


def test_concurrent_wrong_passwords_are_checked_at_most_the_limit(
    engine: Engine, settings: Settings
) -> None:
    with served(engine, settings) as live:
        with live.session() as session:
            f.user(session, Role.STUDENT, email="student@example.org")
            session.commit()
        # One browser's cookies; httpx gives each of the 25 threads a connection of its own.
        client = live.anonymous()
        wrong = {"email": "student@example.org", "password": "niet-het-goede-wachtwoord"}
        responses = live.fire([partial(client.post, "/login", data=wrong) for _ in range(25)])
        statuses = sorted(r.status_code for r in responses)
        limit = MAX_FAILURES_PER_ACCOUNT
        assert statuses == [400] * limit + [429] * (25 - limit), statuses
        with live.session() as session:
            checked = session.exec(
                select(func.count())
                .select_from(LoginAttempt)
                .where(col(LoginAttempt.email) == "student@example.org")
            ).one()
            assert checked == limit
        # The right password is refused too while the account is throttled.
        right = {"email": "student@example.org", "password": f.PASSWORD}
        assert live.anonymous().post("/login", data=right).status_code == 429
