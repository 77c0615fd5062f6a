"""Password reset by e-mail.

"Wachtwoord vergeten?" asks for an address and always gives the same answer, so the form
tells no one which addresses have an account. For an active account a one-time link is
mailed (``queue_mail``, an absolute link under ``OM_BASE_URL``); it expires after an hour
and only its hash is stored. Using it deletes the row in one conditional DELETE: of two
requests with the same link at the same moment only one finds the row, on SQLite and on
PostgreSQL alike. Requests are throttled per address (a 429) and, silently, per e-mail
address (no more mail, the same answer).
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, delete, func, select

from app.audit import record
from app.auth.password_login import password_login_allowed
from app.config import Settings
from app.errors import NotFound, TooManyRequests
from app.i18n import lazy, translations
from app.mail import queue_mail
from app.models import PasswordReset, PasswordResetRequest, User, UserSession, utcnow
from app.parsing import normalise_email
from app.security import hash_password, new_token, require_new_password, token_hash

LINK_LIFETIME = timedelta(hours=1)
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_REQUESTS_PER_ADDRESS = 5
MAX_MAILS_PER_ACCOUNT = 3  # within THROTTLE_WINDOW; beyond it, the same answer and no mail
INVALID_LINK = lazy("This link to set a new password is invalid, used or expired.")


def _recent(session: Session, column: object, value: str) -> int:
    stmt = select(func.count()).where(
        column == value, PasswordResetRequest.at > utcnow() - THROTTLE_WINDOW
    )
    return session.exec(stmt).one()


def request_reset(*, session: Session, email: str, address: str, settings: Settings) -> None:
    """Mail a reset link when ``email`` belongs to an active account; the caller shows the
    same answer either way. Raises TooManyRequests for an address that asked too often."""
    if _recent(session, PasswordResetRequest.address, address) >= MAX_REQUESTS_PER_ADDRESS:
        raise TooManyRequests()
    normalised = normalise_email(email)
    key = normalised or email.strip().lower()[:254]
    recent_for_account = _recent(session, PasswordResetRequest.email, key)
    session.add(PasswordResetRequest(email=key, address=address[:64]))
    user = session.exec(select(User).where(User.email == normalised)).first()
    if (
        user is not None
        and user.active
        and recent_for_account < MAX_MAILS_PER_ACCOUNT
        # No password to reset where the admin has switched password login off for the role.
        and password_login_allowed(session=session, role=user.role)
    ):
        assert user.id is not None
        token = new_token()
        session.add(
            PasswordReset(
                token_hash=token_hash(token), user_id=user.id, expires_at=utcnow() + LINK_LIFETIME
            )
        )
        text = translations(str(user.preferred_language)).gettext
        queue_mail(
            session=session,
            to=user.email,
            subject=text(lazy("A new password for opdrachtmatch")),
            body=text(
                lazy(
                    "Someone (probably you) asked for a new password. Set it within an hour "
                    "with this link, which works once: {link}\n\nDid you not ask for it? "
                    "Then ignore this message; your password stays the same."
                )
            ).format(link=f"{settings.base_url.rstrip('/')}/password/reset/{token}"),
        )
    session.commit()


def _live(session: Session, token: str) -> PasswordReset:
    reset = session.exec(
        select(PasswordReset).where(PasswordReset.token_hash == token_hash(token))
    ).first()
    if reset is None or reset.expires_at <= utcnow():
        raise NotFound(INVALID_LINK)
    return reset


def open_reset(*, session: Session, token: str) -> User:
    """The account of a live link (NotFound for an unknown, used or expired one)."""
    user = session.get(User, _live(session, token).user_id)
    if user is None or not user.active:
        raise NotFound(INVALID_LINK)
    return user


def reset_password(*, session: Session, token: str, password: str, repeat: str) -> User:
    """Set a new password through a link, which is consumed by one conditional DELETE; the
    account's sessions and its other links end with it."""
    user = open_reset(session=session, token=token)
    require_new_password(password, repeat)
    new_hash = hash_password(password)  # before the DELETE: argon2 is slow on purpose
    consumed = session.exec(
        delete(PasswordReset).where(
            col(PasswordReset.token_hash) == token_hash(token),
            col(PasswordReset.expires_at) > utcnow(),
        )
    )
    if consumed.rowcount != 1:  # someone used the link a moment earlier
        session.rollback()
        raise NotFound(INVALID_LINK)
    assert user.id is not None
    session.exec(delete(PasswordReset).where(col(PasswordReset.user_id) == user.id))
    user.password_hash = new_hash
    session.add(user)
    session.exec(delete(UserSession).where(col(UserSession.user_id) == user.id))
    record(
        session=session, actor=user, action="user.password_reset", entity="user", entity_id=user.id
    )
    session.commit()
    return user
