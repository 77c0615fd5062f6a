"""Demo opdrachten of 2026-S2 in the leerkringen Lingewaard, Brakkenstein, Gemert and Uden."""

from __future__ import annotations

from app.demo.opdrachten.spec import OpdrachtSpec
from app.models import OpdrachtStatus

OPDRACHTEN = (
    # --- Lingewaard -----------------------------------------------------------------------
    OpdrachtSpec(
        "week-tegen-armoede",
        "Week tegen Armoede 2026",
        "Forte Welzijn",
        "Lingewaard",
        "Organiseer met partners uit de Zorgalliantie en de Werkplaats Sociaal Domein de Week "
        "tegen Armoede: fysieke en online activiteiten waarin studenten, professionals en "
        "inwoners leren over armoede en wat je eraan kunt doen.",
        themes=("armoede",),
        groups=("werknemers-met-geldzorgen", "kinderen"),
        teams=3,
        max_size=6,
        copartners=("Werkplaats Sociaal Domein Arnhem Nijmegen", "Movisie"),
        popularity=1.5,
    ),
    OpdrachtSpec(
        "geldzorgen-werkvloer",
        "Werknemers met geldzorgen: signaleren op de werkvloer",
        "Driestroom",
        "Lingewaard",
        "Vervolg op de e-learning: ontwikkel met leidinggevenden een gespreksleidraad om "
        "geldzorgen bij werknemers vroeg te signaleren en laagdrempelig door te verwijzen.",
        themes=("armoede",),
        groups=("werknemers-met-geldzorgen",),
        years=(3, 4),
        copartners=("Movisie",),
        continues="geldzorgen-elearning",
    ),
    OpdrachtSpec(
        "sociaal-ondernemen-bemmel",
        "Sociaal ondernemen bij ABC Bemmel",
        "ABC Bemmel",
        "Lingewaard",
        "Hoe maak je de impact van een sociaal ondernemer zichtbaar? Ontwikkel met ABC Bemmel en "
        "de ondernemersgroep van Driestroom een manier om maatschappelijke waarde te meten.",
        themes=("sociaal-ondernemerschap",),
        groups=("psychosociale-klachten",),
        copartners=("Driestroom",),
        popularity=0.8,
    ),
    OpdrachtSpec(
        "jongerenwerk-huissen",
        "Mentale gezondheid van jongeren in Huissen",
        "Forte Welzijn",
        "Lingewaard",
        "Jongerenwerkers zien meer jongeren met somberheid en stress. Onderzoek met jongeren "
        "waar zij steun zoeken en ontwerp een laagdrempelige ontmoetingsplek.",
        themes=("anders-zorgen",),
        groups=("jongeren", "psychosociale-klachten"),
        years=(2,),
        popularity=1.2,
    ),
    OpdrachtSpec(
        "promotiefilm",
        "Promotiefilm voor de open dag",
        "Driestroom",
        "Lingewaard",
        "Maak een promotiefilm over werken bij Driestroom.",
        status=OpdrachtStatus.REJECTED,
        review_comment="Dit is een communicatieklus zonder vraagstuk voor een "
        "interprofessioneel team. Formuleer de vraag opnieuw samen met de wijkdocent.",
    ),
    # --- Brakkenstein ---------------------------------------------------------------------
    OpdrachtSpec(
        "kletsbot",
        "Kletsbot tegen eenzaamheid: het prototype testen",
        "Kletsbot",
        "Brakkenstein",
        "Kletsbot combineert empathische gespreksvoering met nieuwe techniek en betekenisvolle "
        "menselijke interactie. Test het prototype met ouderen in Brakkenstein en onderzoek of "
        "het welbevinden en contact met het eigen netwerk toenemen.",
        themes=("technologie-in-zorg-en-welzijn",),
        groups=("ouderen",),
        teams=2,
        copartners=("iXperium Health",),
        max_size=6,
        continues="kletsbot-verkenning",
        popularity=1.8,
    ),
    OpdrachtSpec(
        "ervaringsdeskundigen-welzijn",
        "Ervaringsdeskundigen in het welzijnswerk",
        "Movisie",
        "Brakkenstein",
        "Welzijnsorganisaties willen ervaringskennis beter benutten. Onderzoek welke routes er "
        "zijn om met ervaringsdeskundigen te werken en wat opleidingen daarin kunnen betekenen.",
        themes=("ervaringsdeskundigheid",),
        groups=("psychosociale-klachten",),
        years=(3, 4),
        copartners=("Spectrum Elan",),
    ),
    OpdrachtSpec(
        "statushouders-taal-gezondheid",
        "Vrouwelijke statushouders: taal en gezondheid",
        "Samenso",
        "Brakkenstein",
        "Ontwikkel met vrouwelijke statushouders een aanpak die taal leren verbindt met "
        "gezondheidsvaardigheden, zoals een gesprek bij de huisarts voorbereiden.",
        themes=("nieuwkomers",),
        groups=("nieuwkomers",),
        copartners=("Spectrum Elan",),
        required=("LO",),
    ),
    OpdrachtSpec(
        "inclusief-meedoen",
        "Inclusief meedoen in de wijk",
        "Driestroom",
        "Brakkenstein",
        "Bewoners met een verstandelijke beperking willen meedoen in de wijk. Onderzoek samen "
        "met hen welke plekken en activiteiten toegankelijk zijn en wat er nog mist.",
        themes=("anders-zorgen",),
        groups=("psychosociale-klachten",),
        years=(2,),
        popularity=0.8,
    ),
    OpdrachtSpec(
        "helder-loket",
        "Eén helder loket voor alles?",
        "Werkplaats Sociaal Domein Arnhem Nijmegen",
        "Brakkenstein",
        "Inwoners worden doorverwezen, maar vaak naar het verkeerde loket. Volg de route van "
        "inwoners met meerdere vragen en adviseer hoe organisaties beter samenwerken.",
        themes=("armoede",),
        groups=("werknemers-met-geldzorgen", "psychosociale-klachten"),
        years=(3, 4),
        status=OpdrachtStatus.SUBMITTED,
    ),
    # --- Gemert ---------------------------------------------------------------------------
    OpdrachtSpec(
        "langer-thuis-gemert",
        "Langer thuis in Gemert: wonen en zorg in de kern",
        "Gemeente Gemert-Bakel",
        "Gemert",
        "Onderzoek met ouderen, mantelzorgers en zorgaanbieders welke woonvormen en "
        "voorzieningen nodig zijn om in de eigen kern oud te worden.",
        themes=("wonen-en-zorg",),
        groups=("ouderen", "inwoners-kleine-kernen"),
        years=(3, 4),
    ),
    OpdrachtSpec(
        "mantelzorgers-gemert",
        "Mantelzorgers in beeld in Gemert-Bakel",
        "Gemeente Gemert-Bakel",
        "Gemert",
        "Veel mantelzorgers zijn niet in beeld bij de gemeente. Onderzoek hoe je hen bereikt "
        "en wat hen echt ontlast.",
        groups=("mantelzorgers",),
        years=(2,),
        popularity=0.7,
    ),
    # --- Uden -----------------------------------------------------------------------------
    OpdrachtSpec(
        "collectief-wonen-jongeren",
        "Collectief wonen voor jongeren in Uden-Noord",
        "Campus Uden",
        "Uden",
        "Voor jongeren kan collectief wonen aantrekkelijk zijn: gezellig en goedkoper. Werk het "
        "plan uit de prijsvraag Vier-de-Wijk verder uit met jongeren, de gemeente en MuzeRijk.",
        themes=("collectief-wonen",),
        groups=("jongeren",),
        teams=2,
        max_size=6,
        copartners=("MuzeRijk",),
        popularity=1.3,
    ),
    OpdrachtSpec(
        "knarrenhof-uden",
        "Samen oud worden in een collectieve woonvorm",
        "Compass Uden",
        "Uden",
        "In Uden-Noord komt een collectieve woonvorm voor ouderen. Onderzoek met toekomstige "
        "bewoners hoe zij omzien naar elkaar en welke gedeelde voorzieningen zij willen.",
        themes=("collectief-wonen", "wonen-en-zorg"),
        groups=("ouderen",),
        copartners=("Campus Uden",),
    ),
    OpdrachtSpec(
        "gezond-leven-leren-wonen",
        "Gezond Leven, Leren en Wonen-dag",
        "MuzeRijk",
        "Uden",
        "Organiseer met kinderen, ouders en scholen een dag over gezond opgroeien in Uden, en "
        "zorg dat de opbrengst een vervolg krijgt.",
        themes=("anders-zorgen",),
        groups=("kinderen",),
        years=(2,),
    ),
    OpdrachtSpec(
        "zorgcooperatie-reek",
        "Zorgcoöperatie: inwoners zorgen voor elkaar",
        "Zorgcoöperatie Reek",
        "Uden",
        "Een zorgcoöperatie bouwt vanuit de drijfveren van inwoners aan gezondheid in het dorp. "
        "Onderzoek hoe kwetsbare inwoners gelijkwaardig kunnen meedoen.",
        themes=("anders-zorgen",),
        groups=("ouderen", "inwoners-kleine-kernen"),
        years=(3, 4),
    ),
)
