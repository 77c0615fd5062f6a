"""The kinds of deliverable a team records its results as (*soorten resultaat* in the Dutch UI).

The admin adds a kind, renames it, moves it up or down and stops offering it (or offers it
again); every change is audited. A kind's code is made once, from its Dutch name, and stays
when it is renamed (exports and the API name kinds by code). A kind no longer offered is not
a choice when a deliverable is added (``app.outcomes.services.kinds``), but the deliverables
of that kind keep it. Nothing is deleted.

The rows are rarely edited and carry no version: a rename is written only if the names are
still those the page showed, and a move only if the positions it swaps are still those it
read, each in one conditional UPDATE; otherwise the change is refused, never lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, func, select, update

from app.audit import record, switch_active
from app.db import add_unique
from app.errors import Conflict, InvalidInput, NotFound
from app.i18n import lazy
from app.models import DeliverableKind, User
from app.parsing import slugify

NAME_LIMIT = 120
CODE_LIMIT = 32
NL_TAKEN = lazy("There is already a kind of deliverable with this Dutch name.")
EN_TAKEN = lazy("There is already a kind of deliverable with this English name.")
CHANGED = lazy(
    "Someone else changed this kind of deliverable in the meantime; it is now called "
    "“{name}”. Reload the page and try again."
)
MOVED = lazy("Someone else changed the order in the meantime. Reload the page and try again.")


@dataclass
class KindForm:
    """The Dutch and English name of a new kind (``kind_id`` 0) or of one being renamed."""

    kind_id: int = 0
    name_nl: str = ""
    name_en: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    def validate(self) -> None:
        self.name_nl, self.name_en = " ".join(self.name_nl.split()), " ".join(self.name_en.split())
        if not slugify(self.name_nl):
            self.errors["name_nl"] = lazy("Enter the Dutch name.")
        elif len(self.name_nl) > NAME_LIMIT:
            self.errors["name_nl"] = lazy("Use at most 120 characters.")
        if not self.name_en:
            self.errors["name_en"] = lazy("Enter the English name.")
        elif len(self.name_en) > NAME_LIMIT:
            self.errors["name_en"] = lazy("Use at most 120 characters.")


def kinds(*, session: Session) -> list[DeliverableKind]:
    """Every kind, offered or not, in the admin's order (then by Dutch name)."""
    order = (col(DeliverableKind.sort_order), col(DeliverableKind.name_nl), col(DeliverableKind.id))
    return list(session.exec(select(DeliverableKind).order_by(*order)))


def _kind(session: Session, kind_id: int) -> DeliverableKind:
    kind = session.get(DeliverableKind, kind_id)
    if kind is None:
        raise NotFound(lazy("This kind of deliverable does not exist."))
    return kind


def _check_taken(session: Session, form: KindForm, code: str) -> None:
    """Put a name (in any case) or code another kind already has in the form's errors."""
    others = select(func.count()).select_from(DeliverableKind)
    others = others.where(col(DeliverableKind.id) != form.kind_id)
    if "name_nl" not in form.errors:
        same_nl = func.lower(DeliverableKind.name_nl) == form.name_nl.lower()
        if session.exec(others.where(same_nl | (col(DeliverableKind.code) == code))).one():
            form.errors["name_nl"] = NL_TAKEN
    if "name_en" not in form.errors:
        same_en = func.lower(DeliverableKind.name_en) == form.name_en.lower()
        if session.exec(others.where(same_en)).one():
            form.errors["name_en"] = EN_TAKEN


def create_kind(*, session: Session, form: KindForm, admin: User) -> DeliverableKind:
    """Add a kind, last in the order, coded from its Dutch name; a name or code already in
    use is the form's error."""
    form.kind_id = 0
    form.validate()
    code = slugify(form.name_nl)[:CODE_LIMIT].strip("-")
    _check_taken(session, form, code)
    if form.errors:
        raise InvalidInput(errors=list(form.errors.values()))
    last = session.exec(select(func.max(DeliverableKind.sort_order))).one()
    kind = DeliverableKind(
        code=code,
        name_nl=form.name_nl,
        name_en=form.name_en,
        sort_order=(last if last is not None else -1) + 1,
    )
    if not add_unique(session=session, row=kind):  # two admins adding the same code at once
        form.errors["name_nl"] = NL_TAKEN
        raise InvalidInput(errors=[NL_TAKEN])
    record(
        session=session,
        actor=admin,
        action="deliverable_kind.create",
        entity="deliverable_kind",
        entity_id=kind.id,
        after={"code": kind.code, "name_nl": kind.name_nl, "name_en": kind.name_en},
    )
    session.commit()
    return kind


def rename_kind(
    *, session: Session, form: KindForm, seen_nl: str, seen_en: str, admin: User
) -> DeliverableKind:
    """Give a kind new names (its code stays), only if it still has the names the page
    showed (``seen_nl``, ``seen_en``): a Conflict otherwise."""
    kind = _kind(session, form.kind_id)
    form.validate()
    _check_taken(session, form, "")
    if form.errors:
        raise InvalidInput(errors=list(form.errors.values()))
    if (form.name_nl, form.name_en) == (seen_nl, seen_en) == (kind.name_nl, kind.name_en):
        return kind  # nothing to change
    changed = session.execute(
        update(DeliverableKind)
        .where(
            col(DeliverableKind.id) == form.kind_id,
            col(DeliverableKind.name_nl) == seen_nl,
            col(DeliverableKind.name_en) == seen_en,
        )
        .values(name_nl=form.name_nl, name_en=form.name_en)
    ).rowcount  # type: ignore[attr-defined]
    if not changed:
        session.refresh(kind)
        raise Conflict(CHANGED, name=kind.name_nl)
    record(
        session=session,
        actor=admin,
        action="deliverable_kind.rename",
        entity="deliverable_kind",
        entity_id=form.kind_id,
        before={"name_nl": seen_nl, "name_en": seen_en},
        after={"name_nl": form.name_nl, "name_en": form.name_en},
    )
    session.commit()
    session.refresh(kind)
    return kind


def move_kind(*, session: Session, kind_id: int, direction: str, admin: User) -> bool:
    """Move a kind one place ``"up"`` or ``"down"``; False when it is already first or last.

    Each kind whose position changes is written only if it still has the position read
    here; kinds that share a position are numbered apart first (by name, as listed)."""
    if direction not in ("up", "down"):
        raise InvalidInput(lazy("Choose up or down."))
    _kind(session, kind_id)
    rows = kinds(session=session)
    ids = [k.id or 0 for k in rows]
    at = ids.index(kind_id)
    to = at - 1 if direction == "up" else at + 1
    if not 0 <= to < len(ids):
        return False
    before = [k.sort_order for k in rows]
    positions = before if len(set(before)) == len(before) else list(range(len(rows)))
    ids[at], ids[to] = ids[to], ids[at]
    old = {k.id or 0: k.sort_order for k in rows}
    with session.begin_nested():  # all of the move or none of it
        for kid, position in zip(ids, positions, strict=True):
            if old[kid] != position and not _place(session, kid, old[kid], position):
                raise Conflict(MOVED)
    record(
        session=session,
        actor=admin,
        action="deliverable_kind.move",
        entity="deliverable_kind",
        entity_id=kind_id,
        before={"position": at + 1},
        after={"position": to + 1},
    )
    session.commit()
    return True


def _place(session: Session, kind_id: int, seen: int, position: int) -> bool:
    """Put a kind at ``position`` if it is still at ``seen``; one conditional UPDATE."""
    written = session.execute(
        update(DeliverableKind)
        .where(col(DeliverableKind.id) == kind_id, col(DeliverableKind.sort_order) == seen)
        .values(sort_order=position)
    ).rowcount  # type: ignore[attr-defined]
    return bool(written)


def set_active(*, session: Session, kind_id: int, active: bool, admin: User) -> None:
    """Offer a kind again, or no longer (the deliverables of that kind keep it)."""
    _kind(session, kind_id)
    switch_active(
        session=session, actor=admin, model=DeliverableKind, row_id=kind_id, active=active
    )
    session.commit()
