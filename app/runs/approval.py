"""Approve teams per leerkring, publish the semester, reopen it.

Publishing refreshes the JSON API's snapshot (``sync_publication``) in the same
transaction, so the API serves exactly what was published, and nothing half-way. Reopening
leaves that snapshot as it was: the timetabling system keeps the last published teams until
the semester is published again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlmodel import Session, select

from app.audit import record
from app.errors import Conflict, Forbidden, InvalidInput
from app.i18n import gettext as _
from app.i18n import lazy
from app.memberships import leerkring_ids_of
from app.models import (
    Leerkring,
    MatchRun,
    Opdracht,
    Phase,
    Role,
    Semester,
    Team,
    TeamStatus,
    User,
    utcnow,
)
from app.notifications.publication import send_publication
from app.runs.load import RunState, load_run
from app.runs.services import RUN_PHASES
from app.runs.snapshot import sync_publication
from app.semesters import current_run, require_phase
from app.versioning import claim

NO_LEERKRING = 0  # teams of opdrachten without a leerkring; only an admin approves them

CHANGED_SINCE = lazy(
    "The teams of this leerkring changed since you opened the page. Check them and approve again."
)
PHASE_CHANGED = lazy("The phase of this semester was changed in the meantime. Look again.")


@dataclass
class LeerkringGroup:
    leerkring_id: int
    name: str
    teams: list[Team] = field(default_factory=list)
    may_approve: bool = False

    @property
    def approved(self) -> int:
        return sum(1 for t in self.teams if t.status == TeamStatus.APPROVED)

    @property
    def token(self) -> str:
        """A fingerprint of the teams' versions: approval refuses a page that is out of date."""
        raw = ",".join(f"{t.id}:{t.version}" for t in sorted(self.teams, key=lambda t: t.id or 0))
        return hashlib.sha256(raw.encode()).hexdigest()[:16]


def groups(
    *, session: Session, run: MatchRun, user: User, state: RunState | None = None
) -> list[LeerkringGroup]:
    """The current run's formed teams grouped by their opdracht's leerkring (``state``: the
    run's teams when the caller has loaded them already)."""
    state = load_run(session, run) if state is None else state
    own = leerkring_ids_of(session=session, user=user)
    names = {lk.id: lk.name for lk in session.exec(select(Leerkring))}
    opdrachten = {
        o.id: o
        for o in session.exec(select(Opdracht).where(Opdracht.semester_id == run.semester_id))
    }
    out: dict[int, LeerkringGroup] = {}
    for team in state.teams.values():
        if not state.members.get(team.id or 0):
            continue
        lk = opdrachten[team.opdracht_id].leerkring_id or NO_LEERKRING
        if lk not in out:
            name = names.get(lk) or _(lazy("No leerkring"))
            may = user.role == Role.ADMIN or lk in own
            out[lk] = LeerkringGroup(lk, name, may_approve=may)
        out[lk].teams.append(team)
    return sorted(out.values(), key=lambda g: g.name.lower())


def approve(
    *, session: Session, semester: Semester, leerkring_id: int, token: str, user: User
) -> int:
    """Approve every team of one leerkring in the current run; returns how many."""
    require_phase(semester, *RUN_PHASES)
    run = current_run(session=session, semester_id=semester.id)
    if run is None:
        raise Conflict(lazy("There is no current run to approve."))
    group = _group_to_approve(session, run, user, leerkring_id, token)
    now = utcnow()
    for team in group.teams:
        # Conditional on the version the page showed (the token): a team changed or
        # approved by someone else at the same moment refuses the whole approval.
        approved = claim(
            session,
            team,
            version=team.version,
            status=TeamStatus.APPROVED,
            approved_by_id=user.id,
            approved_at=now,
        )
        if not approved:
            raise Conflict(CHANGED_SINCE)
    record(
        session=session,
        actor=user,
        action="run.approve",
        entity="leerkring",
        entity_id=leerkring_id,
        semester_id=semester.id,
        after={"run": run.id, "teams": [t.id for t in group.teams]},
    )
    session.commit()
    return len(group.teams)


def _group_to_approve(
    session: Session, run: MatchRun, user: User, leerkring_id: int, token: str
) -> LeerkringGroup:
    """The leerkring's teams in ``run``, as the page showed them (``token``) and which
    ``user`` may approve; refused otherwise."""
    group = next(
        (g for g in groups(session=session, run=run, user=user) if g.leerkring_id == leerkring_id),
        None,
    )
    if group is None:
        raise InvalidInput(lazy("This leerkring has no teams in the current run."))
    if not group.may_approve:
        raise Forbidden(lazy("You can only approve the teams of your own leerkring."))
    if token != group.token:
        raise Conflict(CHANGED_SINCE)
    return group


def publish(*, session: Session, semester: Semester, user: User) -> None:
    """Publish the current run's teams once all are approved; hooks and mails in one go."""
    require_phase(semester, *RUN_PHASES)
    run = current_run(session=session, semester_id=semester.id)
    if run is None:
        raise Conflict(lazy("There is no current run to publish."))
    pending = [
        g.name for g in groups(session=session, run=run, user=user) if g.approved < len(g.teams)
    ]
    if pending:
        raise Conflict(
            lazy("Not all teams are approved yet: {leerkringen}."), leerkringen=", ".join(pending)
        )
    before = semester.phase
    # One statement, conditional on the phase read: of two publish clicks at once, the
    # second publishes (and mails) nothing.
    if not claim(
        session, semester, expect={"phase": before}, phase=Phase.PUBLISHED, publication_at=utcnow()
    ):
        raise Conflict(PHASE_CHANGED)
    sync_publication(session=session, semester=semester)
    mails = send_publication(session=session, semester=semester, run=run)
    record(
        session=session,
        actor=user,
        action="semester.publish",
        entity="semester",
        entity_id=semester.id,
        semester_id=semester.id,
        before={"phase": before},
        after={"phase": Phase.PUBLISHED, "run": run.id, "mails": mails},
    )
    session.commit()


def reopen(*, session: Session, semester: Semester, user: User, reason: str) -> None:
    """Take a published semester back to review; changes after publication need this."""
    require_phase(semester, Phase.PUBLISHED)
    reason = reason.strip()[:500]
    if not reason:
        raise InvalidInput(lazy("Give a reason for reopening."))
    if not claim(session, semester, expect={"phase": Phase.PUBLISHED}, phase=Phase.REVIEW):
        raise Conflict(PHASE_CHANGED)
    record(
        session=session,
        actor=user,
        action="semester.reopen",
        entity="semester",
        entity_id=semester.id,
        semester_id=semester.id,
        before={"phase": Phase.PUBLISHED},
        after={"phase": Phase.REVIEW},
        reason=reason,
    )
    session.commit()
