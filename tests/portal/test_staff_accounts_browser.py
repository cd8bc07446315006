"""How to verify issue 26 in Chromium: an invited adviser with a passkey, a lost passkey and a
recovery code; an administrator who requires two factors and deactivates a logged-in account."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser_support import Checker, serve, sideways
from conftest import make_app
from portal_factories import PASSWORD, make_portal
from smtp_support import smtp_server

from scan.platform.account_models import OutboxMail
from scan.platform.extensions import db
from scan.platform.models import AuditEvent

pytestmark = pytest.mark.browser
NEW_ADVISER = "nieuw@pvo-bz.nl"
NEW_PASSWORD = "een zin die alleen ik ken"
SHOTS = os.environ.get("SCREENSHOT_DIR")


@pytest.fixture
def staff_server(tmp_path, catalog):
    """Serve the standard portal at http://localhost:PORT (WebAuthn needs a host name)."""
    with smtp_server() as (inbox, settings):
        app = make_app(
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 's.sqlite'}", **settings}
        )
        app.extensions["scan_catalog"] = catalog
        with app.app_context():
            db.create_all()
            make_portal()
        with serve(app) as base:
            yield app, base.replace("127.0.0.1", "localhost"), inbox


def _virtual_authenticator(context, page):
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


def _login(page, base, email, password=PASSWORD):
    page.goto(base + "/inloggen")
    page.fill("#email", email)
    page.fill("#password", password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state("load")


@pytest.mark.parametrize("width", [1280, 375, 320])
def test_invited_adviser_passkey_recovery_and_admin(staff_server, browser, width):
    app, base, inbox = staff_server
    axe, overflow = Checker(), []
    viewport = {"viewport": {"width": width, "height": 900}}

    def look(page, kind):
        page.wait_for_load_state("load")
        if width != 320:  # 320 px: only that nothing scrolls sideways
            axe.check(page, kind)
        if sideways(page) > 0:
            overflow.append(f"{kind}: {sideways(page)} px")
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SHOTS}/{kind}-{width}.png", full_page=True)

    admin_context = browser.new_context(**viewport)
    admin = admin_context.new_page()
    _login(admin, base, "beheer@example.nl")
    admin.goto(base + "/beheer/accounts")
    look(admin, "accounts")
    admin.fill("#email", NEW_ADVISER)
    admin.select_option("#organisation", label="PVO Brabant-Zeeland")
    admin.get_by_role("button", name="Account toevoegen en uitnodigen").click()
    look(admin, "account-detail")
    assert "De uitnodiging is verstuurd" in admin.content()

    # The invited adviser follows the link in the mail the SMTP server received.
    link = inbox.link(inbox.wait_for(1)[-1])
    adviser_context = browser.new_context(**viewport)
    adviser = adviser_context.new_page()
    cdp, authenticator = _virtual_authenticator(adviser_context, adviser)
    adviser.goto(link.replace("127.0.0.1", "localhost"))
    look(adviser, "set-password")
    adviser.fill("#password", NEW_PASSWORD)
    adviser.fill("#repeat", NEW_PASSWORD)
    adviser.get_by_role("button", name="Wachtwoord opslaan").click()
    adviser.wait_for_url("**/account/")
    look(adviser, "my-account")
    adviser.fill("#passkey-name", "Laptop werk")
    adviser.get_by_role("button", name="Passkey toevoegen").click()
    adviser.wait_for_url("**/account/herstelcodes")
    look(adviser, "recovery-codes")
    codes = adviser.locator(".account-codes code").all_inner_texts()
    assert len(codes) == 10
    adviser.goto(base + "/account/app")
    look(adviser, "app-setup")
    adviser.goto(base + "/account/")
    look(adviser, "my-account-with-passkey")
    adviser.get_by_role("button", name="Uitloggen").click()
    adviser.wait_for_load_state("load")

    # Log in with the passkey.
    _login(adviser, base, NEW_ADVISER, NEW_PASSWORD)
    assert adviser.url.endswith("/inloggen/tweede-stap")
    look(adviser, "second-step")
    adviser.get_by_role("button", name="Inloggen met passkey").click()
    adviser.wait_for_url("**/adviseur/")
    adviser.get_by_role("button", name="Uitloggen").click()
    adviser.wait_for_load_state("load")

    # The passkey is lost: a recovery code gets in, once.
    cdp.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": authenticator})
    _login(adviser, base, NEW_ADVISER, NEW_PASSWORD)
    adviser.fill("#code", codes[0])
    adviser.get_by_role("button", name="Inloggen met code").click()
    adviser.wait_for_url("**/adviseur/")

    # The admin requires two factors for the PVO, then deactivates the logged-in account.
    admin.goto(base + "/beheer/accounts")
    admin.get_by_role("button", name="Verplichten voor PVO Brabant-Zeeland").click()
    admin.wait_for_load_state("load")
    assert "De instelling voor de tweede stap is opgeslagen." in admin.content()
    other_context = browser.new_context(**viewport)
    other = other_context.new_page()
    _login(other, base, "adviseur@pvo-bz.nl")
    assert other.url.endswith("/account/")  # led to set up a second factor
    other.goto(base + "/adviseur/")
    assert other.url.endswith("/account/")
    admin.get_by_role("link", name=NEW_ADVISER).click()
    look(admin, "account-with-passkey")
    admin.get_by_role("button", name="Account uitzetten").click()
    admin.wait_for_load_state("load")
    adviser.goto(base + "/adviseur/")
    assert "/inloggen" in adviser.url  # the open session ended at once

    for context in (admin_context, adviser_context, other_context):
        context.close()
    assert not axe.problems, axe.problems
    assert not overflow, overflow
    with app.app_context():
        events = {(e.actor, e.action, e.detail) for e in db.session.scalars(db.select(AuditEvent))}
    assert ("beheer@example.nl", "user_created", f"{NEW_ADVISER} (adviser)") in events
    assert (NEW_ADVISER, "invitation_used", "") in events
    assert (NEW_ADVISER, "passkey_added", "") in events
    assert (NEW_ADVISER, "login", "wachtwoord + passkey") in events
    assert (NEW_ADVISER, "login", "wachtwoord + herstelcode") in events
    assert ("beheer@example.nl", "two_factor_required", "PVO Brabant-Zeeland: ja") in events
    assert ("beheer@example.nl", "user_deactivated", NEW_ADVISER) in events
    assert not any(NEW_PASSWORD in detail or codes[0] in detail for *_, detail in events)
    with app.app_context():  # say why, should a mail be missing
        outbox = [
            (m.id, m.attempts, m.last_error, m.sent_at, m.claimed_until)
            for m in db.session.scalars(db.select(OutboxMail))
        ]
    assert len(inbox.wait_for(3)) >= 3, outbox  # sent after their responses
    subjects = [m["Subject"] for m in inbox.messages]
    assert subjects.count("Er is iets veranderd aan de beveiliging van uw account") >= 2
