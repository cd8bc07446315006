"""Unsafe text cannot be published, and acute marks are checked like any other field.

The confrontation check and the only_when_safe demand run wherever a questionnaire is checked:
`questionnaires validate`, the studio's check, publish and `questionnaires import --publish`.
"""

from __future__ import annotations

import pytest
from loader_samples import MINI
from portal_factories import make_org
from studio_samples import OVERLAY

from scan.platform.catalog import get_catalog
from scan.platform.extensions import db
from scan.platform.models import QuestionnaireDocument
from scan.questionnaire.errors import QuestionnaireError
from scan.questionnaire.safety import check_sentence, needs_safe_mark
from scan.questionnaire.snapshots import from_snapshot, to_snapshot
from scan.scoring import score
from scan.studio import document_checks

CONFRONTING = "Ga langs bij de huurder en vraag waarom de ramen zijn afgeplakt."
UNSAFE_OVERLAY = OVERLAY.replace(
    "steps: [Maak deze week een lijst van alle sleutels.]", f"steps: [{CONFRONTING}]"
)
UNSAFE_LINE = next(i for i, line in enumerate(UNSAFE_OVERLAY.splitlines(), 1) if "Ga langs" in line)


def _errors(problems):
    return [p for p in problems if p.severity == "error"]


def test_confronting_overlay__validate__errors_at_the_line_with_reason_and_rewrite(
    runner, tmp_path
):
    path = tmp_path / "recron.yaml"
    path.write_text(UNSAFE_OVERLAY)
    result = runner.invoke(args=["questionnaires", "validate", str(path)])
    assert result.exit_code == 1
    assert f"recron.yaml:{UNSAFE_LINE}:" in result.output
    assert "deze zin stuurt de lezer om zelf te gaan kijken" in result.output
    assert "deze zin laat de lezer iemand ondervragen" in result.output
    assert "Schrijf het veilig, bijvoorbeeld: Schrijf op wat u zag" in result.output
    assert "only_when_safe" in result.output


def test_confronting_overlay__studio_check__same_errors(app):
    with app.app_context():
        report = document_checks.check(UNSAFE_OVERLAY, "recron.yaml", get_catalog())
    errors = _errors(report.problems)
    assert errors and all(p.position.line == UNSAFE_LINE for p in errors)
    assert {"unsafe text" in p.message for p in errors} == {True, False}  # text and the mark


def test_confronting_overlay__import_publish__refused_and_nothing_published(app, runner, tmp_path):
    with app.app_context():
        make_org("Recron", kind="branche")
    path = tmp_path / "recron.yaml"
    path.write_text(UNSAFE_OVERLAY)
    result = runner.invoke(
        args=["questionnaires", "import", str(path), "--organisation", "Recron", "--publish"]
    )
    assert result.exit_code == 1
    assert f"voorbeeld_recron@1.yaml:{UNSAFE_LINE}:" in result.output
    assert "unsafe text: sends the reader to go and look" in result.output
    with app.app_context():
        published = db.session.scalars(db.select(QuestionnaireDocument)).all()
        assert [d for d in published if d.status == "published"] == []


def test_safe_overlay__with_the_mark__publishes(app, runner, tmp_path):
    with app.app_context():
        make_org("Recron", kind="branche")
    safe = OVERLAY.replace(
        "steps: [Maak deze week een lijst van alle sleutels.]",
        "steps: [Spreek met de huurder af dat u vier keer per jaar komt kijken.]",
    ).replace("      priority: high\n", "      priority: high\n      only_when_safe: true\n")
    path = tmp_path / "recron.yaml"
    path.write_text(safe)
    result = runner.invoke(
        args=["questionnaires", "import", str(path), "--organisation", "Recron", "--publish"]
    )
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "sentence",
    [
        CONFRONTING,
        "Loop even langs bij de unit.",
        "Ga vanavond zelf even kijken bij de loods.",
        "Het is slim om langs te gaan.",
        "Spreekt u de huurder aan op de geur.",
        "Het is beter de koper zelf aan te spreken.",
        "Vraag de huurder waarom hij contant betaalt.",
        "Waarom betaalt hij contant? Vraag het hem gewoon.",
        "Vraag de koper wat hij met het chalet gaat doen.",
        "Stel de huurder een paar vragen.",
        "Volg de bestelbus naar de snelweg.",
        "Rijd de auto achterna.",
        "Fotografeer de mensen die 's nachts komen.",
        "Maak foto's van de bezoekers bij het huisje.",
        "Maak alleen foto's als dat kan zonder dat iemand het ziet.",
        "Film stiekem wie er 's nachts komt.",
        "Kijk ongemerkt wie de loods in gaat.",
        "Heimelijk een foto maken van het kenteken kan helpen.",
        "Noteer onopvallend wie er komen en gaan.",
        "Doorzoek de loods als de huurder weg is.",
        "Kijk zelf in de ruimte wat er staat.",
        "Zoek zelf uit wat er in de schuur gebeurt.",
        "Meld het anoniem bij de politie.",
        "De politie behandelt uw melding anoniem.",
        "Een vertrouwenspersoon helpt u anoniem.",
        "Doe anonieme aangifte.",
        "U meldt zonder dat iemand weet wie u bent.",
    ],
)
def test_check_sentence__what_an_adviser_refuses__is_found(sentence):
    assert check_sentence(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Meld het bij de politie of anoniem bij Meld Misdaad Anoniem.",
        "Meld het anoniem bij Meld Misdaad Anoniem of bespreek het met de politie.",
        "Ga niet zelf kijken en spreek niemand aan.",
        "Buitenlampen die aangaan als iemand langsloopt.",
        "Zo laten ze minder sporen na en komt u minder vaak langs.",
        "Vraag de gemeente wat u moet doen met het afval.",
        "Maak foto's van het drugsafval vanaf een veilige afstand.",
        "Volg de training over signalen.",
        "Raak niets aan en blijf op afstand.",
    ],
)
def test_check_sentence__safe_phrasing__passes(sentence):
    assert check_sentence(sentence) == []


@pytest.mark.parametrize(
    ("text", "needs"),
    [
        ("Vraag de huurder deze week om een sleutel.", True),
        ("Spreek met de huurder af dat de huur via de bank gaat.", True),
        ("Kijk vier keer per jaar in de ruimte die u verhuurt.", True),
        ("Vraag uw collega's of iemand hen heeft benaderd.", True),
        ("Praat er niet over met de huurder.", False),
        ("Bel de Vertrouwenslijn als u bang bent voor de huurder.", False),
        ("Hang een camera op bij de poort.", False),
    ],
)
def test_needs_safe_mark__contact_with_the_people_concerned(text, needs):
    assert bool(needs_safe_mark(text)) is needs


def test_rule_with_contact_advice_without_the_mark__error_with_hint(load_inline):
    text = MINI.replace(
        "steps: [Bel een hekkenbouwer.]", "steps: [Vraag de huurder om een sleutel.]"
    )
    with pytest.raises(QuestionnaireError) as info:
        load_inline(text)
    (problem,) = _errors(info.value.problems)
    assert "only_when_safe" in problem.message and "only_when_safe: true" in problem.hint


def test_only_when_safe_on_a_red_flag_rule__refused(load_inline):
    text = MINI.replace("    red_flag: true\n", "    red_flag: true\n    only_when_safe: true\n", 1)
    with pytest.raises(QuestionnaireError) as info:
        load_inline(text)
    assert any("would hide it always" in p.message for p in info.value.problems)


# --- acute marks --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message", "hint"),
    [
        (
            "    number: {min: 0, max: 500}\n",
            "    number: {min: 0, max: 500}\n    acute_from: 900\n",
            "acute_from 900 is outside the answers 0 to 500",
            "kies een getal boven 0",
        ),
        (
            "    scale: {min: 1, max: 5, min_label: Slecht, max_label: Goed, good: high}\n",
            "    scale: {min: 1, max: 5, min_label: Slecht, max_label: Goed, good: high}\n"
            "    acute_from: 2.5\n",
            "acute_from 2.5 is not a step of this scale",
            "kies een hele stap",
        ),
        (
            "      - {value: slecht, label: Slechte sloten, score: 0}\n",
            "      - {value: slecht, label: Slechte sloten, score: 0}\n    acute_when: ja\n",
            "'acute_when' is only for yes_no questions, not single_choice",
            "'acute: true' op de optie",
        ),
        (
            "      - {value: goed, label: Goede sloten, score: 100}\n",
            "      - {value: goed, label: Goede sloten, score: 100, acute: true}\n",
            "option 'goed' is acute but scores 100",
            "score 0",
        ),
        (
            "    acute_when: ja\n    good_answer: nee\n",
            "    acute_when: nee\n    good_answer: nee\n",
            "acute_when 'nee' is also the good_answer",
            "nooit het goede antwoord",
        ),
    ],
)
def test_acute_mark__wrong__located_error_with_dutch_hint(load_inline, old, new, message, hint):
    assert old in MINI
    with pytest.raises(QuestionnaireError) as info:
        load_inline(MINI.replace(old, new))
    errors = _errors(info.value.problems)
    assert len(errors) == 1 and errors[0].message.startswith(message)
    assert hint in errors[0].hint and errors[0].position is not None


def test_no_acute_mark__refused_with_the_signal_questions_named(load_inline):
    with pytest.raises(QuestionnaireError) as info:
        load_inline(MINI.replace("    acute_when: ja\n", ""))
    (problem,) = _errors(info.value.problems)
    assert problem.message == "no answer is marked as acute (happening now)"
    assert "'benaderd'" in problem.hint and "'kennis'" in problem.hint


def test_acute_answer__escalates_without_any_rule(load_inline):
    text = MINI.replace("    red_flag: true\n", "")  # no red-flag rule left at all
    q = load_inline(text)
    result = score(q, {"hek": "ja", "sloten": "goed", "kennis": 5, "benaderd": "ja"})
    assert result.red_flag and result.outcome.label == "Direct hulp nodig"
    assert [a.question_id for a in result.acute] == ["benaderd"]
    assert [step.calls for step in result.today][0] == ("noodnummer_112", "politie")


def test_number_threshold__escalates_from_that_answer(load_inline):
    q = load_inline(
        MINI.replace(
            "    number: {min: 0, max: 500}\n",
            "    number: {min: 0, max: 500}\n    acute_from: 3\n",
        )
    )
    assert not score(q, {"mensen": 2}).red_flag
    assert score(q, {"mensen": 3}).red_flag


def test_stored_snapshot_without_marks__still_loads(load_inline):
    # A scan stored before acute marks existed must stay readable.
    q = load_inline(MINI)
    snapshot = to_snapshot(q)
    snapshot["questionnaire"]["questions"][4]["acute_when"] = None
    assert from_snapshot(snapshot).id == "mini"


def test_cli_show__lists_acute_answers_and_held_back_advice(runner):
    result = runner.invoke(args=["questionnaires", "show", "vakantieparken"])
    assert result.exit_code == 0, result.output
    assert "overname_aanbod:" in result.output and "-> Ja" in result.output
    assert "Een koper die u nooit ziet" in result.output
    assert "only_when_safe): " in result.output and "betaling_navragen" in result.output
    listed = runner.invoke(args=["questionnaires", "list"]).output
    assert " acute " in listed


def test_changes__names_an_acute_answer_an_overlay_adds(load_inline):
    base = load_inline(MINI)
    marked = load_inline(
        MINI.replace(
            "    number: {min: 0, max: 500}\n",
            "    number: {min: 0, max: 500}\n    acute_from: 3\n",
        ).replace("id: mini", "id: mini_tak", 1),
        "tak.yaml",
    )
    from scan.questionnaire.changes import describe_changes

    lines = describe_changes(base, marked)
    assert (
        "Acuut (vraagt direct hulp): ‘3 of meer’ bij vraag ‘Hoeveel medewerkers heeft u?’." in lines
    )
