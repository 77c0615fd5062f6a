"""A student's ranking of the semester's opdrachten: read it, and change it by any path.

Every way of changing the ranking (the drag-and-drop order, the add, remove and move
buttons) ends in ``save_order``, so all paths obey the same rules and give the same rows.

A ranking is *complete* when it holds from the semester's fewest to its most choices
(``Semester.ranking_length``) of distinct opdrachten the student is eligible for. Shorter
lists may be saved while the student builds the ranking (autosave); longer lists are refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import bindparam, insert, true
from sqlmodel import Session, col, delete, select

from app.audit import record_now
from app.errors import InvalidInput, NotFound
from app.groups.queries import GroupView, group_of
from app.i18n import lazy
from app.models import Phase, Preference, Semester, StudentProfile, User, utcnow
from app.semesters import (
    current_semester,
    deadline_passed,
    newest_first,
    require_before,
    require_phase,
)
from app.students.eligibility import (
    FilterOptions,
    Filters,
    Offer,
    describe,
    eligible_ids,
    eligible_opdrachten,
)

MOVES = ("up", "down")


def own_profile(session: Session, user: User) -> StudentProfile:
    """The logged-in student's own profile (the session decides, never the URL)."""
    profile = session.exec(select(StudentProfile).where(StudentProfile.user_id == user.id)).first()
    if profile is None:
        raise NotFound(lazy("Your account has no student profile; ask your wijkdocent."))
    return profile


def ranking_semester(session: Session) -> Semester:
    """The semester being ranked: the newest in the ranking phase, else the current one.

    The next semester's intake may already be open while this one is being ranked.
    """
    stmt = select(Semester).where(Semester.phase == Phase.RANKING)
    semester = session.exec(stmt.order_by(*newest_first())).first()
    semester = semester or current_semester(session=session)
    if semester is None:
        raise NotFound(lazy("There is no semester yet."))
    return semester


def student_and_semester(session: Session, user: User) -> tuple[StudentProfile, Semester]:
    return own_profile(session, user), ranking_semester(session)


# The deadline rush runs these for every save: built once, so no request pays for building
# the statement or its cache key.
_PROFILE_AND_RANKED_SEMESTER = (
    select(StudentProfile, Semester)
    .join(Semester, true())  # one profile beside the newest semester being ranked
    .where(col(StudentProfile.user_id) == bindparam("user_id"), Semester.phase == Phase.RANKING)
    .order_by(*newest_first())
    .limit(1)
    # Saves of one student wait for each other (two tabs, a double click): each then sees
    # the rows the other wrote, instead of both inserting beside them (a unique violation).
    # SQLite needs no lock: its transactions write one at a time.
    .with_for_update(of=StudentProfile)
)
_DELETE_RANKING = (
    delete(Preference)
    .where(
        col(Preference.semester_id) == bindparam("semester_id"),
        col(Preference.student_id) == bindparam("student_id"),
    )
    .returning(col(Preference.rank), col(Preference.opdracht_id))
)
_INSERT_PREFERENCE = insert(Preference.__table__)  # type: ignore[attr-defined]


def _student_and_ranked_semester(session: Session, user: User) -> tuple[StudentProfile, Semester]:
    """``student_and_semester`` in one query when a semester is being ranked (the case of
    every save that can succeed); otherwise the two queries, which give the right refusal."""
    row = session.exec(_PROFILE_AND_RANKED_SEMESTER, params={"user_id": user.id}).first()
    return row if row is not None else student_and_semester(session, user)


def stored_order(session: Session, semester: Semester, profile: StudentProfile) -> list[int]:
    stmt = select(Preference.opdracht_id).where(
        Preference.semester_id == semester.id, Preference.student_id == profile.id
    )
    return list(session.exec(stmt.order_by(col(Preference.rank))))


def editable(semester: Semester) -> bool:
    return semester.phase == Phase.RANKING and not deadline_passed(semester.ranking_deadline)


@dataclass
class RankingView:
    semester: Semester
    profile: StudentProfile
    choices: list[Offer]
    offers: list[Offer]  # the eligible opdrachten that pass the filters
    options: FilterOptions
    filters: Filters
    dropped: int = 0  # stored choices that are no longer open to this student
    error: str = ""
    errors: list[str] = field(default_factory=list)
    group: GroupView | None = None  # the student's group (app.groups), if any

    @property
    def required(self) -> int:
        return self.semester.ranking_length()[1]

    @property
    def minimum(self) -> int:
        return self.semester.ranking_length()[0]

    @property
    def complete(self) -> bool:
        return self.minimum <= len(self.choices) <= self.required and not self.dropped

    @property
    def editable(self) -> bool:
        return editable(self.semester)

    @property
    def chosen_ids(self) -> set[int]:
        return {c.id for c in self.choices}


def ranking_view(*, session: Session, user: User, filters: Filters) -> RankingView:
    profile, semester = student_and_semester(session, user)
    offers = describe(
        session, eligible_opdrachten(session=session, semester=semester, profile=profile)
    )
    by_id = {offer.id: offer for offer in offers}
    order = stored_order(session, semester, profile)
    choices = [by_id[i] for i in order if i in by_id]
    return RankingView(
        semester=semester,
        profile=profile,
        choices=choices,
        offers=[o for o in offers if filters.keep(o)],
        options=FilterOptions.of(offers),
        filters=filters,
        dropped=len(order) - len(choices),
        group=group_of(session, semester.id, profile.id),
    )


def _check(order: list[int], eligible: set[int], required: int) -> list[str]:
    problems = []
    if len(set(order)) != len(order):
        problems.append(lazy("Each opdracht can be chosen only once."))
    if any(i not in eligible for i in order):
        problems.append(lazy("You can only choose approved opdrachten that are open to you."))
    if len(order) > required:
        problems.append(lazy("You can choose at most {n} opdrachten; remove one first."))
    return problems


@dataclass(frozen=True)
class Saved:
    """A saved ranking and the semester's most choices (complete from ``minimum`` up to
    that length: every saved id was checked to be open to the student)."""

    order: list[int]
    required: int
    minimum: int | None = None  # None: exactly ``required``

    @property
    def complete(self) -> bool:
        return (self.minimum or self.required) <= len(self.order) <= self.required


def take_ranking(session: Session, semester_id: int, student_id: int) -> list[int]:
    """Delete the student's ranking rows with one DELETE that answers the old order."""
    old = session.execute(
        _DELETE_RANKING, {"semester_id": semester_id, "student_id": student_id}
    ).all()
    return [opdracht_id for _rank, opdracht_id in sorted(old)]


def put_ranking(
    session: Session,
    semester_id: int,
    student_id: int,
    order: list[int],
    *,
    actor: User,
    before: list[int],
    action: str = "ranking.save",
    **note: object,
) -> None:
    """Insert ``order`` (first = rank 1) in one INSERT, after ``take_ranking`` removed the old
    rows (the unique student-and-rank rows), and the audit event of the change (``note``
    goes beside the new order)."""
    record_now(
        session=session,
        actor=actor,
        action=action,
        entity="student_profile",
        entity_id=student_id,
        semester_id=semester_id,
        before={"order": before},
        after={"order": order, **note},
    )
    if not order:
        return
    now = utcnow()
    rows = [
        {
            "semester_id": semester_id,
            "student_id": student_id,
            "opdracht_id": i,
            "rank": r,
            "updated_at": now,
        }
        for r, i in enumerate(order, start=1)
    ]
    session.execute(_INSERT_PREFERENCE, rows)


def save_order(*, session: Session, user: User, order: list[int]) -> list[int]:
    """Replace the student's ranking with ``order`` (first = rank 1) in one transaction."""
    return save_ranking(session=session, user=user, order=order).order


def save_ranking(*, session: Session, user: User, order: list[int]) -> Saved:
    """``save_order``, also answering the number of ranks. The deadline rush comes here, so
    it reads only the columns it checks and writes with plain statements (no ORM objects):
    the old rows go with one DELETE that answers what they were, the new rows come in one
    INSERT, the audit event in another."""
    profile, semester = _student_and_ranked_semester(session, user)
    minimum, required = semester.ranking_length()
    require_phase(semester, Phase.RANKING)
    require_before(semester.ranking_deadline, lazy("The ranking deadline has passed."))
    problems = _check(
        order, eligible_ids(session=session, semester=semester, profile=profile), required
    )
    if problems:
        raise InvalidInput(problems[0], errors=problems, n=required)
    assert semester.id is not None
    assert profile.id is not None
    before = take_ranking(session, semester.id, profile.id)
    if before == order:
        session.rollback()  # nothing changes: the old rows stay, no audit event
        return Saved(order, required, minimum)
    put_ranking(session, semester.id, profile.id, order, actor=user, before=before)
    session.commit()
    return Saved(order, required, minimum)


def _current(session: Session, user: User) -> list[int]:
    """The stored order without choices that are no longer open (they cannot be kept)."""
    profile, semester = student_and_semester(session, user)
    eligible = {
        o.id for o in eligible_opdrachten(session=session, semester=semester, profile=profile)
    }
    return [i for i in stored_order(session, semester, profile) if i in eligible]


def add(*, session: Session, user: User, opdracht_id: int) -> list[int]:
    order = _current(session, user)
    if opdracht_id in order:
        return save_order(session=session, user=user, order=order)
    return save_order(session=session, user=user, order=[*order, opdracht_id])


def remove(*, session: Session, user: User, opdracht_id: int) -> list[int]:
    order = _current(session, user)
    if opdracht_id not in order:
        raise InvalidInput(lazy("This opdracht is not in your ranking."))
    return save_order(session=session, user=user, order=[i for i in order if i != opdracht_id])


def move(*, session: Session, user: User, opdracht_id: int, direction: str) -> list[int]:
    """Move one choice a place up or down; at the top or bottom nothing changes."""
    order = _current(session, user)
    if opdracht_id not in order or direction not in MOVES:
        raise InvalidInput(lazy("This opdracht is not in your ranking."))
    i = order.index(opdracht_id)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(order):
        order[i], order[j] = order[j], order[i]
    return save_order(session=session, user=user, order=order)
