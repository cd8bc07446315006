"""No text in a shipped questionnaire sends anyone to confront, question or follow a suspect."""

from __future__ import annotations

from pathlib import Path

import pytest

from scan.questionnaire import readability as rd
from scan.questionnaire.loader import questionnaire_paths
from scan.questionnaire.safety import check_sentence, unsafe_texts

ROOT = Path(__file__).resolve().parents[2]
ALL_FILES = sorted(questionnaire_paths(ROOT / "questionnaires"))


@pytest.fixture(scope="module")
def shipped(catalog):
    """Return the shipped questionnaires by file name."""
    return {Path(q.source).name: q for q in catalog.versions.values()}


@pytest.mark.parametrize("path", ALL_FILES, ids=[p.name for p in ALL_FILES])
def test_questionnaire_texts__send_no_one_to_a_suspect(path, shipped):
    q = shipped[path.name]
    findings = [str(f) for f in unsafe_texts(rd.questionnaire_texts(q))]
    assert findings == [], "unsafe advice:\n" + "\n".join(findings)


def test_referral_texts__send_no_one_to_a_suspect(shipped):
    q = next(iter(shipped.values()))
    findings = [str(f) for f in unsafe_texts(rd.referral_texts(q.registry.values()))]
    assert findings == [], "unsafe referral text:\n" + "\n".join(findings)


@pytest.mark.parametrize(
    "sentence",
    [
        "Ga langs bij een huisje met een vreemde stijging.",
        "Vraag waar het geld vandaan komt.",
        "Vraag de koper waar zijn geld vandaan komt.",
        "Ga niet alleen naar binnen.",
        "Ga alleen naar binnen als de politie erbij is.",
        "Spreek de huurder aan op de lucht.",
        "Ik spreek de huurder er zelf op aan.",
        "Volg het busje tot aan de snelweg.",
        "Confronteer de huurder met de foto's.",
        "Vraag de huurder waarom hij zoveel wil betalen.",
        "Vraag door als een ander bedrijf betaalt.",
        "Ga zelf op onderzoek uit.",
        "Achtervolg de auto niet te lang.",
    ],
)
def test_check_sentence__refused_phrasing__is_found(sentence):
    assert check_sentence(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Spreek niemand aan en ga niet zelf kijken.",
        "Spreek af dat niemand containernummers doorgeeft.",
        "Volg de cursus over ondermijning voor makelaars.",
        "Volg de instructies van de politie op.",
        "Is er een aanspreekpunt voor medewerkers?",
        "U staat er niet alleen voor.",
        "Bel 112 als er direct gevaar is.",
    ],
)
def test_check_sentence__safe_phrasing__passes(sentence):
    assert check_sentence(sentence) == []
