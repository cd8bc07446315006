"""Find translated texts (English, Polish) that send the reader towards a possible criminal.

The same rule as the Dutch texts (safety.py): never confront, question, follow, search or
check on someone who may be a criminal, never film them, never promise anonymity that only
Meld Misdaad Anoniem gives. A translation is checked against the phrasings of its own
language and for links (links.py). A sentence that says *not* to do it ("Do not follow the
van", "Nie śledź nikogo": the negation before the phrasing) or calls it dangerous is fine;
"Follow the van, do not wait" is not. Used by translations.check_translation, so `questionnaires
validate`, the studio and the scan pages (an unsafe text is never shown: the scan stays Dutch)
agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from scan.questionnaire.links import text_link_problem

_SENTENCE = re.compile(r"[^.!?;\n]+")
_MMA = re.compile(r"meld\s+misdaad\s+anoniem(\s*\([^)]*\))?", re.IGNORECASE)

_EN_PEOPLE = (
    r"(the |that |this |these |those |a |an |your |any )?(person|people|man|men|woman|women"
    r"|car|cars|van|vans|truck|trucks|lorry|lorries|driver|drivers|buyer|buyers|tenant|tenants"
    r"|suspect|suspects|stranger|strangers|visitor|visitors|guest|guests|resident|residents"
    r"|occupant|occupants|renter|renters|criminal\w*|culprit\w*|dealer\w*|vehicle\w*"
    r"|scooter\w*|customer\w*|client\w*|worker\w*|colleague\w*|courier\w*)"
)
_EN_SPACE = (
    r"(unit|units|shed|barn|building|container|containers|premises|room|rooms|space|storage"
    r"|chalet|caravan|cellar|basement|attic|warehouse|hall|greenhouse|stable|barrels|drums"
    r"|jerrycans|boot|trailer)"
)
_PL_PEOPLE = (
    r"(kierowc\w*|kupując\w*|kupc\w*|nabywc\w*|najemc\w*|najemnik\w*|osob\w*|osób|ludzi\w*"
    r"|mężczyzn\w*|kobiet\w*|podejrzan\w*|gości\w*|gość\w*|mieszkańc\w*|nieznajom\w*|obcy\w*"
    r"|obcego|przestęp\w*|sprawc\w*|klient\w*|pracownik\w*|kurier\w*|samoch\w*|furgonetk\w*"
    r"|bus\w*|ciężarówk\w*|auto|auta|pojazd\w*|skuter\w*)"
)

_EN_WATCH = (
    r"(photograph\w*|film\w*|video\w*|watch\w*|follow\w*|spy\w*|take (a )?(photo|picture)s?)"
)
_EN_UNSEEN = (
    r"(secretly|covertly|in secret|without (them|him|her|anyone|the \w+) (noticing|knowing|seeing))"
)
# Any character but a sentence break, as long as no "or"/"and" comes between (MMA *or* police).
_EN_NOT_OR = r"((?!\b(or|and)\b)[^.,;])"
_PL_NOT_OR = r"((?!\b(albo|lub|i|oraz|czy)\b)[^.,;])"
_CONFRONT = "sends the reader to confront someone"
_QUESTION = "sends the reader to question a suspect"
_FOLLOW = "sends the reader after someone"
_LOOK = "sends the reader to go and look or check on someone"
_SEARCH = "sends the reader to search a space alone"
_PHOTO = "sends the reader to photograph or film people"
_ANONYMOUS = "promises anonymity: only Meld Misdaad Anoniem is anonymous"

_ENGLISH = (
    (r"\bconfront\w*", _CONFRONT),
    (rf"\b(approach|challenge|tackle|accost)\s+{_EN_PEOPLE}\b", _CONFRONT),
    (
        rf"\b(ask|question|quiz)\w*\s+{_EN_PEOPLE}\b[^.]{{0,60}}\b(why|what|where|about)\b",
        _QUESTION,
    ),
    (r"\binterrogat\w*", _QUESTION),
    (rf"\b(follow|chase|tail|shadow|pursue)\w*\s+{_EN_PEOPLE}\b", _FOLLOW),
    (
        r"\b(go|drive|walk|cycle|pop)\b[^.]{0,40}"
        r"\b(take a look|have a look|look around|see for yourself|check on)\b",
        _LOOK,
    ),
    (rf"\bcheck\s+(up\s+)?on\s+{_EN_PEOPLE}\b", _LOOK),
    (rf"\b(keep an eye on|watch|spy on|observe)\s+{_EN_PEOPLE}\b", _LOOK),
    (
        rf"\bsearch\w*\s+(through\s+)?(the |that |this |a |an |their |his |her )?{_EN_SPACE}\b",
        _SEARCH,
    ),
    (
        rf"\b(look|go|check)\b[^.]{{0,20}}\b(inside|into)\s+(the |that |this |a |an )?"
        rf"{_EN_SPACE}\b[^.]{{0,20}}\byourself\b",
        _SEARCH,
    ),
    (r"\binvestigat\w*\b[^.]{0,30}\byourself\b|\byourself\b[^.]{0,30}\binvestigat\w*", _SEARCH),
    (
        rf"\b(photograph\w*|film|films|filming|video|take (a )?(photo|picture)s? of)\b"
        rf"[^.]{{0,40}}\b{_EN_PEOPLE}\b",
        _PHOTO,
    ),
    (
        rf"\b{_EN_WATCH}\b[^.]{{0,60}}\b{_EN_UNSEEN}|\b{_EN_UNSEEN}\b[^.]{{0,40}}\b{_EN_WATCH}\b",
        _PHOTO,
    ),
    (
        rf"\banonymous\w*\b{_EN_NOT_OR}{{0,30}}\b(to|with|at|via)\s+(the\s+)?"
        r"(police|municipality|council)\b",
        _ANONYMOUS,
    ),
    (rf"\b(police|municipality|council)\b{_EN_NOT_OR}{{0,40}}\banonymous\w*", _ANONYMOUS),
)
_POLISH = (
    (r"\b(s?konfrontuj|skonfrontować)\b", _CONFRONT),
    (
        r"\b(zaczep|zaczepcie|zagadnij|zagadaj|podejdź\s+do|podejdźcie\s+do)\b"
        rf"[^.]{{0,30}}\b{_PL_PEOPLE}\b",
        _CONFRONT,
    ),
    (
        rf"\b(zapyt\w*|pyta\w*|spyta\w*|wypyt\w*|przepyt\w*)\b[^.]{{0,30}}\b{_PL_PEOPLE}\b"
        r"[^.]{0,10}\b(o|dlaczego|czemu|co|skąd|gdzie|po co)\b",
        _QUESTION,
    ),
    (r"\bprzesłuch\w*", _QUESTION),
    (
        r"\b(śledź\w*|śledzi\w*|wyśledz\w*|jedź\s+za|pojedź\s+za|idź\s+za|pójdź\s+za"
        r"|podążaj\w*\s+za|goń\w*)",
        _FOLLOW,
    ),
    (rf"\b(obserwuj|obserwujcie|szpieguj\w*)\b[^.]{{0,20}}\b{_PL_PEOPLE}\b", _LOOK),
    (
        r"\b(idź|jedź|pojedź|pójdź|przejdź)\b[^.]{0,40}\b(zobacz\w*|sprawdź\w*|rozejrzyj\w*|obejrzyj\w*)",
        _LOOK,
    ),
    (r"\b(sprawdź|zobacz)\w*\s+sam\w*", _LOOK),
    (r"\bprzeszuk\w*", _SEARCH),
    (r"\bsam\w*\b[^.]{0,30}\b(zbadaj|zbadać|dochodzeni\w*|śledztw\w*)", _SEARCH),
    (
        rf"\b(fotografuj\w*|sfotografuj\w*|nagraj\w*|nagrywaj\w*|filmuj\w*|sfilmuj\w*|zrób\w*\s+zdjęci\w*)\b[^.]{{0,40}}\b{_PL_PEOPLE}\b",
        _PHOTO,
    ),
    (r"\b(potajemnie|ukradkiem|w tajemnicy|niepostrzeżenie)\b", _PHOTO),
    (rf"\banonimow\w*\b{_PL_NOT_OR}{{0,30}}\b(policj\w*|gmin\w*)", _ANONYMOUS),
    (rf"\b(policj\w*|gmin\w*)\b{_PL_NOT_OR}{{0,40}}\banonimow\w*", _ANONYMOUS),
)
# What makes a sentence say *not* to do it. A negation counts only before the phrasing it
# negates, in the same clause ("Do not follow the van"; "Follow the van, do not wait" and
# "Never wait: follow the van" are refused); a word of danger counts anywhere ("Following a
# van yourself is dangerous").
_NEGATION = {
    "en": re.compile(r"\b(not|never|no one|nobody|don't|do not|nothing|avoid)\b|n't\b", re.I),
    "pl": re.compile(r"\b(nie|nigdy|nikogo|nikomu|niczego|nic|żadn\w*|unikaj\w*)\b", re.I),
}
_DANGER = {
    "en": re.compile(r"\b(danger\w*|risk\w*|unsafe)\b", re.I),
    "pl": re.compile(r"\b(niebezpiecz\w*|ryzyk\w*)\b", re.I),
}
# Never negatable, whatever the sentence says: confronting, following after, searching alone.
_ALWAYS = {_ANONYMOUS}
_RULES = {
    "en": tuple((re.compile(p, re.IGNORECASE), why) for p, why in _ENGLISH),
    "pl": tuple((re.compile(p, re.IGNORECASE), why) for p, why in _POLISH),
}
_WHY_IN_DUTCH = {
    _CONFRONT: "stuurt de lezer op iemand af",
    _QUESTION: "stuurt de lezer om een mogelijke dader te ondervragen",
    _FOLLOW: "stuurt de lezer iemand achterna",
    _LOOK: "stuurt de lezer om zelf te gaan kijken of iemand in de gaten te houden",
    _SEARCH: "stuurt de lezer om zelf een ruimte te doorzoeken",
    _PHOTO: "stuurt de lezer om mensen te fotograferen of te filmen",
    _ANONYMOUS: "belooft anonimiteit: alleen bij Meld Misdaad Anoniem bent u anoniem",
}


def refused_in_language(sentence: str, language: str) -> list[str]:
    """Return why a translated sentence is refused, in Dutch (empty when it is fine)."""
    cleaned = _MMA.sub("MMA", sentence)
    negation, danger = _NEGATION.get(language), _DANGER.get(language)
    warned = bool(danger and danger.search(cleaned))
    found: list[str] = []
    for pattern, why in _RULES.get(language, ()):
        for match in pattern.finditer(cleaned):
            clause = max(cleaned.rfind(";", 0, match.start()), cleaned.rfind(":", 0, match.start()))
            before = cleaned[clause + 1 : match.start()]
            negated = warned or bool(negation and negation.search(before))
            if (why in _ALWAYS or not negated) and _WHY_IN_DUTCH[why] not in found:
                found.append(_WHY_IN_DUTCH[why])
    return found


def translation_safety(text: str, language: str) -> Iterator[str]:
    """Yield in Dutch what makes a translated text unsafe: a refused phrasing or a link.

    The phrasings of the language, then the links check of links.py (the Dutch phrasings
    are not run: their words mean other things in English, "confront" above all)."""
    for match in _SENTENCE.finditer(text):
        for why in refused_in_language(match.group(), language):
            yield f"de zin '{match.group().strip()}' is niet veilig: hij {why}"
    link = text_link_problem(text)
    if link:
        yield link
