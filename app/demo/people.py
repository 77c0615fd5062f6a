"""Build the demo people: the beheerder, wijkdocenten, partner users and students.

Nobody gets an invented name: demo people are named by role and number.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlmodel import Session

from app.demo.catalogue import Ids
from app.demo.vocabulary import (
    DEMO_DOMAIN,
    DEMO_LEERKRING,
    DEMO_PARTNER,
    DEMO_STUDENT_PROGRAMME,
    DEMO_STUDENT_YEAR,
    LEERKRINGEN,
    PARTNERS,
    PROGRAMMES,
    ProgrammeSpec,
    login_email,
)
from app.models import LeerkringWijkdocent, PartnerUser, Role, StudentProfile, User
from app.parsing import slugify

# Leerkringen with a second wijkdocent.
SECOND_WIJKDOCENT = ("Overbetuwe", "Brakkenstein")
YEAR_WEIGHTS = {2: 5, 3: 3, 4: 2}
MBO_YEAR_WEIGHTS = {2: 1, 3: 1}
FIRST_STUDENT_NUMBER = 2000100


@dataclass(frozen=True)
class Student:
    profile_id: int
    programme: str
    year: int
    leerkring: str
    is_demo: bool = False


def _user(session: Session, email: str, name: str, role: Role, password_hash: str) -> int:
    user = User(email=email, name=name, role=role, password_hash=password_hash)
    session.add(user)
    session.flush()
    assert user.id is not None
    return user.id


def add_staff(session: Session, ids: Ids, password_hash: str) -> int:
    """The beheerder, wijkdocenten and partner users; returns how many users were added."""
    _user(session, login_email(Role.ADMIN), "Beheerder", Role.ADMIN, password_hash)
    count = 1
    for kring in LEERKRINGEN:
        numbers = (1, 2) if kring.name in SECOND_WIJKDOCENT else (1,)
        for number in numbers:
            user_id = _user(
                session,
                _wijkdocent_email(kring.name, number),
                f"Wijkdocent {kring.name}" + (f" {number}" if number > 1 else ""),
                Role.WIJKDOCENT,
                password_hash,
            )
            session.add(
                LeerkringWijkdocent(leerkring_id=ids.leerkringen[kring.name], user_id=user_id)
            )
            count += 1
    for partner in PARTNERS:
        email = (
            login_email(Role.PARTNER)
            if partner.name == DEMO_PARTNER
            else f"medewerker.{slugify(partner.name, '.')}@{DEMO_DOMAIN}"
        )
        user_id = _user(session, email, f"Medewerker {partner.name}", Role.PARTNER, password_hash)
        session.add(PartnerUser(partner_id=ids.partners[partner.name], user_id=user_id))
        ids.partner_users[partner.name] = user_id
        count += 1
    return count


def _wijkdocent_email(leerkring: str, number: int) -> str:
    if leerkring == DEMO_LEERKRING and number == 1:
        return login_email(Role.WIJKDOCENT)
    suffix = f".{number}" if number > 1 else ""
    return f"wijkdocent.{slugify(leerkring, '.')}{suffix}@{DEMO_DOMAIN}"


def add_students(
    session: Session, rng: random.Random, ids: Ids, password_hash: str
) -> list[Student]:
    """The demo student first, then numbered students of every programme."""
    students = [
        _add_student(
            session,
            ids,
            password_hash,
            Student(0, DEMO_STUDENT_PROGRAMME, DEMO_STUDENT_YEAR, DEMO_LEERKRING, is_demo=True),
            FIRST_STUDENT_NUMBER - 1,
        )
    ]
    number = 0
    for programme in PROGRAMMES:
        for _ in range(programme.students):
            number += 1
            year, leerkring = _draw_year_and_leerkring(rng, programme)
            draft = Student(0, programme.code, year, leerkring)
            students.append(
                _add_student(session, ids, password_hash, draft, FIRST_STUDENT_NUMBER + number)
            )
    return students


def _draw_year_and_leerkring(rng: random.Random, programme: ProgrammeSpec) -> tuple[int, str]:
    if programme.school != "HAN":  # MBO students of Rijn IJssel work in the Liemerslab
        weights = MBO_YEAR_WEIGHTS
        leerkring = "Liemers"
    else:
        weights = YEAR_WEIGHTS
        kringen = [k.name for k in LEERKRINGEN]
        leerkring = rng.choices(kringen, weights=[k.weight for k in LEERKRINGEN])[0]
    year = rng.choices(list(weights), weights=list(weights.values()))[0]
    return year, leerkring


def _add_student(
    session: Session, ids: Ids, password_hash: str, draft: Student, student_number: int
) -> Student:
    if draft.is_demo:
        email, name = login_email(Role.STUDENT), "Demostudent"
    else:
        serial = student_number - FIRST_STUDENT_NUMBER
        email, name = f"student{serial:03d}@{DEMO_DOMAIN}", f"Student {serial:03d}"
    user_id = _user(session, email, name, Role.STUDENT, password_hash)
    school = next(p.school for p in PROGRAMMES if p.code == draft.programme)
    profile = StudentProfile(
        user_id=user_id,
        student_number=str(student_number),
        programme_id=ids.programmes[draft.programme],
        year=draft.year,
        leerkring_id=ids.leerkringen[draft.leerkring],
        school=school,
    )
    session.add(profile)
    session.flush()
    assert profile.id is not None
    return Student(profile.id, draft.programme, draft.year, draft.leerkring, draft.is_demo)
