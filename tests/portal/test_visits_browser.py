"""A whole visit in headless Chromium: start, answer, observe, agree, hand over, consent or not.

The adviser works on a tablet-sized window; the entrepreneur opens the link from the handout
on a phone-sized window (a second browser context): it is the same scan. What the adviser can
open afterwards is checked for both choices.
"""

from __future__ import annotations

import os
from io import BytesIO
from pathlib import Path

import pytest
from browser_support import Checker, serve, sideways
from conftest import create_tables, make_app
from portal_factories import PASSWORD, make_portal
from pypdf import PdfReader

from scan.platform.extensions import db
from scan.platform.visit_models import Visit
from scan.scans import store

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SCREENSHOT_DIR")
OBSERVATION = "Hek achter de loods staat open."
ACTION = "Hangslot op het hek achter de loods"


@pytest.fixture
def visit_server(tmp_path, catalog):
    app = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'visit.sqlite'}"})
    app.extensions["scan_catalog"] = catalog
    with app.app_context():
        create_tables()
        make_portal()
    with serve(app) as base:
        yield app, base


def _answer_the_rest(app) -> None:
    """Give the visit's scan the example answers (the pages are the scan's own, tested apart)."""
    with app.app_context():
        scan = db.session.scalars(db.select(Visit)).one().scan
        q = store.questionnaire_of(scan)
        scan.answers = {**dict(q.examples[0].answers), **(scan.answers or {})}
        db.session.commit()


@pytest.mark.parametrize(("consent", "width"), [(True, 1280), (False, 375), (True, 320)])
def test_whole_visit__handed_over_by_qr__consent_decides(visit_server, browser, consent, width):
    app, base = visit_server
    axe, overflow = Checker(), []
    tablet = browser.new_context(viewport={"width": width, "height": 900})
    page = tablet.new_page()

    def look(kind):
        page.wait_for_load_state("load")
        axe.check(page, kind)
        if sideways(page) > 0:
            overflow.append(f"{kind}: {sideways(page)} px")
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SHOTS}/visit-{kind}-{width}.png", full_page=True)

    page.goto(base + "/inloggen")
    page.fill("#email", "adviseur@pvo-bz.nl")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state("load")
    page.locator("main").get_by_role("link", name="Bezoek starten").click()
    look("start")
    page.select_option("#vragenlijst", "vastgoed")
    page.get_by_label("Nu samen invullen, tijdens het bezoek").check()
    page.get_by_role("button", name="Start de scan").click()
    page.wait_for_load_state("load")
    assert "Scan overdragen aan de ondernemer" in page.content()
    page.locator("a.button--start").click()
    page.wait_for_load_state("load")

    # Answer the first page together, then note what the adviser saw and agree an action.
    first_page = page.url
    for group in page.locator(".question fieldset:not([disabled])").all()[:3]:
        group.locator("input[type=radio]").first.check()
    more = page.get_by_role("button", name="Volgende vragen")  # a long page in parts (phone)
    while more.count() and more.is_visible():
        more.click()
    page.get_by_role("button", name="Opslaan en verder").click()
    page.wait_for_load_state("load")
    assert page.url != first_page  # saved, on to the next page
    page.goto(first_page)
    page.fill("#waarneming", OBSERVATION)
    page.fill("#afspraak", ACTION)
    page.fill("#wie", "Piet")
    page.fill("#wanneer", "2027-01-15")
    page.get_by_role("button", name="Opslaan bij dit onderwerp").click()
    look("theme")
    assert "Opgeslagen bij dit onderwerp." in page.content() and ACTION in page.content()

    with app.app_context():
        assert len(db.session.scalars(db.select(Visit)).one().scan.answers) >= 3
    _answer_the_rest(app)
    page.goto(base + "/scan/controle")
    page.get_by_role("button", name="Verstuur en bekijk uw resultaat").click()
    page.wait_for_load_state("load")
    result = page.content()
    assert "Wat de adviseur van PVO Brabant-Zeeland zag" in result and OBSERVATION in result
    assert ACTION in result

    page.get_by_role("link", name="Scan overdragen aan de ondernemer").click()
    look("handover")
    assert page.locator(".handover__qr svg").count() == 1
    page.get_by_role("link", name="Blad met de code afdrukken").click()
    look("handout")
    handout = page.pdf(format="A4")  # printed as the print menu would: one page
    assert len(PdfReader(BytesIO(handout)).pages) == 1
    if SHOTS:
        Path(f"{SHOTS}/visit-handout-{width}.pdf").write_bytes(handout)
    link = page.locator(".handout__link").inner_text().strip()
    assert link.startswith("http") and "/scan/" in link

    # The entrepreneur's phone: the link opens the same scan (its observation, its result).
    phone = browser.new_context(viewport={"width": 375, "height": 800})
    own = phone.new_page()
    own.goto(link.replace("http://localhost", base))
    own.get_by_role("link", name="Bekijk uw resultaat").click()
    own.wait_for_load_state("load")
    assert OBSERVATION in own.content() and ACTION in own.content()

    page.go_back()
    page.wait_for_load_state("load")
    if consent:
        page.get_by_label("Ik heb gelezen wat er gebeurt", exact=False).check()
        page.get_by_role("button", name="Ja, deel mijn scan").click()
    else:
        page.get_by_role("button", name="Nee, niet delen").click()
    look("ended")
    text = " ".join(page.content().split())
    if consent:
        assert "deelt hem met PVO Brabant-Zeeland" in text
        page.get_by_role("link", name="Open de gedeelde scan", exact=False).click()
        page.wait_for_load_state("load")
        assert OBSERVATION in page.content() and ACTION in page.content()
    else:
        assert "deelt hem niet met PVO Brabant-Zeeland" in text
    # Either way the adviser's browser let go of the scan itself.
    response = page.goto(base + "/scan/resultaat")
    assert response.status == 403
    page.goto(base + "/adviseur/")
    shared = page.locator("table tbody tr").count()
    assert shared == (2 if consent else 1)  # the portal's own share, plus this one if agreed
    # The entrepreneur keeps the scan.
    own.reload()
    assert OBSERVATION in own.content()
    assert axe.problems == []
    assert overflow == []
    phone.close()
    tablet.close()
