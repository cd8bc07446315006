"""Logging in and out: messages that reveal nothing, rate limits, cookies, sessions, rehashing."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from conftest import create_tables
from portal_factories import (
    PASSWORD,
    TEST_CONFIG,
    csrf_token,
    login,
    make_org,
    make_user,
)

from scan import create_app
from scan.platform.extensions import db
from scan.platform.models import AuditEvent, User
from scan.portal import accounts
from scan.portal.auth import LOGIN_FAILED


@pytest.fixture
def adviser(app):
    with app.app_context():
        org = make_org("PVO Brabant-Zeeland")
        user = make_user("Adviseur@PVO-BZ.nl", "adviser", org)
        return user.email


def test_login__right_password__lands_on_list(client, adviser):
    response = login(client, adviser)
    assert response.status_code == 302
    assert response.location == "/adviseur/"
    assert client.get("/adviseur/").status_code == 200


def test_login__email_in_other_case__works(client, adviser):
    assert login(client, "  ADVISEUR@pvo-bz.NL ").location == "/adviseur/"


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("adviseur@pvo-bz.nl", "wrong password!!"),
        ("nobody@pvo-bz.nl", PASSWORD),
        ("nobody@pvo-bz.nl", "wrong password!!"),
    ],
)
def test_login__failure__same_message_for_unknown_and_known(client, adviser, email, password):
    response = login(client, email, password)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert LOGIN_FAILED.split(".")[0] in page
    assert "bestaat niet" not in page and "onbekend" not in page.lower()
    assert client.get("/adviseur/").status_code == 302


def test_login__failure__in_the_error_summary_with_fout_in_the_title(client, adviser):
    page = login(client, "adviseur@pvo-bz.nl", "wrong password!!").get_data(as_text=True)
    assert "<title>Fout: Inloggen voor adviseurs" in page
    summary = page.split('class="error-summary"')[1].split("</div>")[0]
    assert "data-focus" in page.split('class="error-summary"')[1].split(">")[0]
    assert 'href="#email"' in summary and LOGIN_FAILED.split(".")[0] in summary


def test_login__empty_form__field_errors_in_the_summary(client, adviser):
    token = csrf_token(client, "/inloggen")
    page = client.post("/inloggen", data={"csrf_token": token}).get_data(as_text=True)
    assert "<title>Fout: " in page and 'href="#password"' in page


def test_login__failures__identical_pages(client, adviser):
    known = login(client, adviser, "wrong password!!").get_data(as_text=True)
    unknown = login(client, "nobody@pvo-bz.nl", "wrong password!!").get_data(as_text=True)

    def strip(page: str) -> str:
        """Drop the echoed e-mail and everything from the CSRF token on."""
        page = page.replace("adviseur@pvo-bz.nl", "").replace("nobody@pvo-bz.nl", "")
        return page.split('name="csrf_token"')[0]

    assert strip(known) == strip(unknown)


def test_authenticate__unknown_email__still_checks_a_hash(app, monkeypatch):
    calls = []

    class Spy(PasswordHasher):
        def verify(self, hash, password):
            calls.append(hash)
            return super().verify(hash, password)

    monkeypatch.setattr(accounts, "_hasher", Spy(time_cost=1, memory_cost=1024, parallelism=1))
    with app.app_context():
        assert accounts.authenticate("nobody@example.nl", "whatever password") is None
    assert len(calls) == 1 and calls[0].startswith("$argon2")


def test_login__deactivated__same_failure(app, client, adviser):
    with app.app_context():
        accounts.deactivate(accounts.get_user(adviser))
        db.session.commit()
    page = login(client, adviser).get_data(as_text=True)
    assert LOGIN_FAILED.split(".")[0] in page


def test_login__old_hash_parameters__rehashed(app, client, adviser, monkeypatch):
    with app.app_context():
        before = accounts.get_user(adviser).password_hash
    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", stronger)
    assert login(client, adviser).status_code == 302
    with app.app_context():
        after = accounts.get_user(adviser).password_hash
    assert after != before
    assert "m=2048,t=2" in after and "m=1024,t=1" in before
    assert not stronger.check_needs_rehash(after)


def test_login__open_redirect__ignored(client, adviser):
    token = csrf_token(client, "/inloggen")
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        response = client.post(
            f"/inloggen?next={target}",
            data={"email": adviser, "password": PASSWORD, "csrf_token": token},
        )
        assert response.location == "/adviseur/"
        client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/adviseur/")})
        token = csrf_token(client, "/inloggen")


def test_login__next_on_site__followed(client, adviser):
    first = client.get("/adviseur/trends")
    assert first.status_code == 302 and "next=" in first.location
    token = csrf_token(client, "/inloggen")
    response = client.post(
        "/inloggen?next=/adviseur/trends",
        data={"email": adviser, "password": PASSWORD, "csrf_token": token},
    )
    assert response.location == "/adviseur/trends"


def test_login__without_csrf__refused(client, adviser):
    response = client.post("/inloggen", data={"email": adviser, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/adviseur/").status_code == 302


def test_login__recorded_in_audit_log(app, client, adviser):
    login(client, adviser)
    with app.app_context():
        event = db.session.scalar(db.select(AuditEvent).filter_by(action="login"))
        assert event.actor == adviser
        assert accounts.get_user(adviser).last_login_at is not None


def test_logout__post_with_csrf__ends_session(client, adviser):
    login(client, adviser)
    assert client.get("/uitloggen").status_code == 405
    assert client.post("/uitloggen").status_code == 400  # no CSRF token
    assert client.get("/adviseur/").status_code == 200
    response = client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/adviseur/")})
    assert response.status_code == 302
    assert client.get("/adviseur/").status_code == 302


def test_password_reset__ends_existing_sessions(app, client, adviser):
    login(client, adviser)
    with app.app_context():
        accounts.set_password(accounts.get_user(adviser), "a brand new password")
        db.session.commit()
    assert client.get("/adviseur/").status_code == 302
    assert login(client, adviser, "a brand new password").location == "/adviseur/"


def test_deactivate__ends_existing_sessions(app, client, adviser):
    login(client, adviser)
    with app.app_context():
        accounts.deactivate(accounts.get_user(adviser))
        db.session.commit()
    assert client.get("/adviseur/").status_code == 302


def test_session_cookie__flags(client, adviser):
    response = login(client, adviser)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_session_cookie__secure_by_default():
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    from scan.platform.extensions import login_manager

    assert login_manager.session_protection == "strong"


def test_session__other_browser__not_logged_in(client, adviser):
    login(client, adviser)
    assert client.get("/adviseur/").status_code == 200
    other = client.get("/adviseur/", headers={"User-Agent": "Other browser/1.0"})
    assert other.status_code == 302


def test_login__rate_limited_per_account(tmp_path):
    app = create_app(
        {
            **TEST_CONFIG,
            "RATELIMIT_ENABLED": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'rl.sqlite'}",
        }
    )
    with app.app_context():
        create_tables()
        make_user("admin@example.nl", "admin")
    client = app.test_client()
    responses = [login(client, "admin@example.nl", "wrong password!!") for _ in range(6)]
    assert [r.status_code for r in responses] == [200] * 5 + [429]
    assert "te vaak" in responses[5].get_data(as_text=True)
    # Even the right password is refused while the limit holds.
    assert login(client, "admin@example.nl").status_code == 429
    # Another account from the same address still gets its own attempts.
    assert login(client, "other@example.nl", "wrong password!!").status_code == 200
    with app.app_context():
        db.engine.dispose()


def test_user_loader__uses_session_id_not_database_id(app, adviser):
    with app.app_context():
        user = accounts.get_user(adviser)
        assert user.get_id() == user.session_id
        assert user.get_id() != str(user.id)
        assert len(user.session_id) == 32
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1
