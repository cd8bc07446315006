"""Adviser portal and sharing in headless Chromium: axe-core, no third-party requests, 375 px."""

from __future__ import annotations

import pytest
from browser_support import TEXT_SPACING_CSS, Checker, serve, sideways
from conftest import create_tables, make_app
from portal_factories import PASSWORD, make_portal

pytestmark = pytest.mark.browser


@pytest.fixture
def portal_server(tmp_path, catalog):
    """Serve an app with the standard portal on a free loopback port."""
    app = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'portal.sqlite'}"})
    app.extensions["scan_catalog"] = catalog
    with app.app_context():
        create_tables()
        portal = make_portal()
        ids = {"share": portal.share.public_id, "token": portal.token}
    with serve(app) as base:
        yield base, ids


def _login(page, base, email):
    page.goto(base + "/inloggen")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state("load")
    # Let each page finish (its script too) before the next step, so no download is cut off.
    page.wait_for_load_state("load")


@pytest.mark.parametrize("width", [1280, 375, 320])
def test_portal_pages__accessible_private_and_fit(portal_server, browser, width):
    base, ids = portal_server
    axe, outside, overflow = Checker(), [], []
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    context.on(
        "request", lambda r: None if r.url.startswith((base, "data:")) else outside.append(r.url)
    )
    page = context.new_page()

    def visit(kind):
        page.wait_for_load_state("load")
        if width != 320:
            axe.check(page, kind)
        if sideways(page) > 0:
            overflow.append(f"{kind}: {sideways(page)} px")
        if width == 320:  # WCAG 1.4.10 reflow with 1.4.12 text spacing
            style = page.add_style_tag(content=TEXT_SPACING_CSS)
            if sideways(page) > 0:
                overflow.append(f"{kind} with text spacing: {sideways(page)} px")
            style.evaluate("element => element.remove()")

    page.goto(base + "/inloggen")
    visit("login")
    _login(page, base, "adviseur@pvo-bz.nl")
    assert page.url.endswith("/adviseur/")
    visit("list")
    page.get_by_role("link", name=ids["share"][:8].upper()).click()
    visit("detail")
    page.fill("#text", "Gebeld, bezoek volgt.")
    page.get_by_role("button", name="Notitie opslaan").click()
    page.wait_for_load_state("load")
    assert "De notitie is opgeslagen." in page.content()
    page.select_option("#status", "bezoek_gepland")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    page.wait_for_load_state("load")
    visit("detail with errors")
    assert "Vul de datum van het bezoek in." in page.content()
    page.goto(base + "/adviseur/trends?sector=vastgoed&periode=alles")
    visit("trends")
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state("load")
    assert "/inloggen" in page.url

    _login(page, base, "beheer@example.nl")
    visit("audit")
    page.goto(base + "/beheer/accounts")
    visit("accounts")
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state("load")

    entrepreneur = context.new_page()
    page = entrepreneur
    page.goto(f"{base}/scan/{ids['token']}/")
    page.goto(f"{base}/scan/delen")
    visit("share page")
    page.get_by_label("PVO Limburg").check()
    page.get_by_role("button", name="Verder").click()
    page.wait_for_load_state("load")
    visit("consent")
    page.get_by_role("button", name="Deel mijn scan").click()
    page.wait_for_load_state("load")
    visit("consent with errors")
    page.get_by_label("Ik heb gelezen").check()
    page.fill("#name", "Jan")
    page.get_by_role("button", name="Deel mijn scan").click()
    page.wait_for_load_state("load")
    assert "Uw scan is gedeeld met PVO Limburg" in page.content()
    page.get_by_role("link", name="Stop met delen met PVO Limburg").click()
    page.wait_for_load_state("load")
    visit("withdraw")
    page.get_by_role("button", name="Ja, stop met delen").click()
    page.wait_for_load_state("load")
    assert "U deelt uw scan niet meer" in page.content()

    context.close()
    assert len(axe.checked) == (0 if width == 320 else 11)
    assert axe.problems == []
    assert outside == []
    assert overflow == [], overflow
