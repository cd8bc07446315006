"""The table of the loader's message shapes, each with Dutch words for a branch author.

A shape is a regular expression over the loader's (English) message; its function returns what is
wrong and how to fix it, in plain Dutch (B1), naming the item by its id. A message without a
shape gets the fallback: Dutch words that name the item and the key, never the English.
"""

from __future__ import annotations

import re

from scan.questionnaire.author_context import (
    KIND_WORDS,
    AuthorContext,
    Shapes,
    shape_in,
)
from scan.questionnaire.author_context import cap as _cap

SHAPES: Shapes = []
_shape = shape_in(SHAPES)


@_shape(r"found character '\\t'")
def _tab(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return "Op deze regel staat een tab", "Gebruik spaties in plaats van tabs om in te springen"


@_shape(r"invalid YAML: mapping values are not allowed")
def _colon(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return "Hier staat een dubbele punt (:) midden in een tekst", (
        'Zet de hele tekst tussen aanhalingstekens, bijvoorbeeld: text: "Let op: ..."'
    )


@_shape(r"duplicate key: found duplicate key \"([^\"]+)\"")
def _duplicate_key(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return f"'{found.group(1)}' staat twee keer in hetzelfde onderdeel", "Haal er één weg"


@_shape(r"%YAML version is not supported")
def _yaml_version(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return "Een regel met %YAML kan hier niet", "Haal de regel met %YAML bovenaan weg"


@_shape(r"^anchors and aliases|^YAML tag")
def _yaml_feature(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return "Hier staat een teken dat in uw tekst niet mag (& * of !)", (
        "Schrijf het onderdeel helemaal uit, of zet de tekst tussen aanhalingstekens"
    )


@_shape(r"^character 0x\w+ is not allowed|^file is not valid UTF-8")
def _odd_character(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return "Hier staat een onzichtbaar of vreemd teken", (
        "Haal het weg; typ de tekst opnieuw als u het niet ziet"
    )


@_shape(r"^'([^']+)' is not a real date")
def _no_such_date(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return (
        f"De datum {found.group(1)} bestaat niet",
        "Schrijf een datum die bestaat, jaar-maand-dag",
    )


@_shape(r"^invalid YAML|^the file is not|^this is not|^nesting deeper|^more than \d+ values")
def _yaml(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return "De tekst springt hier niet goed in, of een teken staat op de verkeerde plek", (
        "Laat deze regel even ver inspringen als de regels die erbij horen, met spaties. "
        "Zet tekst met : of # tussen aanhalingstekens"
    )


@_shape(r"^'([a-z_]+)' is missing")
def _missing(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return f"Bij {c.item} ontbreekt '{found.group(1)}'", f"Voeg '{found.group(1)}: ...' toe"


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


@_shape(r"^extends '([^']+)' version (\d+), which is not found")
def _no_base(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return f"De basisscan {found.group(1)} versie {found.group(2)} bestaat niet", (
        c.suggestion.replace("@", " versie ") or "Kijk naar de code en de versie van de basisscan"
    )


@_shape(r"valid date|date_from|YYYY-MM-DD|date in the future")
def _date(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    if "future" in c.problem.message:
        return f"{_cap(c.item)}: de datum bij '{c.key}' ligt in de toekomst", (
            "Schrijf de dag waarop u het nummer en de website echt heeft nagekeken"
        )
    return f"{_cap(c.item)}: bij '{c.key}' hoort een datum", (
        "Schrijf de datum als jaar-maand-dag, bijvoorbeeld 2026-11-20"
    )


@_shape(r"^a referral needs a phone, url or contact")
def _unreachable(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return f"Bij {c.item} staat geen telefoonnummer, website of contact", (
        "Voeg 'phone:', 'url:' of 'contact:' toe, zodat ondernemers hen kunnen bereiken"
    )


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


@_shape(r"^referral '([^']+)' is in the shared registry already")
def _shared(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return f"Doorverwijzing {found.group(1)} staat al in de gedeelde lijst", (
        "Noem die code gewoon bij een advies, of geef uw eigen doorverwijzing een andere code"
    )


@_shape(r"^unknown referral '([^']+)'")
def _unknown_referral(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return f"{_cap(c.item)} noemt doorverwijzing {found.group(1)}, maar die bestaat niet", (
        c.suggestion or "Zet een eigen doorverwijzing eerst onder 'new_referrals:'"
    )


@_shape(r"^unknown question '([^']+)' in expression")
def _unknown_question(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return f"{_cap(c.item)} gebruikt vraag {found.group(1)}, maar die vraag bestaat niet", (
        c.suggestion or "Gebruik de code van een vraag uit uw tekst of uit de basisscan"
    )


@_shape(r"^syntax error in expression near (.*)")
def _syntax(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return f"De voorwaarde bij {c.item} is niet goed geschreven, bij {found.group(1)}", (
        "Schrijf bijvoorbeeld: vraag == 'ja', of 'antwoord' in vraag. Gebruik twee "
        "is-tekens (==) en verbind delen met and, or of not"
    )


@_shape(r"^'([^']+)' is not an option of question '([^']+)'")
def _not_an_option(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    options = c.problem.hint.partition("options: ")[2]
    return f"{_cap(c.item)}: '{found.group(1)}' is geen antwoord van vraag {found.group(2)}", (
        c.suggestion or (f"Kies uit: {options}" if options else "Gebruik een antwoord uit de vraag")
    )


@_shape(r"^unknown theme '([^']+)'")
def _unknown_theme(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return f"{_cap(c.item)} hoort bij thema {found.group(1)}, maar dat thema bestaat niet", (
        c.suggestion or "Gebruik de code van een thema, of voeg het thema toe onder 'add:'"
    )


@_shape(r"^'([^']*)' is not allowed here")
def _not_allowed(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    choices = c.problem.hint.removeprefix("use ").replace(" or ", " of ")
    return f"{_cap(c.item)}: '{found.group(1)}' kan niet bij '{c.key}'", (
        c.suggestion or f"Kies uit: {choices}"
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


@_shape(r"^Input should be a (valid|finite) (number|integer)")
def _number(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return f"{_cap(c.item)}: bij '{c.key}' hoort een getal", (
        "Schrijf een getal zonder aanhalingstekens, bijvoorbeeld 40"
    )


@_shape(r"^Input should be a valid list")
def _list(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return f"{_cap(c.item)}: bij '{c.key}' hoort een lijst", (
        "Zet elk onderdeel op een eigen regel die begint met '- '"
    )


@_shape(r"^Input should be a valid (string|dictionary|boolean)")
def _kind_of_value(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    if "empty" in c.problem.hint:
        return f"{_cap(c.item)}: '{c.key}' is leeg", "Schrijf de waarde achter de dubbele punt"
    if found.group(1) == "boolean":
        return f"{_cap(c.item)}: bij '{c.key}' hoort true of false", "Schrijf true of false"
    if found.group(1) == "dictionary":
        return f"{_cap(c.item)}: bij '{c.key}' horen regels 'sleutel: waarde'", (
            "Vergelijk het met de handleiding of de basisscan"
        )
    return f"{_cap(c.item)}: bij '{c.key}' hoort tekst", (
        "Zet de tekst tussen aanhalingstekens als er een : of # in staat"
    )


@_shape(r"^(List should have at least|String should have at least) (\d+)")
def _too_short(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    if found.group(1).startswith("String"):
        return f"{_cap(c.item)}: '{c.key}' is leeg", "Schrijf de tekst achter de dubbele punt"
    return f"{_cap(c.item)}: bij '{c.key}' hoort minstens {found.group(2)} onderdeel", (
        "Voeg een regel toe die begint met '- '"
    )


@_shape(r"^(List|String) should have at most (\d+)")
def _too_long(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    what = "onderdelen" if found.group(1) == "List" else "tekens"
    return f"{_cap(c.item)}: '{c.key}' is te lang", f"Gebruik hoogstens {found.group(2)} {what}"


@_shape(r"^(?:question|rule|theme|risk level|referral) id '([^']+)' is used more than once")
def _duplicate_id(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return f"De code {found.group(1)} bestaat al, in uw tekst of in de basisscan", (
        "Geef uw onderdeel een andere code, of gebruik 'replace:' om dat van de basisscan "
        "te vervangen"
    )


@_shape(r"^option value '([^']+)' is used more than once")
def _duplicate_option(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return f"{_cap(c.item)}: antwoord '{found.group(1)}' staat er twee keer in", (
        "Geef elk antwoord een eigen value"
    )


@_shape(r"^show_if uses '([^']+)', which is not an earlier question")
def _later(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return f"{_cap(c.item)} hangt af van vraag {found.group(1)}, maar die komt later", (
        "Gebruik bij 'show_if' alleen vragen die eerder komen, of zet deze vraag verderop "
        "met 'after:'"
    )


@_shape(r"^an? (\w+) question needs '([^']+)'")
def _needs(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return f"{_cap(c.item)} mist '{found.group(2)}'", (
        f"Voeg '{found.group(2)}:' toe; kijk in de handleiding hoe een vraag van dit type eruitziet"
    )


@_shape(r"^'([^']+)' is not allowed for an? (\w+) question")
def _not_for_kind(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return f"{_cap(c.item)}: '{found.group(1)}' past niet bij dit type vraag", (
        f"Haal '{found.group(1)}' weg, of kies een ander 'type'"
    )


@_shape(r"^add.referrals lists ids of referrals")
def _whole_entry(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return "Onder 'add: referrals:' staan alleen codes. Hier staat een hele doorverwijzing", (
        "Zet de hele doorverwijzing onder 'new_referrals:' en zet hier alleen de code"
    )


@_shape(r"^(scale|number) min must be smaller than max")
def _min_max(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return f"{_cap(c.item)}: 'min' moet kleiner zijn dan 'max'", "Wissel de twee getallen om"


@_shape(r"^question '([^']+)' is answered with a number, not text")
def _number_answer(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return f"{_cap(c.item)}: vraag {found.group(1)} krijgt een getal als antwoord", (
        f"Schrijf het getal zonder aanhalingstekens, bijvoorbeeld {found.group(1)} >= 3"
    )


@_shape(r"^this document is '([^']+)'; its id cannot change")
def _identity(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return f"Deze scan heeft de code {found.group(1)}; die kan niet veranderen", (
        f"Schrijf 'id: {found.group(1)}', of begin een nieuwe scan voor een nieuwe code"
    )


@_shape(r"^this draft becomes version (\d+)")
def _version(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return f"Dit concept wordt versie {found.group(1)}", f"Schrijf 'version: {found.group(1)}'"


@_shape(r"^the text is (\d+) KiB, the maximum is (\d+) KiB")
def _size(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return f"De tekst is {found.group(1)} KiB; meer dan {found.group(2)} KiB kan niet", (
        "Pas minder aan in één scan, of haal lange opmerkingen (#) weg"
    )


@_shape(r"^the base questionnaire '([^']+)' has errors")
def _broken_base(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return f"De basisscan {found.group(1)} heeft zelf fouten", (
        "Kies een andere versie van de basisscan, of vraag de beheerder om hulp"
    )


@_shape(r"^an overlay cannot extend itself|^overlays extend each other|^more than \d+ overlays")
def _chain(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return "Uw scan kan niet op zichzelf of op een kring van scans bouwen", (
        "Noem onder 'extends:' een basisscan die zelf geen 'extends' heeft"
    )


@_shape(r"^a range needs two numbers")
def _range(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return (
        f"{_cap(c.item)}: hier horen twee getallen",
        "Schrijf [laag, hoog], bijvoorbeeld [40, 60]",
    )


@_shape(r"^a choice question needs at least two options")
def _two_options(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return f"{_cap(c.item)} heeft minder dan twee antwoorden", "Geef minstens twee antwoorden"


@_shape(r"^option '([^']+)' has no score while others do")
def _no_score(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
    return f"{_cap(c.item)}: antwoord {found.group(1)} heeft geen score, de andere wel", (
        "Geef elk antwoord een score (0 voor het zwakste), of geen enkel antwoord"
    )
