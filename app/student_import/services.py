"""Import students: validate every row, then create or update accounts and profiles.

The student number is the key: a re-import updates the student it names and never adds a
second one. Valid rows are imported and bad rows are skipped and reported with their line;
a dry run reports the same and writes nothing. New students get an invitation link by mail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.audit import record
from app.auth.services import INVITE_STUDENT, invite
from app.config import Settings
from app.errors import InvalidInput
from app.i18n import lazy
from app.models import Leerkring, Programme, Role, StudentProfile, User
from app.parsing import ascii_int, normalise_email
from app.student_import.parse import RawRow

STUDENT_NUMBER = re.compile(r"^[A-Za-z0-9-]{1,32}$")
NO_FILE = lazy("Choose a CSV or XLSX file to import.")


@dataclass
class RowError:
    line: int
    message: str  # an English message id, formatted with ``params``
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Student:
    """A valid row, resolved against programmes and leerkringen."""

    line: int
    student_number: str
    name: str
    email: str
    programme_id: int
    year: int
    leerkring_id: int | None


@dataclass
class ImportReport:
    dry_run: bool
    created: list[Student] = field(default_factory=list)
    updated: list[Student] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.created) + len(self.updated) + self.unchanged + len(self.errors)


class _Lookups:
    def __init__(self, session: Session) -> None:
        self.programmes: dict[str, int] = {}
        for p in session.exec(select(Programme)):
            assert p.id is not None
            for name in (p.code, p.name_nl, p.name_en):
                self.programmes.setdefault(name.strip().lower(), p.id)
        self.leerkringen = {
            lk.name.strip().lower(): lk.id for lk in session.exec(select(Leerkring)) if lk.id
        }
        self.profiles = {p.student_number: p for p in session.exec(select(StudentProfile))}
        self.users_by_email = {u.email: u for u in session.exec(select(User))}
        self.users_by_id = {u.id: u for u in self.users_by_email.values()}


def _validate(row: RawRow, look: _Lookups) -> Student | RowError:
    v = row.values
    number, name, email = v["student_number"], v["name"], normalise_email(v["email"])
    if not STUDENT_NUMBER.match(number):
        return RowError(row.line, lazy("The student number is missing or not valid."))
    if not name or len(name) > 200:
        return RowError(row.line, lazy("The name is missing or longer than 200 characters."))
    if email is None:
        return RowError(row.line, lazy("The e-mail address is missing or not valid."))
    programme_id = look.programmes.get(v["programme"].lower())
    if programme_id is None:
        return RowError(row.line, lazy("Unknown programme: {value}."), {"value": v["programme"]})
    year = ascii_int(v["year"].removesuffix(".0"))
    if year is None or not 1 <= year <= 6:
        return RowError(row.line, lazy("The year must be a number from 1 to 6."))
    leerkring_id = None
    if v.get("leerkring"):
        leerkring_id = look.leerkringen.get(v["leerkring"].lower())
        if leerkring_id is None:
            return RowError(
                row.line, lazy("Unknown leerkring: {value}."), {"value": v["leerkring"]}
            )
    owner = look.users_by_email.get(email)
    profile = look.profiles.get(number)
    if owner is not None and (profile is None or profile.user_id != owner.id):
        return RowError(row.line, lazy("The e-mail address belongs to another account."))
    return Student(row.line, number, name, email, programme_id, year, leerkring_id)


def _classify(rows: list[RawRow], look: _Lookups, report: ImportReport) -> None:
    seen_numbers: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for row in rows:
        result = _validate(row, look)
        if isinstance(result, RowError):
            report.errors.append(result)
            continue
        for seen, key in ((seen_numbers, result.student_number), (seen_emails, result.email)):
            if key in seen:
                report.errors.append(
                    RowError(
                        row.line, lazy("Repeats line {line} of the file."), {"line": seen[key]}
                    )
                )
                break
        else:
            seen_numbers[result.student_number] = seen_emails[result.email] = row.line
            profile = look.profiles.get(result.student_number)
            if profile is None:
                report.created.append(result)
            elif _changes(result, profile, look.users_by_id[profile.user_id]):
                report.updated.append(result)
            else:
                report.unchanged += 1


def _changes(s: Student, profile: StudentProfile, user: User) -> bool:
    now = (user.name, user.email, profile.programme_id, profile.year, profile.leerkring_id)
    return now != (s.name, s.email, s.programme_id, s.year, s.leerkring_id)


def import_students(
    *, session: Session, rows: list[RawRow], actor: User, settings: Settings, dry_run: bool
) -> ImportReport:
    if not dry_run:
        _one_import_at_a_time(session)
    look = _Lookups(session)
    report = ImportReport(dry_run=dry_run)
    _classify(rows, look, report)
    if dry_run:
        return report
    try:
        with session.begin_nested():
            for s in report.updated:
                _update(session, look, s)
            for s in report.created:
                _create(session, s, actor, settings)
    except IntegrityError as exc:
        # Rows that swap e-mail addresses between students in one file, or an account made
        # with one of these addresses by hand at this moment: nothing is written.
        raise InvalidInput(lazy("Two students in the file swap e-mail addresses.")) from exc
    record(
        session=session,
        actor=actor,
        action="student.import",
        entity="student_profile",
        after={
            "created": [s.student_number for s in report.created],
            "updated": [s.student_number for s in report.updated],
            "unchanged": report.unchanged,
            "errors": len(report.errors),
        },
    )
    session.commit()
    return report


# Any constant: the key of PostgreSQL's advisory lock that imports take in turn.
_IMPORT_LOCK = 0x6F6D_1A0A


def _one_import_at_a_time(session: Session) -> None:
    """Imports run one after another, each reading what the one before committed: two
    colleagues importing the same new students at once then create them once (the second
    import finds them unchanged) instead of colliding on the unique e-mail and number.
    PostgreSQL: an advisory lock held until this transaction ends. SQLite: its single
    writer already does this (every transaction begins IMMEDIATE, app.db)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _IMPORT_LOCK})


def _update(session: Session, look: _Lookups, s: Student) -> None:
    profile = look.profiles[s.student_number]
    user = look.users_by_id[profile.user_id]
    user.name, user.email = s.name, s.email
    profile.programme_id, profile.year, profile.leerkring_id = (
        s.programme_id,
        s.year,
        s.leerkring_id,
    )
    user.version += 1
    profile.version += 1
    session.add_all([user, profile])


def _create(session: Session, s: Student, actor: User, settings: Settings) -> None:
    user = User(email=s.email, name=s.name, role=Role.STUDENT)
    session.add(user)
    session.flush()
    assert user.id is not None
    session.add(
        StudentProfile(
            user_id=user.id,
            student_number=s.student_number,
            programme_id=s.programme_id,
            year=s.year,
            leerkring_id=s.leerkring_id,
        )
    )
    invite(session=session, user=user, created_by=actor, settings=settings, message=INVITE_STUDENT)
