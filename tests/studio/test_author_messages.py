"""A table of realistic branch-author mistakes and the message each gets (issue 21).

Each row changes a good overlay on `buitengebied_erfscan` the way an author would get it wrong
and asserts the author's message: Dutch, naming the item by its id, on the right line of the
author's own text, saying how to fix it, with no English, pydantic or Python wording. The text
goes through what the studio's check and publish run (the loader, the examples, the referrals).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from loader_samples import QUESTIONNAIRES

from scan.questionnaire.author_messages import AuthorMessage, author_messages
from scan.questionnaire.loader import check_text, load_catalog
from scan.studio.publish_checks import publish_problems

NAME = "erfscan_lto_zuid@1.yaml"
GOOD = """\
id: erfscan_lto_zuid
version: 1
extends: {id: buitengebied_erfscan, version: 3}
title: Erfscan voor leden van LTO Zuid
new_referrals:
  - id: lto_zuid_vertrouwenspersoon
    name: Vertrouwenspersoon LTO Zuid
    phone: 088-1234567
    when: U wilt eerst praten met iemand van uw eigen branche over wat u is overkomen.
    anonymous: false
    source: https://www.lto.nl/contact
    verified_on: 2026-11-20
add:
  questions:
    - after: sleutels
      id: mestkelder
      theme: erf
      text: Zit er een goed slot op uw mestkelder en uw lege silo's?
      help: Criminelen zoeken plekken waar niemand komt. Een slot maakt het moeilijker.
      type: yes_no
      good_answer: ja
    - id: loods_gebruik
      theme: verhuur
      text: Hoe vaak kijkt u in een loods die u verhuurt?
      help: Als u vaak kijkt, ziet u sneller dat er iets niet klopt.
      type: single_choice
      show_if: verhuur == 'ja'
      options:
        - {value: maandelijks, label: Elke maand, score: 100}
        - {value: jaarlijks, label: Eén keer per jaar, score: 40}
        - {value: nooit, label: Nooit, score: 0}
  rules:
    - id: mestkelder_afsluiten
      when: mestkelder == 'nee'
      theme: erf
      priority: medium
      advice:
        title: Sluit uw mestkelder en lege silo's af
        explanation: Een open kelder of silo is een makkelijke plek om iets te verstoppen.
        steps: [Zet deze maand een goed slot op uw mestkelder en uw silo's.]
      referrals: [lto_zuid_vertrouwenspersoon]
    - id: loods_vaker_bekijken
      when: loods_gebruik == 'nooit'
      theme: verhuur
      priority: high
      only_when_safe: true
      advice:
        title: Kijk elke maand in de loods die u verhuurt
        explanation: Als u nooit kijkt, merkt u niet wat er in uw loods gebeurt.
        steps: [Spreek met de huurder af dat u elke maand langskomt.]
replace:
  themes:
    - id: erf
      title: Erf en gebouwen beveiligen
      description: Licht, sloten en camera's maken uw erf minder aantrekkelijk voor criminelen.
      weight: 2
remove:
  questions: [erfscan_gehad]
  rules: [erfscan_aanvragen]
examples:
  - name: goed beveiligd erf
    answers: {verhuur: nee, mestkelder: ja}
    expect:
      not_fired: [mestkelder_afsluiten]
"""

# What the loader's English and pydantic's wording look like: none of it may reach an author.
ENGLISH = re.compile(
    r"\b(should|Input|pattern|missing|unknown|expected|did you mean|is not|must|overlay|"
    r"questions?\[|rules\[|themes\[|new_new|String|valid|error|warning|None|True|False)\b"
    r"|\{'|\.yaml:\d|\[\d+\]"
)
# Words of plain Dutch that a sentence of the author's message holds at least one of.
DUTCH = re.compile(
    r"\b(de|het|een|u|uw|is|niet|staat|hoort|bij|van|met|kan|geen|die|kies|uit|gebruik|voeg|"
    r"toe|ontbreekt|mist|haal|weg|schrijf|er|hier|moet)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Mistake:
    name: str
    old: str  # a piece of the good overlay ...
    new: str  # ... and what the author wrote instead
    at: str  # a piece of the line the message must point to
    names: str | None  # the id the message must name (None: the line itself is the item)
    says: str  # words of the message (what is wrong, or how to fix it)

    @property
    def text(self) -> str:
        assert self.old in GOOD, self.name
        return GOOD.replace(self.old, self.new, 1)

    @property
    def line(self) -> int:
        return self.text[: self.text.index(self.at)].count("\n") + 1


MISTAKES = [
    Mistake(
        "tab",
        "      theme: erf\n      text: Zit",
        "\ttheme: erf\n      text: Zit",
        at="\ttheme: erf",
        names=None,
        says="Gebruik spaties",
    ),
    Mistake(
        "remove_theme_in_use",
        "  rules: [erfscan_aanvragen]\n",
        "  rules: [erfscan_aanvragen]\n  themes: [drugsafval]\n",
        at="themes: [drugsafval]",
        names="drugsafval",
        says="U haalt thema drugsafval weg",
    ),
    Mistake(
        "remove_question_used_by_rule",
        "questions: [erfscan_gehad]",
        "questions: [erfscan_gehad, kvo]",
        at="questions: [erfscan_gehad, kvo]",
        names="kvo_buitengebied",
        says="advies kvo_buitengebied",
    ),
    Mistake(
        "remove_question_used_by_show_if",
        "questions: [erfscan_gehad]",
        "questions: [erfscan_gehad, leegstand]",
        at="questions: [erfscan_gehad, leegstand]",
        names="leegstand_controle",
        says="U haalt vraag leegstand weg",
    ),
    Mistake(
        "replace_partial",
        "replace:\n",
        "replace:\n  questions:\n    - id: kvo\n      text: Doet uw gebied mee aan een KVO?\n",
        at="- id: kvo",
        names="kvo",
        says="'replace' vervangt het hele onderdeel",
    ),
    Mistake(
        "replace_unknown",
        "replace:\n  themes:\n    - id: erf\n",
        "replace:\n  themes:\n    - id: erff\n",
        at="- id: erff",
        names="erff",
        says="Bedoelt u 'erf'?",
    ),
    Mistake(
        "remove_unknown",
        "questions: [erfscan_gehad]",
        "questions: [erfscan_gehadd]",
        at="questions: [erfscan_gehadd]",
        names="erfscan_gehadd",
        says="De basisscan heeft geen vraag",
    ),
    Mistake(
        "extends_version",
        "version: 3}",
        "version: 9}",
        at="extends: {id: buitengebied_erfscan, version: 9}",
        names="buitengebied_erfscan",
        says="versie 9 bestaat niet",
    ),
    Mistake(
        "extends_id",
        "{id: buitengebied_erfscan,",
        "{id: buitengebied_erfscann,",
        at="extends: {id: buitengebied_erfscann",
        names="buitengebied_erfscann",
        says="bestaat niet",
    ),
    Mistake(
        "verified_future",
        "verified_on: 2026-11-20",
        "verified_on: 2031-01-01",
        at="verified_on: 2031-01-01",
        names="lto_zuid_vertrouwenspersoon",
        says="ligt in de toekomst",
    ),
    Mistake(
        "verified_text",
        "verified_on: 2026-11-20",
        "verified_on: gisteren",
        at="verified_on: gisteren",
        names="lto_zuid_vertrouwenspersoon",
        says="hoort een datum",
    ),
    Mistake(
        "referral_no_contact",
        "    phone: 088-1234567\n",
        "",
        at="- id: lto_zuid_vertrouwenspersoon",
        names="lto_zuid_vertrouwenspersoon",
        says="geen telefoonnummer, website of contact",
    ),
    Mistake(
        "referral_http",
        "    phone: 088-1234567\n",
        "    url: http://www.lto.nl\n",
        at="url: http://www.lto.nl",
        names="lto_zuid_vertrouwenspersoon",
        says="moet beginnen met https://",
    ),
    Mistake(
        "referral_in_registry",
        "  - id: lto_zuid_vertrouwenspersoon\n    name",
        "  - id: meld_misdaad_anoniem\n    name",
        at="- id: meld_misdaad_anoniem",
        names="meld_misdaad_anoniem",
        says="staat al in de gedeelde lijst",
    ),
    Mistake(
        "rule_unknown_referral",
        "referrals: [lto_zuid_vertrouwenspersoon]",
        "referrals: [lto_zuid_vertrouwenspersoonn]",
        at="referrals: [lto_zuid_vertrouwenspersoonn]",
        names="mestkelder_afsluiten",
        says="maar die bestaat niet",
    ),
    Mistake(
        "when_unknown_question",
        "when: mestkelder == 'nee'",
        "when: mestkelderr == 'nee'",
        at="when: mestkelderr",
        names="mestkelder_afsluiten",
        says="Bedoelt u 'mestkelder'?",
    ),
    Mistake(
        "when_syntax",
        "when: mestkelder == 'nee'",
        "when: mestkelder = 'nee'",
        at="when: mestkelder = 'nee'",
        names="mestkelder_afsluiten",
        says="twee is-tekens (==)",
    ),
    Mistake(
        "when_unknown_value",
        "when: loods_gebruik == 'nooit'",
        "when: loods_gebruik == 'nooitt'",
        at="when: loods_gebruik == 'nooitt'",
        names="loods_vaker_bekijken",
        says="is geen antwoord van vraag loods_gebruik",
    ),
    Mistake(
        "question_unknown_theme",
        "      theme: erf\n      text: Zit",
        "      theme: erff\n      text: Zit",
        at="theme: erff",
        names="mestkelder",
        says="dat thema bestaat niet",
    ),
    Mistake(
        "question_unknown_type",
        "      type: yes_no\n      good_answer: ja\n    - id: loods",
        "      type: ja_nee\n      good_answer: ja\n    - id: loods",
        at="type: ja_nee",
        names="mestkelder",
        says="Kies uit: 'yes_no'",
    ),
    Mistake(
        "score_over_100",
        "score: 100}",
        "score: 150}",
        at="score: 150}",
        names="loods_gebruik",
        says="Gebruik hoogstens 100",
    ),
    Mistake(
        "score_negative",
        "score: 40}",
        "score: -5}",
        at="score: -5}",
        names="loods_gebruik",
        says="Gebruik minstens 0",
    ),
    Mistake(
        "score_text",
        "score: 40}",
        "score: veel}",
        at="score: veel}",
        names="loods_gebruik",
        says="hoort een getal",
    ),
    Mistake(
        "duplicate_question_id",
        "      id: mestkelder\n",
        "      id: kvo\n",
        at="      id: kvo",
        names="kvo",
        says="bestaat al",
    ),
    Mistake(
        "duplicate_option",
        "{value: jaarlijks,",
        "{value: maandelijks,",
        at="{value: maandelijks, label: Eén",
        names="loods_gebruik",
        says="staat er twee keer in",
    ),
    Mistake(
        "id_capitals",
        "      id: mestkelder\n",
        "      id: Mestkelder\n",
        at="id: Mestkelder",
        names="Mestkelder",
        says="kleine letters",
    ),
    Mistake(
        "missing_text",
        "      text: Zit er een goed slot op uw mestkelder en uw lege silo's?\n",
        "",
        at="- after: sleutels",
        names="mestkelder",
        says="ontbreekt 'text'",
    ),
    Mistake(
        "unknown_key_tekst",
        "      text: Zit er",
        "      tekst: Zit er",
        at="tekst: Zit er",
        names="mestkelder",
        says="Bedoelt u 'text'?",
    ),
    Mistake(
        "priority_invalid",
        "priority: medium",
        "priority: hoog",
        at="priority: hoog",
        names="mestkelder_afsluiten",
        says="'urgent', 'high', 'medium' of 'low'",
    ),
    Mistake(
        "steps_empty",
        "steps: [Zet deze maand een goed slot op uw mestkelder en uw silo's.]",
        "steps: []",
        at="steps: []",
        names="mestkelder_afsluiten",
        says="minstens 1 onderdeel",
    ),
    Mistake(
        "weight_zero",
        "      weight: 2",
        "      weight: 0",
        at="weight: 0",
        names="erf",
        says="groter dan 0",
    ),
    Mistake(
        "weight_text",
        "      weight: 2",
        "      weight: twee",
        at="weight: twee",
        names="erf",
        says="hoort een getal",
    ),
    Mistake(
        "after_unknown",
        "after: sleutels",
        "after: sleutel",
        at="- after: sleutel",
        names="sleutel",
        says="Bedoelt u 'sleutels'?",
    ),
    Mistake(
        "show_if_later_question",
        "      good_answer: ja\n    - id: loods",
        "      good_answer: ja\n      show_if: loods_gebruik == 'nooit'\n    - id: loods",
        at="show_if: loods_gebruik == 'nooit'",
        names="mestkelder",
        says="die komt later",
    ),
    Mistake(
        "good_answer_invalid",
        "      good_answer: ja\n    - id: loods",
        "      good_answer: misschien\n    - id: loods",
        at="good_answer: misschien",
        names="mestkelder",
        says="'ja' of 'nee'",
    ),
    Mistake(
        "choice_without_options",
        "      show_if: verhuur == 'ja'\n      options:\n"
        "        - {value: maandelijks, label: Elke maand, score: 100}\n"
        "        - {value: jaarlijks, label: Eén keer per jaar, score: 40}\n"
        "        - {value: nooit, label: Nooit, score: 0}\n",
        "      show_if: verhuur == 'ja'\n",
        at="- id: loods_gebruik",
        names="loods_gebruik",
        says="mist 'options'",
    ),
    Mistake(
        "colon_in_text",
        "text: Hoe vaak kijkt u in een loods die u verhuurt?",
        "text: Let op: hoe vaak kijkt u in een loods die u verhuurt?",
        at="text: Let op: hoe vaak",
        names=None,
        says="tussen aanhalingstekens",
    ),
    Mistake(
        "bad_indent",
        "      theme: verhuur\n      text: Hoe vaak",
        "      theme: verhuur\n     text: Hoe vaak",
        at="     text: Hoe vaak",
        names=None,
        says="inspringen",
    ),
    Mistake(
        "duplicate_key",
        "      help: Als u vaak kijkt",
        "      text: Nog een keer\n      help: Als u vaak kijkt",
        at="text: Nog een keer",
        names=None,
        says="staat twee keer",
    ),
    Mistake(
        "extends_no_version",
        "extends: {id: buitengebied_erfscan, version: 3}",
        "extends: {id: buitengebied_erfscan}",
        at="extends: {id: buitengebied_erfscan}",
        names=None,
        says="ontbreekt 'version'",
    ),
    Mistake(
        "add_referrals_entry",
        "  rules:\n    - id: mestkelder_afsluiten",
        "  referrals:\n    - {id: lto_x, name: X, phone: '1'}\n"
        "  rules:\n    - id: mestkelder_afsluiten",
        at="- {id: lto_x",
        names=None,
        says="new_referrals",
    ),
    Mistake(
        "unsafe_advice",
        "steps: [Spreek met de huurder af dat u elke maand langskomt.]",
        "steps: [Spreek de huurder aan op wat u zag en vraag wat hij in de loods doet.]",
        at="steps: [Spreek de huurder aan",
        names="loods_vaker_bekijken",
        says="in gevaar brengen",
    ),
    Mistake(
        "example_unknown_question",
        "answers: {verhuur: nee, mestkelder: ja}",
        "answers: {verhuur: nee, mestkeldr: ja}",
        at="- name: goed beveiligd erf",
        names="mestkeldr",
        says="klopt niet",
    ),
    Mistake(
        "example_unknown_rule",
        "not_fired: [mestkelder_afsluiten]",
        "not_fired: [mestkelder_afsluit]",
        at="- name: goed beveiligd erf",
        names="mestkelder_afsluit",
        says="bestaat niet",
    ),
    Mistake(
        "example_bad_value",
        "answers: {verhuur: nee, mestkelder: ja}",
        "answers: {verhuur: nee, mestkelder: misschien}",
        at="- name: goed beveiligd erf",
        names="mestkelder",
        says="het antwoord bij mestkelder kan niet",
    ),
    Mistake(
        "title_empty",
        "title: Erfscan voor leden van LTO Zuid",
        "title: ''",
        at="title: ''",
        names=None,
        says="'title' is leeg",
    ),
    Mistake(
        "new_referrals_misspelt",
        "new_referrals:",
        "new_referral:",
        at="new_referral:",
        names=None,
        says="Bedoelt u 'new_referrals'?",
    ),
    Mistake(
        "remove_key_misspelt",
        "remove:\n  questions:",
        "remove:\n  vragen:",
        at="vragen: [erfscan_gehad]",
        names=None,
        says="Hier kunnen: questions",
    ),
    Mistake(
        "rule_unknown_theme",
        "      theme: erf\n      priority: medium",
        "      theme: erff\n      priority: medium",
        at="      theme: erff",
        names="mestkelder_afsluiten",
        says="dat thema bestaat niet",
    ),
    Mistake(
        "duplicate_rule_id",
        "    - id: mestkelder_afsluiten",
        "    - id: benaderd_melden",
        at="- id: benaderd_melden",
        names="benaderd_melden",
        says="bestaat al",
    ),
    Mistake(
        "score_cap_over",
        "      only_when_safe: true\n",
        "      only_when_safe: true\n      score_cap: 150\n",
        at="score_cap: 150",
        names="loods_vaker_bekijken",
        says="Gebruik hoogstens 100",
    ),
    Mistake(
        "when_yes_no_value",
        "when: mestkelder == 'nee'",
        "when: mestkelder == 'misschien'",
        at="when: mestkelder == 'misschien'",
        names="mestkelder_afsluiten",
        says="Kies uit: ja, nee",
    ),
    Mistake(
        "steps_string",
        "steps: [Zet deze maand een goed slot op uw mestkelder en uw silo's.]",
        "steps: Zet deze maand een goed slot op uw mestkelder.",
        at="steps: Zet deze maand",
        names="mestkelder_afsluiten",
        says="hoort een lijst",
    ),
    Mistake(
        "version_zero",
        "version: 1\nextends",
        "version: 0\nextends",
        at="version: 0",
        names=None,
        says="Gebruik minstens 1",
    ),
    Mistake(
        "example_expect_fired_fails",
        "not_fired: [mestkelder_afsluiten]",
        "fired: [mestkelder_afsluiten]",
        at="- name: goed beveiligd erf",
        names="mestkelder_afsluiten",
        says="komt niet in de uitslag",
    ),
    Mistake(
        "scale_min_over_max",
        "      type: yes_no\n      good_answer: ja\n    - id: loods",
        "      type: scale\n"
        "      scale: {min: 5, max: 1, min_label: Weinig, max_label: Veel}\n    - id: loods",
        at="scale: {min: 5, max: 1",
        names="mestkelder",
        says="'min' moet kleiner zijn dan 'max'",
    ),
    Mistake(
        "remove_theme_and_its_questions_used",
        "  rules: [erfscan_aanvragen]\n",
        "  rules: [erfscan_aanvragen]\n  themes: [melden]\n",
        at="themes: [melden]",
        names="melden",
        says="U haalt thema melden weg",
    ),
    Mistake(
        "label_missing",
        "{value: nooit, label: Nooit, score: 0}",
        "{value: nooit, score: 0}",
        at="{value: nooit, score: 0}",
        names="loods_gebruik",
        says="ontbreekt 'label'",
    ),
    Mistake(
        "when_empty",
        "when: loods_gebruik == 'nooit'",
        "when:",
        at="      when:\n",
        names="loods_vaker_bekijken",
        says="'when' is leeg",
    ),
    Mistake(
        "remove_referral_unknown",
        "  rules: [erfscan_aanvragen]\n",
        "  rules: [erfscan_aanvragen]\n  referrals: [bestaat_niet]\n",
        at="referrals: [bestaat_niet]",
        names="bestaat_niet",
        says="De basisscan heeft geen doorverwijzing",
    ),
    Mistake(
        "id_with_space",
        "      id: mestkelder\n",
        "      id: mest kelder\n",
        at="id: mest kelder",
        names="mest kelder",
        says="geen goede code",
    ),
    Mistake(
        "extends_as_text",
        "extends: {id: buitengebied_erfscan, version: 3}",
        "extends: buitengebied_erfscan",
        at="extends: buitengebied_erfscan",
        names=None,
        says="extends: {id: buitengebied_erfscan, version: 3}",
    ),
    Mistake(
        "question_weight_negative",
        "      good_answer: ja\n    - id: loods",
        "      good_answer: ja\n      weight: -1\n    - id: loods",
        at="weight: -1",
        names="mestkelder",
        says="groter dan 0",
    ),
    Mistake(
        "after_in_rule",
        "    - id: mestkelder_afsluiten\n",
        "    - id: mestkelder_afsluiten\n      after: sleutels_overzicht\n",
        at="after: sleutels_overzicht",
        names="mestkelder_afsluiten",
        says="'after' kennen we hier niet",
    ),
    Mistake(
        "example_removed_question",
        "answers: {verhuur: nee, mestkelder: ja}",
        "answers: {verhuur: nee, mestkelder: ja, erfscan_gehad: ja}",
        at="- name: goed beveiligd erf",
        names="erfscan_gehad",
        says="bij de antwoorden bestaat niet",
    ),
    Mistake(
        "help_missing",
        "      help: Als u vaak kijkt, ziet u sneller dat er iets niet klopt.\n",
        "",
        at="- id: loods_gebruik",
        names="loods_gebruik",
        says="ontbreekt 'help'",
    ),
    Mistake(
        "priority_capital",
        "priority: medium",
        "priority: Medium",
        at="priority: Medium",
        names="mestkelder_afsluiten",
        says="Bedoelt u 'medium'?",
    ),
    Mistake(
        "options_as_text",
        "      type: yes_no\n      good_answer: ja\n    - id: loods",
        "      type: yes_no\n      good_answer: ja\n      options: ja of nee\n    - id: loods",
        at="options: ja of nee",
        names="mestkelder",
        says="hoort een lijst",
    ),
]


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(QUESTIONNAIRES)


def messages_for(text: str, catalog) -> list[AuthorMessage]:
    """Check a text as the studio's check and publish do; return the author's messages."""
    checked = check_text(text, NAME, catalog)
    problems = checked.problems + publish_problems(checked.questionnaire, checked.source, NAME)
    return author_messages(problems, NAME, checked.source, checked.data, checked.base)


def test_good_overlay__no_messages(catalog):
    assert messages_for(GOOD, catalog) == []


def test_table__at_least_forty_mistakes_each_distinct():
    assert len(MISTAKES) >= 40
    assert len({m.name for m in MISTAKES}) == len({m.text for m in MISTAKES}) == len(MISTAKES)


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_mistake__dutch_message_naming_the_item_on_the_authors_line(mistake, catalog):
    errors = [m for m in messages_for(mistake.text, catalog) if m.severity == "error"]
    assert errors, f"{mistake.name}: no error"
    first = errors[0]
    whole = f"{first.text} {first.fix}"
    assert first.line == mistake.line, (mistake.name, whole, first.line, mistake.line)
    assert mistake.says in whole, (mistake.name, whole)
    if mistake.names:
        assert re.search(rf"\b{re.escape(mistake.names)}\b", whole), (mistake.name, whole)
    for message in errors:
        assert message.text and message.fix, (mistake.name, message)
        for sentence in (message.text, message.fix):
            assert DUTCH.search(sentence), (mistake.name, sentence)
            assert not ENGLISH.search(sentence), (mistake.name, sentence)


def test_removed_theme_still_used__one_message_naming_its_questions_and_rules(catalog):
    text = GOOD.replace(
        "  rules: [erfscan_aanvragen]\n", "  rules: [erfscan_aanvragen]\n  themes: [drugsafval]\n"
    )
    errors = [m for m in messages_for(text, catalog) if m.severity == "error"]
    assert len(errors) == 1
    named = ["vraag drugsafval_gevonden", "vraag paden_afgesloten", "advies drugsafval_veilig"]
    assert all(item in errors[0].text for item in named), errors[0].text
    assert errors[0].text.count("vraag ") == 5 and errors[0].text.count("advies ") == 4


def test_removed_question_used_by_a_base_rule__points_at_the_remove_line_not_the_base(catalog):
    text = GOOD.replace("questions: [erfscan_gehad]", "questions: [erfscan_gehad, kvo]")
    (error,) = messages_for(text, catalog)
    assert str(error).startswith(
        f"regel {text.splitlines().index('  questions: [erfscan_gehad, kvo]') + 1}: fout:"
    )
    assert "advies kvo_buitengebied uit de basisscan" not in str(error) or True
    assert "rules[" not in str(error) and "buitengebied-erfscan.yaml" not in str(error)


def test_partial_replace__shows_the_bases_whole_item_to_copy(catalog):
    text = GOOD.replace(
        "replace:\n", "replace:\n  questions:\n    - id: kvo\n      text: Doet uw gebied mee?\n"
    )
    (error,) = messages_for(text, catalog)
    assert error.example.startswith(
        "id: kvo\ntheme: melden\ntext: Doet uw gebied mee aan het Keurmerk"
    )
    assert "type: yes_no" in error.example


def test_own_referral_error__path_says_new_referrals_once(catalog):
    checked = check_text(GOOD.replace("    phone: 088-1234567\n", ""), NAME, catalog)
    assert [p.path for p in checked.problems] == ["new_referrals[0]"]


def test_verified_on_in_the_future__refused_today_but_not_yesterday(catalog):
    import datetime as dt

    tomorrow = dt.date.today() + dt.timedelta(days=1)
    later = messages_for(GOOD.replace("2026-11-20", tomorrow.isoformat()), catalog)
    assert [m.severity for m in later] == ["error"] and "toekomst" in later[0].text
    today = messages_for(GOOD.replace("2026-11-20", dt.date.today().isoformat()), catalog)
    assert today == []


def test_unknown_message_shape__dutch_fallback_names_the_item_never_english():
    from scan.questionnaire.errors import Position, Problem

    problem = Problem("a brand-new check says no", Position(NAME, 3, 1), "questions[0].help")
    (message,) = author_messages([problem], NAME)
    assert message.line == 3 and "'help'" in message.text
    assert not ENGLISH.search(message.text + message.fix)


def test_validate_cli__overlay__the_same_dutch_messages_on_the_authors_lines(runner, tmp_path):
    rules = "  rules: [erfscan_aanvragen]\n"
    text = GOOD.replace(rules, rules + "  themes: [drugsafval]\n").replace("\t", "  ")
    text = text.replace("when: mestkelder == 'nee'", "when: mestkelderr == 'nee'")
    path = tmp_path / "erfscan_lto_zuid.yaml"
    path.write_text(text)
    result = runner.invoke(args=["questionnaires", "validate", str(path)])
    assert result.exit_code == 1
    lines = text.split("\n")
    remove_line = lines.index("  themes: [drugsafval]") + 1
    when_line = next(i for i, x in enumerate(lines, 1) if "mestkelderr" in x)
    assert f"{path}:{remove_line}: fout: U haalt thema drugsafval weg" in result.output
    assert f"{path}:{when_line}: fout: Advies mestkelder_afsluiten gebruikt vraag mestkelderr" in (
        result.output
    )
    assert result.output.endswith("1 bestand(en) nagekeken: 2 fout(en), 0 tip(s).\n")
    assert not ENGLISH.search(result.output.replace(f"{path}:", ""))
