"""End to end in headless Chromium: finish a scan, plan two steps, repeat it, see progress."""

from __future__ import annotations

import io

import pytest
from browser_support import Checker, save_page, serve
from conftest import create_tables, make_app
from pypdf import PdfReader
from test_followup import V1, V2, catalog_with

pytestmark = pytest.mark.browser


@pytest.fixture
def served(tmp_path):
    """A fresh app on a free loopback port, with version 1 of the small questionnaire."""
    app = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'e2e.sqlite'}"})
    app.extensions["scan_catalog"] = catalog_with(tmp_path, V1)
    with app.app_context():
        create_tables()
    with serve(app) as base:
        yield app, base


def answer(page, **answers) -> None:
    """Choose an answer per question on a theme page, then go on."""
    for question, label in answers.items():
        page.locator(f"[data-question={question}]").get_by_label(label, exact=True).check()
    save_page(page)


def test_repeat_with_plan_and_progress__accessible(served, browser, tmp_path):
    app, base = served
    axe = Checker()
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()

    # The first scan.
    page.goto(base + "/scan/herhaal")
    page.get_by_role("button", name="Start de scan").click()
    page.get_by_role("link", name="Begin met de vragen").click()
    answer(page, hek="Nee", camera="Nee")
    answer(page, oud="Nee", benaderd="Nee")
    page.get_by_role("button", name="Verstuur en bekijk uw resultaat").click()
    page.get_by_role("heading", name="Uw actieplan").wait_for()
    first_url = page.url

    # Two steps: one saved by the page script on change, one with the save button.
    # Each tip is folded, with its plan form inside: open it first.
    page.locator("details.tip:has(#plan-hek_maken) summary.tip__title").click()
    page.locator("details.tip:has(#plan-camera_plaatsen) summary.tip__title").click()
    hek = page.locator("#plan-hek_maken")
    hek.get_by_label("Wanneer?").fill("2027-03-01")
    hek.get_by_label("Stand").select_option("gepland")
    hek.get_by_role("status").filter(has_text="Opgeslagen.").wait_for()
    camera = page.locator("#plan-camera_plaatsen")
    camera.get_by_label("Stand").select_option("bezig")
    camera.get_by_label("Wie doet het?").fill("Ans")
    camera.get_by_role("button", name="Opslaan").click()
    camera.get_by_role("status").filter(has_text="Opgeslagen.").wait_for()
    page.reload()
    assert page.locator("#state-hek_maken").input_value() == "gepland"
    assert page.locator("#who-camera_plaatsen").input_value() == "Ans"
    axe.check(page, "result with plan")

    # Version 2 is published; the entrepreneur repeats the scan.
    app.extensions["scan_catalog"] = catalog_with(tmp_path, V1, V2)
    page.get_by_role("button", name="Doe de scan opnieuw").click()
    page.get_by_role("heading", name="U doet de scan opnieuw").wait_for()
    assert page.url == base + "/scan/overzicht" != first_url  # no token in the address
    assert "Oude vraag over kluizen?" in page.content()
    axe.check(page, "repeat link page")
    # The first theme page (the link page's button goes to the first page with an open question).
    page.goto(base + "/scan/thema/fysiek")
    mark = page.locator('[data-mark-for="hek"]')
    assert "Vorige keer: Nee" in mark.inner_text()
    assert page.locator("[data-question=hek] input:checked").get_attribute("value") == "nee"
    axe.check(page, "prefilled theme page")
    answer(page, hek="Ja")  # the one answer that changed
    page.get_by_role("heading", name="Signalen").wait_for()
    assert "Nieuwe vraag" in page.locator('[data-mark-for="buren"]').text_content()
    answer(page, buren="Ja")
    page.get_by_role("button", name="Verstuur en bekijk uw resultaat").click()

    # Progress on the result page.
    page.get_by_role("heading", name="Uw voortgang sinds").wait_for()
    text = page.locator(".followup-progress").inner_text()
    assert "toen 0 · nu 50 (+50)" in text
    assert "Dat is 25 punten beter." in " ".join(text.split())
    assert "1 opgelost: Zet een hek om uw terrein." in text
    page.locator("details.tip:has(#plan-camera_plaatsen) summary.tip__title").click()
    assert "Vorige keer was u hiermee bezig." in page.locator("#plan-camera_plaatsen").inner_text()
    axe.check(page, "repeat result with progress")

    # And in the PDF.
    pdf = page.request.get(page.url.replace("/resultaat", "/rapport.pdf"))
    assert pdf.status == 200
    report = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "Uw voortgang sinds" in report
    assert "Totaalscore: toen 50, nu 75 van de 100" in report

    # Deleting the repeat asks about the earlier scan.
    page.get_by_role("link", name="Deze scan verwijderen").click()
    page.get_by_text("Wilt u die ook verwijderen?").wait_for()
    axe.check(page, "delete chain")
    assert axe.problems == []
