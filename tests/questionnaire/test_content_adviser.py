"""What a PVO adviser found in the texts (issue 20), kept true for every text, not one sentence.

Each test reads every text of its kind: all shipped questionnaires and overlays, the referral
registry, the page templates and the report's wording.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from loader_samples import QUESTIONNAIRES, REGISTRY

from scan.questionnaire import load_registry
from scan.questionnaire import readability as rd

ROOT = Path(__file__).resolve().parents[2]  # the checkout
TEXT_FILES = sorted(
    [
        *QUESTIONNAIRES.rglob("*.yaml"),
        *(ROOT / "scan").rglob("templates/**/*.html"),
        ROOT / "scan" / "report" / "wording.py",
    ]
)

DRUG_WASTE_STEPS = (
    "Raak niets aan",
    "Blijf minstens 25 meter weg. Lekt of rookt het, blijf dan minstens 100 meter weg.",
    "Ga met de wind in uw rug staan",
    "Bel meteen 112",
)


def _flat(text: str) -> str:
    """Return a text on one line: a YAML block or template wraps a sentence over lines."""
    return re.sub(r"\s+", " ", re.sub(r"\n\s*(#.*)?", " ", text))


@pytest.fixture(scope="module")
def texts(catalog):
    """Return every shipped questionnaire text as (questionnaire id, where, text)."""
    out = []
    for q in catalog.versions.values():
        out += [(q.id, where, text) for where, text in rd.questionnaire_texts(q)]
    return out


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    return {str(p.relative_to(ROOT)): _flat(p.read_text(encoding="utf-8")) for p in TEXT_FILES}


# --- drug waste: the police's own line, the same everywhere ---------------------------------


def test_drug_waste__every_instruction_for_a_find_follows_the_police_line(catalog):
    checked = 0
    for q in catalog.versions.values():
        for rule in q.rules:
            advice = rule.advice
            about = " ".join([advice.title, advice.explanation, *advice.steps]).lower()
            tells_what_to_do = any("meter" in s or "raak" in s.lower() for s in advice.steps)
            if "drugsafval" not in about or not tells_what_to_do:
                continue
            checked += 1
            steps = " ".join(advice.steps)
            for step in DRUG_WASTE_STEPS:
                assert step in steps, (q.id, rule.id, step)
    assert checked >= 3  # the farm scan twice, the holiday parks once


def test_drug_waste__never_sent_to_the_non_emergency_number(files, texts):
    sentences = [(f, s) for f, text in files.items() for s in re.split(r"(?<=[.!?])\s", text)]
    sentences += [(q, s) for q, _, text in texts for s in rd.split_sentences(text)]
    for where, sentence in sentences:
        low = sentence.lower()
        if "drugsafval" in low and ("0900-8844" in low or "geen spoed" in low):
            # Only an aangifte afterwards goes to 0900-8844; a find is 112 at once.
            assert "aangifte" in low, (where, sentence)


def test_drug_waste__registry_says_112_for_a_find():
    registry = load_registry(REGISTRY)
    assert "drugsafval" in registry["noodnummer_112"].when
    assert "112" in registry["noodnummer_112"].when
    police = registry["politie"].when.lower()
    assert "als u drugsafval vindt" not in police


# --- questions that answer themselves ------------------------------------------------------


SELF_ANSWERING = re.compile(r"^(Weet|Weten|Kent|Kennen)\b[^?]*\bdat\b", re.IGNORECASE)


def test_questions__none_answers_itself(catalog):
    for q in catalog.versions.values():
        for question in q.questions:
            assert not SELF_ANSWERING.search(question.text), (q.id, question.id, question.text)


def test_vertrouwenspersoon_vastgoed__not_offered_without_a_verified_contact(texts):
    registry = load_registry(REGISTRY).values()
    reachable = [
        r for r in registry if "vertrouwenspersoon" in r.name.lower() and (r.phone or r.url)
    ]
    for qid, where, text in texts:
        if re.search(r"vertrouwenspersoon[^.]*(vastgoed|branche)", text, re.IGNORECASE):
            assert reachable, (qid, where, text)


# --- every sentence about privacy literally true -------------------------------------------


OVER_PROMISES = (
    "zonder dat bekend wordt wie u bent",
    "zonder dat iemand weet wie u bent",
    "niemand hoeft te weten wie u bent",
    "alleen in uw eigen rapport",
    "we vragen niet uw naam",
    "we vragen niet wie u bent",
)


def test_privacy__no_promise_beyond_what_is_true(files):
    for name, text in files.items():
        low = text.lower()
        for phrase in OVER_PROMISES:
            assert phrase not in low, (name, phrase)


def test_privacy__only_meld_misdaad_anoniem_is_called_anonymous():
    anonymous = {r.id for r in load_registry(REGISTRY).values() if r.anonymous}
    assert anonymous == {"meld_misdaad_anoniem"}


# --- chalet sales ---------------------------------------------------------------------------


def test_chalets__no_consent_rule_beyond_what_a_park_can_agree(files):
    for name, text in files.items():
        low = text.lower()
        assert not re.search(r"verk\w+ [^.]{0,40}alleen met uw toestemming", low), name
        assert not re.search(r"alleen met uw toestemming (mogen |mag )?verk", low), name


def test_chalets__the_pvo_guide_is_named_with_its_source(catalog):
    q = catalog.get("vakantieparken")
    said = " ".join(text for _, text in rd.questionnaire_texts(q))
    assert "Gastvrij Veilige Vakantieparken" in said
    guide = [
        r for r in load_registry(REGISTRY).values() if "Gastvrij Veilige Vakantieparken" in r.name
    ]
    assert guide and guide[0].source and guide[0].verified_on
    assert any(guide[0].id in rule.referrals for rule in q.rules)


# --- B1 and spelling ------------------------------------------------------------------------


WRONG_SPELLING = ("nep-uniform", "vier-ogenprincipe", "chalet-eigenaren", "terecht kan")
WRONG_SPELLING += ("terecht kunt", "terecht kunnen")


def test_spelling__compounds_written_together(files):
    for name, text in files.items():
        for wrong in WRONG_SPELLING:
            assert wrong not in text, (name, wrong)


def test_b1__no_unintroduced_abbreviation_or_jargon(files, texts):
    for name, text in files.items():
        assert not re.search(r"\bM\. (ziet|maakt|stuurt|laat|neemt)", text), name
        assert "herleid" not in text.lower(), name
    for qid, where, text in texts:
        if where.startswith("themes") and where.endswith("title"):
            assert not re.search(r"Wwft|FIU", text), (qid, where, text)
        assert "cliëntenonderzoek volgens" not in text, (qid, where)
