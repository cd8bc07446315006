"""Question kinds: one domain class plus one field builder make a new question type work."""

from __future__ import annotations

import ast
import io
import re
import shutil
from pathlib import Path

import pytest
from conftest import create_tables
from pypdf import PdfReader
from wtforms import StringField

from scan import create_app
from scan.questionnaire import AnswersError, QuestionnaireError, load_questionnaire
from scan.questionnaire.kinds import KINDS, NUMBER, Numeric, is_scored, kind_of
from scan.scans import forms
from scan.scoring import answer_label, check_answers, score

ROOT = Path(__file__).resolve().parents[2]
SCAN = ROOT / "scan"
HOMES = {SCAN / "questionnaire" / "kinds.py", SCAN / "scans" / "forms.py"}
# The same words meaning something else, each with the reason it is not a question type.
OTHER_MEANINGS = {
    ("platform/commands.py", "text"): "the output format of 'flask questionnaires check --format'",
    # The translations name the texts by their fields: a question's (or step's) `text`, the
    # `scale` labels and the `number` unit. They never read a question's type.
    ("questionnaire/translations.py", "text"): "the field a question's or step's text is in",
    ("questionnaire/translations.py", "scale"): "the field of a scale's two labels",
    ("questionnaire/translations.py", "number"): "the field of a number's unit",
    # The starter overlay is example YAML written for the author: a question's `text` field
    # and the type its example questions are written with. It never reads a question's type.
    ("studio/starter.py", "text"): "the field of an example question's text",
    ("studio/starter.py", "yes_no"): "the type written into an example question's YAML",
    ("studio/author_rows.py", "text"): "the field of a message row on the page",
    ("studio/form_changes.py", "text"): "the YAML field a form writes a question's text into",
    # A translated text's id path worded for the author: its fields, never a question's type.
    ("studio/translation_checks.py", "text"): "the field a question's or step's text is in",
    ("studio/translation_checks.py", "scale"): "the field of a scale's two labels",
    ("studio/translation_checks.py", "number"): "the field of a number's unit",
}


class Percentage(Numeric):
    """A whole percentage; higher is better."""

    name = "percentage"
    value_type = NUMBER

    def bounds(self, question):
        return 0.0, 100.0

    def refuse(self, question, number):
        if number != int(number):
            return "a percentage is a whole number"
        return super().refuse(question, number)

    def scored(self, question):
        return True

    def fraction(self, plan, value):
        return value / 100.0

    def label(self, plan, value):
        return f"{value:g}%" if isinstance(value, float) else super().label(plan, value)

    def samples(self, question):
        return [0.0, 25.0, 50.0, 75.0, 100.0, *super().samples(question)]


class PercentageBuilder(forms.FreeInputBuilder):
    """A short input; '30' and '30%' both mean thirty percent."""

    def input_field(self, question):
        return StringField(question.text, render_kw={"inputmode": "numeric", "size": 4})

    def show(self, value):
        return f"{value:g}" if isinstance(value, float) else str(value)

    def parse(self, question, text):
        digits = text.removesuffix("%").strip()
        if not digits.isdigit() or not 0 <= int(digits) <= 100:
            raise forms.FieldError("Vul een percentage in van 0 tot en met 100.")
        return float(digits)


QUESTIONNAIRE = """\
id: betalen
version: 1
title: Betalen
sector: Test
introduction: Een korte test over betalen.
duration_minutes: 2
themes:
  - id: geld
    title: Geld
    description: Hoe klanten betalen.
questions:
  - id: digitaal
    theme: geld
    text: Welk deel van uw omzet krijgt u via de bank?
    help: Contant geld trekt criminelen aan.
    type: percentage
  - id: kluis
    theme: geld
    text: Heeft u een kluis?
    help: Een kluis beschermt contant geld.
    type: yes_no
    good_answer: ja
rules:
  - id: meer_pinnen
    when: "WHEN"
    theme: geld
    priority: medium
    advice:
      title: Laat klanten pinnen
      explanation: Minder contant geld is minder risico.
      steps: [Vraag uw bank om een pinautomaat.]
risk_levels:
  - {id: hoog, label: Hoog risico, min: 0, max: 50, explanation: Doe snel iets.}
  - {id: laag, label: Laag risico, min: 50, max: 100, explanation: Ga zo door.}
"""


@pytest.fixture
def percentage(monkeypatch):
    """Register the percentage kind and its field builder for one test."""
    monkeypatch.setitem(KINDS, "percentage", Percentage())
    monkeypatch.setitem(forms.BUILDERS, "percentage", PercentageBuilder())


def write(folder: Path, when: str = "digitaal < 50") -> Path:
    """Write the questionnaire with the given rule condition beside a copy of the registry."""
    folder.mkdir(exist_ok=True)
    shutil.copy(ROOT / "questionnaires" / "referrals.yaml", folder / "referrals.yaml")
    path = folder / "betalen.yaml"
    path.write_text(QUESTIONNAIRE.replace("WHEN", when), encoding="utf-8")
    return path


def test_every_kind_has_a_field_builder():
    assert set(KINDS) == set(forms.BUILDERS)


def test_new_kind__unregistered__refused_like_a_typo(tmp_path):
    with pytest.raises(QuestionnaireError) as info:
        load_questionnaire(write(tmp_path / "q"))
    problem = info.value.problems[0]
    assert (problem.path, problem.message) == (
        "questions[0].type",
        "'percentage' is not allowed here",
    )


def test_new_kind__loads_checks_normalises_scores_and_reads(tmp_path, percentage):
    q = load_questionnaire(write(tmp_path / "q"))
    question = q.question("digitaal")
    assert isinstance(kind_of(question), Percentage) and is_scored(question)

    assert check_answers(q, {"digitaal": "30"}) == {"digitaal": 30.0}
    assert check_answers(q, {"digitaal": "weet_niet"}) == {"digitaal": "weet_niet"}
    with pytest.raises(AnswersError) as info:
        check_answers(q, {"digitaal": 101})
    assert info.value.messages == ["digitaal: 101 is outside 0 to 100"]
    with pytest.raises(AnswersError) as info:
        check_answers(q, {"digitaal": 12.5})
    assert info.value.messages == ["digitaal: a percentage is a whole number"]

    low = score(q, {"digitaal": 30, "kluis": "ja"})
    assert low.theme("geld").score == 65.0  # (0.3 + 1.0) / 2
    assert low.fired_ids() == ["meer_pinnen"]
    assert [(t.question_id, t.answer) for t in low.advice[0].triggers] == [("digitaal", "30%")]
    high = score(q, {"digitaal": 80, "kluis": "ja"})
    assert (high.theme("geld").score, high.fired_ids()) == (90.0, [])
    unknown = score(q, {"digitaal": "weet_niet", "kluis": "ja"})
    assert (unknown.theme("geld").score, unknown.theme("geld").unknown) == (100.0, 1)
    assert unknown.fired_ids() == []  # a special answer is null in expressions

    assert answer_label(question, 30.0) == "30%"
    assert answer_label(question, "weet_niet") == "Weet ik niet"


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("digitaal == 'veel'", "question 'digitaal' is answered with a number, not text"),
        ("'a' in digitaal", "expression does not fit the question types"),
    ],
)
def test_new_kind__type_checked_in_expressions(tmp_path, percentage, when, message):
    with pytest.raises(QuestionnaireError) as info:
        load_questionnaire(write(tmp_path / "q", when))
    assert [p.path for p in info.value.problems] == ["rules[0].when"]
    assert info.value.problems[0].message.startswith(message)


def test_new_kind__samples_drive_the_never_fires_warning(tmp_path, percentage):
    from scan.questionnaire import validate_paths

    path = write(tmp_path / "q", "digitaal > 100")
    warnings = [p.message for p in validate_paths([path], path.parent)]
    assert "rule 'meer_pinnen' cannot fire for any combination of answers tried" in warnings
    path = write(tmp_path / "q", "digitaal > 90")
    assert not any("cannot fire" in p.message for p in validate_paths([path], path.parent))


def test_new_kind__gets_a_form_field_and_works_in_the_web_scan(tmp_path, percentage):
    folder = tmp_path / "q"
    write(folder)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.sqlite'}",
            "SESSION_COOKIE_SECURE": False,
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
            "QUESTIONNAIRE_DIR": str(folder),
        }
    )
    with app.app_context():
        create_tables()
    client = app.test_client()
    assert client.post("/scan/betalen/start").location == "/scan/overzicht"  # opens the scan

    page = client.get("/scan/thema/geld").get_data(as_text=True)
    assert re.search(r'<input[^>]*inputmode="numeric"[^>]*name="q_digitaal"', page)
    posted = {"action": "verder", "seen": "digitaal,kluis", "q_kluis": "ja"}
    refused = client.post("/scan/thema/geld", data={**posted, "q_digitaal": "130%"})
    assert "Vul een percentage in van 0 tot en met 100." in refused.get_data(as_text=True)
    saved = client.post("/scan/thema/geld", data={**posted, "q_digitaal": "30%"})
    assert saved.status_code == 302
    assert 'value="30"' in client.get("/scan/thema/geld").get_data(as_text=True)
    assert "30%" in client.get("/scan/controle").get_data(as_text=True)

    client.post("/scan/versturen")
    result = client.get("/scan/resultaat").get_data(as_text=True)
    assert "U antwoordde ‘30%’ op: Welk deel van uw omzet krijgt u via de bank?" in result
    pdf = client.get("/scan/rapport.pdf").data
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "30%" in text


def _string_literals(path: Path) -> set[str]:
    """Return every string constant in a Python file (f-string parts included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and type(n.value) is str}


def test_kind_names__only_in_the_registry_and_the_field_builders():
    found = []
    for path in sorted(SCAN.rglob("*.py")):
        if path in HOMES:
            continue
        where = str(path.relative_to(SCAN))
        for name in _string_literals(path) & set(KINDS):
            if (where, name) not in OTHER_MEANINGS:
                found.append(f"{where}: '{name}'")
    assert found == []
    for home in HOMES:
        assert set(KINDS) <= _string_literals(home), home


def test_kind_names__templates_do_not_read_the_question_type():
    found = [
        str(path.relative_to(ROOT))
        for path in sorted(SCAN.glob("**/templates/**/*.html"))
        if re.search(r"\bq\.type\b|\bquestion\.type\b", path.read_text(encoding="utf-8"))
    ]
    assert found == []
