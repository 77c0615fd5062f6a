"""What a demo opdracht looks like, and the opdrachten of the closed semester 2026-S1.

`key` lets a later opdracht continue (`continues`) an earlier one.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.models import OpdrachtStatus


@dataclass(frozen=True)
class OpdrachtSpec:
    key: str
    title: str
    partner: str
    leerkring: str
    description: str
    themes: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    teams: int = 1
    max_size: int = 5
    copartners: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    status: OpdrachtStatus = OpdrachtStatus.APPROVED
    continues: str | None = None
    popularity: float = 1.0
    review_comment: str = ""


PAST_OPDRACHTEN = (
    OpdrachtSpec(
        "wor-verkenning",
        "Welzijn op Recept in Overbetuwe: een eerste verkenning",
        "Stichting Eerstelijnszorg Midden Betuwe",
        "Overbetuwe",
        "Huisartsen verwijzen mensen met psychosociale klachten naar welzijnsactiviteiten in "
        "plaats van alleen doktersadvies. Breng in kaart hoe verwijzers en welzijnswerkers "
        "samenwerken en wat deelnemers ervaren.",
        themes=("anders-zorgen",),
        groups=("psychosociale-klachten",),
        years=(2,),
    ),
    OpdrachtSpec(
        "hop-on-hop-off",
        "Hop-on-Hop-off: een spel over de woonwensen van ouderen",
        "Woonstichting Valburg",
        "Overbetuwe",
        "Ontwerp met ouderen en professionals een spel dat het gesprek opent over de een na "
        "laatste halte in de wooncarrière: wanneer verhuis je, en waarheen?",
        themes=("wonen-en-zorg",),
        groups=("ouderen",),
        copartners=("ZorgSaamWonen",),
    ),
    OpdrachtSpec(
        "kletsbot-verkenning",
        "Kletsbot: gesprekken over eenzaamheid ophalen",
        "Kletsbot",
        "Brakkenstein",
        "Verzamel met inwoners de gesprekken en verhalen die de basis vormen voor een "
        "empathische gesprekspartner tegen eenzaamheid.",
        themes=("technologie-in-zorg-en-welzijn",),
        groups=("ouderen",),
    ),
    OpdrachtSpec(
        "geldzorgen-elearning",
        "Werknemers met geldzorgen: de e-learning getest",
        "Driestroom",
        "Lingewaard",
        "Test met leidinggevenden een e-learning over signalen van geldzorgen bij werknemers "
        "en laagdrempelig doorverwijzen.",
        themes=("armoede",),
        groups=("werknemers-met-geldzorgen",),
        years=(3, 4),
    ),
    OpdrachtSpec(
        "liemerslab-herijkt",
        "Liemerslab herijkt: de regio opnieuw verkend",
        "Rijn IJssel",
        "Liemers",
        "Verken met inwoners en organisaties welke vraagstukken er spelen in de kleine kernen "
        "van de Liemers en welke partners daarbij horen.",
        groups=("inwoners-kleine-kernen",),
    ),
)
