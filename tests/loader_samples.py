"""Shared test samples: the shipped questionnaire folder, the branch template, and a small
valid questionnaire that the tests mutate, with helpers to do so."""

from __future__ import annotations

from pathlib import Path

QUESTIONNAIRES = Path(__file__).resolve().parent.parent / "questionnaires"
REGISTRY = QUESTIONNAIRES / "referrals.yaml"
TEMPLATE = QUESTIONNAIRES / "examples" / "voorbeeld-branche.yaml"
# The shipped sector scans by id (voorbeeld is a demo, not a sector).
SECTORS = [
    "haven",
    "vastgoed",
    "buitengebied_erfscan",
    "vakantieparken",
    "transport",
    "bedrijventerreinen",
]

MINI = """\
id: mini
version: 1
title: Mini
sector: Test
introduction: Een korte test.
duration_minutes: 2
themes:
  - id: fysiek
    title: Fysiek
    description: Gebouw en terrein.
    weight: 2
  - id: signalen
    title: Signalen
    description: Signalen en melden.
questions:
  - id: hek
    theme: fysiek
    text: Heeft u een hek?
    help: Een hek houdt onbekenden buiten.
    type: yes_no
    good_answer: ja
  - id: sloten
    theme: fysiek
    text: Welke sloten heeft u?
    help: Goede sloten helpen.
    type: single_choice
    options:
      - {value: goed, label: Goede sloten, score: 100}
      - {value: slecht, label: Slechte sloten, score: 0}
  - id: kennis
    theme: signalen
    text: Hoe goed kent u de signalen?
    help: Wie signalen kent, meldt sneller.
    type: scale
    scale: {min: 1, max: 5, min_label: Slecht, max_label: Goed, good: high}
  - id: mensen
    theme: signalen
    text: Hoeveel medewerkers heeft u?
    help: Meer mensen, meer risico.
    type: number
    number: {min: 0, max: 500}
  - id: benaderd
    theme: signalen
    text: Bent u benaderd?
    help: Criminelen benaderen ondernemers.
    type: yes_no
    acute_when: ja
    good_answer: nee
rules:
  - id: hek_maken
    when: hek == 'nee' or sloten == 'slecht'
    theme: fysiek
    priority: medium
    advice:
      title: Maak een hek
      explanation: Een hek helpt.
      steps: [Bel een hekkenbouwer.]
    referrals: [politie]
  - id: benaderd_melden
    when: benaderd == 'ja'
    theme: signalen
    priority: urgent
    red_flag: true
    advice:
      title: Meld het
      explanation: Dit is ernstig.
      steps: [Meld het anoniem.]
    referrals: [meld_misdaad_anoniem]
  - id: kennis_leren
    when: kennis <= 2 and mensen > 10
    theme: signalen
    priority: low
    advice:
      title: Leer de signalen
      explanation: Kennis helpt.
      steps: [Lees de folder.]
risk_levels:
  - {id: kwetsbaar, label: Kwetsbaar, min: 0, max: 50, explanation: Let op.}
  - {id: weerbaar, label: Weerbaar, min: 50, max: 100, explanation: Goed zo.}
examples:
  - name: benaderd
    answers: {hek: ja, sloten: goed, benaderd: ja}
    expect: {risk_level: kwetsbaar, red_flag: true, fired: [benaderd_melden]}
"""


def mutate(*pairs: str, text: str = MINI) -> str:
    """Replace each (old, new) pair, each old text exactly once, in a copy of the sample."""
    assert len(pairs) % 2 == 0, "give old/new pairs"
    for old, new in zip(pairs[::2], pairs[1::2], strict=True):
        assert text.count(old) == 1, f"{old!r} must occur exactly once"
        text = text.replace(old, new)
    return text


def line_of(text: str, marker: str, exact: bool = False) -> int:
    """Return the 1-based number of the only line that contains (or is) marker."""
    lines = [
        n
        for n, line in enumerate(text.splitlines(), 1)
        if (line == marker if exact else marker in line)
    ]
    assert len(lines) == 1, f"{marker!r} is on lines {lines}; it must be on exactly one"
    return lines[0]
