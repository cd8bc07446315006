"""Content tests for the shipped questionnaires: B1 Dutch, structure, red flags, examples."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from loader_samples import QUESTIONNAIRES, REGISTRY
from ruamel.yaml import YAML

from scan.questionnaire import load_registry
from scan.questionnaire import readability as rd
from scan.questionnaire.kinds import is_scored
from scan.questionnaire.loader import questionnaire_paths
from scan.scoring import score

ALL_FILES = sorted(questionnaire_paths(QUESTIONNAIRES))
SECTOR_FILES = [p for p in ALL_FILES if p.stem != "voorbeeld"]
RED_FLAG_REFERRALS = {"meld_misdaad_anoniem", "vertrouwenslijn_afpersing", "noodnummer_112"}


def _ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


@pytest.fixture(scope="module")
def shipped(catalog):
    """Return the shipped questionnaires by file name, loaded once (with the catalog)."""
    assert catalog.problems == [] or all(p.severity == "warning" for p in catalog.problems)
    return {Path(q.source).name: q for q in catalog.versions.values()}


def readability_report(name: str, texts: list[tuple[str, str]]) -> list[str]:
    """Return one line per text that is too hard for B1, and for the texts as a whole."""
    lines = [f"{name}: {problem}" for problem in rd.check_texts(texts)]
    lines += [f"{name}: {problem}" for problem in rd.unexplained_jargon(texts)]
    whole = rd.overall(texts)
    if whole.flesch_douma < rd.MIN_OVERALL_SCORE:
        lines.append(
            f"{name}: all texts together score Flesch-Douma {whole.flesch_douma:.1f} "
            f"(at least {rd.MIN_OVERALL_SCORE:g})"
        )
    return lines


# --- Readability ---------------------------------------------------------------------------


def test_shipped_questionnaires__found():
    assert {p.stem for p in SECTOR_FILES} >= {
        "haven",
        "vastgoed",
        "buitengebied-erfscan",
        "vakantieparken",
        "transport",
    }


@pytest.mark.parametrize("path", ALL_FILES, ids=_ids(ALL_FILES))
def test_questionnaire_texts__b1_readable(path, shipped):
    q = shipped[path.name]
    texts = list(rd.questionnaire_texts(q))
    report = readability_report(path.name, texts)
    assert not report, "texts too hard for B1:\n" + "\n".join(report)


def test_questionnaire_texts__cover_every_user_facing_field(shipped):
    q = shipped["voorbeeld.yaml"]
    paths = {where for where, _ in rd.questionnaire_texts(q)}
    n_steps = sum(len(rule.advice.steps) for rule in q.rules)
    n_options = sum(len(question.options) for question in q.questions)
    assert {"title", "sector", "introduction"} <= paths
    assert sum(p.endswith(".help") for p in paths) == len(q.questions)
    assert sum(p.endswith(".text") and p.startswith("questions") for p in paths) == len(q.questions)
    assert sum(p.startswith("red_flag_outcome.today") for p in paths) == len(
        q.red_flag_outcome.today
    )
    assert sum(".options[" in p for p in paths) == n_options
    assert sum(".steps[" in p for p in paths) == n_steps
    assert sum(p.endswith(".description") for p in paths) == len(q.themes)
    assert sum(p.startswith("risk_levels") for p in paths) == 2 * len(q.risk_levels)
    required = sum(question.required for question in q.questions)
    assert sum(p.endswith(".error_message") for p in paths) == required > 0


@pytest.mark.parametrize("path", ALL_FILES, ids=_ids(ALL_FILES))
def test_required_questions__own_error_message_that_says_what_to_do(path, shipped):
    q = shipped[path.name]
    required = [x for x in q.questions if x.required]
    assert required, "every shipped scan has required questions"
    for question in required:
        message = question.error_message or ""
        assert message.startswith(("Kies ", "Vul ")), f"{question.id}: {message!r}"
        assert message.endswith(".") and rd.measure(message).sentences == 1, question.id
        assert "verplicht" not in message.lower() and "fout" not in message.lower()
        if "‘Weet ik niet’" in message:
            assert question.allow_unknown, f"{question.id}: offers no 'Weet ik niet'"
    for question in q.questions:
        assert question.error_message is None or question.required, question.id


def test_referral_texts__b1_readable():
    registry = load_registry(REGISTRY)
    texts = list(rd.referral_texts(registry.values()))
    assert len(texts) >= len(registry)
    report = readability_report(REGISTRY.name, texts)
    assert not report, "texts too hard for B1:\n" + "\n".join(report)


def test_readability_report__hard_help_text_inline__fails_with_file_path_and_score(load_inline):
    q = load_inline(
        """
        id: moeilijk
        version: 1
        title: Moeilijke scan
        sector: Test
        introduction: Een scan om de leesbaarheidstoets te testen.
        duration_minutes: 5
        themes:
          - {id: huur, title: Verhuur, description: Verhuurt u ruimte aan anderen?}
        questions:
          - id: verhuur
            theme: huur
            text: Verhuurt u een schuur of loods?
            help: >-
              Indien u voornemens bent uw bedrijfspand ter beschikking te stellen aan derden,
              dient u zorg te dragen voor een adequate screening van de potentiële huurder
              conform de geldende regelgeving en de daaruit voortvloeiende verplichtingen.
            type: yes_no
          - id: vog
            theme: huur
            text: Vraagt u een VOG van de huurder?
            help: Zo weet u meer over de huurder.
            type: yes_no
        risk_levels:
          - {id: laag, label: Laag, min: 0, max: 100, explanation: Dit is een test.}
        """
    )
    report = readability_report("moeilijk.yaml", list(rd.questionnaire_texts(q)))
    hard = [line for line in report if "questions[0].help" in line]
    assert hard, report
    assert all(line.startswith("moeilijk.yaml: questions[0].help: ") for line in hard)
    assert any("Flesch-Douma" in line and "adequate screening" in line for line in hard)
    assert any("words (at most 20)" in line for line in hard)
    assert any("'VOG' is jargon" in line and "questions[1].text" in line for line in report)
    assert not any("questions[1].help" in line for line in report)


# --- Structure of every sector questionnaire ----------------------------------------------


@pytest.mark.parametrize("path", SECTOR_FILES, ids=_ids(SECTOR_FILES))
def test_sector_questionnaire__size_within_limits(path, shipped):
    q = shipped[path.name]
    assert 25 <= len(q.questions) <= 45
    assert 4 <= len(q.themes) <= 7
    assert all(q.questions_for(theme.id) for theme in q.themes), "a theme without questions"


@pytest.mark.parametrize("path", SECTOR_FILES, ids=_ids(SECTOR_FILES))
def test_sector_questionnaire__every_question_explains_why(path, shipped):
    q = shipped[path.name]
    for question in q.questions:
        words = rd.words(question.help)
        assert len(words) >= 6, f"{question.id}: help too short to say why: {question.help!r}"
        assert question.help.strip() != question.text.strip(), question.id
        assert rd.measure(question.help).sentences <= 3, f"{question.id}: help over 3 sentences"


@pytest.mark.parametrize("path", SECTOR_FILES, ids=_ids(SECTOR_FILES))
def test_sector_questionnaire__no_validator_warnings(path, catalog):
    # Warnings flag a scored question that no rule reads and a rule that never fires.
    problems = [p for p in catalog.problems if p.position and Path(p.position.file) == path]
    assert [str(p) for p in problems] == []


@pytest.mark.parametrize("path", SECTOR_FILES, ids=_ids(SECTOR_FILES))
def test_sector_questionnaire__every_scored_question_read_by_a_rule(path, shipped):
    q = shipped[path.name]
    read = set().union(*(expression.symbols for _, expression in q.compiled.rules))
    missing = [x.id for x in q.questions if is_scored(x) and x.id not in read]
    assert missing == []
    assert all(expression.symbols for _, expression in q.compiled.rules)


@pytest.mark.parametrize("path", SECTOR_FILES, ids=_ids(SECTOR_FILES))
def test_sector_questionnaire__red_flag_rule_refers_to_safe_help(path, shipped):
    q = shipped[path.name]
    red = [rule for rule in q.rules if rule.red_flag]
    assert red, "no red-flag rule"
    assert all(rule.priority == "urgent" for rule in red)
    assert any(RED_FLAG_REFERRALS <= set(rule.referrals) for rule in red), (
        f"no red-flag rule refers to all of {sorted(RED_FLAG_REFERRALS)}"
    )


@pytest.mark.parametrize("path", SECTOR_FILES, ids=_ids(SECTOR_FILES))
def test_sector_questionnaire__examples_cover_three_profiles(path, shipped):
    q = shipped[path.name]
    examples = {example.name: example for example in q.examples}
    assert len(q.examples) >= 3
    assert {"weerbaar", "kwetsbaar", "benaderd"} <= set(examples)
    assert examples["benaderd"].expect.red_flag is True
    best, worst = q.risk_levels[-1].id, q.risk_levels[0].id
    weerbaar = score(q, examples["weerbaar"].answers)
    assert (weerbaar.red_flag, weerbaar.risk.id) == (False, best)
    kwetsbaar = score(q, examples["kwetsbaar"].answers)
    assert (kwetsbaar.red_flag, kwetsbaar.risk.id) == (False, worst)
    benaderd = score(q, examples["benaderd"].answers)
    assert (benaderd.red_flag, benaderd.risk.id) == (True, worst)
    assert any(a.red_flag and a.priority == "urgent" for a in benaderd.advice)
    assert benaderd.referrals[0].id == "meld_misdaad_anoniem"


def test_examples__all_pass_through_cli(runner):
    result = runner.invoke(args=["questionnaires", "test"])
    assert result.exit_code == 0, result.output
    assert re.search(r"(?<!\d)0 failed", result.output), result.output
    for path in SECTOR_FILES:
        assert f"{path.name}: benaderd: ok" in result.output


# --- Referral registry ---------------------------------------------------------------------


def test_referral_registry__every_entry_has_source_and_recent_check():
    raw = YAML(typ="safe").load(REGISTRY.read_text())["referrals"]
    assert {"meld_misdaad_anoniem", *RED_FLAG_REFERRALS} <= {entry["id"] for entry in raw}
    today = dt.date.today()
    for entry in raw:
        assert str(entry.get("source", "")).strip(), f"{entry['id']}: no source"
        verified = entry.get("verified_on")
        assert isinstance(verified, dt.date), f"{entry['id']}: verified_on is not a date"
        assert verified <= today, f"{entry['id']}: verified_on lies in the future"


@pytest.mark.parametrize("path", ALL_FILES, ids=_ids(ALL_FILES))
def test_free_text_help__says_what_the_pdf_and_an_adviser_show(path, shipped):
    # The PDF never prints free text; an adviser reads it when the scan is shared.
    q = shipped[path.name]
    for question in (x for x in q.questions if x.type == "text"):
        assert "niet in uw PDF" in question.help, question.id
        assert "adviseur" in question.help and "leest" in question.help, question.id
        assert "alleen voor uzelf" not in question.help and "in uw rapport" not in question.help


def test_meld_misdaad_anoniem__promises_only_what_its_source_says():
    q_registry = YAML(typ="safe").load(REGISTRY.read_text())["referrals"]
    mma = next(entry for entry in q_registry if entry["id"] == "meld_misdaad_anoniem")
    text = " ".join(mma["when"].split())
    # politie.nl: M. sees no number or IP address, records no calls, passes an anonymous report
    # to the police or other partners, and leaves out what leads back to the caller (in B1
    # words: not "herleiden", issue 20).
    for said in ("telefoonnummer of IP-adres niet", "geen gesprekken", "politie of andere"):
        assert said in text
    assert "waaraan iemand u kan herkennen, laten ze weg" in text
    for overpromise in ("niemand", "nooit", "altijd", "zeker"):
        assert overpromise not in text.lower()


@pytest.mark.parametrize("path", SECTOR_FILES, ids=_ids(SECTOR_FILES))
def test_sector_questionnaire__every_red_flag_rule_has_an_example(path, shipped):
    # Every urgent path (approached, threatened, drugs found, drug-lab signs) is exercised.
    q = shipped[path.name]
    fired_in_examples: set[str] = set()
    for example in q.examples:
        result = score(q, example.answers)
        if result.red_flag:
            fired_in_examples |= {a.id for a in result.advice if a.red_flag}
    missing = [rule.id for rule in q.rules if rule.red_flag and rule.id not in fired_in_examples]
    assert missing == []


@pytest.mark.parametrize("path", SECTOR_FILES, ids=_ids(SECTOR_FILES))
def test_sector_questionnaire__acute_signal_escalates_with_good_measures(path, shipped):
    # A crime that may be going on now (not only an approach) is a red flag even when every
    # measure is in order: some example has a red flag without the "benaderd" answer.
    q = shipped[path.name]
    acute = []
    for example in q.examples:
        if example.answers.get("benaderd") == "ja":
            continue
        result = score(q, example.answers)
        if result.red_flag:
            acute.append(example.name)
    assert acute, "no example where drugs, drug-lab signs or a threat alone escalate"


def _example(q, name):
    return next(example for example in q.examples if example.name == name)


def test_vastgoed__signal_at_a_building__first_of_the_high_advice(shipped):
    # Regression: the drug-lab signal used to be tip 8 of a kwetsbaar report (theme order).
    q = shipped["vastgoed.yaml"]
    answers = dict(_example(q, "kwetsbaar").answers, signalen_gezien=["ramen_dicht", "busjes"])
    high = [a.id for a in score(q, answers).advice if a.priority == "high"]
    assert high[0] == "signalen_melden"


def test_haven__kwetsbaar_report__does_not_start_with_the_fence(shipped):
    # Regression: the haven report used to start its high advice with the fence.
    q = shipped["haven.yaml"]
    high = [a.id for a in score(q, _example(q, "kwetsbaar").answers).advice if a.priority == "high"]
    assert "hek_plaatsen" in high
    assert high.index("hek_plaatsen") > high.index("vrijgave_digitaal")
    assert high[0] != "hek_plaatsen"
