"""Demo vocabulary: programmes, leerkringen, themes, target groups, partners and logins.

The texts are Dutch because users see them; names and places come from the seed texts of the
Zorgalliantie. People are never named: demo accounts carry a role and a number.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.models import PartnerKind, Role

DEMO_DOMAIN = "demo.opdrachtmatch.nl"
DEMO_PASSWORD = "demo-wachtwoord-2026"  # noqa: S105 - public demo password, documented


@dataclass(frozen=True)
class ProgrammeSpec:
    code: str
    name_nl: str
    name_en: str
    students: int  # how many demo students follow it
    school: str = "HAN"


@dataclass(frozen=True)
class LeerkringSpec:
    name: str
    region: str
    description: str
    weight: int  # relative share of the demo students


@dataclass(frozen=True)
class VocabularySpec:
    code: str
    name_nl: str
    name_en: str
    parent: str | None = None


@dataclass(frozen=True)
class PartnerSpec:
    name: str
    kind: PartnerKind
    leerkringen: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class DemoLogin:
    role: Role
    email: str
    label: str


PROGRAMMES = (
    ProgrammeSpec("SW", "Social Work", "Social Work", 44),
    ProgrammeSpec("VP", "Verpleegkunde", "Nursing", 36),
    ProgrammeSpec("FT", "Fysiotherapie", "Physiotherapy", 27),
    ProgrammeSpec("ET", "Ergotherapie", "Occupational Therapy", 17),
    ProgrammeSpec("LO", "Logopedie", "Speech and Language Therapy", 12),
    ProgrammeSpec("VD", "Voeding en Diëtetiek", "Nutrition and Dietetics", 14),
    ProgrammeSpec("TP", "Toegepaste Psychologie", "Applied Psychology", 22),
    ProgrammeSpec(
        "MBO-SW",
        "MBO Sociaal Werk (Rijn IJssel)",
        "Social Work, MBO level (Rijn IJssel)",
        8,
        school="Rijn IJssel",
    ),
)
HAN_PROGRAMME_CODES = ("SW", "VP", "FT", "ET", "LO", "VD", "TP")

LEERKRINGEN = (
    LeerkringSpec(
        "Overbetuwe",
        "Elst, gemeente Overbetuwe",
        "Lab en Werkplaats Overbetuwe in Elst: een netwerk van wonen, welzijn, zorg en "
        "onderwijs in de gemeente Overbetuwe, met studenten van zeven opleidingen.",
        30,
    ),
    LeerkringSpec(
        "Liemers",
        "Liemers (Zevenaar, Duiven, Westervoort)",
        "Liemerslab: samenwerking tussen de Zorgalliantie, HAN en Rijn IJssel rond de kleine "
        "kernen en vraagstukken 'van boer naar burger'; multilevel en interprofessioneel leren.",
        20,
    ),
    LeerkringSpec(
        "Achterhoek",
        "Doetinchem en omgeving",
        "Sociaal-artistieke werkplaats en innovatiecampus: de regio als proeftuin, Doetinchem "
        "als campus, op weg naar de gezondste regio van Nederland.",
        10,
    ),
    LeerkringSpec(
        "Lingewaard",
        "Bemmel, Huissen en Gendt",
        "Krachtige Regionale Leerkring Lingewaard: welzijn, sociaal ondernemerschap en "
        "armoedebestrijding in de dorpen van Lingewaard.",
        12,
    ),
    LeerkringSpec(
        "Brakkenstein",
        "Nijmegen-Zuid",
        "Krachtige Regionale Leerkring Brakkenstein: onderzoek en innovatie dicht bij het "
        "vuur, in de wijk en bij de huisartsenpost.",
        18,
    ),
    LeerkringSpec(
        "Gemert",
        "Gemert-Bakel",
        "Krachtige Regionale Leerkring Gemert: langer thuis wonen en mantelzorg in de kernen "
        "van Gemert-Bakel.",
        6,
    ),
    LeerkringSpec(
        "Uden",
        "Uden en Maashorst",
        "Krachtige Regionale Leerkring Uden: gezond leven, leren en wonen, met sociaal "
        "ondernemers en collectieve woonvormen in Uden-Noord.",
        10,
    ),
)

THEMES = (
    VocabularySpec("wonen", "Wonen", "Housing"),
    VocabularySpec("leven", "Leven", "Living"),
    VocabularySpec("zorgen", "Zorgen", "Care"),
    VocabularySpec("collectief-wonen", "Collectief wonen", "Collective housing", "wonen"),
    VocabularySpec("wonen-en-zorg", "Wonen en zorg", "Housing and care", "wonen"),
    VocabularySpec("ervaringsdeskundigheid", "Ervaringsdeskundigheid", "Lived experience", "leven"),
    VocabularySpec("armoede", "Armoede", "Poverty", "leven"),
    VocabularySpec("nieuwkomers", "Nieuwkomers", "Newcomers", "leven"),
    VocabularySpec(
        "sociaal-ondernemerschap", "Sociaal ondernemerschap", "Social entrepreneurship", "leven"
    ),
    VocabularySpec(
        "onderwijs-en-arbeidsmarkt",
        "Onderwijs en arbeidsmarkt",
        "Education and labour market",
        "leven",
    ),
    VocabularySpec(
        "anders-zorgen",
        "Anders zorgen / positieve gezondheid",
        "Caring differently / positive health",
        "zorgen",
    ),
    VocabularySpec(
        "technologie-in-zorg-en-welzijn",
        "Technologie in zorg en welzijn",
        "Technology in care and welfare",
        "zorgen",
    ),
    VocabularySpec("gezondste-regio", "De gezondste regio", "The healthiest region", "zorgen"),
)

TARGET_GROUPS = (
    VocabularySpec("ouderen", "Ouderen", "Older people"),
    VocabularySpec("jongeren", "Jongeren", "Young people"),
    VocabularySpec("kinderen", "Kinderen (kansrijk opgroeien)", "Children (growing up well)"),
    VocabularySpec(
        "nieuwkomers", "Nieuwkomers en statushouders", "Newcomers and refugees with a permit"
    ),
    VocabularySpec(
        "psychosociale-klachten",
        "Mensen met psychosociale klachten",
        "People with psychosocial complaints",
    ),
    VocabularySpec("mantelzorgers", "Mantelzorgers", "Informal carers"),
    VocabularySpec(
        "werknemers-met-geldzorgen",
        "Werknemers met geldzorgen",
        "Employees with money worries",
    ),
    VocabularySpec(
        "inwoners-kleine-kernen",
        "Inwoners van kleine kernen",
        "Residents of small villages",
    ),
)

_K = PartnerKind
PARTNERS = (
    PartnerSpec(
        "Gemeente Overbetuwe",
        _K.MUNICIPALITY,
        ("Overbetuwe",),
        "Team Sociaal Domein van de gemeente Overbetuwe.",
    ),
    PartnerSpec(
        "Forte Welzijn",
        _K.WELFARE,
        ("Overbetuwe", "Lingewaard"),
        "Welzijnsorganisatie met opbouwwerk en de Huiskamers van Overbetuwe.",
    ),
    PartnerSpec(
        "Stichting Eerstelijnszorg Midden Betuwe",
        _K.CARE,
        ("Overbetuwe",),
        "Samenwerkende huisartsen en eerstelijnszorg in de Midden Betuwe.",
    ),
    PartnerSpec(
        "MEE",
        _K.WELFARE,
        ("Overbetuwe", "Liemers", "Lingewaard"),
        "Onafhankelijke cliëntondersteuning voor mensen met een beperking.",
    ),
    PartnerSpec(
        "Woonstichting Valburg",
        _K.HOUSING,
        ("Overbetuwe",),
        "Woningcorporatie in de Overbetuwe.",
    ),
    PartnerSpec(
        "Driestroom",
        _K.CARE,
        ("Lingewaard", "Brakkenstein"),
        "Zorg en ondersteuning voor mensen met een beperking; ondernemersgroep.",
    ),
    PartnerSpec("Rijnstate", _K.CARE, ("Liemers",), "Ziekenhuisorganisatie in de regio Arnhem."),
    PartnerSpec(
        "RijnWaal Zorggroep", _K.CARE, ("Liemers",), "Ouderenzorg, wonen met zorg en thuiszorg."
    ),
    PartnerSpec(
        "Warkhouse",
        _K.KNOWLEDGE,
        ("Achterhoek",),
        "Actieonderzoeksbureau en sociaal ondernemer in de Achterhoek.",
    ),
    PartnerSpec(
        "Kletsbot",
        _K.SOCIAL_ENTERPRISE,
        ("Brakkenstein", "Uden"),
        "Sociaal ondernemers met een aanpak tegen eenzaamheid: techniek plus menselijk contact.",
    ),
    PartnerSpec(
        "Movisie",
        _K.KNOWLEDGE,
        ("Brakkenstein", "Lingewaard"),
        "Landelijk kennisinstituut voor het sociaal domein.",
    ),
    PartnerSpec(
        "Rijn IJssel",
        _K.EDUCATION,
        ("Liemers",),
        "MBO-instelling; partner in het Liemerslab.",
    ),
    PartnerSpec(
        "Gemeente Doetinchem",
        _K.MUNICIPALITY,
        ("Achterhoek",),
        "Gemeente en proeftuin van de innovatiecampus.",
    ),
    PartnerSpec(
        "ZorgSaamWonen",
        _K.HOUSING,
        ("Overbetuwe", "Brakkenstein"),
        "Platform voor wonen en zorg; ontwikkelt het spel Hop-on-Hop-off door.",
    ),
    PartnerSpec(
        "ABC Bemmel",
        _K.SOCIAL_ENTERPRISE,
        ("Lingewaard",),
        "Sociaal ondernemer en ontmoetingsplek in Bemmel.",
    ),
    PartnerSpec("Compass Uden", _K.SOCIAL_ENTERPRISE, ("Uden",), "Sociaal ondernemer in Uden."),
    PartnerSpec(
        "Campus Uden",
        _K.SOCIAL_ENTERPRISE,
        ("Uden",),
        "Leer- en werkplaats voor gezond leven, leren en wonen.",
    ),
    PartnerSpec("MuzeRijk", _K.SOCIAL_ENTERPRISE, ("Uden",), "Ontmoetingsplek in Uden."),
    PartnerSpec(
        "Zorgcoöperatie Reek",
        _K.OTHER,
        ("Uden",),
        "Inwoners die in hun dorp voor elkaar zorgen.",
    ),
    PartnerSpec(
        "Spectrum Elan",
        _K.WELFARE,
        ("Brakkenstein",),
        "Steunfunctie voor welzijn; inclusie van nieuwkomers.",
    ),
    PartnerSpec(
        "Samenso",
        _K.SOCIAL_ENTERPRISE,
        ("Brakkenstein",),
        "Sociaal ondernemer voor nieuwkomers in de lokale gemeenschap.",
    ),
    PartnerSpec(
        "iXperium Health",
        _K.KNOWLEDGE,
        ("Liemers", "Brakkenstein"),
        "Expertisecentrum voor technologie in zorg en welzijn.",
    ),
    PartnerSpec(
        "Gemeente Gemert-Bakel",
        _K.MUNICIPALITY,
        ("Gemert",),
        "Gemeente met veel kleine kernen.",
    ),
    PartnerSpec(
        "Werkplaats Sociaal Domein Arnhem Nijmegen",
        _K.KNOWLEDGE,
        ("Brakkenstein", "Lingewaard"),
        "Samenwerking van onderwijs, onderzoek en praktijk in het sociaal domein.",
    ),
)

# The leerkring, partner and programme of the demo logins.
DEMO_LEERKRING = "Overbetuwe"
DEMO_PARTNER = "Gemeente Overbetuwe"
DEMO_STUDENT_PROGRAMME = "FT"
DEMO_STUDENT_YEAR = 2

LOGINS = (
    DemoLogin(Role.ADMIN, f"beheerder@{DEMO_DOMAIN}", "beheerder"),
    DemoLogin(Role.WIJKDOCENT, f"wijkdocent@{DEMO_DOMAIN}", "wijkdocent (Overbetuwe)"),
    DemoLogin(Role.PARTNER, f"partner@{DEMO_DOMAIN}", "partner (Gemeente Overbetuwe)"),
    DemoLogin(Role.STUDENT, f"student@{DEMO_DOMAIN}", "student (Fysiotherapie, jaar 2)"),
)


def login_email(role: Role) -> str:
    return next(login.email for login in LOGINS if login.role == role)
