"""Admin management of accounts: invite, list, deactivate."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from app.audit import record
from app.auth.services import end_all_sessions, invite
from app.config import Settings
from app.errors import Conflict, InvalidInput, NotFound
from app.i18n import lazy
from app.models import Language, Partner, PartnerUser, Role, User
from app.parsing import normalise_email


@dataclass
class InviteForm:
    name: str = ""
    email: str = ""
    role: str = Role.STUDENT
    language: str = "nl"
    partner_id: int | None = None
    errors: dict[str, str] = field(default_factory=dict)

    def validate(self, session: Session) -> None:
        self.name, email = self.name.strip(), normalise_email(self.email)
        self.email = email or self.email.strip()  # kept as typed for the form when invalid
        if not self.name:
            self.errors["name"] = lazy("Enter a name.")
        if email is None:
            self.errors["email"] = lazy("Enter a valid e-mail address.")
        elif session.exec(select(User).where(User.email == email)).first():
            self.errors["email"] = lazy("There is already an account with this e-mail address.")
        if self.language not in list(Language):
            self.language = Language.NL
        if self.role not in list(Role):
            self.errors["role"] = lazy("Choose a role.")
        if self.role == Role.PARTNER and not (
            self.partner_id and session.get(Partner, self.partner_id)
        ):
            self.errors["partner_id"] = lazy("Choose the organisation this partner acts for.")


def list_partners(*, session: Session) -> list[Partner]:
    """The partner organisations an invited partner user may belong to, by name."""
    return list(session.exec(select(Partner).order_by(col(Partner.name))).all())


def list_users(*, session: Session, role: str = "", q: str = "") -> list[User]:
    stmt = select(User).order_by(User.role, User.name)
    if role:
        stmt = stmt.where(User.role == role)
    if q:
        pattern = f"%{q.lower()}%"
        stmt = stmt.where(col(User.name).ilike(pattern) | col(User.email).ilike(pattern))
    return list(session.exec(stmt.limit(500)))


def invite_user(
    *, session: Session, form: InviteForm, admin: User, settings: Settings
) -> tuple[User, str]:
    """Create the account and a one-time link; returns the user and the link."""
    form.validate(session)
    if form.errors:
        raise InvalidInput(errors=list(form.errors.values()))
    user = User(
        name=form.name,
        email=form.email,
        role=Role(form.role),
        preferred_language=Language(form.language),
    )
    session.add(user)
    session.flush()
    if form.role == Role.PARTNER and form.partner_id and user.id:
        session.add(PartnerUser(partner_id=form.partner_id, user_id=user.id))
    record(
        session=session,
        actor=admin,
        action="user.invite",
        entity="user",
        entity_id=user.id,
        after={"email": user.email, "role": user.role},
    )
    link = invite(session=session, user=user, created_by=admin, settings=settings)
    session.commit()
    return user, link


LAST_ADMIN = lazy(
    "This is the last active admin account: it cannot be deactivated or lose its role. "
    "Invite or activate another admin first."
)


class LastAdmin(Conflict):
    title = LAST_ADMIN


def keep_an_admin(*, session: Session, user: User, active: bool, role: Role, admin: User) -> None:
    """Refuse a change that would leave no active admin (nobody could get in to repair it):
    an audited refusal. Every active admin's row is locked first, in one order, so two
    admins deactivating each other at the same moment take turns and the second is
    refused."""
    if user.role != Role.ADMIN or not user.active or (active and role == Role.ADMIN):
        return
    admins = session.exec(
        select(User.id)
        .where(col(User.role) == Role.ADMIN, col(User.active).is_(True))
        .order_by(col(User.id))
        .with_for_update()
    ).all()
    if any(other != user.id for other in admins):
        return
    record(
        session=session,
        actor=admin,
        action="user.last_admin_refused",
        entity="user",
        entity_id=user.id,
        before={"active": user.active, "role": str(user.role)},
        after={"active": active, "role": str(role)},
    )
    session.commit()
    raise LastAdmin(LAST_ADMIN)


def set_active(*, session: Session, user_id: int, active: bool, admin: User) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound()
    keep_an_admin(session=session, user=user, active=active, role=user.role, admin=admin)
    before = {"active": user.active}
    user.active = active
    user.version += 1
    session.add(user)
    record(
        session=session,
        actor=admin,
        action="user.activate" if active else "user.deactivate",
        entity="user",
        entity_id=user_id,
        before=before,
        after={"active": active},
    )
    session.commit()
    if not active:
        end_all_sessions(session=session, user_id=user_id)
    return user
