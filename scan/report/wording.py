"""Fixed texts of the report (B1): what a PVO adviser would say next to the scores.

Dutch, the source language; each is marked with N_ and translated where it is used (`_`).
"""

from __future__ import annotations

from scan.report.language import N_

MMA_ID = "meld_misdaad_anoniem"
MMA_NAME = "Meld Misdaad Anoniem"
MMA_PHONE = "0800-7000"
MMA_SITE = "meldmisdaadanoniem.nl"
EMERGENCY = "112"
POLICE = "0900-8844"
NATIONAL_IDS = frozenset({MMA_ID, "noodnummer_112", "politie"})
# The priorities' names (scan.questionnaire.values.PRIORITY_LABELS), marked for translation.
PRIORITIES = {
    "urgent": N_("Direct doen"),
    "high": N_("Hoog"),
    "medium": N_("Middel"),
    "low": N_("Laag"),
}

SUBTITLE = N_("Uw uitkomst, advies en actieplan")
CONFIDENTIAL = N_(
    "<b>Vertrouwelijk.</b> Dit rapport laat zien waar uw bedrijf kwetsbaar is. Bewaar het op een "
    "veilige plek. Deel het alleen met mensen die u vertrouwt, zoals uw adviseur. In dit rapport "
    "staan geen namen of adressen."
)
COVER_HELP = N_(
    "Weet u iets over misdaad? Meld het anoniem bij Meld Misdaad Anoniem: 0800-7000 (gratis) of "
    "meldmisdaadanoniem.nl. Direct gevaar? Bel 112."
)
FOOTER_NOTE = N_("Vertrouwelijk")

RED_FLAG_TITLE = N_("Let op: uw antwoorden laten een ernstig signaal zien")
RED_FLAG_INTRO = N_(
    "U gaf een antwoord dat erop wijst dat criminelen u, uw bedrijf of uw mensen nu misschien "
    "benaderen, gebruiken of onder druk zetten. Dat is gevaarlijk. Daarom is uw uitkomst “{label}”,"
    " wat uw score ook is."
)
RED_FLAG_ALONE = N_(
    "<b>Doe dit niet alleen.</b> Ga niet zelf kijken en praat er niet over met de mensen die "
    "erachter kunnen zitten. Vraag eerst hulp:"
)
RED_FLAG_SCORE = N_(
    "Uw score van {score} hoort bij “{level}”. Die score gaat over de maatregelen die u nam. Wat er"
    " nu speelt, gaat voor: zoek eerst hulp."
)
VERTROUWENSLIJN_ID = "vertrouwenslijn_afpersing"

WEEK_TITLE = N_("Doe dit deze week")
WEEK_INTRO = N_(
    "Dit zijn de dringendste stappen uit uw scan. Begin bovenaan en zet een vinkje als het klaar "
    "is."
)
WEEK_FROM = N_("Uit de tip:")
WEEK_NONE = N_(
    "Uit uw antwoorden komen geen tips. Goed zo. Bespreek de scan met uw mensen en doe hem elk jaar"
    " opnieuw."
)
WEEK_CALL = N_("Wie belt u?")
WEEK_DANGER = N_("Bij direct gevaar")

ADVISER_TITLE = N_("Uw adviseur")
ADVISER_INTRO = N_("u deelde deze scan met")
ADVISER_FILL = (N_("Naam adviseur"), N_("Telefoon"))
ADVISER_NONE = N_(
    "Wilt u hulp bij de tips? Een adviseur van het Platform Veilig Ondernemen (PVO) in uw regio kan"
    " met u meekijken: pvo-nl.nl."
)
RED_FLAG_ABOUT = N_("Het gaat om:")

NO_SCORE = N_(
    "Er is geen totaalscore, omdat te weinig vragen een antwoord hebben dat meetelt. “Weet ik niet”"
    " en “Niet van toepassing” tellen niet mee."
)
NO_ADVICE = N_(
    "Uit uw antwoorden komen geen verbeterpunten. Goed zo. Blijf alert: criminelen zoeken steeds "
    "nieuwe manieren. Doe de scan elk jaar opnieuw."
)
THEMES_INTRO = N_(
    "Per onderwerp ziet u uw score, de antwoorden die aandacht vragen en wat u kunt doen. De tips "
    "staan op volgorde: wat het meest dringend is, staat bovenaan."
)
ADVICE_WHERE = N_(
    "U heeft in totaal {total}. Per onderwerp staan ze verderop: eerst de dringendste in het groot,"
    " daarna de andere kort. De dringendste staan ook in het actieplan."
)
LATER_TITLE = N_("Daarna ook doen")
LATER_FIRST_STEP = N_("Begin zo:")
THEME_NO_ADVICE = N_("Voor dit onderwerp heeft u geen extra tips nodig.")
THEME_NO_SCORE = N_(
    "Geen score: geen enkele vraag van dit onderwerp heeft een antwoord dat meetelt."
)
CHART_NOTE = N_(
    "100 is het beste. De stippellijnen zijn de grenzen tussen de niveaus. Een onderwerp zonder "
    "score heeft geen antwoorden die meetellen."
)

ACTION_PLAN_INTRO = N_(
    "Maak van de tips een plan. Schrijf bij elke maatregel wie het doet en wanneer het klaar moet "
    "zijn. Zet een kruisje als het klaar is. Begin bovenaan: daar staat wat het meest dringend is. "
    "Op de lege regels zet u uw eigen maatregelen."
)
ACTION_PLAN_LATER = N_(
    "De {count} andere tips staan bij de onderwerpen, onder ‘Daarna ook doen’. Zet ze op de lege "
    "regels als u eraan begint."
)
ACTION_PLAN_EMPTY_ROWS = 3

NOTES_INTRO = N_("Deze notities zijn gemaakt door de adviseur die uw scan met u heeft besproken.")

MMA_ANONYMOUS = N_(
    "<b>Wat betekent anoniem?</b> U hoeft uw naam niet te noemen. Meld Misdaad Anoniem ziet uw "
    "telefoonnummer of IP-adres niet en neemt geen gesprekken op. Ze sturen uw melding door naar de"
    " politie of andere partners. Dingen waaraan iemand u kan herkennen, laten ze weg. Bellen is "
    "gratis. U kunt ook online melden via meldmisdaadanoniem.nl."
)
MMA_NOT_FOR = N_("<b>Waarvoor is Meld Misdaad Anoniem niet?</b>")
MMA_NOT_FOR_ITEMS = (
    N_("Bij direct gevaar, of als een misdaad nu bezig is. Bel dan <b>112</b>."),
    N_(
        "Om aangifte te doen of om de politie iets te vragen over uw eigen zaak. Bel dan de politie"
        " op <b>0900-8844</b>. Bij een aangifte geeft u wel uw naam."
    ),
)
# (situation, referral id, name and number when the registry lacks the entry)
WHO_TO_CALL = (
    (
        N_("Er is direct gevaar, of een misdaad is nu bezig."),
        "noodnummer_112",
        N_("Alarmnummer"),
        EMERGENCY,
    ),
    (N_("U weet iets over misdaad en wilt anoniem blijven."), MMA_ID, MMA_NAME, MMA_PHONE),
    (
        N_("U wordt onder druk gezet, bedreigd of afgeperst, en wilt advies."),
        VERTROUWENSLIJN_ID,
        N_("Vertrouwenslijn"),
        "0800-2800200",
    ),
    (N_("U wilt aangifte doen, of iets melden zonder spoed."), "politie", N_("Politie"), POLICE),
)
SECTOR_HELP_INTRO = N_("Deze organisaties kunnen u ook helpen bij de onderwerpen uit uw scan.")
HELP_GIVEN = N_(
    "De nummers bij ‘Doe dit deze week’ voorin dit rapport noemen we hier niet nog een keer."
)

HOW_INTRO = N_(
    "U beantwoordde vragen over uw bedrijf. Elk antwoord telt mee in de score van een onderwerp. "
    "Een score gaat van 0 tot 100: 100 is het beste."
)
HOW_POINTS = (
    N_(
        "De score van een onderwerp is het gemiddelde van de vragen die meetellen. Sommige vragen "
        "wegen zwaarder dan andere."
    ),
    N_(
        "“Weet ik niet”, “Niet van toepassing” en overgeslagen vragen tellen niet als 0. Ze tellen "
        "gewoon niet mee. Wel kan “Weet ik niet” een tip opleveren: zoek het dan uit."
    ),
    N_(
        "De totaalscore is het gemiddelde van de onderwerpen. Een onderwerp met een hoger gewicht "
        "telt zwaarder mee."
    ),
    N_(
        "Sommige antwoorden zijn een ernstig signaal, bijvoorbeeld als u al benaderd bent of drugs "
        "vond. Dan is de uitkomst “{label}”, hoe hoog uw score ook is. Uw scores blijven zoals ze "
        "zijn."
    ),
    N_(
        "De tips komen uit vaste regels die bij uw antwoorden horen. De volgorde: eerst wat direct "
        "moet, dan hoog, middel en laag. Binnen elke groep staat het dringendste eerst."
    ),
)
HOW_LEVELS = N_("De totaalscore bepaalt uw niveau:")
LIMITS_TITLE = N_("Wat deze scan niet kan")
LIMITS = (
    N_("De scan is een hulpmiddel. Het is geen keuring, certificaat of garantie."),
    N_("De uitkomst is zo goed als uw antwoorden. Niemand heeft uw antwoorden gecontroleerd."),
    N_("De scan vraagt niet naar alles. Ook met een hoge score kunnen er zwakke plekken zijn."),
    N_(
        "Criminelen veranderen hun werkwijze. Doe de scan daarom elk jaar opnieuw, of eerder als er"
        " iets verandert in uw bedrijf."
    ),
    N_(
        "Wilt u meer zekerheid? Een adviseur van het Platform Veilig Ondernemen (PVO) kan met u "
        "meekijken, ook op uw eigen terrein."
    ),
)
PRIVACY = N_(
    "In dit rapport staan geen namen, adressen of andere persoonsgegevens. De referentie is een "
    "willekeurige code. Die helpt u en uw adviseur om over dezelfde scan te praten."
)
