"""A scan in English or Polish: the scan room's own words (buttons, headings, the check, result
and action-plan texts) follow the scan's language, not only the questionnaire's texts."""

from __future__ import annotations

import html
import re

import pytest
import test_scan_languages
from sqlalchemy import select
from test_scan_languages import CSRF, LINK

from scan.platform.catalog import get_catalog
from scan.platform.extensions import db
from scan.platform.models import Scan
from scan.platform.stamps import hash_token

app = test_scan_languages.app  # the example scan's app fixture, shared

# Dutch words of the scan room's interface (not of a questionnaire): none may show in en or pl.
DUTCH_INTERFACE = (
    "Terug",
    "Vorige",
    "Opslaan",
    "Stap",
    "Waarom vragen we dit",
    "Kies alles wat past",
    "Weet ik niet",
    "Niet van toepassing",
    "Controleer uw antwoorden",
    "Wijzig",
    "Verstuur",
    "Later verder gaan",
    "Niet beantwoord",
    "verplicht",
    "Uw resultaat",
    "verstuurd op",
    "Totaalscore",
    "Score per onderwerp",
    "geen score",
    "Wie kan u helpen",
    "Doe dit deze week",
    "Uw tips",
    "Wat doet u ermee",
    "Nog niet gekozen",
    "mag leeg",
    "Wie doet het",
    "Wanneer",
    "Bel",
    "Download het rapport",
    "Bewaren of verwijderen",
    "Er golden",
    "U gaf",
    "antwoorden",
    "Die tellen",
    "zeer kwetsbaar",
    "van de 100",
    "Waarom krijgt u deze tip",
    "Hulp hierbij",
    "Volgende vragen",
    "Niet opgeslagen",
    "Bezig met opslaan",
    "gekopieerd",
    "van dit onderwerp",
    "zie hieronder",
    "februari",
    "maart",
    "oktober",
    "december",
)
NOT_DUTCH = re.compile(r"\b(?:{})\b".format("|".join(re.escape(w) for w in DUTCH_INTERFACE)))
HIDDEN = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S)
# The language links name each language in its own words; they are the only Dutch on purpose.
LANGUAGE_LINKS = re.compile(r'<nav[^>]*class="[^"]*languages.*?</nav>', re.S)


def _words(page: str) -> str:
    """Return what a reader sees of a page: its text without tags, scripts and language links."""
    return html.unescape(HIDDEN.sub(" ", LANGUAGE_LINKS.sub(" ", page)))


SAID = re.compile(r'data-say-[a-z-]+="([^"]*)"')


def _dutch_left(page: str) -> list[str]:
    """Dutch interface words a reader sees, or the page scripts say (their data-say-* words)."""
    said = " ".join(html.unescape(w) for w in SAID.findall(page))
    return sorted(set(NOT_DUTCH.findall(_words(page) + " " + said)))


def _walk(app, client, language: str) -> dict[str, str]:
    """Start the example scan in a language, answer it weakly, send it; return each page's HTML."""
    page = client.get(f"/scan/voorbeeld?taal={language}").get_data(as_text=True)
    client.post("/scan/voorbeeld/start", data={"csrf_token": CSRF.search(page)[1]})
    with app.app_context():
        themes = [t.id for t in get_catalog(app).get("voorbeeld").themes]
    pages = {"theme": client.get(f"/scan/thema/{themes[0]}").get_data(as_text=True)}
    csrf = CSRF.search(pages["theme"])[1]
    token = LINK.search(client.get("/scan/overzicht").get_data(as_text=True))[1]
    with app.app_context():  # the answers of the other pages, as the pages would store them
        scan = db.session.scalars(select(Scan).where(Scan.token_hash == hash_token(token))).one()
        scan.answers = {"verhuur": "ja", "huur_contant": "contant", "maatregelen": ["geen"]}
        scan.answers |= {
            "vertrouwen_personeel": 2,
            "benaderd": "nee",
            "weet_waar_melden": "weet_niet",
        }
        db.session.commit()
    pages["check"] = client.get("/scan/controle").get_data(as_text=True)
    client.post("/scan/versturen", data={"csrf_token": csrf})
    pages["result"] = client.get("/scan/resultaat").get_data(as_text=True)
    return pages


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ("Check your answers", "Your result", "What will you do about it?", "Save")),
        ("pl", ("Sprawdź swoje odpowiedzi", "Twój wynik", "Co z tym zrobisz?", "Zapisz")),
    ],
)
def test_walk__theme_check_result_and_plan_show_no_dutch_interface_words(
    app, client, language, words
):
    pages = _walk(app, client, language)
    for name, page in pages.items():
        assert f'<html lang="{language}"' in page, name
        assert _dutch_left(page) == [], (
            name,
            [
                _words(page)[max(0, m.start() - 80) : m.end() + 40]
                for m in NOT_DUTCH.finditer(_words(page))
            ],
        )
    assert words[0] in pages["check"]
    offline = {"en": 'data-say-offline="No connection:', "pl": 'data-say-offline="Brak połączenia:'}
    assert offline[language] in pages["theme"]  # static/offline.js says what the page renders
    more = {"en": 'data-say-more="Next questions"', "pl": 'data-say-more="Następne pytania"'}
    assert more[language] in pages["theme"]  # and so does static/app.js
    assert words[1] in pages["result"]
    assert words[2] in pages["result"] and words[3] in pages["result"]  # the action plan's form


def test_walk_in_dutch__the_list_finds_the_dutch_words(app, client):
    """The check can fail: the same walk in Dutch finds the words it looks for."""
    pages = _walk(app, client, "nl")
    assert {"Terug", "Opslaan", "Stap", "Volgende vragen"} <= set(_dutch_left(pages["theme"]))
    assert {"Controleer uw antwoorden", "Wijzig"} <= set(_dutch_left(pages["check"]))
    assert {"Uw resultaat", "Totaalscore", "Wat doet u ermee"} <= set(_dutch_left(pages["result"]))


def test_language_links__of_the_personal_link_page_lead_to_the_overview(client):
    page = client.get("/scan/voorbeeld").get_data(as_text=True)
    token = CSRF.search(page)[1]
    client.post("/scan/voorbeeld/start", data={"csrf_token": token})
    shown = client.post("/scan/mijn-link", data={"csrf_token": token})
    assert shown.status_code == 200
    body = shown.get_data(as_text=True)
    assert 'href="/scan/overzicht?taal=en"' in body
    assert "/scan/mijn-link?taal" not in body
    assert client.get("/scan/overzicht?taal=en").status_code == 200
