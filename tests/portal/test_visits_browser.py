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
from browser_support import Checker, choose_first, save_page, serve, sideways, wait_until
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


def _start_visit(page, base: str, look=None) -> None:
    """Log in as an adviser and start a visit of the real-estate scan, filled in together."""
    page.goto(base + "/inloggen")
    page.fill("#email", "adviseur@pvo-bz.nl")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state("load")
    page.locator("main").get_by_role("link", name="Bezoek starten").click()
    if look is not None:
        look("start")
    page.select_option("#vragenlijst", "vastgoed")
    page.get_by_label("Nu samen invullen, tijdens het bezoek").check()
    page.get_by_role("button", name="Start de scan").click()
    page.wait_for_load_state("load")


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

    _start_visit(page, base, look)
    assert "Scan overdragen aan de ondernemer" in page.content()
    page.locator("a.button--start").click()
    page.wait_for_load_state("load")

    # Answer the first page together, then note what the adviser saw and agree an action.
    first_page = page.url
    for group in page.locator(".question fieldset:not([disabled])").all()[:3]:
        choose_first(group, "input[type=radio]")
    more = page.get_by_role("button", name="Volgende vragen")  # a long page in parts (phone)
    while more.count() and more.is_visible():
        more.click()
    save_page(page)
    assert page.url != first_page  # saved, on to the next page
    page.goto(first_page)
    page.fill("#waarneming", OBSERVATION)
    page.fill("#afspraak", ACTION)
    page.fill("#wie", "Piet")
    page.fill("#wanneer", "2027-01-15")
    save_page(page, "Opslaan bij dit onderwerp")
    page.get_by_text("Opgeslagen bij dit onderwerp.").wait_for()  # the page loaded again
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


def _checked(page) -> dict:
    """Return the radio answers on screen: field name -> value."""
    return page.evaluate(
        "Object.fromEntries(Array.from(document.querySelectorAll("
        "'main input[type=radio]:checked')).map(i => [i.name, i.value]))"
    )


def test_visit__connection_lost_for_two_pages__every_answer_stored_once(visit_server, browser):
    """A dead spot on the farm: two pages answered without a connection, then it returns."""
    app, base = visit_server
    tablet = browser.new_context(viewport={"width": 1280, "height": 900})
    page = tablet.new_page()
    _start_visit(page, base)
    page.locator("a.button--start").click()
    page.wait_for_load_state("networkidle")  # the next pages are fetched ahead

    tablet.set_offline(True)
    given: dict = {}
    for _ in range(2):
        heading = page.locator("main h1").inner_text()
        for group in page.locator(".question fieldset:not([disabled])").all()[:2]:
            group.locator("input[type=radio]").last.check()
        given |= _checked(page)
        page.get_by_role("button", name="Opslaan en verder").click()
        page.get_by_text("Geen verbinding: uw antwoorden staan op dit apparaat").wait_for()
        wait_until(page, f"document.querySelector('main h1').innerText !== {heading!r}")
    assert len(given) == 4
    with app.app_context():
        assert db.session.scalars(db.select(Visit)).one().scan.answers == {}

    tablet.set_offline(False)
    page.get_by_text("De verbinding is terug. Uw antwoorden zijn opgeslagen.").wait_for()
    with app.app_context():
        answers = db.session.scalars(db.select(Visit)).one().scan.answers
    expected = {name.removeprefix("q_"): value for name, value in given.items()}
    assert {k: answers[k] for k in expected} == expected
    tablet.close()


def _typed_in_both(page) -> dict:
    """Answer the theme page's first questions and type a note and an action; return answers."""
    for group in page.locator(".question fieldset:not([disabled])").all():
        if group.is_visible() and group.locator("input[type=radio]").count():
            choose_first(group, "input[type=radio]")
    page.fill("#waarneming", OBSERVATION)
    page.fill("#afspraak", ACTION)
    return {name.removeprefix("q_"): value for name, value in _checked(page).items()}


@pytest.mark.parametrize("button", ["Opslaan bij dit onderwerp", "Opslaan en verder"])
def test_visit__theme_page__one_save_keeps_answers_and_notes(visit_server, browser, button):
    """Typed in both parts of a theme page, saved with either part's button: both stored.

    Before, the notes were a form of their own: saving them lost the answers typed above,
    and saving the answers lost the notes typed below.
    """
    app, base = visit_server
    tablet = browser.new_context(viewport={"width": 1280, "height": 900})
    page = tablet.new_page()
    _start_visit(page, base)
    page.locator("a.button--start").click()
    page.wait_for_load_state("networkidle")
    first_page = page.url
    given = _typed_in_both(page)
    save_page(page, button)
    with app.app_context():
        visit = db.session.scalars(db.select(Visit)).one()
        answers = visit.scan.answers
        notes = [(n.kind, n.text) for n in visit.notes]
    assert given and {k: answers.get(k) for k in given} == given
    assert notes == [("observation", OBSERVATION), ("action", ACTION)]
    if button == "Opslaan bij dit onderwerp":  # stays on the page, with both shown again
        page.get_by_text("Opgeslagen bij dit onderwerp.").wait_for()  # the page loaded again
        assert page.url.split("#")[0] == first_page
        assert _checked(page) == {f"q_{k}": v for k, v in given.items()}
        assert page.locator("#waarneming").input_value() == OBSERVATION
        # Taking an action away keeps what was typed meanwhile, too.
        page.fill("#waarneming", OBSERVATION + " Camera hangt scheef.")
        with page.expect_navigation():
            page.locator(".visit-notes__list").get_by_role("button", name="Haal weg").click()
        page.get_by_text("Opgeslagen bij dit onderwerp.").wait_for()
        with app.app_context():
            visit = db.session.scalars(db.select(Visit)).one()
            notes = [(n.kind, n.text) for n in visit.notes]
        assert notes == [("observation", OBSERVATION + " Camera hangt scheef.")]
    tablet.close()
