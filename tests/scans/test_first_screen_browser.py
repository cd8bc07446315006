"""Issue 23 in headless Chromium: a weak scan's first screen, quick action-plan edits, save and
return, the skip link above the quick-exit bar, and the comparison from the tenth scan."""

from __future__ import annotations

import datetime as dt

import pytest
from browser_support import Checker, serve
from conftest import make_app
from portal_factories import raw_scan
from sqlalchemy import select

from scan.platform.extensions import db
from scan.platform.models import PlanStep, Scan
from scan.scans import store

pytestmark = pytest.mark.browser
SECTOR = "vastgoed"


@pytest.fixture
def site(tmp_path, catalog):
    """Serve a fresh app; return its base URL and the app (to seed scans)."""
    app = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'first.sqlite'}"})
    app.extensions["scan_catalog"] = catalog
    with app.app_context():
        db.create_all()
    with serve(app) as base:
        yield base, app


def weak_scan(app) -> str:
    """Store a weak scan with every answer given but not sent; return its link token."""
    with app.app_context():
        q = app.extensions["scan_catalog"].get(SECTOR)
        scan, token = store.start_scan(q, 90)
        scan.answers = dict(next(e for e in q.examples if e.name == "kwetsbaar").answers)
        db.session.commit()
        return token


def submit_in_browser(page, base: str, token: str) -> None:
    page.goto(f"{base}/scan/{token}/")
    page.goto(f"{base}/scan/controle")
    page.get_by_role("button", name="Verstuur en bekijk uw resultaat").click()
    page.wait_for_url("**/resultaat")


def test_weak_scan__first_screen_plan_edits_link_skip_link_and_comparison(site, browser):
    base, app = site
    axe = Checker()
    token = weak_scan(app)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    submit_in_browser(page, base, token)

    # Three calls on the first screen, each a tel: button with whom it is for.
    calls = page.locator(".week-steps a[href^='tel:']")
    assert calls.count() == 3
    for i in range(3):
        box = calls.nth(i).bounding_box()
        assert box["y"] + box["height"] <= 900, f"call {i + 1} below the first screen"
    assert page.locator(".week-step__for").count() == 3
    assert calls.first.get_attribute("href") == "tel:08007000"
    axe.check(page, "result 1280")

    # At 375 px the page up to the first tip fits two screens; every tip is one folded line.
    page.set_viewport_size({"width": 375, "height": 667})
    first_tip = page.evaluate("document.querySelector('.tip-list li').offsetTop")
    assert first_tip <= 2 * 667, first_tip
    assert page.locator("details.tip[open]").count() == 0
    page.set_viewport_size({"width": 320, "height": 640})
    axe.check(page, "result 320")

    # Three quick edits of one tip's plan, without waiting: all stored, then "Opgeslagen".
    page.set_viewport_size({"width": 1280, "height": 900})
    tip = page.locator("details.tip").first
    tip.locator("summary.tip__title").click()
    form = tip.locator("form[data-plan-form]")
    form.locator("select[name=state]").select_option("bezig")
    form.locator("input[name=who]").fill("Ans")
    form.locator("input[name=who]").dispatch_event("change")
    form.locator("input[name=due]").fill("2027-03-01")
    form.locator("input[name=due]").dispatch_event("change")
    status = form.locator(".plan-form__status")
    status.filter(has_text="Opgeslagen.").wait_for(timeout=15000)
    advice_id = form.get_attribute("id").removeprefix("plan-")
    with app.app_context():
        step = db.session.scalars(select(PlanStep).where(PlanStep.advice_id == advice_id)).one()
        assert (step.state, step.who, step.due) == ("bezig", "Ans", dt.date(2027, 3, 1))
    page.reload()
    tip = page.locator(f"details.tip:has(#plan-{advice_id})")
    tip.locator("summary.tip__title").click()
    assert tip.locator("select[name=state]").input_value() == "bezig"
    assert tip.locator("input[name=due]").input_value() == "2027-03-01"

    # The link again, on request, from the result page.
    page.get_by_role("button", name="Laat mijn link zien").click()
    page.get_by_role("heading", name="Uw persoonlijke link").wait_for()
    assert page.locator("#scan-link").input_value().endswith(f"/scan/{token}/")
    assert token not in page.url
    axe.check(page, "link on request")

    # The skip link shows in full above the sticky quick-exit bar, at the top and further down.
    for scrolled in (0, 1500):
        page.goto(f"{base}/scan/resultaat")
        page.mouse.wheel(0, scrolled)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link"
        box = page.locator(".skip-link").bounding_box()
        assert box["y"] >= 0 and box["height"] > 20
        corners = [(box["x"] + 2, box["y"] + 2)]
        corners.append((box["x"] + box["width"] - 2, box["y"] + box["height"] - 2))
        for x, y in corners:
            on_top = page.evaluate(f"document.elementFromPoint({x}, {y}).className")
            assert on_top == "skip-link", (scrolled, on_top)
    context.close()
    assert not axe.problems, "\n".join(axe.problems)


def test_save_and_return__later_gives_the_link_back(site, browser):
    base, _ = site
    context = browser.new_context(viewport={"width": 375, "height": 667})
    page = context.new_page()
    page.goto(f"{base}/scan/voorbeeld")
    page.get_by_role("button", name="Start de scan").click()
    link = page.locator("#scan-link").input_value()
    page.get_by_role("link", name="Begin met de vragen").click()
    page.wait_for_url("**/thema/**")
    assert page.locator("a.back-link").first.is_visible()
    page.get_by_role("button", name="Opslaan en later verder gaan").click()
    page.get_by_role("heading", name="Uw antwoorden zijn opgeslagen").wait_for()
    page.get_by_role("button", name="Laat mijn link zien").click()
    assert page.locator("#scan-link").input_value() == link
    assert page.get_by_role("heading", name="Op een telefoon").count() == 1
    assert "/scan/mijn-link" in page.url and link.rsplit("/", 2)[-2] not in page.url
    context.close()


def test_comparison__appears_at_the_tenth_scan_of_a_sector_and_not_before(site, browser):
    base, app = site
    with app.app_context():
        q = app.extensions["scan_catalog"].get(SECTOR)
        theme = q.themes[0].id
        last_month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        for i in range(9):
            raw_scan(
                SECTOR,
                dt.datetime.combine(last_month, dt.time(9, i)),
                50.0,
                None,
                themes={theme: 10.0 * i},
            )
        db.session.commit()
    token = weak_scan(app)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    submit_in_browser(page, base, token)
    heading = page.get_by_role("heading", name="Vergeleken met andere ondernemers in uw sector")
    assert heading.count() == 0  # nine scans: nothing to compare with yet
    with app.app_context():
        raw_scan(
            SECTOR,
            dt.datetime.combine(last_month, dt.time(10, 0)),
            50.0,
            None,
            themes={theme: 95.0},
        )
        db.session.commit()
    page.reload()
    assert heading.count() == 1
    row = page.locator(".comparison__row", has_text=q.themes[0].title)
    assert row.locator("dd").inner_text() in {
        "Lager dan de meeste",
        "Rond het midden",
        "Hoger dan de meeste",
    }
    assert page.locator(".comparison__row").count() == 1  # only the theme with ten scans
    context.close()
    with app.app_context():
        assert db.session.scalar(select(Scan).where(Scan.submitted_at.is_(None))) is None


def test_long_theme__in_parts_on_a_phone__all_at_once_without_script(site, browser):
    base, app = site
    for script in (True, False):
        context = browser.new_context(
            viewport={"width": 375, "height": 667}, java_script_enabled=script
        )
        page = context.new_page()
        page.goto(f"{base}/scan/transport")
        page.get_by_role("button", name="Start de scan").click()
        page.wait_for_url("**/scan/overzicht")
        page.goto(f"{base}/scan/thema/voertuigen")
        blocks = page.locator("[data-question]:not([hidden])")
        shown = blocks.count()
        assert shown > 7
        later = page.locator(".part-later")
        save = page.get_by_role("button", name="Opslaan en verder")
        if not script:
            assert later.count() == 0 and save.is_visible()
            context.close()
            continue
        assert later.count() > 0 and not save.is_visible()
        assert "Deel 1 van 2" in page.locator(".part-step__where").inner_text()
        page.get_by_role("button", name="Volgende vragen").click()
        assert page.locator("[data-question].part-later").count() == 0 and save.is_visible()
        # An answer in the last part is saved with the page.
        last = page.locator("[data-question]:not([hidden])").last
        last.locator("input").first.check()
        page.get_by_role("button", name="Opslaan en later verder gaan").click()
        page.get_by_role("heading", name="Uw antwoorden zijn opgeslagen").wait_for()
        assert "U heeft 1 van de" in page.content()
        context.close()
