"""Sessions end on the server: a copied cookie is worthless after logout, reset or deactivation."""

from __future__ import annotations

import datetime as dt

import pytest
from portal_factories import csrf_token, login, make_org, make_user

from scan.platform.extensions import db
from scan.platform.models import utcnow
from scan.portal import accounts


@pytest.fixture
def adviser(app):
    with app.app_context():
        user = make_user("adviseur@pvo-bz.nl", "adviser", make_org("PVO Brabant-Zeeland"))
        return user.email


def _logged_in_copy(app, client, email):
    """Log in with client; return a second client holding a copy of its session cookie."""
    assert login(client, email).status_code == 302
    assert client.get("/adviseur/").status_code == 200
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    assert copy.get("/adviseur/").status_code == 200
    return copy


def _assert_logged_out(copy):
    response = copy.get("/adviseur/")
    assert response.status_code == 302
    assert "/inloggen" in response.location


def test_logout__copied_cookie__no_longer_opens_portal(app, client, adviser):
    copy = _logged_in_copy(app, client, adviser)
    client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/adviseur/")})
    _assert_logged_out(copy)


def test_password_reset__copied_cookie__no_longer_opens_portal(app, client, adviser):
    copy = _logged_in_copy(app, client, adviser)
    with app.app_context():
        accounts.set_password(accounts.get_user(adviser), "a brand new password")
        db.session.commit()
    _assert_logged_out(copy)


def test_deactivate__copied_cookie__no_longer_opens_portal(app, client, adviser):
    copy = _logged_in_copy(app, client, adviser)
    with app.app_context():
        accounts.deactivate(accounts.get_user(adviser))
        db.session.commit()
    _assert_logged_out(copy)


def _age_last_seen(app, email, minutes):
    with app.app_context():
        user = accounts.get_user(email)
        user.last_seen_at = utcnow() - dt.timedelta(minutes=minutes)
        db.session.commit()


def test_idle_timeout__kept_on_server__copied_cookie_ends_too(app, client, adviser):
    copy = _logged_in_copy(app, client, adviser)
    cookie = client.get_cookie("session").value
    _age_last_seen(app, adviser, 59)
    assert client.get("/adviseur/").status_code == 200  # active again: the clock restarts
    with app.app_context():
        seen = accounts.get_user(adviser).last_seen_at
        assert utcnow() - seen < dt.timedelta(seconds=5)
    _age_last_seen(app, adviser, 61)
    response = client.get("/adviseur/")
    assert response.status_code == 302 and "/inloggen" in response.location
    assert "niet actief" in client.get(response.location).get_data(as_text=True)
    # The cookie itself carries no timer: a copy from before the timeout stays logged out.
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    _assert_logged_out(replay)
    _assert_logged_out(copy)


def test_idle_timeout__cookie_cannot_reset_the_clock(app, client, adviser):
    login(client, adviser)
    _age_last_seen(app, adviser, 61)
    with client.session_transaction() as sess:
        sess["seen_at"] = 4_000_000_000  # whatever the cookie claims
    _assert_logged_out(client)


def test_login_again__after_logout__works(app, client, adviser):
    login(client, adviser)
    client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/adviseur/")})
    assert login(client, adviser).location == "/adviseur/"
    assert client.get("/adviseur/").status_code == 200
