"""A team's outcome: deliverables, learning effects, the partner's evaluation and the
wijkdocent's confirmation. Every change is a conditional write on the outcome row, so two
people saving at once, or a change racing the confirmation, end in a 409, never in a lost
update; each change is audited in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.audit import record
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.forms import FieldError
from app.i18n import lazy
from app.models import (
    Deliverable,
    DeliverableKind,
    LearningEffect,
    Opdracht,
    Phase,
    TeamOutcome,
    TeamOutcomeEffect,
    User,
    utcnow,
)
from app.outcomes import access, uploads
from app.outcomes.access import TeamAccess
from app.outcomes.followup import follow_up_draft
from app.outcomes.forms import NOTE_MAX, DeliverableForm, EvaluationForm
from app.semesters import require_phase

CHANGED = lazy("Someone else changed this outcome in the meantime. Look again.")
SHARE_PHASES = (Phase.CLOSING, Phase.CLOSED)


@dataclass
class TeamPage:
    found: TeamAccess
    outcome: TeamOutcome | None
    deliverables: list[tuple[Deliverable, DeliverableKind]]
    kinds: list[DeliverableKind]
    effects: list[LearningEffect]
    chosen: set[int] = field(default_factory=set)
    follow_up: Opdracht | None = None


def kinds(*, session: Session) -> list[DeliverableKind]:
    stmt = select(DeliverableKind).where(col(DeliverableKind.active).is_(True))
    return list(session.exec(stmt.order_by(col(DeliverableKind.sort_order))))


def effects_of(*, session: Session, leerkring_id: int | None) -> list[LearningEffect]:
    stmt = select(LearningEffect).where(
        LearningEffect.leerkring_id == leerkring_id, col(LearningEffect.active).is_(True)
    )
    return list(session.exec(stmt.order_by(col(LearningEffect.sort_order))))


def team_page(*, session: Session, user: User, team_id: int) -> TeamPage:
    found = access.load(session, user, team_id)
    outcome = found.outcome
    rows: list[tuple[Deliverable, DeliverableKind]] = []
    chosen: set[int] = set()
    if outcome is not None:
        stmt = (
            select(Deliverable, DeliverableKind)
            .join(DeliverableKind, col(DeliverableKind.id) == Deliverable.kind_id)
            .where(Deliverable.outcome_id == outcome.id)
            .order_by(col(Deliverable.id))
        )
        rows = [(d, k) for d, k in session.exec(stmt)]
        chosen = set(
            session.exec(
                select(TeamOutcomeEffect.learning_effect_id).where(
                    TeamOutcomeEffect.outcome_id == outcome.id
                )
            )
        )
    follow = None
    if outcome is not None and outcome.follow_up_opdracht_id is not None:
        follow = session.get(Opdracht, outcome.follow_up_opdracht_id)
    effects = effects_of(session=session, leerkring_id=found.team.leerkring_id)
    return TeamPage(found, outcome, rows, kinds(session=session), effects, chosen, follow)


def _ensure_outcome(session: Session, found: TeamAccess) -> TeamOutcome:
    """The team's outcome row, made on the first change; two first changes at once both
    end up with the one row (the unique published_team_id decides)."""
    if found.outcome is not None:
        return found.outcome
    team = found.team
    try:
        with session.begin_nested():
            outcome = TeamOutcome(
                published_team_id=team.id or 0,
                semester_id=team.semester_id,
                opdracht_id=team.opdracht_id,
            )
            session.add(outcome)
    except IntegrityError:
        stmt = select(TeamOutcome).where(TeamOutcome.published_team_id == team.id)
        outcome = session.exec(stmt).one()
    found.outcome = outcome
    return outcome


def _bump(session: Session, outcome: TeamOutcome, version: int | None, **values: Any) -> None:
    """Change the outcome if it is not confirmed (and, with ``version``, unchanged since the
    form was shown): one UPDATE; no row means someone came first and nothing is written."""
    stmt = (
        sa.update(TeamOutcome)
        .where(col(TeamOutcome.id) == outcome.id, col(TeamOutcome.confirmed_at).is_(None))
        .values(version=TeamOutcome.version + 1, updated_at=utcnow(), **values)
    )
    if version is not None:
        stmt = stmt.where(col(TeamOutcome.version) == version)
    result: Any = session.execute(stmt)
    if result.rowcount != 1:
        raise Conflict(CHANGED)  # the request's session ends without a commit
    session.refresh(outcome)


def _version(raw: str) -> int:
    """The version the form was shown with (1 before the outcome's first change)."""
    if not raw.isdigit():
        raise Conflict(CHANGED)
    return int(raw)


def _audit(session: Session, user: User, found: TeamAccess, action: str, **after: Any) -> None:
    record(
        session=session,
        actor=user,
        action=action,
        entity="team_outcome",
        entity_id=found.outcome.id if found.outcome else "",
        semester_id=found.semester.id,
        after={"team": found.team.id, **after},
    )


def add_deliverable(
    *,
    session: Session,
    user: User,
    team_id: int,
    form: DeliverableForm,
    file: BinaryIO | None,
    file_name: str,
    folder: Path,
    max_bytes: int,
) -> Deliverable:
    """Record a deliverable; ``InvalidInput`` with messages in ``form.errors``."""
    found = access.load(session, user, team_id)
    _require_recordable(found)
    kind_id = form.validate(
        {k.id for k in kinds(session=session) if k.id}, has_file=file is not None
    )
    stored = _store_upload(form, file, folder, max_bytes)
    if form.errors or kind_id is None:
        raise InvalidInput()
    try:
        outcome = _ensure_outcome(session, found)
        _bump(session, outcome, None)
        row = Deliverable(
            outcome_id=outcome.id or 0,
            kind_id=kind_id,
            title=form.title,
            summary=form.summary,
            link=form.link,
            created_by_id=user.id,
            **_file_columns(stored, file_name),
        )
        session.add(row)
        session.flush()
        _audit(session, user, found, "deliverable.add", deliverable=row.id, title=row.title)
        session.commit()
    except BaseException:
        if stored is not None:  # nothing was recorded: the file goes too
            uploads.remove(folder, stored.stored_name)
        raise
    return row


def _require_recordable(found: TeamAccess) -> None:
    """Only who may record the team's outcome changes it, and only while it is open."""
    if not found.can_record:
        raise Forbidden()
    access.require_open(found)


def _file_columns(stored: uploads.StoredFile | None, file_name: str) -> dict[str, Any]:
    if stored is None:
        return {"file_name": "", "stored_name": "", "file_size": 0}
    name = uploads.safe_name(file_name)
    return {"file_name": name, "stored_name": stored.stored_name, "file_size": stored.size}


def _store_upload(
    form: DeliverableForm, file: BinaryIO | None, folder: Path, max_bytes: int
) -> uploads.StoredFile | None:
    """The uploaded PDF stored, if there is one and the form is valid so far; a refused
    upload becomes the file field's message."""
    if file is None or form.errors:
        return None
    try:
        return uploads.store_pdf(file, folder=folder, max_bytes=max_bytes)
    except uploads.UploadRefused as exc:
        form.errors["file"] = FieldError(exc.message, exc.params)
        return None


def _deliverable(
    session: Session, user: User, deliverable_id: int
) -> tuple[Deliverable, TeamAccess]:
    row = session.get(Deliverable, deliverable_id)
    outcome = session.get(TeamOutcome, row.outcome_id) if row is not None else None
    if row is None or outcome is None:
        raise NotFound()
    return row, access.load(session, user, outcome.published_team_id)


def delete_deliverable(*, session: Session, user: User, deliverable_id: int, folder: Path) -> int:
    """Remove a deliverable (and its file); returns the team's id."""
    row, found = _deliverable(session, user, deliverable_id)
    _require_recordable(found)
    assert found.outcome is not None
    _bump(session, found.outcome, None)
    stored = row.stored_name
    session.delete(row)
    _audit(session, user, found, "deliverable.delete", deliverable=deliverable_id)
    session.commit()
    uploads.remove(folder, stored)  # after the commit: a failed commit keeps the file
    return found.team.id or 0


def set_sharing(*, session: Session, user: User, deliverable_id: int, public: bool) -> int:
    """Opt a deliverable in (or out) of the showcase for the user's side: the team's
    (students, wijkdocent) or the partner's. Consent may change after the confirmation."""
    row, found = _deliverable(session, user, deliverable_id)
    require_phase(found.semester, *SHARE_PHASES)
    if found.partner:
        values = {"public_by_partner": public}
    elif found.can_record:
        values = {"public_by_team": public}
    else:
        raise Forbidden()
    stmt = sa.update(Deliverable).where(col(Deliverable.id) == row.id).values(**values)
    session.execute(stmt.values(updated_at=utcnow()))
    _audit(session, user, found, "deliverable.share", deliverable=row.id, **values)
    session.commit()
    return found.team.id or 0


def save_effects(
    *, session: Session, user: User, team_id: int, effect_ids: list[int], version: str
) -> None:
    found = access.load(session, user, team_id)
    _require_recordable(found)
    allowed = {e.id for e in effects_of(session=session, leerkring_id=found.team.leerkring_id)}
    if not set(effect_ids) <= allowed:
        raise InvalidInput(lazy("Choose learning effects of this leerkring."))
    outcome = _ensure_outcome(session, found)
    _bump(session, outcome, _version(version))
    session.execute(
        sa.delete(TeamOutcomeEffect).where(col(TeamOutcomeEffect.outcome_id) == outcome.id)
    )
    session.add_all(
        TeamOutcomeEffect(outcome_id=outcome.id or 0, learning_effect_id=i) for i in effect_ids
    )
    _audit(session, user, found, "outcome.effects", effects=sorted(effect_ids))
    session.commit()


def evaluate(
    *, session: Session, user: User, team_id: int, form: EvaluationForm
) -> Opdracht | None:
    """The partner's evaluation; with *vervolg gewenst* also the draft for the next semester
    (None when no later semester takes opdrachten yet: the confirmation tries again)."""
    found = access.load(session, user, team_id)
    if not found.can_evaluate:
        raise Forbidden()
    access.require_open(found)
    usefulness, plan = form.validate()
    if form.errors:
        raise InvalidInput()
    outcome = _ensure_outcome(session, found)
    _bump(
        session,
        outcome,
        _version(form.version),
        usefulness=usefulness,
        partner_plan=plan,
        follow_up=form.follow_up,
        partner_comment=form.comment,
        evaluated_by_id=user.id,
        evaluated_at=utcnow(),
    )
    draft = _follow_up(session, user, found, outcome)
    _audit(
        session,
        user,
        found,
        "outcome.evaluate",
        usefulness=usefulness,
        plan=str(plan),
        follow_up=form.follow_up,
        draft=draft.id if draft else None,
    )
    session.commit()
    return draft


def _follow_up(
    session: Session, user: User, found: TeamAccess, outcome: TeamOutcome
) -> Opdracht | None:
    if not outcome.follow_up or outcome.follow_up_opdracht_id is not None:
        return None
    draft = follow_up_draft(session=session, user=user, source=found.opdracht)
    if draft is not None:
        outcome.follow_up_opdracht_id = draft.id
        session.add(outcome)
    return draft


def confirm(*, session: Session, user: User, team_id: int, note: str, version: str) -> None:
    """The wijkdocent confirms the outcome as it stands (the version they saw)."""
    found = access.load(session, user, team_id)
    if not found.can_confirm:
        raise Forbidden()
    access.require_open(found)
    if len(note) > NOTE_MAX:
        raise InvalidInput(lazy("The note is too long."))
    outcome = _ensure_outcome(session, found)
    _bump(
        session,
        outcome,
        _version(version),
        wijkdocent_note=note,
        confirmed_by_id=user.id,
        confirmed_at=utcnow(),
    )
    _follow_up(session, user, found, outcome)
    _audit(session, user, found, "outcome.confirm", note=note)
    session.commit()


def download(
    *, session: Session, user: User, deliverable_id: int, folder: Path
) -> tuple[Path, str]:
    row, _found = _deliverable(session, user, deliverable_id)
    path = uploads.path_of(folder, row.stored_name)
    if path is None:
        raise NotFound()
    return path, row.file_name or "deliverable.pdf"
