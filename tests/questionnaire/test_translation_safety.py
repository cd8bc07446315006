"""Translated texts run through the safety rule too (issue 27): English and Polish phrasings
that send the reader towards a possible criminal are refused, their negations are fine, and
every shipped translation passes."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po
from loader_samples import QUESTIONNAIRES

from scan.questionnaire.safety_languages import refused_in_language, translation_safety


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "Confront the buyer about the cash"),
        ("en", "Follow the van to see where it goes"),
        ("en", "Ask the driver why he is parked there"),
        ("en", "Check on the tenant at night"),
        ("en", "Search the shed yourself"),
        ("en", "Film the people at the gate"),
        ("en", "Report it anonymously to the police"),
        ("pl", "Zapytaj kierowcę o ładunek"),
        ("pl", "Jedź za furgonetką"),
        ("pl", "Śledź tego mężczyznę"),
        ("pl", "Skonfrontuj się z najemcą"),
        ("pl", "Przeszukaj szopę"),
        ("pl", "Zgłoś to anonimowo na policję"),
        # A negation elsewhere in the sentence does not make the instruction safe.
        ("en", "Follow the van and do not lose sight of it"),
        ("en", "Confront the buyer, don't wait for the police"),
        ("en", "Never wait: ask the driver what he is loading"),
        ("en", "Do not call first; follow the van"),
        ("pl", "Jedź za furgonetką i nie trać jej z oczu"),
        ("pl", "Zapytaj kierowcę o ładunek, nie czekaj na policję"),
    ],
)
def test_unsafe_translation__refused(language, sentence):
    assert refused_in_language(sentence, language)


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "Do not follow the van"),
        ("en", "Do not confront anyone"),
        ("en", "Report it to the police or anonymously to Meld Misdaad Anoniem"),
        ("en", "Read the rules of the register and follow them"),
        ("pl", "Nie śledź nikogo"),
        ("pl", "Zgłoś to na policję albo anonimowo do Meld Misdaad Anoniem"),
        ("pl", "Porozmawiaj z każdym nowym kupującym, zanim dasz umowę"),
        ("en", "Never follow, confront or question anyone"),
        ("en", "Following a van yourself is dangerous"),
        ("pl", "Nigdy nie jedź za nikim"),
        ("pl", "Śledzenie kogoś jest niebezpieczne"),
    ],
)
def test_safe_translation__passes(language, sentence):
    assert refused_in_language(sentence, language) == []


def test_link_in_translation__refused():
    assert list(translation_safety("Read more at javascript:alert(1)", "en"))


def test_every_shipped_translation__passes_the_safety_rule():
    found = []
    for path in sorted(QUESTIONNAIRES.glob("*.po")):
        language = path.suffixes[-2].lstrip(".")
        with path.open("rb") as handle:
            for message in read_po(handle):
                if message.id and message.string:
                    found += [
                        (path.name, message.context, why)
                        for why in translation_safety(str(message.string), language)
                    ]
    assert found == []
