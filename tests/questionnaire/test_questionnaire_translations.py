"""Questionnaire translations: .po files keyed on id paths, checked, put in, or left out."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from loader_samples import QUESTIONNAIRES

from scan.questionnaire import load_questionnaire
from scan.questionnaire.languages_readability import flesch_ease, text_problems
from scan.questionnaire.snapshots import to_snapshot
from scan.questionnaire.translated import (
    completeness,
    in_language,
    translation_problems,
    translations_problems,
)
from scan.questionnaire.translation_files import write_translation
from scan.questionnaire.translations import questionnaire_texts
from scan.scoring import score

ANSWERS = {
    "verhuur": "ja",
    "huur_contant": "contant",
    "maatregelen": ["geen"],
    "vertrouwen_personeel": 2,
    "aantal_medewerkers": 12,
    "benaderd": "ja",
    "druk_nu": "ja",
    "weet_waar_melden": "nee",
}


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of the shipped example scan, the registry and their translations."""
    target = tmp_path / "q"
    target.mkdir()
    for name in ("voorbeeld.yaml", "referrals.yaml"):
        shutil.copy(QUESTIONNAIRES / name, target / name)
    for path in QUESTIONNAIRES.glob("*.po"):
        if path.name.startswith(("voorbeeld.", "referrals.")):
            shutil.copy(path, target / path.name)
    return target


def _example(folder: Path):
    return load_questionnaire(folder / "voorbeeld.yaml", folder)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.slow
def test_shipped_translations__complete_and_no_problem():
    """Every shipped translation validates with no missing item and no warning."""
    problems = translations_problems(sorted(QUESTIONNAIRES.glob("*.yaml")), QUESTIONNAIRES)
    assert problems == []
    done = {(name, s.language): s for name, s in completeness(QUESTIONNAIRES)}
    for name in ("voorbeeld", "vakantieparken"):
        for language in ("en", "pl"):
            assert done[(name, language)].complete
            assert done[(name, language)].done == done[(name, language)].total


@pytest.mark.parametrize(
    ("language", "title", "advice"),
    [
        ("en", "Example scan: a business that resists crime", "Get help today"),
        ("pl", "Przykładowy skan: firma odporna na przestępców", "Poszukaj pomocy jeszcze dziś"),
    ],
)
def test_in_language__texts_translated_scores_and_ids_the_same(folder, language, title, advice):
    dutch = _example(folder)
    translated = in_language(dutch, language, folder)
    assert translated is not None and translated.title == title
    assert (translated.id, translated.version) == (dutch.id, dutch.version)
    nl, other = score(dutch, ANSWERS), score(translated, ANSWERS)
    assert (other.overall, other.red_flag) == (nl.overall, nl.red_flag)
    assert [a.id for a in other.advice] == [a.id for a in nl.advice]
    assert [t.score for t in other.themes] == [t.score for t in nl.themes]
    assert any(a.title.startswith(advice) for a in other.advice)
    mma = translated.registry["meld_misdaad_anoniem"]
    assert mma.name.startswith("Meld Misdaad Anoniem (") and mma.phone == "0800-7000"


def test_changed_dutch_text__translation_outdated_and_the_scan_stays_dutch(folder):
    _replace(
        folder / "voorbeeld.yaml",
        "Hoe betaalt de huurder de huur?",
        "Hoe betaalt de huurder zijn huur?",
    )
    dutch = _example(folder)
    assert in_language(dutch, "en", folder) is None  # never half translated
    problems = translation_problems(dutch, folder)
    outdated = [p for p in problems if p.path == "question:huur_contant.text"]
    assert outdated and "verouderd" in outdated[0].message
    assert outdated[0].severity == "warning"  # --strict fails on it
    assert outdated[0].position.file.endswith("voorbeeld.en.po") and outdated[0].position.line > 1


def test_missing_and_fuzzy_and_unknown_ids__each_reported_where_it_is(folder):
    po = folder / "voorbeeld.pl.po"
    _replace(po, 'msgstr "Jak najemca płaci czynsz?"', 'msgstr ""')
    _replace(po, 'msgctxt "question:verhuur.text"', '#, fuzzy\nmsgctxt "question:verhuur.text"')
    _replace(po, 'msgctxt "theme:fysiek.title"', 'msgctxt "theme:bestaat_niet.title"')
    problems = {p.path: p for p in translation_problems(_example(folder), folder)}
    assert "geen vertaling" in problems["question:huur_contant.text"].message
    assert "verouderd" in problems["question:verhuur.text"].message
    unknown = problems["theme:bestaat_niet.title"]
    assert "bestaat niet" in unknown.message and unknown.severity == "error"
    assert "geen vertaling" in problems["theme:fysiek.title"].message
    assert in_language(_example(folder), "pl", folder) is None


def test_lost_phone_number__an_error_and_not_shown(folder):
    _replace(
        folder / "voorbeeld.en.po",
        "Call the Vertrouwenslijn (confidential helpline, 0800-2800200) today for advice.",
        "Call the Vertrouwenslijn (confidential helpline) today for advice.",
    )
    problems = translation_problems(_example(folder), folder)
    lost = [p for p in problems if p.path == "rule:druk_nu_hulp.advice.steps.1"]
    assert lost and "0800-2800200" in lost[0].message and lost[0].severity == "error"
    assert in_language(_example(folder), "en", folder) is None


def test_incomplete_registry_translation__scan_stays_dutch(folder):
    _replace(
        folder / "referrals.en.po",
        'msgstr "Emergency number 112"',
        'msgstr ""',
    )
    assert in_language(_example(folder), "en", folder) is None
    assert in_language(_example(folder), "pl", folder) is not None


def test_no_translation_file__no_problem_and_dutch(folder):
    for path in folder.glob("voorbeeld.*.po"):
        path.unlink()
    dutch = _example(folder)
    assert translation_problems(dutch, folder) == []
    assert in_language(dutch, "en", folder) is None


def test_extraction__keeps_translations_marks_changed_ones_fuzzy_drops_gone_ids(folder):
    dutch = _example(folder)
    texts = list(questionnaire_texts(to_snapshot(dutch)["questionnaire"]))
    changed = [
        (ctx, "Hoe betaalt de huurder zijn huur?" if ctx == "question:huur_contant.text" else nl)
        for ctx, nl in texts
        if ctx != "question:toelichting.help"
    ]
    path = folder / "voorbeeld.en.po"
    total, todo = write_translation(path, changed, "en", "voorbeeld")
    assert (total, todo) == (len(texts) - 1, 1)
    with path.open("rb") as handle:
        catalog = {m.context: m for m in read_po(handle) if m.id}
    entry = catalog["question:huur_contant.text"]
    assert entry.fuzzy and entry.string == "How does the tenant pay the rent?"
    assert '#| msgid "Hoe betaalt de huurder de huur?"' in path.read_text(encoding="utf-8")
    assert "question:toelichting.help" not in catalog
    assert catalog["question:verhuur.text"].string.startswith("Do you rent out space")


def test_readability__english_long_sentence_and_hard_text_warned():
    long = " ".join(["word"] * 22) + "."
    assert any("22 woorden" in p for p in text_problems(long, "en"))
    hard = "Organisational accountability necessitates comprehensive institutional documentation."
    assert flesch_ease(hard)[0] < 0
    easy = "Put the numbers in your phone. Hang them up where your staff can see them."
    assert text_problems(easy, "en") == [] and flesch_ease(easy)[0] > 80


def test_readability__polish_long_words_and_sentences_warned():
    long_words = (
        "Przedsiębiorstwo zobowiązane jest niezwłocznie poinformować odpowiednie instytucje."
    )
    assert any("letters per woord" in p for p in text_problems(long_words + " " + long_words, "pl"))
    plain = "Zapisz w telefonie numer na policję. Powieś go tam, gdzie widzą go pracownicy."
    assert text_problems(plain, "pl") == []
