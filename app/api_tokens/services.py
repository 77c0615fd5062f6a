"""API tokens for machine clients: create (shown once), list, revoke, and check a bearer token."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from app.audit import record
from app.errors import InvalidInput, NotFound
from app.i18n import lazy
from app.models import ApiToken, User, utcnow
from app.security import new_token, token_hash

SCOPES = {
    "teams:read": lazy("Read published teams"),
    "opdrachten:read": lazy("Read approved opdrachten"),
    "outcomes:read": lazy("Read confirmed outcomes"),
}
TOKEN_PREFIX = "om_"  # noqa: S105 - a marker that makes leaked tokens easy to spot
MAX_DAYS = 730
TOUCH_INTERVAL = timedelta(seconds=60)
TZ = ZoneInfo("Europe/Amsterdam")


@dataclass
class TokenForm:
    name: str = ""
    scopes: list[str] = field(default_factory=lambda: ["teams:read"])
    expires_on: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    def validate(self, today: date) -> datetime | None:
        """Check the input; returns the expiry moment (end of the chosen day, Dutch time)."""
        self.name = self.name.strip()
        if not self.name:
            self.errors["name"] = lazy("Enter a name.")
        if not self.scopes or any(s not in SCOPES for s in self.scopes):
            self.errors["scopes"] = lazy("Choose at least one permission.")
        try:
            day = date.fromisoformat(self.expires_on)
        except ValueError:
            self.errors["expires_on"] = lazy("Enter a date such as 2027-01-31.")
            return None
        if not today < day <= today + timedelta(days=MAX_DAYS):
            self.errors["expires_on"] = lazy("Choose a date after today and within two years.")
            return None
        return datetime.combine(day + timedelta(days=1), time(), TZ)


def default_expiry(today: date) -> str:
    return (today + timedelta(days=365)).isoformat()


def list_tokens(*, session: Session) -> list[ApiToken]:
    return list(session.exec(select(ApiToken).order_by(col(ApiToken.created_at).desc())))


def create_token(*, session: Session, form: TokenForm, admin: User) -> tuple[ApiToken, str]:
    """Store a new token (only its sha256 hash) and return it with the secret, shown once."""
    expires_at = form.validate(utcnow().astimezone(TZ).date())
    if form.errors or expires_at is None:
        raise InvalidInput(errors=list(form.errors.values()))
    token, secret = issue_token(
        session=session, name=form.name, scopes=form.scopes, expires_at=expires_at, admin=admin
    )
    record(
        session=session,
        actor=admin,
        action="api_token.create",
        entity="api_token",
        entity_id=token.id,
        after={"name": token.name, "scopes": token.scopes, "expires_at": str(expires_at)},
    )
    session.commit()
    return token, secret


def issue_token(
    *,
    session: Session,
    name: str,
    scopes: list[str],
    expires_at: datetime | None,
    admin: User | None = None,
) -> tuple[ApiToken, str]:
    """Add a token to the session (flushed, not committed); returns it and its secret."""
    secret = TOKEN_PREFIX + new_token()
    token = ApiToken(
        name=name,
        prefix=secret[:11],
        token_hash=token_hash(secret),
        scopes=sorted(set(scopes)),
        expires_at=expires_at,
        created_by_id=admin.id if admin else None,
    )
    session.add(token)
    session.flush()
    return token, secret


def revoke_token(*, session: Session, token_id: int, admin: User) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.add(token)
        record(
            session=session,
            actor=admin,
            action="api_token.revoke",
            entity="api_token",
            entity_id=token_id,
            after={"name": token.name},
        )
        session.commit()
    return token


def token_for_secret(*, session: Session, secret: str) -> ApiToken | None:
    """The usable token with this secret: known, not revoked, not expired; else None."""
    token = session.exec(select(ApiToken).where(ApiToken.token_hash == token_hash(secret))).first()
    now = utcnow()
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_INTERVAL:
        # At most one write a minute per token, not one per request.
        token.last_used_at = now
        session.add(token)
        session.commit()
    return token


def status(token: ApiToken, now: datetime | None = None) -> str:
    """active, revoked or expired: shown in the token list."""
    now = now or utcnow()
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= now:
        return "expired"
    return "active"
