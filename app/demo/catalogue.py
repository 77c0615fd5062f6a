"""Build the demo vocabulary, partners, semesters and opdrachten."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, SQLModel

from app.demo.opdrachten import OpdrachtSpec
from app.demo.vocabulary import (
    DEMO_DOMAIN,
    LEERKRINGEN,
    PARTNERS,
    PROGRAMMES,
    TARGET_GROUPS,
    THEMES,
)
from app.models import (
    Leerkring,
    Opdracht,
    OpdrachtCopartner,
    OpdrachtRequiredProgramme,
    OpdrachtTargetGroup,
    OpdrachtTheme,
    Partner,
    PartnerLeerkring,
    Phase,
    Programme,
    Semester,
    TargetGroup,
    Theme,
)
from app.parsing import slugify

PAST_SEMESTER = "2026-S1"
CURRENT_SEMESTER = "2026-S2"
FOCUS_THEME = "wonen-en-zorg"
FIVE_PM = timedelta(hours=17)


@dataclass
class Ids:
    """Database ids of the demo records, by code or name."""

    programmes: dict[str, int] = field(default_factory=dict)
    leerkringen: dict[str, int] = field(default_factory=dict)
    themes: dict[str, int] = field(default_factory=dict)
    groups: dict[str, int] = field(default_factory=dict)
    partners: dict[str, int] = field(default_factory=dict)
    partner_users: dict[str, int] = field(default_factory=dict)


def _ids(session: Session, rows: Iterable[tuple[str, SQLModel]]) -> dict[str, int]:
    pairs = list(rows)
    session.add_all([row for _, row in pairs])
    session.flush()
    result: dict[str, int] = {}
    for key, row in pairs:
        row_id = getattr(row, "id", None)
        assert isinstance(row_id, int)
        result[key] = row_id
    return result


def _add_themes(session: Session, ids: Ids) -> None:
    for parents_pass in (True, False):  # parents first, so children can refer to them
        specs = [t for t in THEMES if (t.parent is None) == parents_pass]
        ids.themes |= _ids(
            session,
            (
                (
                    t.code,
                    Theme(
                        code=t.code,
                        name_nl=t.name_nl,
                        name_en=t.name_en,
                        parent_id=ids.themes[t.parent] if t.parent else None,
                    ),
                )
                for t in specs
            ),
        )


def add_vocabulary(session: Session) -> Ids:
    ids = Ids()
    ids.programmes = _ids(
        session,
        (
            (p.code, Programme(code=p.code, name_nl=p.name_nl, name_en=p.name_en, sort_order=i))
            for i, p in enumerate(PROGRAMMES, start=1)
        ),
    )
    ids.leerkringen = _ids(
        session,
        (
            (k.name, Leerkring(name=k.name, region=k.region, description=k.description))
            for k in LEERKRINGEN
        ),
    )
    _add_themes(session, ids)
    ids.groups = _ids(
        session,
        (
            (g.code, TargetGroup(code=g.code, name_nl=g.name_nl, name_en=g.name_en))
            for g in TARGET_GROUPS
        ),
    )
    return ids


def add_partners(session: Session, ids: Ids) -> None:
    ids.partners = _ids(
        session,
        (
            (
                p.name,
                Partner(
                    name=p.name,
                    kind=p.kind,
                    website=f"https://{slugify(p.name)}.{DEMO_DOMAIN}",
                    description=p.description,
                ),
            )
            for p in PARTNERS
        ),
    )
    session.add_all(
        PartnerLeerkring(partner_id=ids.partners[p.name], leerkring_id=ids.leerkringen[name])
        for p in PARTNERS
        for name in p.leerkringen
    )


def add_semesters(session: Session, ids: Ids, now: datetime) -> tuple[Semester, Semester]:
    """The closed semester before, and the current one in the ranking phase."""
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    past = Semester(
        code=PAST_SEMESTER,
        name="Semester 1 2026",
        phase=Phase.CLOSED,
        starts_on=(today - timedelta(days=290)).date(),
        intake_deadline=today - timedelta(days=340) + FIVE_PM,
        ranking_deadline=today - timedelta(days=315) + FIVE_PM,
        publication_at=today - timedelta(days=305),
    )
    current = Semester(
        code=CURRENT_SEMESTER,
        name="Semester 2 2026: samen wonen, leven en zorgen",
        phase=Phase.RANKING,
        starts_on=(today + timedelta(days=70)).date(),
        intake_deadline=today - timedelta(days=7) + FIVE_PM,
        ranking_deadline=today + timedelta(days=10) + FIVE_PM,
        publication_at=today + timedelta(days=24),
        default_min_size=3,
        default_max_size=5,
        default_max_per_programme=2,
        default_min_programmes=2,
        number_of_ranks=5,
        focus_theme_id=ids.themes[FOCUS_THEME],
        rank_costs=[0, 1, 3, 6, 10],
        unranked_cost=None,
        unplaced_cost=100,
    )
    session.add_all([past, current])
    session.flush()
    return past, current


def add_opdrachten(
    session: Session,
    semester: Semester,
    specs: Iterable[OpdrachtSpec],
    ids: Ids,
    earlier: dict[str, int],
) -> dict[str, Opdracht]:
    """Add the opdrachten with their links; `earlier` maps keys of opdrachten they continue."""
    assert semester.id is not None
    specs = list(specs)
    rows = {spec.key: _opdracht(semester.id, spec, ids, earlier) for spec in specs}
    session.add_all(rows.values())
    session.flush()
    for spec in specs:
        _add_links(session, rows[spec.key], spec, ids)
    return rows


def _opdracht(semester_id: int, spec: OpdrachtSpec, ids: Ids, earlier: dict[str, int]) -> Opdracht:
    region = next(k.region for k in LEERKRINGEN if k.name == spec.leerkring)
    return Opdracht(
        semester_id=semester_id,
        owner_partner_id=ids.partners[spec.partner],
        title=spec.title,
        description=spec.description,
        leerkring_id=ids.leerkringen[spec.leerkring],
        location=region,
        eligible_years=list(spec.years),
        teams=spec.teams,
        min_size=3,
        max_size=spec.max_size,
        max_per_programme=2,
        min_programmes=2,
        contact_name=f"Coördinator {spec.title.split(':')[0]}",
        contact_email=f"{slugify(spec.partner)}@{DEMO_DOMAIN}",
        status=spec.status,
        review_comment=spec.review_comment,
        continues_id=earlier[spec.continues] if spec.continues else None,
        created_by_id=ids.partner_users.get(spec.partner),
    )


def _add_links(session: Session, row: Opdracht, spec: OpdrachtSpec, ids: Ids) -> None:
    assert row.id is not None
    session.add_all(
        [OpdrachtCopartner(opdracht_id=row.id, partner_id=ids.partners[p]) for p in spec.copartners]
        + [OpdrachtTheme(opdracht_id=row.id, theme_id=ids.themes[t]) for t in spec.themes]
        + [
            OpdrachtTargetGroup(opdracht_id=row.id, target_group_id=ids.groups[g])
            for g in spec.groups
        ]
        + [
            OpdrachtRequiredProgramme(opdracht_id=row.id, programme_id=ids.programmes[c])
            for c in spec.required
        ]
    )
