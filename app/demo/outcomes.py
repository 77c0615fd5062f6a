"""Demo outcomes: an older closed semester 2025-S2 before 2026-S1, published teams in both,
and what came of them (deliverables, learning effects, evaluations), so the impact overview
shows chains and trends at once: Welzijn op Recept runs from 2025-S2 to the current 2026-S2."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app.demo.catalogue import FIVE_PM, Ids, add_opdrachten
from app.demo.opdrachten import OpdrachtSpec
from app.demo.people import Student
from app.models import (
    Deliverable,
    DeliverableKind,
    LearningEffect,
    Leerkring,
    LeerkringWijkdocent,
    Opdracht,
    OpdrachtCopartner,
    OpdrachtStatus,
    Partner,
    PartnerPlan,
    Phase,
    Programme,
    PublishedMember,
    PublishedTeam,
    Semester,
    StudentProfile,
    TeamOutcome,
    TeamOutcomeEffect,
    User,
)

OLDER_SEMESTER = "2025-S2"
OLDER_OPDRACHTEN = (
    OpdrachtSpec(
        "wor-start",
        "Welzijn op Recept: wat vragen huisartsen?",
        "Stichting Eerstelijnszorg Midden Betuwe",
        "Overbetuwe",
        "Vraag huisartsen en praktijkondersteuners in Elst wanneer zij aan welzijn denken "
        "voor mensen met psychosociale klachten, en wat hen tegenhoudt.",
        themes=("anders-zorgen",),
        groups=("psychosociale-klachten",),
    ),
    OpdrachtSpec(
        "woonwensen-valburg",
        "Woonwensen van ouderen in Valburg opgehaald",
        "Woonstichting Valburg",
        "Overbetuwe",
        "Haal met huurders van 70 jaar en ouder op hoe zij over verhuizen denken.",
        themes=("wonen-en-zorg",),
        groups=("ouderen",),
    ),
    OpdrachtSpec(
        "week-tegen-armoede",
        "Week tegen Armoede in Elst",
        "Gemeente Overbetuwe",
        "Overbetuwe",
        "Organiseer met vrijwilligers een week van ontmoeting en informatie over geldzorgen.",
        themes=("armoede",),
        groups=("werknemers-met-geldzorgen",),
    ),
    OpdrachtSpec(
        "kleine-kernen-liemers",
        "Ontmoeten in de kleine kernen van de Liemers",
        "Rijn IJssel",
        "Liemers",
        "Breng met inwoners in kaart waar zij elkaar in hun dorp nog ontmoeten.",
        groups=("inwoners-kleine-kernen",),
    ),
)
# Which older opdracht each 2026-S1 opdracht continues.
CONTINUES = {"wor-verkenning": "wor-start", "hop-on-hop-off": "woonwensen-valburg"}
EFFECTS = {
    # Overbetuwe's Ontwikkelboom: the learning effects the network chose together.
    "Overbetuwe": (
        ("inwoner", "De inwoner heeft regie", "Residents are in charge"),
        (
            "professional",
            "De professional kent de eigen expertise",
            "Professionals know their expertise",
        ),
        (
            "samenwerking",
            "Organisaties werken over grenzen samen",
            "Organisations work across boundaries",
        ),
        ("student", "De student leert interprofessioneel", "Students learn interprofessionally"),
        ("netwerk", "Het netwerk deelt kennis", "The network shares knowledge"),
    ),
    "Liemers": (
        ("multilevel", "Multilevel leren (mbo en hbo)", "Multilevel learning (mbo and hbo)"),
        (
            "kleine-kernen",
            "Inwoners van kleine kernen doen mee",
            "Residents of small villages take part",
        ),
    ),
}
RESULTS = {  # per opdracht key: (kind, title, summary) of what its teams delivered
    "wor-start": ("onderzoek", "Wat huisartsen nodig hebben om te verwijzen", "Twaalf interviews."),
    "woonwensen-valburg": (
        "advies",
        "Woonwensen van ouderen in Valburg",
        "Advies aan de woonstichting.",
    ),
    "week-tegen-armoede": ("activiteit", "Programma Week tegen Armoede", "Vijf bijeenkomsten."),
    "kleine-kernen-liemers": ("onderzoek", "Ontmoetingsplekken in de kleine kernen", "Een kaart."),
    "wor-verkenning": (
        "advies",
        "Wegwijzer welzijnsactiviteiten voor verwijzers",
        "Een wegwijzer.",
    ),
    "hop-on-hop-off": ("spel", "Hop-on-Hop-off: het spel", "Een bordspel met gesprekskaarten."),
    "kletsbot-verkenning": ("product", "Gespreksbibliotheek voor Kletsbot", "Zestig gesprekken."),
    "geldzorgen-elearning": (
        "advies",
        "Verbeterpunten voor de e-learning",
        "Getest met acht leidinggevenden.",
    ),
    "liemerslab-herijkt": ("onderzoek", "Vraagstukken van de Liemers", "Een agenda voor het lab."),
}


def add_outcomes(
    session: Session,
    rng: random.Random,
    ids: Ids,
    past: Semester,
    past_rows: dict[str, Opdracht],
    students: list[Student],
) -> Semester:
    """The older semester and the outcomes of both closed semesters; returns 2025-S2."""
    older = Semester(
        code=OLDER_SEMESTER,
        name="Semester 2 2025",
        phase=Phase.CLOSED,
        starts_on=(past.starts_on or datetime.now()) - timedelta(days=182),
        intake_deadline=(past.intake_deadline or datetime.now()) - timedelta(days=182),
        ranking_deadline=(past.ranking_deadline or datetime.now()) - timedelta(days=182),
        publication_at=(past.publication_at or datetime.now()) - timedelta(days=182) + FIVE_PM,
    )
    session.add(older)
    session.flush()
    older_rows = add_opdrachten(session, older, OLDER_OPDRACHTEN, ids, {})
    for key, earlier in CONTINUES.items():
        past_rows[key].continues_id = older_rows[earlier].id
    effects = _effects(session, ids)
    for semester, rows in ((older, older_rows), (past, past_rows)):
        _semester_outcomes(session, rng, semester, rows, students, effects)
    return older


def _effects(session: Session, ids: Ids) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for kring, specs in EFFECTS.items():
        rows = [
            LearningEffect(
                leerkring_id=ids.leerkringen[kring], code=c, name_nl=nl, name_en=en, sort_order=i
            )
            for i, (c, nl, en) in enumerate(specs)
        ]
        session.add_all(rows)
        session.flush()
        found[ids.leerkringen[kring]] = [r.id for r in rows if r.id is not None]
    return found


def _semester_outcomes(
    session: Session,
    rng: random.Random,
    semester: Semester,
    rows: dict[str, Opdracht],
    students: list[Student],
    effects: dict[int, list[int]],
) -> None:
    kinds = {k.code: k.id for k in session.exec(select(DeliverableKind))}
    supervisors: dict[int, int] = {}
    for kring_id, user_id in session.exec(
        select(LeerkringWijkdocent.leerkring_id, LeerkringWijkdocent.user_id).order_by(
            col(LeerkringWijkdocent.user_id)
        )
    ):
        supervisors.setdefault(kring_id, user_id)
    continued = {
        o.continues_id: o.id
        for o in session.exec(select(Opdracht).where(col(Opdracht.continues_id).is_not(None)))
    }
    pool = [s for s in students if not s.is_demo]
    rng.shuffle(pool)
    taken = 0
    for key, opdracht in rows.items():
        if opdracht.status != OpdrachtStatus.APPROVED or opdracht.id is None:
            continue
        for number in range(1, opdracht.teams + 1):
            size = rng.randint(3, 5)
            team = _published(
                session, semester, opdracht, number, pool[taken : taken + size], supervisors
            )
            taken += size
            follow = continued.get(opdracht.id)
            _outcome(session, rng, team, key, kinds, effects, supervisors, follow)


def _published(
    session: Session,
    semester: Semester,
    opdracht: Opdracht,
    number: int,
    members: list[Student],
    supervisors: dict[int, int],
) -> PublishedTeam:
    copartners = select(OpdrachtCopartner.partner_id).where(
        OpdrachtCopartner.opdracht_id == opdracht.id
    )
    partner_ids = [opdracht.owner_partner_id, *session.exec(copartners)]
    names = {
        p.id: p.name for p in session.exec(select(Partner).where(col(Partner.id).in_(partner_ids)))
    }
    kring = session.get(Leerkring, opdracht.leerkring_id) if opdracht.leerkring_id else None
    supervisor = session.get(User, supervisors.get(opdracht.leerkring_id or 0, 0))
    team = PublishedTeam(
        semester_id=semester.id or 0,
        opdracht_id=opdracht.id or 0,
        team_number=number,
        opdracht_title=opdracht.title,
        partners=[{"id": p, "name": names[p], "owner": i == 0} for i, p in enumerate(partner_ids)],
        leerkring_id=opdracht.leerkring_id,
        leerkring_name=kring.name if kring else None,
        location=opdracht.location,
        supervisor_id=supervisor.id if supervisor else None,
        supervisor_name=supervisor.name if supervisor else None,
        content_hash="demo",
        published_at=semester.publication_at or datetime.now(),
    )
    session.add(team)
    session.flush()
    _add_members(session, semester, team, members)
    return team


def _add_members(
    session: Session, semester: Semester, team: PublishedTeam, members: list[Student]
) -> None:
    for student in members:
        profile = session.get(StudentProfile, student.profile_id)
        assert profile is not None
        user = session.get(User, profile.user_id)
        programme = session.get(Programme, profile.programme_id)
        assert user is not None
        assert programme is not None
        session.add(
            PublishedMember(
                semester_id=semester.id or 0,
                team_id=team.id or 0,
                student_id=student.profile_id,
                student_number=profile.student_number,
                name=user.name,
                programme_code=programme.code,
                programme_name=programme.name_nl,
                year=profile.year,
            )
        )


def _outcome(
    session: Session,
    rng: random.Random,
    team: PublishedTeam,
    key: str,
    kinds: dict[str, int | None],
    effects: dict[int, list[int]],
    supervisors: dict[int, int],
    follow: int | None,
) -> None:
    plan = PartnerPlan.CONTINUE if follow else rng.choice((PartnerPlan.USE, PartnerPlan.STOP))
    moment = (team.published_at or datetime.now()) + timedelta(days=140)
    outcome = TeamOutcome(
        published_team_id=team.id or 0,
        semester_id=team.semester_id,
        opdracht_id=team.opdracht_id,
        usefulness=rng.randint(4, 5) if follow else rng.randint(2, 5),
        partner_plan=plan,
        follow_up=follow is not None,
        follow_up_opdracht_id=follow,
        evaluated_at=moment,
        confirmed_by_id=supervisors.get(team.leerkring_id or 0),
        confirmed_at=moment + timedelta(days=3),
        updated_at=moment + timedelta(days=3),
        version=3,
    )
    session.add(outcome)
    session.flush()
    session.add(_deliverable(outcome, team, key, kinds))
    chosen = effects.get(team.leerkring_id or 0, [])
    for effect_id in rng.sample(chosen, min(2, len(chosen))):
        session.add(TeamOutcomeEffect(outcome_id=outcome.id or 0, learning_effect_id=effect_id))


def _deliverable(
    outcome: TeamOutcome, team: PublishedTeam, key: str, kinds: dict[str, int | None]
) -> Deliverable:
    kind, title, summary = RESULTS.get(key, ("advies", team.opdracht_title, ""))
    return Deliverable(
        outcome_id=outcome.id or 0,
        kind_id=kinds[kind] or 0,
        title=title if team.team_number == 1 else f"{title} (team {team.team_number})",
        summary=summary,
        link=f"https://zorgalliantie.example.org/opbrengsten/{key}-{team.team_number}",
        public_by_team=True,
        public_by_partner=outcome.partner_plan != PartnerPlan.STOP,
    )
