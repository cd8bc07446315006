"""A yes/no question asks one thing.

"Heeft u een eigen sleutel en mag u altijd kijken?" cannot be answered when only one half is
true: the entrepreneur guesses, and the score and the advice follow the guess. Such items were
reworded to one check with the same meaning, the same id and the same rules (a split would
push a sector past its 45 questions, tests/questionnaire/test_questionnaire_content.py).
The pattern catches the ways two checks were joined: ", en ...", "en mag/heeft/schrijft ...",
"... en of ...", "... heel is en ...". A list of people or places ("bezoekers, chauffeurs en
monteurs") is one check and passes.
"""

from __future__ import annotations

import re

TWO_CHECKS = re.compile(
    r",\s*en\s"
    r"|\ben\s+(?:mag|mogen|heeft|hebben|kunt|kan|schrijft|gebruikt|weet|kent|doet|is|zijn)\b"
    r"|\ben\s+of\b"
    r"|\b(?:is|zijn)\s+en\b"
)
EARLIER = [
    "Heeft u een eigen sleutel en mag u altijd in de verhuurde ruimte kijken?",
    "Spreekt u de huurder zelf, en gebruikt de huurder de ruimte ook zelf?",
    "Kent u de wijkagent (de agent voor uw gebied) en heeft u zijn of haar gegevens?",
    "Controleert de chauffeur het zegelnummer bij laden en lossen, en schrijft hij het op?",
    "Controleert u bij aankomst of de zegel van een container heel is en het nummer klopt?",
    "Controleert u ook bij ingehuurde mensen wie ze zijn en of ze een VOG hebben?",
]
ONE_CHECK = [
    "Weet u altijd wie er op uw terrein is, ook bezoekers, chauffeurs en monteurs?",
    "Vergelijkt de chauffeur bij laden en lossen het zegelnummer met de papieren?",
]


def test_the_pattern_finds_two_checks_and_passes_one():
    assert all(TWO_CHECKS.search(text) for text in EARLIER)
    assert not any(TWO_CHECKS.search(text) for text in ONE_CHECK)


def test_shipped_yes_no_questions_ask_one_thing(catalog):
    joined = [
        f"{q.id}: {question.id}: {question.text}"
        for q in catalog.latest.values()
        for question in q.questions
        if question.type == "yes_no" and TWO_CHECKS.search(question.text)
    ]
    assert len(catalog.latest) >= 6
    assert joined == []
