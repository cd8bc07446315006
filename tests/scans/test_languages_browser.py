"""One sector in English and one in Polish, walked in Chromium to the result and the PDF, with
axe on every page (0 serious or critical) and the PDF's text checked for the Polish letters."""

from __future__ import annotations

import io

import pytest
from browser_support import Checker, serve
from conftest import create_tables, make_app
from pypdf import PdfReader
from test_e2e_flow import answer_and_go_on

pytestmark = pytest.mark.browser
POLISH_LETTERS = set("ąćęłńóśźż")


@pytest.fixture
def live_server(tmp_path, catalog):
    app = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'languages.sqlite'}"})
    app.extensions["scan_catalog"] = catalog
    with app.app_context():
        create_tables()
    with serve(app) as base:
        yield base


@pytest.mark.parametrize(
    ("sector", "language", "landing", "theme", "pdf_words"),
    [
        ("voorbeeld", "en", "Choose your sector", "Building and site", "Your result"),
        ("vakantieparken", "pl", "Wybierz swoją branżę", "Goście i rejestr", "Twój wynik"),
    ],
)
def test_walk__scan_in_a_language_to_result_and_pdf(
    live_server, browser, sector, language, landing, theme, pdf_words
):
    checker = Checker()
    page = browser.new_page()
    page.goto(f"{live_server}/?taal={language}")
    assert page.locator("html").get_attribute("lang") == language
    page.get_by_role("heading", name=landing).wait_for()
    checker.check(page, f"landing {language}")
    page.goto(f"{live_server}/scan/{sector}")
    page.locator("form.actions button[type=submit]").click()
    page.wait_for_url("**/scan/overzicht")
    page.goto(f"{live_server}/scan/thema/{'fysiek' if sector == 'voorbeeld' else 'gasten'}")
    assert theme in page.locator("h1").inner_text()
    checker.check(page, f"theme {language}")
    while "/thema/" in page.url:
        answer_and_go_on(page)
    page.locator("form[action$='/versturen'] button[type=submit]").click()
    page.wait_for_url("**/resultaat")
    assert page.locator("html").get_attribute("lang") == language
    checker.check(page, f"result {language}")
    pdf = page.request.get(f"{live_server}/scan/rapport.pdf")
    assert pdf.ok
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert pdf_words in text
    if language == "pl":
        assert POLISH_LETTERS <= set(text.lower())
    assert checker.problems == [], checker.problems
