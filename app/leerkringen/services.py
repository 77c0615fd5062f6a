"""Leerkringen, the wijkdocenten who answer for them, and their learning effects.

Membership decides what a wijkdocent sees and may change (``app.memberships.staff_scope``):
their review queue, the incomplete rankings, the teams they adjust and approve. The admin
keeps it here; every change is audited. Learning effects (e.g. the branches of Overbetuwe's
*Ontwikkelboom*) are what a team's outcome is recorded against (``app/outcomes``); closing one
keeps it on the outcomes that name it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, delete, func, select

from app.audit import record, switch_active
from app.db import add_unique
from app.errors import InvalidInput, NotFound
from app.i18n import lazy
from app.models import LearningEffect, Leerkring, LeerkringWijkdocent, Role, User
from app.parsing import slugify

NAME_TAKEN = lazy("There is already a leerkring with this name.")
NOT_A_WIJKDOCENT = lazy("Choose an active wijkdocent.")
EFFECT_TAKEN = lazy("This leerkring already has a learning effect with this name.")


@dataclass
class LeerkringForm:
    name: str = ""
    region: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    def validate(self) -> None:
        self.name, self.region = " ".join(self.name.split()), " ".join(self.region.split())
        if not self.name:
            self.errors["name"] = lazy("Enter a name.")


@dataclass
class EffectForm:
    leerkring_id: int = 0
    name_nl: str = ""
    name_en: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    def validate(self) -> None:
        self.name_nl, self.name_en = " ".join(self.name_nl.split()), " ".join(self.name_en.split())
        if not slugify(self.name_nl):
            self.errors["name_nl"] = lazy("Enter the Dutch name.")
        self.name_en = self.name_en or self.name_nl


@dataclass
class Row:
    leerkring: Leerkring
    wijkdocenten: list[User]
    candidates: list[User]  # active wijkdocenten not yet in this leerkring
    effects: list[LearningEffect] = field(default_factory=list)  # open ones first


def overview(*, session: Session) -> list[Row]:
    """Every leerkring (active first, then by name) with its wijkdocenten and who could join."""
    leerkringen = session.exec(
        select(Leerkring).order_by(col(Leerkring.active).desc(), col(Leerkring.name))
    ).all()
    staff = session.exec(
        select(User)
        .where(User.role == Role.WIJKDOCENT, col(User.active).is_(True))
        .order_by(col(User.name), col(User.id))
    ).all()
    members: dict[int, set[int]] = {}
    for lk_id, user_id in session.exec(
        select(LeerkringWijkdocent.leerkring_id, LeerkringWijkdocent.user_id)
    ):
        members.setdefault(lk_id, set()).add(user_id)
    ids = {uid for mine in members.values() for uid in mine}
    others = {u.id: u for u in session.exec(select(User).where(col(User.id).in_(ids)))}
    effects: dict[int, list[LearningEffect]] = {}
    order = (col(LearningEffect.active).desc(), col(LearningEffect.sort_order))
    for effect in session.exec(select(LearningEffect).order_by(*order)):
        effects.setdefault(effect.leerkring_id, []).append(effect)
    rows = []
    for lk in leerkringen:
        mine = members.get(lk.id or 0, set())
        rows.append(
            Row(
                leerkring=lk,
                wijkdocenten=sorted((others[u] for u in mine), key=lambda u: (u.name, u.id or 0)),
                candidates=[u for u in staff if u.id not in mine],
                effects=effects.get(lk.id or 0, []),
            )
        )
    return rows


def _leerkring(session: Session, leerkring_id: int) -> Leerkring:
    lk = session.get(Leerkring, leerkring_id)
    if lk is None:
        raise NotFound(lazy("This leerkring does not exist."))
    return lk


def create_leerkring(*, session: Session, form: LeerkringForm, admin: User) -> Leerkring:
    """Add a leerkring; a name already in use (in any case) is the form's error."""
    form.validate()
    taken = select(func.count()).select_from(Leerkring)
    if (
        form.name
        and session.exec(taken.where(func.lower(Leerkring.name) == form.name.lower())).one()
    ):
        form.errors["name"] = NAME_TAKEN
    if form.errors:
        raise InvalidInput(errors=list(form.errors.values()))
    lk = Leerkring(name=form.name, region=form.region)
    if not add_unique(session=session, row=lk):  # two admins adding the same name at once
        form.errors["name"] = NAME_TAKEN
        raise InvalidInput(errors=[NAME_TAKEN])
    record(
        session=session,
        actor=admin,
        action="leerkring.create",
        entity="leerkring",
        entity_id=lk.id,
        after={"name": lk.name, "region": lk.region},
    )
    session.commit()
    return lk


def add_wijkdocent(*, session: Session, leerkring_id: int, user_id: int, admin: User) -> bool:
    """Let an active wijkdocent answer for a leerkring; False when they already did."""
    lk = _leerkring(session, leerkring_id)
    user = session.get(User, user_id)
    if user is None or user.role != Role.WIJKDOCENT or not user.active:
        raise InvalidInput(NOT_A_WIJKDOCENT)
    if not add_unique(
        session=session, row=LeerkringWijkdocent(leerkring_id=leerkring_id, user_id=user_id)
    ):
        return False  # the same click twice, or two admins at once
    record(
        session=session,
        actor=admin,
        action="leerkring.add_wijkdocent",
        entity="leerkring",
        entity_id=lk.id,
        after={"user_id": user_id, "email": user.email},
    )
    session.commit()
    return True


def remove_wijkdocent(*, session: Session, leerkring_id: int, user_id: int, admin: User) -> bool:
    """Take a wijkdocent out of a leerkring; False when they were not in it."""
    _leerkring(session, leerkring_id)
    gone = session.execute(
        delete(LeerkringWijkdocent).where(
            col(LeerkringWijkdocent.leerkring_id) == leerkring_id,
            col(LeerkringWijkdocent.user_id) == user_id,
        )
    ).rowcount  # type: ignore[attr-defined]
    if gone:
        record(
            session=session,
            actor=admin,
            action="leerkring.remove_wijkdocent",
            entity="leerkring",
            entity_id=leerkring_id,
            before={"user_id": user_id},
        )
    session.commit()
    return bool(gone)


def set_active(*, session: Session, leerkring_id: int, active: bool, admin: User) -> None:
    """Open or close a leerkring for new opdrachten and students (nothing is deleted)."""
    _leerkring(session, leerkring_id)
    switch_active(session=session, actor=admin, model=Leerkring, row_id=leerkring_id, active=active)
    session.commit()


def add_effect(*, session: Session, form: EffectForm, admin: User) -> LearningEffect:
    """Add a learning effect to a leerkring, coded from its Dutch name (unique there)."""
    lk = _leerkring(session, form.leerkring_id)
    form.validate()
    if form.errors:
        raise InvalidInput(errors=list(form.errors.values()))
    last = select(func.max(LearningEffect.sort_order)).where(LearningEffect.leerkring_id == lk.id)
    effect = LearningEffect(
        leerkring_id=form.leerkring_id,
        code=slugify(form.name_nl)[:60],
        name_nl=form.name_nl,
        name_en=form.name_en,
        sort_order=(session.exec(last).one() or 0) + 1,
    )
    if not add_unique(session=session, row=effect):  # (leerkring, code) is unique
        form.errors["name_nl"] = EFFECT_TAKEN
        raise InvalidInput(errors=[EFFECT_TAKEN])
    record(
        session=session,
        actor=admin,
        action="learning_effect.create",
        entity="learning_effect",
        entity_id=effect.id,
        after={"leerkring_id": lk.id, "code": effect.code, "name_nl": effect.name_nl},
    )
    session.commit()
    return effect


def set_effect_active(*, session: Session, effect_id: int, active: bool, admin: User) -> int:
    """Offer a learning effect again, or no longer (outcomes that name it keep it); returns
    its leerkring."""
    effect = session.get(LearningEffect, effect_id)
    if effect is None:
        raise NotFound(lazy("This learning effect does not exist."))
    switch_active(
        session=session, actor=admin, model=LearningEffect, row_id=effect_id, active=active
    )
    session.commit()
    return effect.leerkring_id
