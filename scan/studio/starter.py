"""The starter overlay of a new tailored scan: every kind of change, commented out, in Dutch.

The text loads as it is (only the id, version, base, title and the base's examples take
effect). Each kind of change follows as a commented block, from its key ('#add:') to a blank
line: each of its lines is the YAML with one '#' before it, so an author removes that one
character to use it. The explaining lines above a block start with '# '. Uncommenting every
block still gives a text that loads (tested), so the author starts from examples that work on
this very base. Plain text work, no Flask, no database.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

from ruamel.yaml import YAML

from scan.questionnaire import Questionnaire
from scan.questionnaire.outline import outline


def starter_overlay(questionnaire_id: str, base: Questionnaire, organisation: str) -> str:
    """Return a commented overlay on a base that loads as is and keeps the base's examples."""
    lines = [
        f"# Uw eigen versie van '{base.title}' (versie {base.version}).",
        "# Alles wat u hier niet verandert, komt uit de basisscan. Het tabblad 'Basisscan' toont",
        "# alle thema's, vragen, antwoorden en adviezen met hun code. De handleiding legt elke",
        "# wijziging uit.",
        "# Een regel die met # begint, telt niet mee. Wilt u een voorbeeld hieronder gebruiken?",
        "# Haal dan bij elke regel van dat blok (van bijvoorbeeld #add: tot de lege regel) alleen",
        "# het eerste #-teken weg, en pas de tekst aan.",
        "# Druk op 'Controleren' om fouten en tips te zien, met het regelnummer.",
        f"id: {questionnaire_id}",
        "version: 1",
        f"extends: {{id: {base.id}, version: {base.version}}}",
        f"title: {_quoted(base.title + ' (' + organisation + ')')}",
        "listed: false   # true: de scan staat ook op de startpagina",
        "",
        *_commented(_changes(base, organisation)),
        "",
        "# Voorbeelden: antwoorden met de uitkomst die u verwacht ('Voorbeelden testen').",
        "# Dit zijn de voorbeelden van de basisscan. Voeg er een toe voor elke eigen vraag.",
    ]
    examples = _base_examples(base)
    lines.append(_dump({"examples": examples}, flow=None).rstrip() if examples else "examples: []")
    return "\n".join(lines) + "\n"


def _changes(base: Questionnaire, organisation: str) -> list[str]:
    """Return the commented blocks: add, own referral, acute answer, replace, weights, remove."""
    view = outline(base)
    first_theme = base.themes[0]
    first_question = base.questions[0]
    referral_id = "eigen_meldpunt"
    blocks = [
        "# 1. Toevoegen: een eigen vraag, een eigen advies en een eigen doorverwijzing.",
        "#    'after' zet de vraag direct na een vraag van de basisscan.",
        "#    De tweede vraag is acuut: antwoordt een ondernemer 'ja', dan is de uitslag altijd",
        "#    'Direct hulp nodig', met wie hij vandaag kan bellen (acute_when: ja).",
        _dump(
            {
                "add": {
                    "questions": [
                        {
                            "after": first_question.id,
                            "id": "eigen_vraag",
                            "theme": first_theme.id,
                            "text": "Heeft u een vaste contactpersoon bij de politie?",
                            "help": "Dan weet u wie u kunt bellen als er iets gebeurt.",
                            "type": "yes_no",
                            "good_answer": "ja",
                            "required": True,
                            "error_message": "Kies of u een vaste contactpersoon heeft.",
                        },
                        {
                            "id": "eigen_nu_onder_druk",
                            "theme": first_theme.id,
                            "text": "Zet iemand u op dit moment onder druk om mee te werken?",
                            "help": "Dit gebeurt vaker dan u denkt. U staat er niet alleen voor.",
                            "type": "yes_no",
                            "acute_when": "ja",
                        },
                    ],
                    "rules": [
                        {
                            "id": "eigen_advies",
                            "when": "eigen_vraag == 'nee'",
                            "theme": first_theme.id,
                            "priority": "medium",
                            "advice": {
                                "title": "Zorg voor een vaste contactpersoon bij de politie",
                                "explanation": "Dan weet u wie u belt als u iets vreemds ziet.",
                                "steps": ["Vraag de wijkagent om een vast nummer."],
                            },
                            "referrals": [referral_id, "meld_misdaad_anoniem"],
                        }
                    ],
                },
            }
        ),
        "# 2. Een eigen doorverwijzing: wie ondernemers in uw branche kunnen bellen of mailen.",
        "#    Vul de echte gegevens in, met de bron en de datum waarop u ze nakeek.",
        _dump(
            {
                "new_referrals": [
                    {
                        "id": referral_id,
                        "name": f"Meldpunt van {organisation}",
                        "contact": f"Via {organisation}",
                        "when": "U wilt advies van uw brancheorganisatie.",
                        "source": f"Gegevens van {organisation}",
                        "verified_on": dt.date.today(),
                    }
                ]
            }
        ),
        "# 3. Vervangen: altijd het hele item, op code. Hier weegt het eerste thema zwaarder",
        f"#    (weight; in de basis {first_theme.weight:g}). De eerste vraag staat er helemaal,",
        "#    zoals in de basis: verander wat u wilt, maar laat geen regel weg.",
        _dump(
            {
                "replace": {
                    "themes": [
                        {
                            "id": first_theme.id,
                            "title": first_theme.title,
                            "description": first_theme.description,
                            "weight": first_theme.weight + 1,
                        }
                    ],
                    "questions": [first_question.model_dump(mode="json", exclude_defaults=True)],
                }
            }
        ),
    ]
    removable = _removable(base, view)
    if removable:
        blocks += [
            "# 4. Weglaten: vragen, adviezen of thema's van de basisscan, op code.",
            _dump({"remove": removable}, flow=None),
        ]
    return blocks


def _removable(base: Questionnaire, view: Any) -> dict[str, list[str]]:
    """Return a question and a rule this base can do without: nothing reads or expects them."""
    answered = {key for example in base.examples for key in example.answers}
    expected = {
        rule
        for example in base.examples
        for rule in (*example.expect.fired, *example.expect.not_fired)
    }
    questions = [
        x.id
        for theme in view.themes
        for x in theme.questions
        if not x.rules and not x.shown_by and x.id not in answered and x.id != base.questions[0].id
    ]
    rules = [r.id for r in view.rules if not r.red_flag and r.id not in expected]
    found = {}
    if questions:
        found["questions"] = questions[-1:]
    if rules:
        found["rules"] = rules[-1:]
    return found


def _commented(blocks: list[str]) -> list[str]:
    lines = []
    for block in blocks:
        for line in block.rstrip("\n").split("\n"):
            lines.append(line if line.startswith("# ") else "#" + line)
        if not block.startswith("# "):
            lines.append("")
    return lines


def _base_examples(base: Questionnaire) -> list[dict[str, Any]]:
    examples = []
    for example in base.examples:
        expect = example.expect.model_dump(mode="json", exclude_defaults=True)
        entry: dict[str, Any] = {"name": example.name}
        if example.description:
            entry["description"] = example.description
        entry["answers"] = json.loads(json.dumps(example.answers, default=str))
        entry["expect"] = expect
        examples.append(entry)
    return examples


def _dump(data: Any, flow: bool | None = False) -> str:
    """Return data as YAML: in blocks (what an author edits), or short lists in flow style."""
    yaml = YAML(typ="rt", pure=True)  # keeps the keys in the order written
    yaml.default_flow_style = flow
    yaml.width = 4096  # no folded lines: each line of a commented block stays whole
    yaml.allow_unicode = True
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)
