"""The questionnaire on paper: every question with boxes, help, notes and when it is asked."""

from __future__ import annotations

import re
from html import unescape

import pytest
from conftest import create_tables, make_app
from portal_factories import make_org, make_studio_documents

from scan.platform.catalog import get_catalog
from scan.platform.extensions import db
from scan.scans.printable import GENERAL, condition_in_words, paper_questionnaire


@pytest.fixture
def voorbeeld(catalog):
    q = catalog.get("voorbeeld")
    order = [x for theme in q.themes for x in q.questions_for(theme.id)]
    numbers = {x.id: i for i, x in enumerate(order, start=1)}
    return numbers, {x.id: x for x in q.questions}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("verhuur == 'ja'", "Alleen als het antwoord op vraag 1 ‘Ja’ is."),
        ("verhuur != 'ja'", "Alleen als het antwoord op vraag 1 niet ‘Ja’ is."),
        ("verhuur == null", "Alleen als vraag 1 niet beantwoord is."),
        (
            "huur_contant in ['bank', 'contant']",
            "Alleen als het antwoord op vraag 2 ‘Per bank, elke maand’ of ‘Contant’ is.",
        ),
        ("'camera' in maatregelen", "Alleen als bij vraag 3 ‘Camera's’ is aangekruist."),
        (
            "'sloten' in maatregelen or 'camera' in maatregelen or 'geen' in maatregelen",
            "Alleen als bij vraag 3 ‘Goede sloten op deuren en hekken’, ‘Camera's’ of "
            "‘Geen van deze’ is aangekruist.",
        ),
        ("aantal_medewerkers > 10", "Alleen als het antwoord op vraag 5 meer dan 10 is."),
        ("aantal_medewerkers <= 2.5", "Alleen als het antwoord op vraag 5 2,5 of minder is."),
        (
            "verhuur == 'ja' and (benaderd == 'ja' or maatregelen == null)",
            "Alleen als het antwoord op vraag 1 ‘Ja’ is en (het antwoord op vraag "
            "6 ‘Ja’ is of vraag 3 niet beantwoord is).",
        ),
        ("not (verhuur == 'ja')", GENERAL),  # not put in words: a plain sentence, never code
        ("verhuur == benaderd", GENERAL),
    ],
)
def test_condition_in_words(voorbeeld, text, words):
    numbers, by_id = voorbeeld
    assert condition_in_words(text, numbers, by_id) == words


def test_every_shipped_condition_reads_in_words(catalog):
    """No shipped questionnaire falls back to the general sentence, and no code shows."""
    for q in catalog.latest.values():
        for part in paper_questionnaire(q):
            for item in part.questions:
                if item.question.show_if:
                    assert item.condition not in (None, GENERAL), (q.id, item.question.id)
                    assert "==" not in item.condition and "'" not in item.condition[:12]


def test_paper__every_question_numbered_with_boxes_and_no_scores(catalog):
    q = catalog.get("voorbeeld")
    items = [item for part in paper_questionnaire(q) for item in part.questions]
    assert [item.number for item in items] == list(range(1, len(q.questions) + 1))
    assert {item.question.id for item in items} == {x.id for x in q.questions}
    by_id = {item.question.id: item for item in items}
    assert by_id["verhuur"].boxes == ("Ja", "Nee")  # no "Weet ik niet": not allowed there
    assert by_id["maatregelen"].several and "Weet ik niet" in by_id["maatregelen"].boxes
    scale = by_id["vertrouwen_personeel"].boxes
    assert scale[0] == "1 (Helemaal niet)" and scale[4] == "5 (Heel goed)"
    assert by_id["aantal_medewerkers"].write_in == "number"
    assert by_id["toelichting"].write_in == "text"


@pytest.fixture
def app(catalog):
    app = make_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    app.extensions["scan_catalog"] = catalog
    with app.app_context():
        create_tables()
    yield app
    with app.app_context():
        db.session.remove()


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_printable_page__all_questions_help_conditions_and_no_scores(app, catalog):
    client = app.test_client()
    sector = client.get("/scan/voorbeeld").get_data(as_text=True)
    assert 'href="/scan/voorbeeld/afdrukken">Vragenlijst afdrukken</a>' in sector
    response = client.get("/scan/voorbeeld/afdrukken")
    assert response.status_code == 200
    page = text_of(response.get_data(as_text=True))
    q = catalog.get("voorbeeld")
    for question in q.questions:  # also the ones the scan shows only after an answer
        assert question.text in page
        assert " ".join(question.help.split()) in page
    assert "Alleen als het antwoord op vraag 1 ‘Ja’ is." in page
    assert "Aantekeningen:" in page and "Kruis alles aan wat klopt." in page
    assert "score" not in page.replace("Op dit papier staan geen scores.", "").lower()
    assert "punten" not in page.lower()
    html = response.get_data(as_text=True)
    assert html.count('class="paper__box"') >= len(q.questions)
    assert response.headers["Content-Type"].startswith("text/html")


def test_printable_page__unknown_questionnaire__dutch_404(app):
    response = app.test_client().get("/scan/bestaat_niet/afdrukken")
    assert response.status_code == 404
    assert "niet gevonden" in response.get_data(as_text=True).lower()


def test_printable_page__a_branch_version_too():
    # The catalog with published documents, looked at again on every request.
    app = make_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "CATALOG_CHECK_SECONDS": 0})
    with app.app_context():
        create_tables()
        make_studio_documents(make_org("Recron", kind="branche"))
        q = get_catalog().get("gepubliceerd")
    client = app.test_client()
    assert "Vragenlijst afdrukken" in client.get("/scan/gepubliceerd").get_data(as_text=True)
    page = text_of(client.get("/scan/gepubliceerd/afdrukken").get_data(as_text=True))
    assert q.title in page
    for question in q.questions:
        assert question.text in page


@pytest.mark.parametrize(
    ("language", "says"),
    [
        ("en", ("Only if the answer to question 1 is ‘Yes’.", "Notes:", "Tick one box.")),
        ("pl", ("Tylko jeśli odpowiedź na pytanie 1 to ‘Tak’.", "Notatki:", "Zaznacz jedno pole.")),
    ],
)
def test_printable_page__in_the_chosen_language_with_no_dutch_words(app, language, says):
    """The paper speaks the page's language: its own words, the questions, the conditions."""
    from scan.platform.questionnaire_languages import translated

    client = app.test_client()
    response = client.get(f"/scan/voorbeeld/afdrukken?taal={language}")
    html = response.get_data(as_text=True)
    assert f'<html lang="{language}"' in html
    page = text_of(html)
    for words in says:
        assert words in page
    with app.app_context():
        q = translated(app.extensions["scan_catalog"].get("voorbeeld"), language)
    assert q is not None and all(question.text in page for question in q.questions)
    dutch = ("Alleen als", "Aantekeningen", "Kruis", "vakje", "Antwoord:", "Weet ik niet", " Nee ")
    assert [word for word in dutch if word in page] == []
    assert "Meld Misdaad Anoniem" in page and "0800-7000" in page  # name and number kept
