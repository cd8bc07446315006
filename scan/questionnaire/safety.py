"""Find texts that send the reader towards a possible criminal.

Advice must never send an entrepreneur to confront, question or follow someone who may be a
criminal, to go and look alone, or to investigate on their own: that is how people get hurt
or warn the criminals off. The safe steps are: keep away, write down what you saw, report
(112 when there is danger, the police or Meld Misdaad Anoniem). ``REFUSED`` lists the
phrasings that break this rule; the content guide in ``questionnaires/README.md`` explains
it to authors. A sentence that says *not* to do it ("Spreek niemand aan") is fine for the
patterns marked ``negatable``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from scan.questionnaire.model import Rule

_NEGATION = re.compile(r"\b(niet|nooit|geen|niemand|niets)\b", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.!?;\n]+")
_PEOPLE = (
    r"(de |het |die |een |deze |uw )?(persoon|personen|mensen|man|vrouw|auto|wagen|busje|busjes"
    r"|bestelbus|vrachtwagen|scooter|motor|verdachte|verdachten|huurder|huurders|koper|kopers|onbekende|onbekenden|dader|daders"
    r"|bezoeker|bezoekers|bewoner|bewoners|gast|gasten|chauffeur|collega|crimine\w*"
    r"|hem|haar|hen|ze)"
)
_SPACE = (
    r"(ruimte|ruimtes|loods|unit|schuur|stal|pand|chalet|container|hal|kelder|zolder|caravan"
    r"|woning|kas|opslag|vaten|jerrycans|binnen)"
)
_POLICE_OR_CONFIDANT = r"(politie|wijkagent|vertrouwens\w*|aangifte|gemeente|112)"

SAFE_REWRITE = (
    "Schrijf op wat u zag en wanneer. Meld het bij Meld Misdaad Anoniem (0800-7000) of de "
    "politie (0900-8844); bel 112 bij gevaar. Ga niet zelf kijken en spreek niemand aan."
)
ANONYMITY_REWRITE = (
    "Alleen bij Meld Misdaad Anoniem (0800-7000) blijft u anoniem. De politie en een "
    "vertrouwenspersoon gaan vertrouwelijk met uw melding om."
)


@dataclass(frozen=True)
class Refused:
    """A phrasing advice may not use, why, a safe rewrite, and whether negation makes it fine."""

    pattern: re.Pattern[str]
    why: str
    negatable: bool
    rewrite: str = SAFE_REWRITE


def _refused(
    pattern: str, why: str, negatable: bool = True, rewrite: str = SAFE_REWRITE
) -> Refused:
    return Refused(re.compile(pattern, re.IGNORECASE), why, negatable, rewrite)


_GO = r"(ga|gaat|gaan|loop|rijd|kom|fiets)"  # imperatives: "komt u minder vaak langs" is fine
_LOOK = "sends the reader to go and look"
_CONFRONT = "sends the reader to confront someone"
_QUESTION = "sends the reader to question a suspect"
_FOLLOW = "sends the reader after someone"
_SEARCH = "sends the reader to search a space alone"
_PHOTO = "sends the reader to photograph people openly"
_COVERT = "sends the reader to watch, photograph or record in secret"
# Doing something unseen: the words that make an act covert surveillance of someone.
_UNSEEN = (
    r"(zonder\s+dat\s+(iemand|hij|zij|ze|men|de\s+\w+)\s+(het\s+)?(ziet|merkt|weet|doorheeft)"
    r"|stiekem|heimelijk|ongezien|onopvallend|ongemerkt|in\s+het\s+geheim)"
)
_WATCH = (
    r"(foto\w*|fotografe\w*|film\w*|opname\w*|neem\w*\s+op|kijk\w*|let\w*\s+op|noteer\w*|volg\w*)"
)
_ANONYMOUS = "promises anonymity: only Meld Misdaad Anoniem is anonymous"

REFUSED: tuple[Refused, ...] = (
    _refused(r"\bconfront\w*", _CONFRONT, negatable=False),
    _refused(rf"\b{_GO}\b[^.]{{0,70}}\blangs\b", _LOOK),
    _refused(r"\blangs\s+te\s+(gaan|lopen|rijden|komen|fietsen)\b", _LOOK),
    _refused(r"\blangs(gaan|lopen|rijden|komen|fietsen)\b", _LOOK),
    _refused(r"\b(ga|gaat|gaan)\b[^.]{0,30}\b(kijken|een kijkje)\b", _LOOK),
    _refused(r"\bneem\w*\b[^.]{0,30}\bkijkje\b", _LOOK),
    _refused(
        r"\b(ga|gaat|gaan)\s+(\w+\s+)?(niet\s+)?alleen\b",
        "'(niet) alleen gaan' still sends the reader to go",
        negatable=False,
    ),
    _refused(r"\bspreek\w*\b(?![^.]*\baf\b)[^.]{0,60}\baan\b", _CONFRONT),
    _refused(r"\baan\s*(te\s+)?spreken\b", _CONFRONT),
    _refused(
        r"\bvraag\w*\b[^.]{0,90}\bwaar\b[^.]{0,30}\bgeld\b",
        "sends the reader to question someone about criminal money",
    ),
    _refused(r"\bvra(a)?g\w*\b[^.]{0,60}\bwaarom\b", _QUESTION),
    _refused(r"\bwaarom\b[^.]{0,60}\bvra(a)?g\w*\b", _QUESTION),
    _refused(r"\bvraag\w*\s+(\w+\s+){0,2}(door|uit)\b", _QUESTION),
    _refused(
        rf"\bvraag\w*\s+{_PEOPLE}\b[^.]{{0,40}}\bwat\b[^.]{{0,40}}\b(doet|doen|gebeurt|maakt)\b",
        _QUESTION,
    ),
    _refused(rf"\b(stel|stelt)\b[^.]{{0,20}}{_PEOPLE}\b[^.]{{0,20}}\bvragen\b", _QUESTION),
    _refused(
        rf"\bvra(a)?g\w*\b[^.]{{0,20}}{_PEOPLE}\b[^.]{{0,4"
        rf"0}}\b(uitleg|een verklaring|naar het gebruik)\b",
        _QUESTION,
    ),
    _refused(r"\bachtervolg\w*", _FOLLOW, negatable=False),
    _refused(r"\bschaduw\w*", _FOLLOW),
    _refused(r"\bachterna\b", _FOLLOW),
    _refused(rf"\bvolg\w*\s+{_PEOPLE}\b", _FOLLOW),
    _refused(rf"{_PEOPLE}\s+(te\s+)?(volgen|achtervolgen)\b", _FOLLOW),
    _refused(
        rf"\b(fotografeer\w*|film|filmt|filmen|foto'?s?\s+van|foto\s+maken|foto\s+van)\b"
        rf"[^.]{{0,40}}{_PEOPLE}\b",
        _PHOTO,
    ),
    _refused(
        rf"{_PEOPLE}\b[^.]{{0,40}}\b(fotografeer\w*|fotograferen|filmen|op de foto)\b", _PHOTO
    ),
    _refused(rf"\b{_WATCH}\b[^.]{{0,60}}\b{_UNSEEN}\b", _COVERT, negatable=False),
    _refused(rf"\b{_UNSEEN}\b[^.]{{0,40}}\b{_WATCH}\b", _COVERT, negatable=False),
    _refused(r"\bdoorzo(e)?k\w*", _SEARCH),
    _refused(r"\bdoor\s+te\s+zoeken\b", _SEARCH),
    _refused(
        rf"\b(kijk|kijkt|zoek|zoekt|controleer\w*|open|opent)\b"
        rf"[^.]{{0,30}}\b(zelf|alleen)\b[^.]{{0,30}}\b{_SPACE}\b",
        _SEARCH,
    ),
    _refused(
        rf"\b(zelf|alleen)\b[^.]{{0,20}}\b(in|binnen in)\s+(de|het|die|een)\s+{_SPACE}\b"
        rf"[^.]{{0,20}}\b(kijken|zoeken)\b",
        _SEARCH,
    ),
    _refused(
        r"\bzoek\w*\b[^.]{0,40}\bzelf\b[^.]{0,30}\buit\b",
        "sends the reader to investigate on their own",
    ),
    _refused(
        r"\bzelf\b[^.]{0,20}\buit\s*(te\s+)?zoeken\b",
        "sends the reader to investigate on their own",
    ),
    _refused(r"\bop onderzoek\b", "sends the reader to investigate on their own"),
    _refused(r"\bzelf\b[^.]{0,30}\bonderzoek\w*", "sends the reader to investigate on their own"),
    _refused(r"\bga\b[^.]{0,30}\bnaar binnen\b", "sends the reader into a possible crime scene"),
    _refused(
        rf"\banoniem\w*\s+((?!of\b|en\b)\w+\s+){{0,3}}(bij|via|aan|"
        rf"met|tegen)\s+(de\s+|uw\s+|een\s+)?{_POLICE_OR_CONFIDANT}",
        _ANONYMOUS,
        rewrite=ANONYMITY_REWRITE,
    ),
    _refused(
        rf"\b{_POLICE_OR_CONFIDANT}\b((?!\bof\b|\ben\b)[^.,;:]){{0,50}}\banoniem",
        _ANONYMOUS,
        rewrite=ANONYMITY_REWRITE,
    ),
    _refused(r"\banonieme\s+aangifte\b", _ANONYMOUS, rewrite=ANONYMITY_REWRITE),
    _refused(
        r"\b(zonder dat|niemand)\b[^.]{0,40}\b(weet|weten|ziet|hoort|ontdekt)\b"
        r"[^.]{0,10}\bwie u bent\b",
        "promises more than any service can: people may still guess who reported",
        negatable=False,
        rewrite="Bij Meld Misdaad Anoniem hoeft u uw naam niet te geven. Zij zien uw "
        "telefoonnummer niet en nemen het gesprek niet op.",
    ),
)


@dataclass(frozen=True)
class Finding:
    """One refused phrasing found in one text."""

    where: str
    text: str
    sentence: str
    why: str

    def __str__(self) -> str:
        return f"{self.where}: {self.why}: {self.sentence.strip()!r}"


_MMA = re.compile(r"meld\s+misdaad\s+anoniem", re.IGNORECASE)


def refusals(sentence: str) -> list[Refused]:
    """Return the refused phrasings a sentence uses, one per reason (empty when it is fine)."""
    sentence = _MMA.sub("MMA", sentence)  # the name says anonymous, and that is true
    negated = bool(_NEGATION.search(sentence))
    found: dict[str, Refused] = {}
    for rule in REFUSED:
        if rule.pattern.search(sentence) and not (rule.negatable and negated):
            found.setdefault(rule.why, rule)
    return list(found.values())


def check_sentence(sentence: str) -> list[str]:
    """Return why a sentence is refused (empty when it is fine)."""
    return [rule.why for rule in refusals(sentence)]


def check_refused(text: str) -> Iterator[tuple[str, Refused]]:
    """Yield (sentence, refused phrasing) for every refused sentence of a text."""
    for match in _SENTENCE.finditer(text):
        for rule in refusals(match.group()):
            yield match.group().strip(), rule


def unsafe_texts(texts: Iterable[tuple[str, str]]) -> Iterator[Finding]:
    """Yield every sentence in (path, text) pairs that uses a refused phrasing."""
    for where, text in texts:
        for sentence, rule in check_refused(text):
            yield Finding(where, text, sentence, rule.why)


# Advice that speaks to the reader about contact with the people or premises concerned: it is
# only safe when nothing is happening now, so its rule must say `only_when_safe: true`.
_CONCERNED = re.compile(
    r"\b(huurder|huurders|koper|kopers|collega|collega's|chauffeur|chauffeurs|bewoner|bewoners"
    r"|gast|gasten|eigenaar van het chalet|verhuurde\s+\w+|de ruimte|de ruimtes|de unit|de loods"
    r"|het pand|het chalet|de chalet|de schuur|de stal)\b",
    re.IGNORECASE,
)
_CONTACT = re.compile(
    r"\b(vraag|vraagt|vragen|spreek|spreekt|maak\w*\s+(\w+\s+)?afspra\w*|afspraken|bel|belt|praat"
    r"|bespreek\w*|kijk|kijkt|controleer\w*|bezoek\w*|check\w*|langs|volg|volgt|fotografeer\w*"
    r"|zeg|vertel\w*|eis|eist|laat\b[^.]{0,30}\bzien|regel\w*\s+met|stuur\w*)\b",
    re.IGNORECASE,
)


# A sentence that sends the reader to a helper ("Bel de Vertrouwenslijn als u bang bent voor
# de huurder") asks for no contact with the people concerned.
_HELPER = re.compile(
    r"\b(vertrouwenslijn|politie|112|meld misdaad anoniem|gemeente|wijkagent|adviseur|pvo)\b",
    re.IGNORECASE,
)


def needs_safe_mark(text: str) -> str:
    """Return the first sentence that asks for contact with the people concerned, or ''."""
    for match in _SENTENCE.finditer(text):
        sentence = match.group()
        if _NEGATION.search(sentence) or _HELPER.search(sentence):
            continue
        if _CONCERNED.search(sentence) and _CONTACT.search(sentence):
            return sentence.strip()
    return ""


def rule_texts(rule: Rule) -> Iterator[tuple[str, str]]:
    """Yield a rule's advice texts as (key below the rule's advice, text)."""
    yield "title", rule.advice.title
    yield "explanation", rule.advice.explanation
    for s, step in enumerate(rule.advice.steps):
        yield f"steps[{s}]", step
