"""Whether a role may log in with a password: the admin switches it off per role once the
institution's sign-in is in use (students and wijkdocenten), and keeps it for partners."""

from __future__ import annotations

from sqlmodel import Session, select

from app.audit import record
from app.config import Settings
from app.errors import InvalidInput
from app.i18n import lazy
from app.models import OidcIdentity, PasswordLogin, Role, User, utcnow


def allowed_roles(*, session: Session) -> dict[Role, bool]:
    """Every role with its switch; a role nobody has switched is allowed."""
    stored = {Role(r.role): r.allowed for r in session.exec(select(PasswordLogin))}
    return {role: stored.get(role, True) for role in Role}


def password_login_allowed(*, session: Session, role: Role) -> bool:
    rule = session.get(PasswordLogin, role)
    return rule is None or rule.allowed


def set_allowed_roles(
    *, session: Session, actor: User, allowed: dict[Role, bool], settings: Settings
) -> None:
    """Store the switches and audit the change; refuses to lock anyone out."""
    before = allowed_roles(session=session)
    after = {role: allowed.get(role, True) for role in Role}
    if after == before:
        return
    if not all(after.values()) and not settings.oidc_enabled:
        raise InvalidInput(
            lazy("Password login can only be switched off when HAN sign-in is configured.")
        )
    if not after[actor.role] and not _has_link(session, actor):
        raise InvalidInput(
            lazy(
                "Sign in with your HAN account once before you switch off password login "
                "for your own role."
            )
        )
    for role, value in after.items():
        rule = session.get(PasswordLogin, role) or PasswordLogin(role=role)
        rule.allowed, rule.updated_at, rule.updated_by_id = value, utcnow(), actor.id
        session.add(rule)
    record(
        session=session,
        actor=actor,
        action="login.password_roles",
        entity="password_login",
        before={str(k): v for k, v in before.items()},
        after={str(k): v for k, v in after.items()},
    )
    session.commit()


def _has_link(session: Session, user: User) -> bool:
    stmt = select(OidcIdentity.id).where(OidcIdentity.user_id == user.id)
    return session.exec(stmt).first() is not None
