"""Partners post, edit, submit, duplicate and withdraw opdrachten during the intake."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, SQLModel, col, delete, select

from app.audit import record
from app.errors import Conflict, InvalidInput, NotFound
from app.i18n import lazy
from app.memberships import partner_ids_of
from app.models import (
    AuditEvent,
    Leerkring,
    Opdracht,
    OpdrachtCopartner,
    OpdrachtRequiredProgramme,
    OpdrachtStatus,
    OpdrachtTargetGroup,
    OpdrachtTheme,
    Partner,
    Phase,
    Programme,
    Semester,
    TargetGroup,
    Theme,
    User,
    utcnow,
)
from app.notifications.events import opdracht_submitted
from app.opdrachten import access
from app.opdrachten.cards import Card, cards
from app.opdrachten.forms import OpdrachtForm, Options
from app.parsing import parse_id
from app.semesters import current_semester, earlier_than, newest_first
from app.versioning import claim

# Link table, its column, and the form field that holds the ids.
LINKS: tuple[tuple[type[SQLModel], str, str], ...] = (
    (OpdrachtTheme, "theme_id", "theme_ids"),
    (OpdrachtTargetGroup, "target_group_id", "target_group_ids"),
    (OpdrachtRequiredProgramme, "programme_id", "required_programme_ids"),
    (OpdrachtCopartner, "partner_id", "copartner_ids"),
)
STALE = lazy("Someone else saved this opdracht after you opened it.")


class StaleOpdracht(Conflict):
    """A save based on an older version; carries what is saved now, for the comparison."""

    def __init__(self, current: OpdrachtForm, changed_by: str) -> None:
        super().__init__(STALE)
        self.current = current
        self.changed_by = changed_by


class Incomplete(InvalidInput):
    """A draft submitted without what a submission needs; ``form`` carries the messages."""

    def __init__(self, form: OpdrachtForm) -> None:
        super().__init__(lazy("Complete the opdracht before you submit it."))
        self.form = form


def partner_semesters(*, session: Session) -> list[Semester]:
    """The semesters partners work in: all but those the admin is still preparing."""
    stmt = select(Semester).where(Semester.phase != Phase.CONCEPT)
    return list(session.exec(stmt.order_by(*newest_first())))


def pick_semester(*, session: Session, semester_id: int | None) -> Semester | None:
    """The asked-for semester, else the one in intake, else the current one."""
    if semester_id is not None:
        semester = session.get(Semester, semester_id)
        if semester is None or semester.phase == Phase.CONCEPT:
            raise NotFound()
        return semester
    intake = session.exec(select(Semester).where(Semester.phase == Phase.INTAKE)).first()
    return intake or current_semester(session=session)


def focus_of(*, session: Session, semester: Semester) -> tuple[Theme | None, TargetGroup | None]:
    theme = session.get(Theme, semester.focus_theme_id) if semester.focus_theme_id else None
    group = (
        session.get(TargetGroup, semester.focus_target_group_id)
        if semester.focus_target_group_id
        else None
    )
    return theme, group


def list_for_partner(*, session: Session, user: User, semester: Semester) -> list[Card]:
    assert semester.id is not None
    ids = access.visible_ids_for_partner(session=session, user=user, semester_id=semester.id)
    stmt = select(Opdracht).where(col(Opdracht.id).in_(ids)).order_by(Opdracht.title)
    return cards(session=session, opdrachten=session.exec(stmt))


def card_of(*, session: Session, opdracht: Opdracht) -> Card:
    return cards(session=session, opdrachten=[opdracht])[0]


def form_options(
    *, session: Session, user: User, semester: Semester, card: Card | None = None
) -> Options:
    """The form's choices; the history to continue is that of the opdracht's partners."""
    owners = (
        partner_ids_of(session=session, user=user) if card is None else sorted(card.partner_ids)
    )
    return Options(
        themes=list(session.exec(select(Theme).order_by(Theme.name_nl))),
        target_groups=list(session.exec(select(TargetGroup).order_by(TargetGroup.name_nl))),
        leerkringen=list(session.exec(select(Leerkring).where(col(Leerkring.active).is_(True)))),
        programmes=list(
            session.exec(
                select(Programme)
                .where(col(Programme.active).is_(True))
                .order_by(col(Programme.sort_order))
            )
        ),
        partners=list(
            session.exec(
                select(Partner).where(col(Partner.active).is_(True)).order_by(Partner.name)
            )
        ),
        owners=list(
            session.exec(
                select(Partner).where(
                    col(Partner.id).in_(partner_ids_of(session=session, user=user))
                )
            )
        ),
        history=history_of(session=session, partner_ids=owners, semester=semester),
    )


def history_of(*, session: Session, partner_ids: list[int], semester: Semester) -> list[Card]:
    """Approved opdrachten of these partners in earlier semesters: what may be continued."""
    co = select(OpdrachtCopartner.opdracht_id).where(
        col(OpdrachtCopartner.partner_id).in_(partner_ids)
    )
    stmt = (
        select(Opdracht)
        .join(Semester, col(Semester.id) == Opdracht.semester_id)
        .where(
            earlier_than(semester),
            Opdracht.status == OpdrachtStatus.APPROVED,
            col(Opdracht.owner_partner_id).in_(partner_ids) | col(Opdracht.id).in_(co),
        )
        .order_by(*newest_first(), col(Opdracht.title))
    )
    return cards(session=session, opdrachten=session.exec(stmt))


def snapshot(session: Session, opdracht: Opdracht) -> dict[str, Any]:
    values = OpdrachtForm.from_card(card_of(session=session, opdracht=opdracht)).values()
    return {**values, "status": str(opdracht.status), "version": opdracht.version}


def set_links(*, session: Session, opdracht_id: int, form: OpdrachtForm) -> None:
    for model, column, name in LINKS:
        wanted = set(getattr(form, name))
        key = getattr(model, column)
        stmt = select(key).where(model.opdracht_id == opdracht_id)  # type: ignore[attr-defined]
        present = set(session.exec(stmt))
        if present - wanted:
            session.exec(
                delete(model).where(
                    model.opdracht_id == opdracht_id,  # type: ignore[attr-defined]
                    col(key).in_(present - wanted),
                )
            )
        session.add_all(model(opdracht_id=opdracht_id, **{column: i}) for i in wanted - present)
    session.flush()
    session.expire_all()


def _status(submit: bool) -> OpdrachtStatus:
    return OpdrachtStatus.SUBMITTED if submit else OpdrachtStatus.DRAFT


def create_opdracht(
    *, session: Session, user: User, semester_id: int, form: OpdrachtForm, submit: bool
) -> Opdracht:
    semester = session.get(Semester, semester_id)
    if semester is None:
        raise NotFound()
    access.require_intake_open(semester)
    values = form.validate(
        form_options(session=session, user=user, semester=semester),
        creating=True,
        submitting=submit,
    )
    owner_partner_id = parse_id(form.owner_partner_id)
    if form.errors or owner_partner_id is None:
        raise InvalidInput()
    opdracht = Opdracht(
        **values,
        semester_id=semester_id,
        owner_partner_id=owner_partner_id,
        status=_status(submit),
        created_by_id=user.id,
    )
    session.add(opdracht)
    session.flush()
    assert opdracht.id is not None
    set_links(session=session, opdracht_id=opdracht.id, form=form)
    after = snapshot(session, opdracht)
    record(
        session=session,
        actor=user,
        action="opdracht.create",
        entity="opdracht",
        entity_id=opdracht.id,
        semester_id=semester_id,
        after=after,
    )
    if submit:
        opdracht_submitted(session=session, opdracht=opdracht)
    session.commit()
    return opdracht


def _last_change(session: Session, opdracht_id: int) -> str:
    stmt = (
        select(AuditEvent, User)
        .join(User, col(User.id) == AuditEvent.actor_id)
        .where(AuditEvent.entity == "opdracht", AuditEvent.entity_id == str(opdracht_id))
        .order_by(col(AuditEvent.id).desc())
    )
    row = session.exec(stmt).first()
    return row[1].name if row else ""


def update_opdracht(
    *, session: Session, user: User, opdracht_id: int, form: OpdrachtForm, submit: bool
) -> Opdracht:
    opdracht, semester = access.get_editable(session=session, user=user, opdracht_id=opdracht_id)
    card = card_of(session=session, opdracht=opdracht)
    form.owner_partner_id = str(opdracht.owner_partner_id)
    values = form.validate(
        form_options(session=session, user=user, semester=semester, card=card),
        creating=False,
        submitting=submit,
    )
    if form.errors:
        raise InvalidInput()
    before = snapshot(session, opdracht)
    if not bump(session=session, opdracht=opdracht, status=_status(submit), version=form.version):
        current = card_of(session=session, opdracht=opdracht)
        raise StaleOpdracht(OpdrachtForm.from_card(current), _last_change(session, opdracht_id))
    for name, value in values.items():
        setattr(opdracht, name, value)
    set_links(session=session, opdracht_id=opdracht_id, form=form)
    record(
        session=session,
        actor=user,
        action="opdracht.update",
        entity="opdracht",
        entity_id=opdracht_id,
        semester_id=semester.id,
        before=before,
        after=snapshot(session, opdracht),
    )
    if submit:
        opdracht_submitted(session=session, opdracht=opdracht)
    session.commit()
    return opdracht


def bump(
    *, session: Session, opdracht: Opdracht, status: OpdrachtStatus, version: str, **values: Any
) -> bool:
    """A change of content or status: a new version, so older forms become stale. Written
    only if the opdracht still has the ``version`` the form showed (one conditional
    statement, app.versioning); False when someone else saved first."""
    return claim(session, opdracht, version=version, status=status, updated_at=utcnow(), **values)


def change_status(
    *, session: Session, user: User, opdracht_id: int, version: str, action: str
) -> Opdracht:
    """A partner submits a draft for review or withdraws an opdracht."""
    opdracht, semester = access.get_editable(session=session, user=user, opdracht_id=opdracht_id)
    allowed = {
        "submit": ({OpdrachtStatus.DRAFT}, OpdrachtStatus.SUBMITTED),
        "withdraw": (set(OpdrachtStatus) - {OpdrachtStatus.WITHDRAWN}, OpdrachtStatus.WITHDRAWN),
    }
    sources, target = allowed[action]
    if opdracht.status not in sources:
        raise Conflict(lazy("This is not possible for an opdracht with this status."))
    if action == "submit":
        form = OpdrachtForm.from_card(card_of(session=session, opdracht=opdracht))
        if not form.check_complete():
            raise Incomplete(form)
    before = {"status": str(opdracht.status), "version": opdracht.version}
    if not bump(session=session, opdracht=opdracht, status=target, version=version):
        raise Conflict(STALE)
    record(
        session=session,
        actor=user,
        action=f"opdracht.{action}",
        entity="opdracht",
        entity_id=opdracht_id,
        semester_id=semester.id,
        before=before,
        after={"status": str(target), "version": opdracht.version},
    )
    if target == OpdrachtStatus.SUBMITTED:
        opdracht_submitted(session=session, opdracht=opdracht)
    session.commit()
    return opdracht
