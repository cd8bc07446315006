"""End to end in headless Chromium: a whole sector scan, resume through the link, axe-core."""

from __future__ import annotations

import pytest
from browser_support import Checker, choose_first, save_page, serve, wait_until
from conftest import create_tables, make_app

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(tmp_path, catalog):
    """Serve a fresh app on a free loopback port in a background thread."""
    app = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'e2e.sqlite'}"})
    app.extensions["scan_catalog"] = catalog
    with app.app_context():
        create_tables()
    with serve(app) as base:
        yield base


def answer_visible_questions(page) -> int:
    """Answer every visible unanswered question on a theme page; return how many.

    Each block is found by its question id, not by its place among the visible ones: an
    answer can show or hide a later question while this runs (the page script), which would
    shift a place-based locator onto another question.
    """
    answered = 0
    ids = page.eval_on_selector_all(
        "[data-question]", "els => els.filter(e => !e.hidden).map(e => e.dataset.question)"
    )
    for question_id in ids:
        block = page.locator(f'[data-question="{question_id}"]')
        if block.is_hidden():
            continue
        if block.locator("input:checked").count():
            continue
        if block.locator("input[type=text]").count():
            field = block.locator("input[type=text]")
            if field.input_value():
                continue
            field.fill("5")
        elif block.locator("textarea").count():
            field = block.locator("textarea")
            if field.input_value():
                continue
            field.fill("Geen bijzonderheden.")
        elif not choose_first(block):
            continue
        answered += 1
    return answered


def test_whole_scan__landing_to_result__resume__accessible(live_server, browser):
    axe = Checker()
    outside: list[str] = []

    def watch(context):
        """Note every request that goes anywhere but the app itself."""
        context.on(
            "request",
            lambda request: (
                None
                if request.url.startswith((live_server, "data:"))
                else outside.append(request.url)
            ),
        )
        return context

    context = watch(browser.new_context(viewport={"width": 1280, "height": 900}))
    page = context.new_page()

    # Landing page: choose the haven scan.
    page.goto(live_server + "/")
    axe.check(page, "landing")
    page.locator(".sector", has_text="Weerbaarheidsscan haven").get_by_role(
        "button", name="Start de scan"
    ).click()

    # The link page: bewaar deze link.
    page.get_by_role("heading", name="Bewaar deze link").wait_for()
    link = page.locator("#scan-link").input_value()
    assert link.startswith(live_server + "/scan/") and len(link.split("/")[4]) == 32
    assert "De link werkt tot en met" in page.content()
    axe.check(page, "link page")
    page.get_by_role("link", name="Begin met de vragen").click()

    # Theme pages: the follow-up question appears at once when 'Ja' is chosen.
    page.wait_for_url("**/thema/toegang")
    follow_up = page.locator("#vraag-hek_controle")
    assert follow_up.is_hidden()
    page.locator("#vraag-eigen_terrein").get_by_label("Ja", exact=True).check()
    follow_up.wait_for(state="visible")
    assert page.url.endswith("/thema/toegang")  # no reload: the page script asked the server
    axe.check(page, "theme page")

    themes, posts = set(), 0
    while "/thema/" in page.url:
        themes.add(page.url.split("/thema/")[1].split("?")[0])
        posts += 1
        assert posts <= 12
        more = page.get_by_role("button", name="Volgende vragen")  # a long theme on a phone
        while True:
            while answer_visible_questions(page):
                page.wait_for_timeout(150)  # the page script asks which questions to show
            if not (more.count() and more.is_visible()):
                break
            more.click()
        save_page(page)
    # If the script was slower than the click, the server showed the opened questions first.
    assert len(themes) == 5

    # Review, then submit.
    assert page.url.endswith("/controle")
    page.get_by_role("heading", name="Controleer uw antwoorden").wait_for()
    assert page.get_by_text("Niet beantwoord").count() == 0
    axe.check(page, "review")
    page.get_by_role("button", name="Verstuur en bekijk uw resultaat").click()

    # Result.
    page.wait_for_url("**/resultaat")
    # The red-flag outcome is its own label (strong.outcome__label); a level sits in a paragraph.
    level = page.locator(".outcome__label strong, strong.outcome__label").first.inner_text()
    # A risk level, or the red-flag outcome of its own when an answer signals acute risk.
    assert level in ("Kwetsbaar", "Aandacht nodig", "Weerbaar", "Direct hulp nodig")
    assert page.locator(".chart__row").count() == 5
    assert (
        page.locator(".referral--main")
        .get_by_role("heading", name="Meld Misdaad Anoniem")
        .is_visible()
    )
    axe.check(page, "result")
    context.close()

    # Later, in a fresh browser session: the link still leads to the same result.
    context = watch(browser.new_context(viewport={"width": 375, "height": 800}))
    page = context.new_page()
    page.goto(link)
    page.get_by_role("heading", name="Uw scan is verstuurd").wait_for()
    assert page.url == live_server + "/scan/overzicht"  # the token left the address at once
    page.get_by_role("link", name="Bekijk uw resultaat").click()
    page.wait_for_url("**/resultaat")
    assert page.locator(".outcome__label strong, strong.outcome__label").first.inner_text() == level
    axe.check(page, "result at 375 px")

    # An unknown link: the Dutch error page.
    response = page.goto(live_server + "/scan/" + "B" * 32 + "/")
    assert response.status == 404
    page.get_by_role("heading", name="Pagina niet gevonden").wait_for()
    axe.check(page, "error page")

    # Quick exit leaves at once and takes this page out of the history.
    page.route("https://www.nu.nl/**", lambda route: route.fulfill(body="nu.nl", status=200))
    page.goto(link)
    page.get_by_role("link", name="Snel weg").click()
    page.wait_for_url("https://www.nu.nl/**")
    context.close()

    # Playwright reports the redirect from /weg and the routed request: both are the exit.
    assert set(outside) == {"https://www.nu.nl/"}, "only the quick exit may leave the site"
    assert len(axe.checked) == 7
    assert not axe.problems, "\n".join(axe.problems)


def test_quick_exit__works_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.route("https://www.nu.nl/**", lambda route: route.fulfill(body="nu.nl", status=200))
    page.goto(live_server + "/scan/haven")
    page.get_by_role("link", name="Snel weg").click()
    page.wait_for_url("https://www.nu.nl/**")
    context.close()


def test_conditional_question__without_javascript__server_shows_it(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/scan/haven")
    page.get_by_role("button", name="Start de scan").click()
    page.get_by_role("link", name="Begin met de vragen").click()
    page.wait_for_url("**/thema/toegang")
    assert page.locator("#vraag-hek_controle").is_hidden()
    page.locator("#vraag-eigen_terrein").get_by_label("Ja", exact=True).check()
    assert page.locator("#vraag-hek_controle").is_hidden()  # nothing changes without a post
    page.locator("#vraag-soort_bedrijf input").first.check()  # a required question
    page.get_by_role("button", name="Opslaan en verder").click()
    page.wait_for_url(lambda url: "/thema/toegang?nieuw=" in url)
    assert page.locator("#vraag-hek_controle").is_visible()
    assert "bijgekomen" in page.content()
    context.close()


def test_other_pages__accessible(live_server, browser):
    """axe-core on the pages the main flow does not pass: sector, errors, delete, privacy."""
    axe = Checker()
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(live_server + "/scan/vastgoed")
    axe.check(page, "sector page")
    page.get_by_role("button", name="Start de scan").click()
    page.get_by_role("link", name="Begin met de vragen").click()
    page.wait_for_url("**/thema/**")
    page.wait_for_load_state("load")  # the page script has split the long theme by now
    more = page.get_by_role("button", name="Volgende vragen")  # a long theme on a phone
    while more.count() and more.is_visible():
        more.click()
    page.get_by_role("button", name="Opslaan en verder").click()  # a required question is open
    page.get_by_role("heading", name="Er is een probleem").wait_for()
    # app.js (deferred) moves the focus to the summary: wait for it.
    wait_until(page, "document.activeElement.classList.contains('error-summary')")
    axe.check(page, "theme page with errors")
    page.goto(live_server + "/scan/controle")
    page.get_by_role("button", name="Verstuur en bekijk uw resultaat").click()
    page.get_by_role("heading", name="Er is een probleem").wait_for()
    axe.check(page, "review with errors")
    page.goto(live_server + "/scan/verwijderen")
    axe.check(page, "delete page")
    page.get_by_role("button", name="Ja, verwijder mijn scan").click()
    page.get_by_role("heading", name="Uw scan is verwijderd").wait_for()
    axe.check(page, "deleted page")
    page.goto(live_server + "/privacy")
    axe.check(page, "privacy page")
    context.close()
    assert not axe.problems, "\n".join(axe.problems)
