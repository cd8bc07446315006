"""The table of the loader's message shapes, each with Dutch words for a branch author.

A shape is a regular expression over the loader's (English) message, with what is wrong and how
to fix it in plain Dutch (B1), naming the item by its id: as words (`_words`), or as a function
where the words depend on the message. The first shape that matches wins, so the order counts.
A message without a shape gets the fallback: Dutch words that name the item and the key.
"""

from __future__ import annotations

import re

from scan.questionnaire.author_context import (
    KIND_WORDS,
    AuthorContext,
    Shapes,
    shape_in,
    words_in,
)
from scan.questionnaire.author_context import cap as _cap
from scan.questionnaire.links import PHONE_HINT, TEXT_HINT, URL_HINT

SHAPES: Shapes = []
_shape = shape_in(SHAPES)
_words = words_in(SHAPES)

# --- reading the text ------------------------------------------------------------------------

_words(
    r"found character '\\t'",
    "Op deze regel staat een tab",
    "Gebruik spaties in plaats van tabs om in te springen",
)
_words(
    r"invalid YAML: mapping values are not allowed",
    "Hier staat een dubbele punt (:) midden in een tekst",
    'Zet de hele tekst tussen aanhalingstekens, bijvoorbeeld: text: "Let op: ..."',
)
_words(
    r"duplicate key: found duplicate key \"([^\"]+)\"",
    "'{0}' staat twee keer in hetzelfde onderdeel",
    "Haal er één weg",
)
_words(
    r"%YAML version is not supported",
    "Een regel met %YAML kan hier niet",
    "Haal de regel met %YAML bovenaan weg",
)
_words(
    r"^anchors and aliases|^YAML tag",
    "Hier staat een teken dat in uw tekst niet mag (& * of !)",
    "Schrijf het onderdeel helemaal uit, of zet de tekst tussen aanhalingstekens",
)
_words(
    r"^character 0x\w+ is not allowed|^file is not valid UTF-8",
    "Hier staat een onzichtbaar of vreemd teken",
    "Haal het weg; typ de tekst opnieuw als u het niet ziet",
)
_words(
    r"^'([^']+)' is not a real date",
    "De datum {0} bestaat niet",
    "Schrijf een datum die bestaat, jaar-maand-dag",
)
_words(
    r"^invalid YAML|^the file is not|^this is not|^nesting deeper|^more than \d+ values",
    "De tekst springt hier niet goed in, of een teken staat op de verkeerde plek",
    "Laat deze regel even ver inspringen als de regels die erbij horen, met spaties. "
    "Zet tekst met : of # tussen aanhalingstekens",
)

# --- keys and values -------------------------------------------------------------------------

_words(r"^'([a-z_]+)' is missing", "Bij {item} ontbreekt '{0}'", "Voeg '{0}: ...' toe")


@_shape(r"^unknown key '([^']+)'")
def _unknown_key(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    allowed = c.problem.hint.partition("allowed keys: ")[2]
    fix = c.suggestion or (f"Hier kunnen: {allowed}" if allowed else "Haal het weg")
    if "quotes" in c.problem.hint:
        fix = "Zet de hele tekst tussen aanhalingstekens"
    return f"{_cap(c.item)}: '{found.group(1)}' kennen we hier niet", fix


@_shape(r"^the base has no ([a-z ]+) '([^']+)'")
def _base_has_no(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    kind = KIND_WORDS.get(found.group(1), found.group(1))
    return f"De basisscan heeft geen {kind} '{found.group(2)}'", (
        c.suggestion or "Kijk in de basisscan welke codes er zijn"
    )


_words(
    r"^extends '([^']+)' version (\d+), which is retired",
    "De basisscan {0} versie {1} is ingetrokken",
    "Kies onder 'extends:' een basisscan die gepubliceerd is, of vraag de eigenaar de "
    "basisscan terug te zetten",
)


@_shape(r"^extends '([^']+)' version (\d+), which is not found")
def _no_base(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return f"De basisscan {found.group(1)} versie {found.group(2)} bestaat niet", (
        c.suggestion.replace("@", " versie ") or "Kijk naar de code en de versie van de basisscan"
    )


_words(
    r"date in the future",
    "{Item}: de datum bij '{key}' ligt in de toekomst",
    "Schrijf de dag waarop u het nummer en de website echt heeft nagekeken",
)
_words(
    r"valid date|date_from|YYYY-MM-DD",
    "{Item}: bij '{key}' hoort een datum",
    "Schrijf de datum als jaar-maand-dag, bijvoorbeeld 2026-11-20",
)
_words(
    r"^a referral needs a phone, url or contact",
    "Bij {item} staat geen telefoonnummer, website of contact",
    "Voeg 'phone:', 'url:' of 'contact:' toe, zodat ondernemers hen kunnen bereiken",
)


# links.py's reasons are Dutch already: name the item, and say how to write it instead.
@_shape(r"^(Het webadres|Een telefoonnummer|De tekst bevat)\b")
def _link(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    reason = found.string.strip()
    if c.key == "url":
        return f"{_cap(c.item)}: het webadres moet beginnen met https://. {reason}", _cap(URL_HINT)
    if c.key == "phone":
        return f"{_cap(c.item)}: {reason[0].lower()}{reason[1:]}", _cap(PHONE_HINT)
    return f"{_cap(c.item)}, bij '{c.key}': {reason[0].lower()}{reason[1:]}", _cap(TEXT_HINT)


@_shape(r"^String should match pattern")
def _pattern(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    if c.key == "url":
        return f"{_cap(c.item)}: het webadres moet beginnen met https://", (
            "Schrijf het hele adres, bijvoorbeeld https://www.voorbeeld.nl"
        )
    return f"{_cap(c.item)}: bij '{c.key}' staat geen goede code", (
        "Een code heeft alleen kleine letters, cijfers en _, en begint met een letter, "
        "bijvoorbeeld mest_kelder"
    )


@_shape(r"^Input should be (less|greater) than( or equal to)? (\S+)")
def _limit(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    high = found.group(1) == "less"
    limit = found.group(3)
    if found.group(2):
        fix = f"Gebruik {'hoogstens' if high else 'minstens'} {limit}"
    else:
        fix = f"Gebruik een getal {'kleiner' if high else 'groter'} dan {limit}"
    return f"{_cap(c.item)}: het getal bij '{c.key}' is te {'hoog' if high else 'laag'}", fix


_words(
    r"^Input should be a (valid|finite) (number|integer)",
    "{Item}: bij '{key}' hoort een getal",
    "Schrijf een getal zonder aanhalingstekens, bijvoorbeeld 40",
)
_words(
    r"^Input should be a valid list",
    "{Item}: bij '{key}' hoort een lijst",
    "Zet elk onderdeel op een eigen regel die begint met '- '",
)


@_shape(r"^Input should be a valid (string|dictionary|boolean)")
def _kind_of_value(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    item, key = _cap(c.item), c.key
    if "empty" in c.problem.hint:
        return f"{item}: '{key}' is leeg", "Schrijf de waarde achter de dubbele punt"
    if found.group(1) == "boolean":
        return f"{item}: bij '{key}' hoort true of false", "Schrijf true of false"
    if found.group(1) == "dictionary" and key == "extends":
        return "Bij 'extends' hoort de code en de versie van de basisscan", (
            "Schrijf bijvoorbeeld: extends: {id: buitengebied_erfscan, version: 3}"
        )
    if found.group(1) == "dictionary":
        return f"{item}: bij '{key}' horen regels 'sleutel: waarde'", (
            "Vergelijk het met de handleiding of de basisscan"
        )
    return f"{item}: bij '{key}' hoort tekst", (
        "Zet de tekst tussen aanhalingstekens als er een : of # in staat"
    )


_words(
    r"^String should have at least",
    "{Item}: '{key}' is leeg",
    "Schrijf de tekst achter de dubbele punt",
)
_words(
    r"^List should have at least (\d+)",
    "{Item}: bij '{key}' hoort minstens {0} onderdeel",
    "Voeg een regel toe die begint met '- '",
)
_words(
    r"^List should have at most (\d+)",
    "{Item}: '{key}' is te lang",
    "Gebruik hoogstens {0} onderdelen",
)
_words(
    r"^String should have at most (\d+)",
    "{Item}: '{key}' is te lang",
    "Gebruik hoogstens {0} tekens",
)

# --- ids, references and the parts of a question ---------------------------------------------

_words(
    r"^referral '([^']+)' is in the shared registry already",
    "Doorverwijzing {0} staat al in de gedeelde lijst",
    "Noem die code gewoon bij een advies, of geef uw eigen doorverwijzing een andere code",
)
_words(
    r"^unknown referral '([^']+)'",
    "{Item} noemt doorverwijzing {0}, maar die bestaat niet",
    "Zet een eigen doorverwijzing eerst onder 'new_referrals:'",
    suggest=True,
)
_words(
    r"^unknown question '([^']+)' in expression",
    "{Item} gebruikt vraag {0}, maar die vraag bestaat niet",
    "Gebruik de code van een vraag uit uw tekst of uit de basisscan",
    suggest=True,
)
_words(
    r"^syntax error in expression near (.*)",
    "De voorwaarde bij {item} is niet goed geschreven, bij {0}",
    "Schrijf bijvoorbeeld: vraag == 'ja', of 'antwoord' in vraag. Gebruik twee is-tekens (==) "
    "en verbind delen met and, or of not",
)


@_shape(r"^'([^']+)' is not an option of question '([^']+)'")
def _not_an_option(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    options = c.problem.hint.partition("options: ")[2]
    return f"{_cap(c.item)}: '{found.group(1)}' is geen antwoord van vraag {found.group(2)}", (
        c.suggestion or (f"Kies uit: {options}" if options else "Gebruik een antwoord uit de vraag")
    )


_words(
    r"^unknown theme '([^']+)'",
    "{Item} hoort bij thema {0}, maar dat thema bestaat niet",
    "Gebruik de code van een thema, of voeg het thema toe onder 'add:'",
    suggest=True,
)


@_shape(r"^'([^']*)' is not allowed here")
def _not_allowed(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    choices = c.problem.hint.removeprefix("use ").replace(" or ", " of ")
    return f"{_cap(c.item)}: '{found.group(1)}' kan niet bij '{c.key}'", (
        c.suggestion or f"Kies uit: {choices}"
    )


_words(
    r"^(?:question|rule|theme|risk level|referral) id '([^']+)' is used more than once",
    "De code {0} bestaat al, in uw tekst of in de basisscan",
    "Geef uw onderdeel een andere code, of gebruik 'replace:' om dat van de basisscan te vervangen",
)
_words(
    r"^option value '([^']+)' is used more than once",
    "{Item}: antwoord '{0}' staat er twee keer in",
    "Geef elk antwoord een eigen value",
)
_words(
    r"^show_if uses '([^']+)', which is not an earlier question",
    "{Item} hangt af van vraag {0}, maar die komt later",
    "Gebruik bij 'show_if' alleen vragen die eerder komen, of zet deze vraag verderop met 'after:'",
)
_words(
    r"^an? \w+ question needs '([^']+)'",
    "{Item} mist '{0}'",
    "Voeg '{0}:' toe; kijk in de handleiding hoe een vraag van dit type eruitziet",
)
_words(
    r"^'([^']+)' is not allowed for an? \w+ question",
    "{Item}: '{0}' past niet bij dit type vraag",
    "Haal '{0}' weg, of kies een ander 'type'",
)
_words(
    r"^add.referrals lists ids of referrals",
    "Onder 'add: referrals:' staan alleen codes. Hier staat een hele doorverwijzing",
    "Zet de hele doorverwijzing onder 'new_referrals:' en zet hier alleen de code",
)
_words(
    r"^(?:scale|number) min must be smaller than max",
    "{Item}: 'min' moet kleiner zijn dan 'max'",
    "Wissel de twee getallen om",
)
_words(
    r"^question '([^']+)' is answered with a number, not text",
    "{Item}: vraag {0} krijgt een getal als antwoord",
    "Schrijf het getal zonder aanhalingstekens, bijvoorbeeld {0} >= 3",
)
_words(
    r"^a range needs two numbers",
    "{Item}: hier horen twee getallen",
    "Schrijf [laag, hoog], bijvoorbeeld [40, 60]",
)
_words(
    r"^a choice question needs at least two options",
    "{Item} heeft minder dan twee antwoorden",
    "Geef minstens twee antwoorden",
)
_words(
    r"^option '([^']+)' has no score while others do",
    "{Item}: antwoord {0} heeft geen score, de andere wel",
    "Geef elk antwoord een score (0 voor het zwakste), of geen enkel antwoord",
)

# --- the document and its base ---------------------------------------------------------------

_words(
    r"^this document is '([^']+)'; its id cannot change",
    "Deze scan heeft de code {0}; die kan niet veranderen",
    "Schrijf 'id: {0}', of begin een nieuwe scan voor een nieuwe code",
)
_words(
    r"^this draft becomes version (\d+)", "Dit concept wordt versie {0}", "Schrijf 'version: {0}'"
)
_words(
    r"^the text is (\d+) KiB, the maximum is (\d+) KiB",
    "De tekst is {0} KiB; meer dan {1} KiB kan niet",
    "Pas minder aan in één scan, of haal lange opmerkingen (#) weg",
)
_words(
    r"^the base questionnaire '([^']+)' has errors",
    "De basisscan {0} heeft zelf fouten",
    "Kies een andere versie van de basisscan, of vraag de beheerder om hulp",
)
_words(
    r"^an overlay cannot extend itself|^overlays extend each other|^more than \d+ overlays",
    "Uw scan kan niet op zichzelf of op een kring van scans bouwen",
    "Noem onder 'extends:' een basisscan die zelf geen 'extends' heeft",
)
