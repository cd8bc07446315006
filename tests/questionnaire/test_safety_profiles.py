"""Safety by construction: whatever is happening now escalates, and nothing else does.

The profile tables below are answer sets of well-protected entrepreneurs (each sector's
'weerbaar' example) with one situation that is happening now on top (ACUTE), or with nothing
happening now (CALM). Every acute profile must give "Direct hulp nodig" with today's calls and
without advice that needs a safe situation; no calm profile may escalate. The counts are
reported in the issue (escalated of acute, alarms of calm).
"""

from __future__ import annotations

import io
import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from scan.questionnaire.acute import acute_checks
from scan.questionnaire.kinds import kind_of
from scan.report import render_pdf
from scan.scoring import RED_FLAG_OUTCOME_ID, score, visible_questions

ROOT = Path(__file__).resolve().parents[2]
SECTORS = ("bedrijventerreinen", "buitengebied_erfscan", "haven", "transport")
SECTORS += ("vakantieparken", "vastgoed")

# (sector, what happens now, answers on top of the sector's 'weerbaar' example)
ACUTE = [
    ("bedrijventerreinen", "people sleep in a unit, traffic at night", {
        "signalen_gezien": ["slapen", "nacht"]}),
    ("bedrijventerreinen", "covered windows and vans at the door", {
        "signalen_gezien": ["ramen_dicht", "nacht"]}),
    ("bedrijventerreinen", "chemical smell", {"signalen_gezien": ["geur"]}),
    ("bedrijventerreinen", "jerrycans going in", {"signalen_gezien": ["spullen"]}),
    ("bedrijventerreinen", "humming and new air ducts", {"signalen_gezien": ["gebrom"]}),
    ("bedrijventerreinen", "still threatened", {"benaderd": "ja", "druk_nu": "ja"}),
    ("buitengebied_erfscan", "farmer threatened now", {"onder_druk": "ja"}),
    ("buitengebied_erfscan", "drug waste found this morning", {
        "drugsafval_gevonden": "ja", "drugsafval_nu": "ja"}),
    ("buitengebied_erfscan", "covered windows, foam in the gaps", {
        "verhuur": "ja", "signalen_verhuur": ["ramen", "schuim"]}),
    ("buitengebied_erfscan", "anise smell under the manure", {
        "verhuur": "ja", "signalen_verhuur": ["geur"]}),
    ("buitengebied_erfscan", "vans at night and barrels", {
        "verhuur": "ja", "signalen_verhuur": ["nacht", "vaten"]}),
    ("buitengebied_erfscan", "humming, no snow on the roof", {
        "verhuur": "ja", "signalen_verhuur": ["zoemen", "sneeuw"]}),
    ("haven", "approached and still under pressure", {"benaderd": "ja", "druk_nu": "ja"}),
    ("haven", "colleague with sudden cash off the roster", {
        "signalen_gezien": "ja", "signalen_wat": ["collega_geld", "niet_ingeroosterd"]}),
    ("haven", "opened container, broken seal", {
        "signalen_gezien": "ja", "signalen_wat": ["container_open"]}),
    ("haven", "outsider asking about containers", {
        "signalen_gezien": "ja", "signalen_wat": ["vragen"]}),
    ("haven", "drugs in a container", {"signalen_gezien": "ja", "signalen_wat": ["drugs"]}),
    ("transport", "strangers ask drivers about rides, broken seal", {
        "voorvallen": ["vragen", "zegel"]}),
    ("transport", "drugs found in a trailer", {"voorvallen": ["vondst"]}),
    ("transport", "strangers at the trucks", {"voorvallen": ["onbekenden"]}),
    ("transport", "a broken seal", {"voorvallen": ["zegel"]}),
    ("transport", "driver still threatened", {"benaderd": "ja", "druk_nu": "ja"}),
    ("vakantieparken", "a strange takeover bid", {"overname_aanbod": "ja"}),
    ("vakantieparken", "a cash chalet sale to a buyer nobody sees", {
        "eigendom_chalets": "deels", "verkoop_signalen": ["koper_onzichtbaar", "veel_contant"]}),
    ("vakantieparken", "night traffic, quick loading", {
        "signalen_gezien": ["nacht_verkeer", "snel_laden"]}),
    ("vakantieparken", "hemp smell at a chalet", {"signalen_gezien": ["geur"]}),
    ("vakantieparken", "closed curtains and barrels", {
        "signalen_gezien": ["gordijnen_dicht", "afval"]}),
    ("vakantieparken", "park owner still threatened", {"benaderd": "ja", "druk_nu": "ja"}),
    ("vastgoed", "covered windows, light day and night, vans", {
        "signalen_gezien": ["ramen_dicht", "licht", "busjes"]}),
    ("vastgoed", "ever other people in a flat", {"signalen_gezien": ["wisselende_mensen"]}),
    ("vastgoed", "condensation and humming", {"signalen_gezien": ["condens", "gebrom"]}),
    ("vastgoed", "a strong smell", {"signalen_gezien": ["geur"]}),
    ("vastgoed", "potting soil going in", {"signalen_gezien": ["spullen"]}),
    ("vastgoed", "colleague still under pressure", {"benaderd": "ja", "druk_nu": "ja"}),
]  # fmt: skip

# (sector, situation, answers on top of 'weerbaar'): nothing is happening now.
CALM = [(sector, "well protected", {}) for sector in SECTORS] + [
    ("bedrijventerreinen", "approached months ago, over now", {
        "benaderd": "ja", "druk_nu": "nee"}),
    ("buitengebied_erfscan", "approached months ago, over now", {
        "benaderd": "ja", "onder_druk": "nee"}),
    ("buitengebied_erfscan", "drug waste found, reported and cleared", {
        "drugsafval_gevonden": "ja", "drugsafval_nu": "nee"}),
    ("haven", "approached months ago, over now", {"benaderd": "ja", "druk_nu": "nee"}),
    ("transport", "cargo stolen last year, nothing now", {"voorvallen": ["diefstal"]}),
    ("vakantieparken", "expensive cars, nothing else", {"signalen_gezien": ["dure_autos"]}),
    ("vastgoed", "approached months ago, over now", {"benaderd": "ja", "druk_nu": "nee"}),
]  # fmt: skip


def _answers(q, extra: dict) -> dict:
    """Return the 'weerbaar' example with extra answers, keeping only visible questions."""
    answers = {**next(e for e in q.examples if e.name == "weerbaar").answers, **extra}
    visible = visible_questions(q, answers)
    missing = set(extra) - visible
    assert not missing, f"profile answers hidden questions: {missing}"
    return {k: v for k, v in answers.items() if k in visible}


def _ids(table):
    return [f"{sector}: {name}" for sector, name, _ in table]


def test_profile_tables__cover_every_sector_and_enough_cases():
    assert len(ACUTE) >= 30 and len(CALM) >= 12
    assert {sector for sector, _, _ in ACUTE} == set(SECTORS)
    assert {sector for sector, _, _ in CALM} == set(SECTORS)


@pytest.mark.parametrize(("sector", "name", "extra"), ACUTE, ids=_ids(ACUTE))
def test_acute_profile__escalates_with_todays_calls_and_no_contact_advice(
    catalog, sector, name, extra
):
    q = catalog.get(sector)
    result = score(q, _answers(q, extra))
    assert result.red_flag, name
    assert result.outcome.id == RED_FLAG_OUTCOME_ID
    assert result.acute, "the answer that escalated is named"
    assert 1 <= len(result.today) <= 3
    assert not [a.id for a in result.advice if a.only_when_safe]
    assert result.referrals[0].id == "meld_misdaad_anoniem"


@pytest.mark.parametrize(("sector", "name", "extra"), CALM, ids=_ids(CALM))
def test_calm_profile__does_not_escalate(catalog, sector, name, extra):
    q = catalog.get(sector)
    result = score(q, _answers(q, extra))
    assert not result.red_flag, [a.id for a in result.advice if a.red_flag]
    assert result.outcome.id != RED_FLAG_OUTCOME_ID and not result.acute and not result.today


def _acute_values(q, check) -> list:
    """Return every acute answer of one question: each acute option, or the threshold."""
    question = q.question(check.question_id)
    if check.threshold is not None:
        return [check.threshold]
    if question.type == "multiple_choice":
        return [[value] for value in sorted(check.options)]
    return sorted(check.options)


def _make_visible(q, answers: dict, question_id: str) -> dict | None:
    """Return answers in which a question is shown: try sample answers for its show_if."""
    if question_id in visible_questions(q, answers):
        return answers
    expression = q.compiled.show_if[question_id]
    names = sorted(expression.symbols)
    domains = [kind_of(q.question(n)).samples(q.question(n)) for n in names]
    for combo in itertools.product(*domains):
        tried = {**answers, **dict(zip(names, combo, strict=True))}
        if question_id in visible_questions(q, tried) and all(
            n in visible_questions(q, tried) for n in names
        ):
            return tried
    return None


def test_property__any_one_acute_answer_on_a_strong_answer_set__escalates(catalog):
    # Exhaustive: every questionnaire, every acute answer, one at a time.
    tried = 0
    for q in catalog.latest.values():
        strong = next((e for e in q.examples if e.name == "weerbaar"), q.examples[0]).answers
        assert not score(q, strong, hidden="ignore").red_flag, q.id
        for check in acute_checks(q):
            for value in _acute_values(q, check):
                answers = _make_visible(q, {**strong, check.question_id: value}, check.question_id)
                assert answers is not None, (q.id, check.question_id)
                answers[check.question_id] = value
                result = score(q, answers, hidden="ignore")
                where = (q.id, check.question_id, value)
                assert result.red_flag and result.outcome.label == "Direct hulp nodig", where
                assert not [a.id for a in result.advice if a.only_when_safe], where
                tried += 1
    assert tried >= 40


# --- The same outcome on every surface ----------------------------------------------------------

SURFACES = [ACUTE[0], ACUTE[7], ACUTE[13], ACUTE[17], ACUTE[22], ACUTE[28], CALM[0]]


def _pdf_text(pdf: bytes, pages: int = 2) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages[:pages])


@pytest.mark.slow
def test_score_cli__in_a_process_of_its_own__clean_json_on_stdout(catalog, tmp_path):
    """flask score as an adviser runs it: JSON alone on stdout, the same outcome as the page."""
    sector, _, extra = SURFACES[0]
    q = catalog.get(sector)
    answers = _answers(q, extra)
    expected = score(q, answers)
    answers_file = tmp_path / "answers.json"
    answers_file.write_text(json.dumps(answers))
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "scan", "score", sector, str(answers_file),
         "--format", "json"],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    data = json.loads(done.stdout)  # clean JSON on stdout; warnings go to stderr
    assert data["outcome"]["label"] == expected.outcome.label
    assert data["red_flag"] == expected.red_flag


@pytest.mark.parametrize(("sector", "name", "extra"), SURFACES, ids=_ids(SURFACES))
def test_outcome__same_on_page_pdf_adviser_view_and_json(
    app, client, tmp_path, sector, name, extra
):
    from portal_factories import login, make_org, make_user, scan_page, share_scan

    from scan.platform.catalog import get_catalog
    from scan.scans import store

    with app.app_context():
        q = get_catalog().get(sector)
        answers = _answers(q, extra)
        expected = score(q, answers)
        scan, token = store.start_scan(q, ttl_days=90)
        scan.answers = answers
        store.submit_scan(scan, q)
        org = make_org("PVO Test")
        make_user("adviseur@pvo.nl", "adviser", org)
        share = share_scan(scan, org, name="Test", phone="06 1234 5678")
        public_id = share.public_id
    label = expected.outcome.label

    page = client.get(scan_page(client, token, "/resultaat")).get_data(as_text=True)
    first_screen = page[: page.index("Score per onderwerp")]
    assert label in first_screen
    cover = _pdf_text(render_pdf(expected, q, reference="test", answers=answers), pages=1)
    assert ("Direct hulp nodig" in cover) == expected.red_flag
    assert not expected.red_flag or "goed beschermd" not in cover
    adviser = app.test_client()
    login(adviser, "adviseur@pvo.nl")
    view = adviser.get(f"/adviseur/scans/{public_id}").get_data(as_text=True)
    assert label in view and ("Rode vlag" in view) == expected.red_flag

    answers_file = tmp_path / "answers.json"
    answers_file.write_text(json.dumps(answers))
    # The CLI in this process (its own process: the test below, once for all cases)
    command = ["score", sector, str(answers_file), "--format", "json"]
    done = app.test_cli_runner().invoke(args=command)
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)  # clean JSON on stdout; warnings go to stderr
    assert data["outcome"]["label"] == label and data["red_flag"] == expected.red_flag
    assert not [a for a in data["advice"] if a["only_when_safe"] and data["red_flag"]]
    if expected.red_flag:
        for step in expected.today:
            assert step.text in page
            for ref_id in step.calls:
                phone = q.referral(ref_id).phone
                assert phone in first_screen and phone in cover
        assert page.index("Doe dit vandaag") < page.index("Niet doen")
        assert cover.index("Bel ") < cover.index("Niet doen")
