"""Demo opdrachten of 2026-S2 in the leerkringen Overbetuwe, Liemers and Achterhoek."""

from __future__ import annotations

from app.demo.opdrachten.spec import OpdrachtSpec
from app.models import OpdrachtStatus

OPDRACHTEN = (
    # --- Overbetuwe -----------------------------------------------------------------------
    OpdrachtSpec(
        "wor-vervolg",
        "Welzijn op Recept: van verwijzing naar blijvende deelname",
        "Stichting Eerstelijnszorg Midden Betuwe",
        "Overbetuwe",
        "Vervolg op de verkenning van vorig semester. Veel mensen die via de huisarts naar een "
        "welzijnsactiviteit gaan, haken na een paar weken af. Onderzoek met deelnemers, "
        "welzijnscoaches en huisartsen wat helpt om mee te blijven doen, en maak de impact "
        "zichtbaar.",
        themes=("anders-zorgen",),
        groups=("psychosociale-klachten", "ouderen"),
        years=(2,),
        teams=2,
        copartners=("Forte Welzijn",),
        continues="wor-verkenning",
        popularity=1.6,
    ),
    OpdrachtSpec(
        "leefstijlspreekuur",
        "Leefstijlspreekuur in de huisartsenpraktijk",
        "Stichting Eerstelijnszorg Midden Betuwe",
        "Overbetuwe",
        "Ontwikkel samen met huisartsen en de gemeente een leefstijlspreekuur waar inwoners "
        "terechtkunnen met vragen over voeding, bewegen, slapen en stress, en dat aansluit op "
        "het aanbod in de wijk.",
        themes=("anders-zorgen", "gezondste-regio"),
        groups=("ouderen",),
        copartners=("Gemeente Overbetuwe",),
        required=("VD",),
        popularity=1.3,
    ),
    OpdrachtSpec(
        "hop-on-hop-off-2",
        "Hop-on-Hop-off: het spel over wonen voor ouderen in de praktijk",
        "Woonstichting Valburg",
        "Overbetuwe",
        "Het spel Hop-on-Hop-off maakt ouderen bewust van hun woonwensen. Test het spel met "
        "bewonersgroepen in Elst en Heteren, verbeter het en schrijf een handleiding zodat "
        "ZorgSaamWonen het na dit semester zelf kan inzetten.",
        themes=("wonen-en-zorg",),
        groups=("ouderen",),
        years=(2,),
        teams=2,
        max_size=6,
        copartners=("ZorgSaamWonen",),
        continues="hop-on-hop-off",
        popularity=1.4,
    ),
    OpdrachtSpec(
        "samen-in-beweging",
        "Samen in beweging: beweegaanbod voor ouderen in Elst",
        "Gemeente Overbetuwe",
        "Overbetuwe",
        "Veel ouderen bewegen te weinig, ook al is er aanbod. Zoek met ouderen, de "
        "buurtsportcoach en Forte Welzijn uit wat hen drempels geeft, en ontwerp een "
        "beweegaanbod dat past bij hun wensen en mogelijkheden.",
        themes=("anders-zorgen",),
        groups=("ouderen", "inwoners-kleine-kernen"),
        years=(2,),
        teams=2,
        max_size=6,
        copartners=("Forte Welzijn",),
        required=("FT",),
        popularity=1.2,
    ),
    OpdrachtSpec(
        "huiskamers",
        "De Huiskamers van Overbetuwe: ontmoeting tegen eenzaamheid",
        "Forte Welzijn",
        "Overbetuwe",
        "In de Huiskamers ontmoeten inwoners elkaar, geholpen door vrijwilligers. Onderzoek "
        "wie de Huiskamers (nog) niet bereiken en hoe mantelzorgers en ouderen die alleen "
        "wonen er de weg naartoe vinden.",
        themes=("anders-zorgen", "ervaringsdeskundigheid"),
        groups=("ouderen", "mantelzorgers"),
        popularity=1.1,
    ),
    OpdrachtSpec(
        "mantelzorg-geldzorgen",
        "Mantelzorg zonder geldzorgen",
        "Gemeente Overbetuwe",
        "Overbetuwe",
        "Hoe zorgen we ervoor dat mantelzorgers er financieel niet op achteruitgaan? Breng met "
        "mantelzorgers en cliëntondersteuners de kosten en regelingen in beeld en adviseer de "
        "gemeente over één helder loket.",
        themes=("armoede",),
        groups=("mantelzorgers",),
        years=(3, 4),
        copartners=("MEE",),
    ),
    OpdrachtSpec(
        "casusregie-nieuwkomers",
        "Casusregie door en voor nieuwkomers",
        "Gemeente Overbetuwe",
        "Overbetuwe",
        "Onderzoek hoe nieuwkomers met regie op alle leefgebieden volwaardig kunnen meedoen in "
        "de lokale gemeenschap, en wat casusregisseurs uit de doelgroep daarin kunnen "
        "betekenen.",
        themes=("nieuwkomers",),
        groups=("nieuwkomers",),
        years=(3, 4),
        copartners=("Woonstichting Valburg",),
    ),
    OpdrachtSpec(
        "clientondersteuning",
        "Cliëntondersteuning beter vindbaar",
        "MEE",
        "Overbetuwe",
        "Inwoners weten vaak niet dat onafhankelijke cliëntondersteuning bestaat. Onderzoek met "
        "ervaringsdeskundigen hoe MEE beter vindbaar wordt voor wie het nodig heeft.",
        themes=("ervaringsdeskundigheid",),
        groups=("psychosociale-klachten",),
        years=(2,),
        popularity=0.7,
    ),
    OpdrachtSpec(
        "valpreventie",
        "Veilig thuis: valpreventie in de huurwoning",
        "Woonstichting Valburg",
        "Overbetuwe",
        "Ouderen willen zo lang mogelijk thuis blijven wonen. Ontwikkel met huurders, de "
        "huisartsen en de corporatie een woningcheck die valrisico's opspoort en eenvoudige "
        "aanpassingen voorstelt.",
        themes=("wonen-en-zorg",),
        groups=("ouderen",),
        copartners=("Stichting Eerstelijnszorg Midden Betuwe",),
        required=("ET",),
    ),
    OpdrachtSpec(
        "dorpsgesprekken",
        "Dorpsgesprekken in de kleine kernen van Overbetuwe",
        "Gemeente Overbetuwe",
        "Overbetuwe",
        "Organiseer gesprekken met inwoners van de kleine kernen over wat zij nodig hebben om "
        "prettig oud te worden in hun dorp.",
        groups=("inwoners-kleine-kernen", "ouderen"),
        status=OpdrachtStatus.SUBMITTED,
    ),
    OpdrachtSpec(
        "jongeren-wonen-elst",
        "Jongeren aan het woord over wonen in Elst",
        "Woonstichting Valburg",
        "Overbetuwe",
        "Eerste opzet: wat vinden jongeren van wonen in Elst, en zou collectief wonen voor hen "
        "iets zijn?",
        themes=("collectief-wonen",),
        groups=("jongeren",),
        status=OpdrachtStatus.DRAFT,
    ),
    # --- Liemers --------------------------------------------------------------------------
    OpdrachtSpec(
        "boer-naar-burger",
        "Liemerslab: van boer naar burger",
        "Rijn IJssel",
        "Liemers",
        "De kleine kernen in de Liemers veranderen snel. Werk samen met MBO-studenten van Rijn "
        "IJssel aan vragen van inwoners over leefbaarheid, ontmoeting en voorzieningen in hun "
        "dorp (multilevel learning).",
        themes=("gezondste-regio",),
        groups=("inwoners-kleine-kernen",),
        years=(2,),
        teams=2,
        max_size=6,
        copartners=("RijnWaal Zorggroep",),
        continues="liemerslab-herijkt",
    ),
    OpdrachtSpec(
        "kansrijk-opgroeien-liemers",
        "Kansrijk opgroeien in de Liemers",
        "MEE",
        "Liemers",
        "Hoe geef je kinderen een kansrijke start, ook als het thuis krap is? Verbind scholen, "
        "jeugdprofessionals en het informele netwerk in één kern en test een kleine aanpak.",
        themes=("armoede",),
        groups=("kinderen",),
        years=(2,),
        copartners=("Rijn IJssel",),
        required=("LO",),
    ),
    OpdrachtSpec(
        "zorgtechnologie-thuis",
        "Zorgtechnologie thuis: van experiment naar implementatie",
        "RijnWaal Zorggroep",
        "Liemers",
        "De thuiszorg experimenteert met sensoren en beeldbellen, maar implementatie blijft "
        "steken. Gebruik de implementatiescan om met zorgmedewerkers en cliënten te bepalen "
        "wat nodig is om technologie blijvend in te zetten.",
        themes=("technologie-in-zorg-en-welzijn",),
        groups=("ouderen",),
        years=(3, 4),
        copartners=("iXperium Health",),
        required=("VP",),
    ),
    OpdrachtSpec(
        "gezonde-leefstijl-jongeren",
        "Preventieakkoord: gezonde leefstijl voor jongeren",
        "Rijnstate",
        "Liemers",
        "Ontwerp met jongeren uit de Liemers activiteiten rond voeding, bewegen en mentale "
        "gezondheid die aansluiten bij het lokale preventieakkoord.",
        themes=("gezondste-regio",),
        groups=("jongeren",),
        teams=2,
        popularity=0.9,
    ),
    OpdrachtSpec(
        "implementatiescan",
        "Implementatiescan zorgtechnologie in de praktijk",
        "iXperium Health",
        "Liemers",
        "Pas de implementatiescan toe bij twee zorgorganisaties en evalueer de bruikbaarheid.",
        themes=("technologie-in-zorg-en-welzijn",),
        years=(3, 4),
        status=OpdrachtStatus.SUBMITTED,
    ),
    # --- Achterhoek -----------------------------------------------------------------------
    OpdrachtSpec(
        "sociaal-artistiek",
        "Sociaal-artistieke werkplaats Doetinchem",
        "Gemeente Doetinchem",
        "Achterhoek",
        "Initiatieven in kunst, cultuur en zorg lopen naast elkaar. Breng ze in kaart, verbind "
        "ze met het sociaal domein en stel met makers en inwoners een kennis- en "
        "innovatieagenda op.",
        themes=("gezondste-regio",),
        groups=("psychosociale-klachten",),
        years=(3, 4),
        copartners=("Warkhouse",),
    ),
    OpdrachtSpec(
        "innovatiecampus",
        "Innovatiecampus: werken in zorg en welzijn aantrekkelijk maken",
        "Warkhouse",
        "Achterhoek",
        "De zorg- en welzijnsarbeidsmarkt in de Achterhoek staat onder druk. Onderzoek met "
        "jongeren, werkgevers en scholen wat werken in zorg en welzijn aantrekkelijk maakt.",
        themes=("onderwijs-en-arbeidsmarkt",),
        groups=("jongeren",),
        years=(3, 4),
        teams=2,
        copartners=("Gemeente Doetinchem",),
    ),
    OpdrachtSpec(
        "bewegen-in-het-dorp",
        "De gezondste regio: bewegen in het dorp",
        "Gemeente Doetinchem",
        "Achterhoek",
        "Ontwikkel met inwoners van de buitengebieden een beweegaanbod dichtbij huis, voor "
        "ouderen en voor wie weinig beweegt.",
        themes=("gezondste-regio",),
        groups=("ouderen", "inwoners-kleine-kernen"),
        years=(2,),
        required=("FT",),
    ),
    OpdrachtSpec(
        "cultuur-op-recept",
        "Cultuur op Recept in de Achterhoek",
        "Warkhouse",
        "Achterhoek",
        "Naar het voorbeeld van Welzijn op Recept: onderzoek hoe huisartsen inwoners met "
        "psychosociale klachten kunnen verwijzen naar kunst- en cultuuractiviteiten.",
        themes=("gezondste-regio", "anders-zorgen"),
        groups=("psychosociale-klachten",),
        years=(2,),
    ),
)
