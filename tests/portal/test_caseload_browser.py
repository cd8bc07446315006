"""The caseload in headless Chromium: a caller's reference, a colleague, a visit, then overdue."""

from __future__ import annotations

import datetime as dt

import pytest
from browser_support import TEXT_SPACING_CSS, Checker, serve, sideways
from conftest import make_app
from portal_factories import PASSWORD, make_portal, make_user, read_as_dutch_excel

from scan.platform.extensions import db
from scan.portal import caseload

pytestmark = pytest.mark.browser


@pytest.fixture
def caseload_server(tmp_path, catalog):
    """Serve the standard portal, with a colleague at PVO A, on a free loopback port."""
    app = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'portal.sqlite'}"})
    app.extensions["scan_catalog"] = catalog
    with app.app_context():
        db.create_all()
        portal = make_portal()
        make_user("collega@pvo-bz.nl", "adviser", portal.org_a)
        ids = {"share": portal.share.public_id, "reference": portal.share.reference}
    with serve(app) as base:
        yield base, ids


@pytest.mark.parametrize("width", [1280, 375, 320])
def test_adviser_finds_assigns_plans_sees_overdue_and_exports(
    caseload_server, browser, width, monkeypatch, tmp_path
):
    base, ids = caseload_server
    monkeypatch.setattr(caseload, "today", lambda: dt.date(2026, 12, 7))
    axe, overflow = Checker(), []
    context = browser.new_context(
        viewport={"width": width, "height": 900}, bypass_csp=True, accept_downloads=True
    )
    page = context.new_page()

    def visit(kind):
        page.wait_for_load_state("load")
        if width != 320:
            axe.check(page, kind)
        for style in ("", TEXT_SPACING_CSS if width == 320 else ""):
            tag = page.add_style_tag(content=style) if style else None
            if sideways(page) > 0:
                overflow.append(f"{kind}{' with text spacing' if style else ''}: {sideways(page)}")
            if tag:
                tag.evaluate("element => element.remove()")

    page.goto(base + "/inloggen")
    page.fill("#email", "adviseur@pvo-bz.nl")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("Snel weg").count() == 0 and "In gevaar?" not in page.content()

    # The entrepreneur reads the reference out over the phone; the adviser types it as heard.
    reference = ids["reference"]
    page.fill("#zoek", f"{reference[:4].lower()} {reference[4:].lower()}")
    page.get_by_role("button", name="Zoek").click()
    visit("search")
    page.get_by_role("link", name=reference).click()
    visit("detail")

    page.select_option("#adviseur", label="collega@pvo-bz.nl")
    page.get_by_role("button", name="Toewijzen").click()
    page.wait_for_load_state("load")
    assert "De scan is toegewezen." in page.content()
    page.select_option("#stap", "bezoek")
    page.fill("#stap_datum", "2026-12-07")
    page.get_by_role("button", name="Volgende stap opslaan").click()
    page.wait_for_load_state("load")
    assert "De volgende stap is opgeslagen." in page.content()
    assert "te laat" not in page.content()

    monkeypatch.setattr(caseload, "today", lambda: dt.date(2026, 12, 8))  # the day after
    page.goto(base + "/adviseur/")
    page.get_by_role("link", name="Te laat").first.click()
    visit("overdue list")
    row = page.get_by_role("row").filter(has_text=reference)
    assert row.count() == 1
    assert "Te laat" in row.inner_text() and "collega@pvo-bz.nl" in row.inner_text()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download deze lijst voor Excel (CSV)").click()
    path = tmp_path / "export.csv"
    download.value.save_as(path)
    rows = read_as_dutch_excel(path.read_bytes())
    table = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert [r["referentie"] for r in table] == [reference]
    assert table[0]["toegewezen_aan"] == "collega@pvo-bz.nl"
    assert (table[0]["volgende_stap"], table[0]["datum_volgende_stap"]) == ("Bezoek", "07-12-2026")
    assert table[0]["te_laat"] == "ja" and table[0]["telefoon"] == "06 1234 5678"

    context.close()
    assert axe.problems == []
    assert overflow == [], overflow
