"""Sign-in through the institution: the request in flight, and linking the provider's
account to one of ours.

A first sign-in links to an account that already exists (invited by an admin, or made by
the student import) by student number or by a verified e-mail address. Claims never grant a
role and never make an account: a person the app does not know gets a page that says whom
to ask, and nothing is written.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select, update

from app.audit import record
from app.auth.oidc import AuthorizationRequest
from app.config import Settings
from app.errors import AppError
from app.i18n import lazy
from app.models import OidcIdentity, OidcLogin, StudentProfile, User, utcnow
from app.security import token_hash

log = logging.getLogger(__name__)
REQUEST_LIFETIME = timedelta(minutes=10)
STAFF_AFFILIATIONS = {"employee", "staff", "faculty"}
SIGN_IN_FAILED = lazy(
    "Signing in with your HAN account did not work. Try again from the login page; "
    "if it keeps going wrong, ask the beheerder."
)
PROVIDER_DOWN = lazy(
    "The HAN sign-in service cannot be reached right now. Try again in a few minutes, "
    "or log in with your e-mail address and password if you have one."
)


class SignInFailed(AppError):
    status_code = 400
    title = lazy("Signing in with your HAN account did not work.")


class ProviderDown(AppError):
    status_code = 503
    title = lazy("The HAN sign-in service cannot be reached right now.")


class NoAccount(Exception):
    """Nobody here matches the claims; ``staff`` is the affiliation hint, for whom to ask."""

    def __init__(self, *, staff: bool, unverified_email: bool) -> None:
        super().__init__("no matching account")
        self.staff = staff
        self.unverified_email = unverified_email


@dataclass
class Identity:
    """What the provider says about the person, after the configured claim mapping."""

    issuer: str
    subject: str
    email: str = ""
    email_verified: bool = False
    student_number: str = ""
    affiliations: list[str] = field(default_factory=list)

    @property
    def looks_like_staff(self) -> bool:
        return bool(STAFF_AFFILIATIONS.intersection(self.affiliations))


def _strings(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [v.strip() for v in values if isinstance(v, str) and v.strip()]


def student_number_from(value: Any) -> str:
    """SURFconext sends ``schac_personal_unique_code`` as URNs such as
    ``urn:schac:personalUniqueCode:nl:local:han.nl:studentid:123456``; the number is the last
    part. A plain value is taken as it is."""
    values = _strings(value)
    preferred = [v for v in values if ":studentid:" in v.lower()] or values
    return preferred[0].rsplit(":", 1)[-1] if preferred else ""


def identity_from_claims(claims: dict[str, Any], *, issuer: str, settings: Settings) -> Identity:
    subject = _strings(claims.get(settings.oidc_claim_subject))
    if not subject:
        raise SignInFailed(lazy("The HAN account sent no identifier."))
    emails = _strings(claims.get(settings.oidc_claim_email))
    verified = claims.get(settings.oidc_claim_email_verified)
    return Identity(
        issuer=issuer,
        subject=subject[0],
        email=emails[0].lower() if emails else "",
        email_verified=verified is True or (verified is None and settings.oidc_trust_email),
        student_number=student_number_from(claims.get(settings.oidc_claim_student_number)),
        affiliations=[a.lower() for a in _strings(claims.get(settings.oidc_claim_affiliation))],
    )


def save_request(*, session: Session, request: AuthorizationRequest, next_path: str) -> None:
    """Keep the nonce and PKCE verifier until the callback; old leftovers are removed."""
    session.exec(delete(OidcLogin).where(col(OidcLogin.created_at) < utcnow() - REQUEST_LIFETIME))
    session.add(
        OidcLogin(
            state_hash=token_hash(request.state),
            nonce=request.nonce,
            code_verifier=request.code_verifier,
            next_path=next_path,
        )
    )
    session.commit()


def take_request(*, session: Session, state: str) -> OidcLogin | None:
    """The request this ``state`` belongs to, consumed in one statement: a second callback
    with the same state (a replay) finds nothing."""
    stmt = (
        delete(OidcLogin)
        .where(
            col(OidcLogin.state_hash) == token_hash(state),
            col(OidcLogin.created_at) > utcnow() - REQUEST_LIFETIME,
        )
        .returning(col(OidcLogin.nonce), col(OidcLogin.code_verifier), col(OidcLogin.next_path))
    )
    row = session.execute(stmt).first()
    session.commit()
    if row is None:
        return None
    return OidcLogin(state_hash="", nonce=row[0], code_verifier=row[1], next_path=row[2])


def _match(session: Session, identity: Identity) -> tuple[User, str] | None:
    """The existing account this person is, and by what: the student number first."""
    if identity.student_number:
        stmt = (
            select(User)
            .join(StudentProfile, col(StudentProfile.user_id) == User.id)
            .where(StudentProfile.student_number == identity.student_number)
        )
        user = session.exec(stmt).first()
        if user is not None:
            return user, "student_number"
    if identity.email and identity.email_verified:
        user = session.exec(select(User).where(User.email == identity.email)).first()
        if user is not None:
            return user, "email"
    return None


def _linked(session: Session, identity: Identity) -> User | None:
    stmt = (
        select(User)
        .join(OidcIdentity, col(OidcIdentity.user_id) == User.id)
        .where(OidcIdentity.issuer == identity.issuer, OidcIdentity.subject == identity.subject)
    )
    return session.exec(stmt).first()


def _refuse_inactive(user: User) -> User:
    if not user.active:
        raise SignInFailed(lazy("Your account is switched off. Ask the beheerder."))
    return user


def _link(session: Session, identity: Identity, user: User, matched_by: str) -> User:
    """Link the provider account to ``user`` (audited); a race or a second provider account
    for the same user meets the unique constraints, inside a savepoint."""
    assert user.id is not None
    link = OidcIdentity(issuer=identity.issuer, subject=identity.subject, user_id=user.id)
    try:
        with session.begin_nested():
            session.add(link)
            record(
                session=session,
                actor=user,
                action="user.oidc_link",
                entity="user",
                entity_id=user.id,
                after={"issuer": identity.issuer, "matched_by": matched_by},
            )
    except IntegrityError:
        # Either the same person signing in twice at once (their link is there now) or an
        # account already linked to another provider account.
        linked = _linked(session, identity)
        if linked is None:
            raise SignInFailed(
                lazy("Your account is linked to another HAN account. Ask the beheerder.")
            ) from None
        return linked
    return user


def user_for_identity(*, session: Session, identity: Identity) -> User:
    """The linked user, or the existing account this first sign-in links to; never a new
    account and never a role from the claims."""
    user = _linked(session, identity)
    if user is None:
        match = _match(session, identity)
        if match is None:
            log.info("OIDC sign-in without a matching account (issuer %s)", identity.issuer)
            raise NoAccount(
                staff=identity.looks_like_staff,
                unverified_email=bool(identity.email) and not identity.email_verified,
            )
        user = _link(session, identity, _refuse_inactive(match[0]), match[1])
    _refuse_inactive(user)
    now = utcnow()
    session.exec(
        update(OidcIdentity)
        .where(
            col(OidcIdentity.issuer) == identity.issuer,
            col(OidcIdentity.subject) == identity.subject,
        )
        .values(last_login_at=now)
    )
    user.last_login_at = now
    session.add(user)
    session.commit()
    return user
