"""Login sessions, invitations and login throttling."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, case
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, delete, select, update

from app.config import Settings
from app.errors import NotFound, TooManyRequests
from app.i18n import lazy, translations
from app.mail import queue_mail
from app.models import Invitation, Language, LoginAttempt, LoginCounter, User, UserSession, utcnow
from app.security import hash_password, new_token, require_new_password, token_hash, verify_password

THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
TOUCH_INTERVAL = timedelta(seconds=60)


def count_attempt(*, session: Session, key: str, now: datetime) -> int:
    """Count one login attempt for ``key`` and return its number in the current window.

    One atomic upsert (INSERT ... ON CONFLICT DO UPDATE ... RETURNING): concurrent attempts
    each get a number of their own, so no more than the limit are ever checked. (Counting
    earlier failures and then checking let 25 wrong passwords at once through 8 times.)
    """
    table = LoginCounter.__table__  # type: ignore[attr-defined]
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    new = insert(table).values(key=key, window_start=now, attempts=1)
    expired = table.c.window_start <= now - THROTTLE_WINDOW
    stmt = new.on_conflict_do_update(
        index_elements=[table.c.key],
        set_={
            "attempts": case((expired, 1), else_=table.c.attempts + 1),
            "window_start": case((expired, new.excluded.window_start), else_=table.c.window_start),
        },
    ).returning(table.c.attempts)
    return int(session.execute(stmt).scalar_one())


def uncount_attempt(*, session: Session, key: str) -> None:
    """A successful login gives its attempt back: only failures count towards the limit."""
    counter = col(LoginCounter.attempts)
    session.exec(
        update(LoginCounter)
        .where(col(LoginCounter.key) == key, counter > 0)
        .values(attempts=counter - 1)
    )


def throttle_keys(email: str, address: str) -> tuple[str, str]:
    """The counters an attempt counts against: its account and its client address."""
    return f"account:{email.strip().lower()}", f"address:{address}"


def authenticate(*, session: Session, email: str, password: str, address: str) -> User | None:
    """Return the active user with these credentials, or None; refuses when throttled.

    The attempt is counted (and committed) before the password is checked, so a burst of
    concurrent guesses is checked at most ``MAX_FAILURES_PER_ACCOUNT`` times; the counters'
    row locks are not held during the slow password hash.
    """
    email = email.strip().lower()
    now = utcnow()
    account, client = throttle_keys(email, address)
    # Always the account first, then the address: two attempts never wait for each other
    # in opposite orders.
    if (
        count_attempt(session=session, key=account, now=now) > MAX_FAILURES_PER_ACCOUNT
        or count_attempt(session=session, key=client, now=now) > MAX_FAILURES_PER_ADDRESS
    ):
        raise TooManyRequests()  # not committed: a refused attempt is not counted
    session.commit()
    user = session.exec(select(User).where(User.email == email)).first()
    ok = verify_password(user.password_hash if user else None, password)
    ok = ok and user is not None and user.active
    session.add(LoginAttempt(email=email, address=address, succeeded=ok))
    if ok and user is not None:
        uncount_attempt(session=session, key=account)
        uncount_attempt(session=session, key=client)
        user.last_login_at = utcnow()
        session.add(user)
    session.commit()
    return user if ok else None


def start_session(*, session: Session, user: User) -> str:
    """Create a server-side session and return the cookie token (only its hash is stored)."""
    assert user.id is not None
    token = new_token()
    session.add(UserSession(token_hash=token_hash(token), user_id=user.id))
    session.commit()
    return token


def log_in(*, session: Session, user: User, old_token: str | None) -> str:
    """Start the session of a user who has just proved who they are (a password or the
    institution's sign-in); a session token planted before login is ended, so it is
    worthless. Returns the new cookie token."""
    if old_token:
        end_session(session=session, token=old_token)
    return start_session(session=session, user=user)


def end_session(*, session: Session, token: str) -> None:
    session.exec(delete(UserSession).where(col(UserSession.token_hash) == token_hash(token)))
    session.commit()


def end_all_sessions(*, session: Session, user_id: int) -> None:
    session.exec(delete(UserSession).where(col(UserSession.user_id) == user_id))
    session.commit()


# Built once: it runs for every request with a session cookie.
_SESSION_AND_USER = (
    select(UserSession.id, UserSession.created_at, UserSession.last_seen_at, User)
    .join(User, col(User.id) == UserSession.user_id, isouter=True)
    .where(col(UserSession.token_hash) == bindparam("token_hash"))
)


def user_for_token(*, session: Session, token: str, settings: Settings) -> User | None:
    """The user of a live session; expired or orphaned sessions are removed.

    Runs for every request with a session cookie: one query reads the session and its user
    together (an outer join, so a session whose user is gone is still found and removed).
    """
    row = session.exec(_SESSION_AND_USER, params={"token_hash": token_hash(token)}).first()
    if row is None:
        return None
    session_id, created_at, last_seen_at, user = row
    now = utcnow()
    expired = now - last_seen_at > timedelta(
        minutes=settings.session_idle_minutes
    ) or now - created_at > timedelta(hours=settings.session_absolute_hours)
    if expired or user is None or not user.active:
        session.exec(delete(UserSession).where(col(UserSession.id) == session_id))
        session.commit()
        return None
    if now - last_seen_at > TOUCH_INTERVAL:
        session.exec(
            update(UserSession).where(col(UserSession.id) == session_id).values(last_seen_at=now)
        )
        session.commit()
    return user


def create_invitation(
    *, session: Session, user: User, created_by: User | None, settings: Settings
) -> str:
    """Add a one-time invitation for ``user`` to the caller's transaction; returns the token."""
    assert user.id is not None
    token = new_token()
    session.add(
        Invitation(
            token_hash=token_hash(token),
            user_id=user.id,
            created_by_id=created_by.id if created_by else None,
            expires_at=utcnow() + timedelta(days=settings.invitation_days),
        )
    )
    return token


INVITE_STAFF = lazy("Set your password for opdrachtmatch: {link}")
INVITE_STUDENT = lazy("Set your password and rank the opdrachten of this semester: {link}")


def invite(
    *,
    session: Session,
    user: User,
    created_by: User | None,
    settings: Settings,
    message: str = INVITE_STAFF,
) -> str:
    """Add a one-time invitation for ``user`` and queue its mail, in the invitee's language
    (not the sender's), to the caller's transaction; returns the link."""
    token = create_invitation(session=session, user=user, created_by=created_by, settings=settings)
    link = f"{settings.base_url}/invitation/{token}"
    text = translations(str(user.preferred_language)).gettext
    subject = text(lazy("Your opdrachtmatch account"))
    queue_mail(
        session=session, to=user.email, subject=subject, body=text(message).format(link=link)
    )
    return link


def set_preferred_language(*, session: Session, user: User, language: str) -> None:
    """Remember the language ``user`` chose; it is spoken to them from the next request."""
    user.preferred_language = Language(language)
    session.add(user)
    session.commit()


def open_invitation(*, session: Session, token: str) -> tuple[Invitation, User]:
    inv = session.exec(select(Invitation).where(Invitation.token_hash == token_hash(token))).first()
    if inv is None or inv.used_at is not None or inv.expires_at < utcnow():
        raise NotFound(lazy("This invitation link is invalid, used or expired."))
    user = session.get(User, inv.user_id)
    if user is None or not user.active:
        raise NotFound(lazy("This invitation link is invalid, used or expired."))
    return inv, user


def accept_invitation(*, session: Session, token: str, password: str, repeat: str) -> User:
    """Set the password through a one-time link; the link cannot be used again."""
    inv, user = open_invitation(session=session, token=token)
    require_new_password(password, repeat)
    # Consumed by one conditional statement: of two requests with the same link, only one
    # finds it unused (the other waits for the row lock, then matches nothing).
    now = utcnow()
    used = session.exec(
        update(Invitation)
        .where(
            col(Invitation.id) == inv.id,
            col(Invitation.used_at).is_(None),
            col(Invitation.expires_at) > now,
        )
        .values(used_at=now)
    )
    if used.rowcount != 1:
        raise NotFound(lazy("This invitation link is invalid, used or expired."))
    user.password_hash = hash_password(password)
    session.add(user)
    session.commit()
    return user
