"""The publication mails: each placed student, each unplaced student, each partner user.

Every recipient's content (their team, or their teams) is compared with what their last
publication mail said: the same content sends nothing, so a republish mails only the
people whose team changed, and says what changed. The facts hold the previous content as
well, so the idempotency key of a change is unique even when a team changes back.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.audit import record_access
from app.models import (
    LeerkringWijkdocent,
    MatchRun,
    Opdracht,
    OpdrachtCopartner,
    PartnerUser,
    Role,
    Semester,
    User,
)
from app.notifications.compose import Facts
from app.notifications.store import Planned, last_of, send_all
from app.runs.load import OpdrachtInfo, RunState, SemesterData, load_run, load_semester

TOPIC = "publication"


@dataclass
class _World:
    data: SemesterData
    state: RunState
    users: dict[int, User]
    wijkdocenten: dict[int | None, list[User]]  # leerkring id -> wijkdocenten


def _person(user: User | None) -> dict[str, str] | None:
    return {"name": user.name, "email": user.email} if user else None


def _load(session: Session, semester: Semester, run: MatchRun) -> _World:
    users = {u.id or 0: u for u in session.exec(select(User).where(col(User.active).is_(True)))}
    wijkdocenten: dict[int | None, list[User]] = {}
    for link in session.exec(select(LeerkringWijkdocent)):
        if link.user_id in users:
            wijkdocenten.setdefault(link.leerkring_id, []).append(users[link.user_id])
    return _World(load_semester(session, semester), load_run(session, run), users, wijkdocenten)


def _team_facts(w: _World, team_id: int) -> tuple[OpdrachtInfo | None, list[int]]:
    team = w.state.teams[team_id]
    return w.data.opdrachten.get(team.opdracht_id), [m.student_id for m in w.state.members[team_id]]


def _student_now(w: _World, student_id: int) -> Facts:
    info = w.data.students[student_id]
    team_id = w.state.team_of.get(student_id)
    if team_id is None:
        contacts = w.wijkdocenten.get(info.leerkring_id) or [
            u for u in w.users.values() if u.role == Role.ADMIN
        ]
        return {"placed": False, "contacts": [_person(u) for u in contacts]}
    team = w.state.teams[team_id]
    o, member_ids = _team_facts(w, team_id)
    mates = [w.data.students[s] for s in member_ids if s != student_id and s in w.data.students]
    opdracht = o.opdracht if o else None
    return {
        "placed": True,
        "title": opdracht.title if opdracht else "",
        "number": team.index,
        "location": opdracht.location if opdracht else "",
        "contact": (
            {"name": opdracht.contact_name, "email": opdracht.contact_email}
            if opdracht and opdracht.contact_name
            else None
        ),
        "supervisor": _person(w.users.get(team.supervisor_id or 0)),
        "teammates": sorted(({"name": m.name, "email": m.email} for m in mates), key=str),
    }


def _partner_users(session: Session, opdracht_ids: list[int]) -> dict[int, set[int]]:
    """User id -> ids of the partners (owner or co-partner) of these opdrachten it works for."""
    partners: dict[int, set[int]] = {}
    owners = session.exec(
        select(Opdracht.id, Opdracht.owner_partner_id).where(col(Opdracht.id).in_(opdracht_ids))
    )
    copartners = session.exec(
        select(OpdrachtCopartner.opdracht_id, OpdrachtCopartner.partner_id).where(
            col(OpdrachtCopartner.opdracht_id).in_(opdracht_ids)
        )
    )
    for opdracht_id, partner_id in [*owners, *copartners]:
        partners.setdefault(partner_id, set()).add(opdracht_id or 0)
    by_user: dict[int, set[int]] = {}
    for link in session.exec(
        select(PartnerUser).where(col(PartnerUser.partner_id).in_(list(partners)))
    ):
        by_user.setdefault(link.user_id, set()).update(partners[link.partner_id])
    return by_user


def _partner_now(w: _World, opdracht_ids: set[int]) -> Facts:
    teams, no_team = [], []
    chosen = Counter(o for s in w.data.students.values() for o in s.ranking)
    for opdracht_id in sorted(opdracht_ids, key=lambda i: w.data.opdrachten[i].opdracht.title):
        opdracht = w.data.opdrachten[opdracht_id].opdracht
        formed = [
            t for t in w.state.teams.values() if t.opdracht_id == opdracht_id and t.id is not None
        ]
        formed = [t for t in formed if w.state.members.get(t.id or 0)]
        for team in sorted(formed, key=lambda t: t.index):
            members = [w.data.students[m.student_id] for m in w.state.members[team.id or 0]]
            people = [{"name": m.name, "email": m.email} for m in members]
            teams.append(
                {
                    "title": opdracht.title,
                    "number": team.index,
                    "members": sorted(people, key=str),
                }
            )
        if not formed:
            no_team.append(
                {
                    "title": opdracht.title,
                    "ranked_by": chosen[opdracht_id],
                    "min_size": opdracht.min_size,
                }
            )
    return {"teams": teams, "no_team": no_team}


def _thread(
    planned: list[Planned],
    previous: dict[int, Facts],
    user: User,
    kinds: tuple[str, str],
    now: Facts,
    path: str,
    base: Facts,
) -> None:
    """Add the user's mail unless their last publication mail said the same."""
    before = previous.get(user.id or 0)
    if before is not None and before.get("now") == now:
        return
    facts = {**base, "now": now, "before": before.get("now") if before else None}
    kind = kinds[1] if before is not None else kinds[0]
    planned.append(Planned(user, TOPIC, base["scope"], kind, facts, path))


def plan(*, session: Session, semester: Semester, run: MatchRun) -> list[Planned]:
    """The publication mails that publishing ``run`` now would send."""
    w = _load(session, semester, run)
    scope = f"semester:{semester.id}"
    base: Facts = {"scope": scope, "semester": semester.code}
    previous = last_of(session=session, user_ids=list(w.users), topic=TOPIC, scope=scope)
    planned: list[Planned] = []
    for student in w.data.students.values():
        user = w.users.get(student.user_id)
        if user is None:
            continue
        now = _student_now(w, student.id)
        kind = "team_placed" if now["placed"] else "team_unplaced"
        why = {**base, "why": "student", "why_args": {"semester": semester.code}}
        _thread(planned, previous, user, (kind, "team_changed"), now, "/student/team", why)
    by_user = _partner_users(session, list(w.data.opdrachten))
    for user_id, opdracht_ids in sorted(by_user.items()):
        user = w.users.get(user_id)
        if user is None or user.role != Role.PARTNER:
            continue
        now = _partner_now(w, opdracht_ids)
        why = {**base, "why": "partner_semester", "why_args": {"semester": semester.code}}
        kinds = ("partner_teams", "partner_teams_changed")
        _thread(planned, previous, user, kinds, now, "/partner/teams", why)
    return planned


def send_publication(*, session: Session, semester: Semester, run: MatchRun) -> int:
    """Queue the publication mails in the caller's transaction; returns how many are new."""
    return send_all(session=session, planned=plan(session=session, semester=semester, run=run))


@dataclass
class PreviewKind:
    kind: str
    count: int
    subject: str
    text: str
    to: str


def preview(
    *, session: Session, semester: Semester, run: MatchRun, actor: User
) -> list[PreviewKind]:
    """How many mails of each kind publishing would send, with one rendered example each
    (audited: the examples show students' teams and addresses)."""
    planned = plan(session=session, semester=semester, run=run)
    record_access(
        session=session,
        actor=actor,
        action="publication.preview",
        entity="semester",
        entity_id=semester.id,
        semester_id=semester.id,
    )
    counts = Counter(p.kind for p in planned)
    out = []
    for kind, count in sorted(counts.items()):
        example = next(p for p in planned if p.kind == kind)
        mail, text, _html = example.rendered()
        out.append(PreviewKind(kind, count, mail.subject, text, example.user.email))
    return out
