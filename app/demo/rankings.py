"""Demo rankings: every student ranks eligible approved opdrachten, with a popularity skew."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlmodel import Session

from app.demo.opdrachten import OpdrachtSpec
from app.demo.people import Student
from app.demo.vocabulary import DEMO_LEERKRING
from app.models import Opdracht, OpdrachtStatus, Preference

UNRANKED_SHARE = 0.05  # students who have not ranked yet
OWN_LEERKRING_BONUS = 3.0
REQUIRED_PROGRAMME_BONUS = 2.0
DEMO_STUDENT_GROUP = "ouderen"


@dataclass(frozen=True)
class Offer:
    """An approved opdracht as the students see it."""

    opdracht_id: int
    leerkring: str
    years: tuple[int, ...]
    groups: tuple[str, ...]
    required: tuple[str, ...]
    weight: float


def is_eligible(eligible_years: Iterable[int], year: int) -> bool:
    """An empty list of eligible years means: open to every year."""
    years = list(eligible_years)
    return not years or year in years


def offers(
    rng: random.Random, specs: Iterable[OpdrachtSpec], rows: dict[str, Opdracht]
) -> list[Offer]:
    result = []
    for spec in specs:
        if spec.status != OpdrachtStatus.APPROVED:
            continue
        opdracht_id = rows[spec.key].id
        assert opdracht_id is not None
        weight = spec.popularity * rng.uniform(0.6, 1.4)
        result.append(
            Offer(opdracht_id, spec.leerkring, spec.years, spec.groups, spec.required, weight)
        )
    return result


def add_rankings(
    session: Session,
    rng: random.Random,
    semester_id: int,
    students: Sequence[Student],
    available: Sequence[Offer],
    ranks: int,
) -> int:
    """Add the preferences; returns how many students have ranked."""
    others = [s for s in students if not s.is_demo]
    unranked = {s.profile_id for s in rng.sample(others, k=round(len(others) * UNRANKED_SHARE))}
    ranked = 0
    for student in students:
        if student.profile_id in unranked:
            continue
        eligible = [o for o in available if is_eligible(o.years, student.year)]
        chosen = (
            _demo_choice(eligible, ranks)
            if student.is_demo
            else _draw(rng, student, eligible, ranks)
        )
        session.add_all(
            Preference(
                semester_id=semester_id,
                student_id=student.profile_id,
                opdracht_id=offer.opdracht_id,
                rank=rank,
            )
            for rank, offer in enumerate(chosen, start=1)
        )
        ranked += 1
    return ranked


def _draw(rng: random.Random, student: Student, eligible: list[Offer], ranks: int) -> list[Offer]:
    """Weighted sampling without replacement: popular and nearby opdrachten come first."""
    pool = list(eligible)
    weights = [_appeal(student, offer) for offer in pool]
    chosen: list[Offer] = []
    while pool and len(chosen) < ranks:
        i = rng.choices(range(len(pool)), weights=weights)[0]
        chosen.append(pool.pop(i))
        weights.pop(i)
    return chosen


def _appeal(student: Student, offer: Offer) -> float:
    weight = offer.weight
    if offer.leerkring == student.leerkring:
        weight *= OWN_LEERKRING_BONUS
    if student.programme in offer.required:
        weight *= REQUIRED_PROGRAMME_BONUS
    return weight


def _demo_choice(eligible: list[Offer], ranks: int) -> list[Offer]:
    """The demo student ranks opdrachten for older people, those nearby first."""
    for_older = [o for o in eligible if DEMO_STUDENT_GROUP in o.groups]
    for_older.sort(key=lambda o: (o.leerkring != DEMO_LEERKRING, -o.weight))
    return for_older[:ranks]
