"""Denied access is audited (issue 22): failed logins, refused admin pages and refused opens of
another organisation's share or document, without passwords, typed text or tokens."""

from __future__ import annotations

import pytest
from portal_factories import PASSWORD, login, make_portal

from scan.platform.extensions import db
from scan.platform.models import AuditEvent

WRONG = "verkeerd-wachtwoord-123"


@pytest.fixture
def portal(app):
    with app.app_context():
        world = make_portal()
        return {
            "share": world.share.public_id,
            "token": world.token,
            "adviser_b": world.adviser_b.email,
            "adviser_a": world.adviser_a.email,
        }


def _events(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id)).all()
        return [(e.actor, e.action, e.share_public_id, e.detail) for e in rows]


def test_failed_logins__known_and_unknown_account__recorded_without_what_was_typed(
    app, client, portal
):
    login(client, portal["adviser_a"], WRONG)
    login(client, "iemand@nergens.nl", WRONG)
    login(client, WRONG, PASSWORD)  # a password typed into the e-mail field
    failed = [e for e in _events(app) if e[1] == "login_failed"]
    assert [e[0] for e in failed] == [portal["adviser_a"], "onbekend account", "onbekend account"]
    text = repr(_events(app))
    for secret in (WRONG, PASSWORD, "iemand@nergens.nl"):
        assert secret not in text


def test_adviser_opens_another_organisations_share__404_and_recorded(app, client, portal):
    assert login(client, portal["adviser_b"]).status_code == 302
    for suffix in ("", "/rapport.pdf"):
        assert client.get(f"/adviseur/scans/{portal['share']}{suffix}").status_code == 404
    refused = [e for e in _events(app) if e[1] == "share_refused"]
    assert len(refused) == 2
    assert all(e[0] == portal["adviser_b"] and e[2] == portal["share"] for e in refused)
    assert portal["token"] not in repr(_events(app))


def test_adviser_opens_admin_pages__403_and_recorded(app, client, portal):
    assert login(client, portal["adviser_a"]).status_code == 302
    for url in ("/beheer/audit", "/beheer/accounts", "/studio/"):
        assert client.get(url).status_code == 403
    refused = [e for e in _events(app) if e[1] == "access_refused"]
    assert [e[0] for e in refused] == [portal["adviser_a"]] * 3
    assert {e[3] for e in refused} == {"advisers.audit", "advisers.accounts_page", "studio.index"}


def test_admin_sees_refusals_in_the_audit_log_with_their_label(app, client, portal):
    login(client, portal["adviser_a"], WRONG)
    assert login(client, "beheer@example.nl").status_code == 302
    page = client.get("/beheer/audit?actie=login_failed").get_data(as_text=True)
    assert "Inloggen mislukt" in page and portal["adviser_a"] in page
