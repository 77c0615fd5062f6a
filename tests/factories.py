"""Small builders for test rows; each returns the flushed object."""

from __future__ import annotations

from functools import lru_cache
from itertools import count

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.auth.services import start_session
from app.cookies import SESSION_COOKIE
from app.models import (
    Leerkring,
    LeerkringWijkdocent,
    Opdracht,
    OpdrachtStatus,
    Partner,
    PartnerUser,
    Phase,
    Programme,
    Role,
    Semester,
    StudentProfile,
    TargetGroup,
    Theme,
    User,
)
from app.security import hash_password

PASSWORD = "correct-horse-battery"
_seq = count(1)


@lru_cache
def _hash(password: str) -> str:
    return hash_password(password)


def user(session: Session, role: Role = Role.STUDENT, **kw: object) -> User:
    n = next(_seq)
    obj = User(
        email=str(kw.pop("email", f"user{n}@example.org")),
        name=str(kw.pop("name", f"{role} {n}")),
        role=role,
        password_hash=_hash(str(kw.pop("password", PASSWORD))),
        **kw,  # type: ignore[arg-type]
    )
    session.add(obj)
    session.flush()
    return obj


def login(client: TestClient, session: Session, who: User) -> TestClient:
    """Log ``client`` in as ``who``. The CSRF token is bound to the session: the client asks
    for the new one (as a browser gets it with its next page) and sends it like htmx does
    when it sent one before."""
    client.cookies.set(
        SESSION_COOKIE, start_session(session=session, user=who), domain="testserver.local"
    )
    client.get("/healthz")
    if "X-CSRF-Token" in client.headers:
        client.headers["X-CSRF-Token"] = client.cookies["om_csrf"]
    return client


def programme(session: Session, code: str = "FT") -> Programme:
    obj = Programme(code=f"{code}{next(_seq)}", name_nl=code, name_en=code)
    session.add(obj)
    session.flush()
    return obj


def leerkring(session: Session, name: str = "Overbetuwe") -> Leerkring:
    obj = Leerkring(name=f"{name} {next(_seq)}")
    session.add(obj)
    session.flush()
    return obj


def partner(session: Session, name: str = "Forte Welzijn", *users: User) -> Partner:
    obj = Partner(name=f"{name} {next(_seq)}")
    session.add(obj)
    session.flush()
    for u in users:
        assert obj.id is not None
        assert u.id is not None
        session.add(PartnerUser(partner_id=obj.id, user_id=u.id))
    session.flush()
    return obj


def semester(session: Session, phase: Phase = Phase.INTAKE, **kw: object) -> Semester:
    obj = Semester(code=str(kw.pop("code", f"2099-S{next(_seq)}")), phase=phase, **kw)  # type: ignore[arg-type]
    session.add(obj)
    session.flush()
    return obj


def opdracht(session: Session, sem: Semester, owner: Partner, **kw: object) -> Opdracht:
    assert sem.id is not None
    assert owner.id is not None
    obj = Opdracht(
        semester_id=sem.id,
        owner_partner_id=owner.id,
        title=str(kw.pop("title", f"Opdracht {next(_seq)}")),
        status=kw.pop("status", OpdrachtStatus.APPROVED),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )
    session.add(obj)
    session.flush()
    return obj


def student(session: Session, prog: Programme, year: int = 2, **kw: object) -> StudentProfile:
    u = user(session, Role.STUDENT)
    assert u.id is not None
    assert prog.id is not None
    obj = StudentProfile(
        user_id=u.id,
        student_number=f"{2000000 + next(_seq)}",
        programme_id=prog.id,
        year=year,
        **kw,  # type: ignore[arg-type]
    )
    session.add(obj)
    session.flush()
    return obj


def theme(session: Session, name: str = "Wonen en zorg", parent: Theme | None = None) -> Theme:
    obj = Theme(
        code=f"theme-{next(_seq)}",
        name_nl=name,
        name_en=name,
        parent_id=parent.id if parent else None,
    )
    session.add(obj)
    session.flush()
    return obj


def target_group(session: Session, name: str = "Ouderen") -> TargetGroup:
    obj = TargetGroup(code=f"group-{next(_seq)}", name_nl=name, name_en=name)
    session.add(obj)
    session.flush()
    return obj


def wijkdocent(session: Session, *kringen: Leerkring) -> User:
    """A wijkdocent who reviews and supervises the given leerkringen."""
    obj = user(session, Role.WIJKDOCENT)
    for kring in kringen:
        assert kring.id is not None
        assert obj.id is not None
        session.add(LeerkringWijkdocent(leerkring_id=kring.id, user_id=obj.id))
    session.flush()
    return obj
