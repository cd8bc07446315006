"""Dutch words for what the checks beyond the format find: B1 readability, safe texts, examples
and own referrals a reviewer cannot verify. A second table of shapes, as in `author_wording`."""

from __future__ import annotations

import re

from scan.questionnaire.author_context import (
    AuthorContext,
    Shapes,
    example_failure,
    shape_in,
    words_in,
)
from scan.questionnaire.author_context import cap as _cap

SHAPES: Shapes = []
_shape = shape_in(SHAPES)
_words = words_in(SHAPES)


@_shape(r"^required question '([^']+)' has no error_message")
def _error_message(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return f"Vraag {found.group(1)} moet worden ingevuld, maar zegt niet wat er mis is", (
        "Voeg 'error_message:' toe met een korte zin, bijvoorbeeld "
        + c.problem.hint.partition("error_message: ")[2]
    )


@_shape(r"^unsafe text: (.*?): (['\"])(.*)\2$")
def _unsafe(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    why, sentence = found.group(1), found.group(3)
    reason = next((dutch for word, dutch in _WHY if word in why), "stuurt de lezer naar gevaar")
    text = f"{_cap(c.item)}: deze zin {reason}. Dat kan een ondernemer in gevaar brengen: "
    text += f"'{sentence}'"
    return text, _cap(c.problem.hint) or "Schrijf het veilig: melden, niet zelf gaan kijken"


# Why safety.py refuses a phrasing (its English reasons), in the author's words.
_WHY = [
    ("go and look", "stuurt de lezer om zelf te gaan kijken"),
    ("alleen gaan", "stuurt de lezer om zelf te gaan"),
    ("confront", "stuurt de lezer om iemand aan te spreken"),
    ("question", "laat de lezer iemand ondervragen"),
    ("after someone", "laat de lezer iemand volgen"),
    ("search a space", "laat de lezer alleen een ruimte doorzoeken"),
    ("photograph", "laat de lezer openlijk mensen fotograferen"),
    ("investigate", "laat de lezer zelf onderzoek doen"),
    ("crime scene", "stuurt de lezer een plek in waar misschien een misdrijf is"),
    ("anonymity", "belooft dat melden anoniem is; dat is alleen zo bij Meld Misdaad Anoniem"),
]


@_shape(r"^rule '([^']+)' asks for contact with the people or premises concerned")
def _only_when_safe(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    text = (
        f"Advies {found.group(1)} vraagt contact met de mensen of het gebouw waar het om "
        "gaat, maar 'only_when_safe: true' ontbreekt"
    )
    return text, _cap(c.problem.hint)


_words(
    r"^rule '([^']+)' is a red flag, so 'only_when_safe'",
    "Advies {0} is een rode vlag, dus 'only_when_safe' verbergt het altijd",
    "Haal 'only_when_safe' weg, of haal 'red_flag' weg",
)
_words(
    r"^scored question '([^']+)' is used by no rule",
    "Vraag {0} telt mee in de score, maar geen advies gebruikt hem",
    "Voeg een advies toe voor een zwak antwoord, zodat de ondernemer weet wat te doen",
)
_words(
    r"^B1: a sentence has (\d+) words \(at most (\d+)\)",
    "{Item}: een zin heeft {0} woorden",
    "Maak er twee zinnen van; hoogstens {1} woorden is makkelijker te lezen",
)
_words(
    r"^B1: '([^']+)' is officialese: write '([^']+)'", "{Item}: '{0}' is ambtelijk", "Schrijf '{1}'"
)
_words(
    r"^B1: '([^']+)' is jargon",
    "{Item}: '{0}' kent niet iedereen",
    "Leg het uit waar het voor het eerst staat, bijvoorbeeld '{0} (...)'",
)
_words(
    r"^B1:",
    "{Item}: deze tekst is moeilijk te lezen",
    "Gebruik kortere zinnen en gewone woorden (taalniveau B1)",
)


@_shape(r"^example '([^']+)': (.*)")
def _example(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    name, failure = found.groups()
    return f"Voorbeeld '{name}' klopt niet: {example_failure(failure)}", (
        "Pas de antwoorden of de verwachting aan, of kijk of uw advies en scores kloppen"
    )


_words(
    r"^referral was verified on (\S+), over a year ago",
    "{Item} is voor het laatst nagekeken op {0}, meer dan een jaar geleden",
    "Kijk het nummer en de website opnieuw na en zet de datum van vandaag bij 'verified_on'",
)
