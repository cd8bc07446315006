"""Staff accounts: second factors, login steps, sessions, invitations, mail, passwords."""

from __future__ import annotations

import time

import pyotp
import pytest
from conftest import make_app, with_tables
from portal_factories import (
    PASSWORD,
    csrf_token,
    login,
    make_portal,
    share_scan,
    submitted_scan,
)
from smtp_support import smtp_server

from scan.platform import mail
from scan.platform.account_models import OutboxMail, TotpSecret
from scan.platform.extensions import db
from scan.platform.models import AuditEvent, User
from scan.portal import accounts, invitations, passwords, twofactor

ADVISER = "adviseur@pvo-bz.nl"


@pytest.fixture
def inbox():
    with smtp_server() as (received, settings):
        yield received, settings


@pytest.fixture
def mail_app(tmp_path, inbox):
    _, settings = inbox
    yield from with_tables(
        make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 't.sqlite'}", **settings})
    )


def _events(app, action):
    with app.app_context():
        rows = db.session.scalars(db.select(AuditEvent).filter_by(action=action)).all()
        return [(e.actor, e.detail) for e in rows]


def _with_app(app, email=ADVISER):
    """Give the adviser an authenticator app; return its secret."""
    with app.app_context():
        user = accounts.get_user(email)
        secret = twofactor.new_app_secret()
        assert twofactor.enable_app(user, secret, pyotp.TOTP(secret).at(time.time() - 30))
        twofactor.new_recovery_codes(user)
        db.session.commit()
        return secret


def _second_step(client, code):
    token = csrf_token(client, "/inloggen/tweede-stap")
    return client.post("/inloggen/tweede-stap", data={"code": code, "csrf_token": token})


def test_login__with_app__asks_second_step_then_logs_in(app, client):
    with app.app_context():
        make_portal()
    secret = _with_app(app)
    first = login(client, ADVISER)
    assert first.location.endswith("/inloggen/tweede-stap")
    assert client.get("/adviseur/").status_code == 302  # not logged in yet
    done = _second_step(client, pyotp.TOTP(secret).now())
    assert done.status_code == 302 and done.location.endswith("/adviseur/")
    assert client.get("/adviseur/").status_code == 200
    assert (ADVISER, "wachtwoord + app-code") in _events(app, "login")


def test_app_code__wrong_or_replayed__refused_and_audited(app, client):
    with app.app_context():
        make_portal()
    secret = _with_app(app)
    login(client, ADVISER)
    wrong = _second_step(client, "000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    assert wrong.status_code == 422 and "Deze code klopt niet" in wrong.get_data(as_text=True)
    code = pyotp.TOTP(secret).now()
    assert _second_step(client, code).status_code == 302
    other = app.test_client()
    login(other, ADVISER)
    replay = _second_step(other, code)  # the same code again, within its 30 seconds
    assert replay.status_code == 422
    assert other.get("/adviseur/").status_code == 302
    failures = _events(app, "login_failed")
    assert failures.count((ADVISER, "tweede stap: app-code")) == 2
    assert all(code not in detail for _, detail in failures)


def test_recovery_code__works_once(app, client):
    with app.app_context():
        make_portal()
        user = accounts.get_user(ADVISER)
        _with_app(app)
        codes = twofactor.new_recovery_codes(user)
        db.session.commit()
    assert len(codes) == 10 and len(set(codes)) == 10
    login(client, ADVISER)
    assert _second_step(client, codes[3].lower()).status_code == 302
    other = app.test_client()
    login(other, ADVISER)
    assert _second_step(other, codes[3]).status_code == 422
    with app.app_context():
        assert twofactor.factors_of(accounts.get_user(ADVISER)).recovery_codes_left == 9


def test_secrets__stored_sealed_or_hashed(app):
    with app.app_context():
        make_portal()
    secret = _with_app(app)
    with app.app_context():
        row = db.session.get(TotpSecret, accounts.get_user(ADVISER).id)
        assert secret not in row.sealed_secret
        codes = twofactor.new_recovery_codes(accounts.get_user(ADVISER))
        db.session.commit()
        stored = db.session.execute(db.text("SELECT code_hash FROM recovery_codes")).scalars().all()
        assert not any(c.replace("-", "") in h.upper() for c in codes for h in stored)


def test_required_two_factor__led_to_set_up_at_login(app, client):
    with app.app_context():
        portal = make_portal()
        portal.org_a.require_two_factor = True
        db.session.commit()
    response = login(client, ADVISER)
    assert response.location.endswith("/account/")
    assert client.get("/adviseur/").location.endswith("/account/")
    page = client.get("/account/app")
    assert page.status_code == 200 and "<svg" in page.get_data(as_text=True)
    with client.session_transaction() as cookie:
        from scan.platform.sealing import unseal

        with app.test_request_context():
            secret = unseal(cookie["new_app_secret"])
    token = csrf_token(client, "/account/app")
    done = client.post("/account/app", data={"code": pyotp.TOTP(secret).now(), "csrf_token": token})
    assert done.location.endswith("/account/herstelcodes")
    codes_page = client.get("/account/herstelcodes").get_data(as_text=True)
    assert codes_page.count("<li><code>") == 10
    assert client.get("/account/herstelcodes").status_code == 302  # shown once
    assert client.get("/adviseur/").status_code == 200


def test_all_staff_required__also_branch_admins(app, client):
    with app.app_context():
        make_portal()
        twofactor.set_required_for_all(True)
        db.session.commit()
    assert login(client, "branche@example.nl").location.endswith("/account/")


def test_session__absolute_lifetime_ends_an_active_session(app, client):
    with app.app_context():
        make_portal()
    app.config["SESSION_ABSOLUTE_HOURS"] = 1
    login(client, ADVISER)
    assert client.get("/adviseur/").status_code == 200
    with client.session_transaction() as cookie:
        cookie["login_at"] -= 3601
    assert client.get("/adviseur/").status_code == 302


def test_fresh_login__needed_for_export_after_15_minutes(app, client):
    with app.app_context():
        make_portal()
    login(client, ADVISER)
    assert client.get("/adviseur/trends.csv").status_code == 200
    with client.session_transaction() as cookie:
        cookie["auth_at"] -= 16 * 60
    stale = client.get("/adviseur/trends.csv")
    assert "/inloggen/bevestigen" in stale.location
    token = csrf_token(client, stale.location)
    confirmed = client.post(stale.location, data={"password": PASSWORD, "csrf_token": token})
    assert confirmed.location.endswith("/adviseur/trends.csv")
    assert client.get("/adviseur/trends.csv").status_code == 200
    assert (ADVISER, "wachtwoord") in _events(app, "login_confirmed")


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("kort wachtw", False),
        ("1234567890123", False),
        ("1q2w3e4r5t6y", False),
        ("1Q2W3E4R5T6Y7U", False),
        ("aaaaaaaaaaaaaaaa", False),
        ("adviseur@pvo-bz.nl", False),
        ("paarse fietsen drijven", True),
        ("één café aan de ĳssel " * 4, True),  # long, any characters, no composition rules
        ("ab" * 40, False),
    ],
)
def test_password_rules__nist(password, accepted):
    try:
        passwords.check_password(password, ADVISER)
    except passwords.WeakPassword:
        assert not accepted
    else:
        assert accepted


def test_password__long_ones_accepted_up_to_256():
    passwords.check_password("woorden " * 32)
    with pytest.raises(passwords.WeakPassword):
        passwords.check_password("w" + "oorden " * 40)


def test_security_txt(tmp_path):
    app = make_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 's.sqlite'}",
            "SECURITY_CONTACT": "security@example.nl",
            "PUBLIC_BASE_URL": "https://scan.example.nl",
        }
    )
    body = app.test_client().get("/.well-known/security.txt").get_data(as_text=True)
    assert "Contact: mailto:security@example.nl" in body
    assert "Canonical: https://scan.example.nl/.well-known/security.txt" in body
    assert "Preferred-Languages: nl" in body and "Expires: 20" in body


def test_security_txt__no_contact__404(client):
    assert client.get("/.well-known/security.txt").status_code == 404


def test_invitation__mailed_single_use_and_hashed(mail_app, inbox):
    received, _ = inbox
    app = mail_app
    client = app.test_client()
    with app.app_context():
        make_portal()
    login(client, "beheer@example.nl")
    with app.app_context():
        org_id = accounts.get_organisation("PVO Brabant-Zeeland").id
    token = csrf_token(client, "/beheer/accounts")
    created = client.post(
        "/beheer/accounts",
        data={"email": "nieuw@pvo-bz.nl", "organisation": str(org_id), "csrf_token": token},
    )
    assert created.status_code == 302
    message = received.wait_for(1)[0]
    assert message["To"] == "nieuw@pvo-bz.nl" and "Uw account" in message["Subject"]
    link = received.link(message)
    assert link in received.html(message)
    path = link.split("localhost", 1)[1]
    with app.app_context():
        stored = db.session.execute(db.text("SELECT token_hash FROM account_links")).scalars()
        assert path.rsplit("/", 1)[1] not in list(stored)
        for _ in range(100):  # the sender marks it sent just after the server took it
            outbox = db.session.scalars(db.select(OutboxMail)).one()
            if outbox.sent_at is not None:
                break
            db.session.rollback()
            time.sleep(0.05)
        assert outbox.sent_at is not None and outbox.sealed_message == ""
    invited = app.test_client()
    token = csrf_token(invited, path)
    weak = invited.post(
        path, data={"password": "welkom123", "repeat": "welkom123", "csrf_token": token}
    )
    assert weak.status_code == 422 and "minstens 12" in weak.get_data(as_text=True)
    chosen = "mijn eigen lange zin"
    done = invited.post(path, data={"password": chosen, "repeat": chosen, "csrf_token": token})
    assert done.location.endswith("/account/")
    assert invited.get(path).status_code == 404  # single use
    assert ("nieuw@pvo-bz.nl", "uitnodiging + nieuw wachtwoord") in _events(app, "login")


def test_invitation__expires_after_72_hours(app):
    with app.app_context():
        make_portal()
        user = accounts.get_user(ADVISER)
        token = invitations.create_link(user, "invite")
        db.session.commit()
        link = invitations.find_link(token)
        link.expires_at = link.created_at  # as if 72 hours passed
        db.session.commit()
        assert invitations.find_link(token) is None
    assert app.test_client().get(f"/welkom/{token}").status_code == 404


def test_share__advisers_get_a_notice_without_scan_details(mail_app, inbox):
    received, _ = inbox
    with mail_app.app_context():
        portal = make_portal()
        mail.send_due()  # the portal's own share came before its advisers: no mail
        scan, _ = submitted_scan()
        share_scan(scan, portal.org_a, name="Jan Jansen", phone="06 1234 5678")
        assert mail.send_due() == 1
    message = received.wait_for(1)[0]
    assert message["To"] == ADVISER
    text = received.text(message) + received.html(message)
    assert "/adviseur/" in text
    assert "Jan" not in text and "06 1234" not in text and "vastgoed" not in text.lower()


def test_mail__server_down__page_works_and_mail_retried(tmp_path):
    from smtp_support import free_port

    port = free_port()  # nothing listens here
    app = make_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.sqlite'}",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": port,
            "MAIL_SEND_AFTER_RESPONSE": False,  # this test sends, to count the attempts
        }
    )
    for _ in with_tables(app):
        client = app.test_client()
        with app.app_context():
            make_portal()
        login(client, "beheer@example.nl")
        user_page = None
        with app.app_context():
            user_page = "/beheer/accounts/" + accounts.get_user(ADVISER).public_id
        token = csrf_token(client, user_page)
        response = client.post(user_page + "/wachtwoord", data={"csrf_token": token})
        assert response.status_code == 302
        with app.app_context():
            assert mail.send_due() == 0
            waiting = db.session.scalars(db.select(OutboxMail)).all()
            assert waiting and all(m.attempts >= 1 and m.sent_at is None for m in waiting)
            assert all(m.next_attempt_at > m.created_at for m in waiting)
        with smtp_server() as (received, settings):
            app.config.update(settings)
            with app.app_context():
                db.session.execute(
                    db.update(OutboxMail).values(next_attempt_at=OutboxMail.created_at)
                )
                db.session.commit()
                assert mail.send_due() == len(waiting)
                assert mail.send_due() == 0  # never twice
            assert received.wait_for(len(waiting))


def test_deactivate__open_session_ends_at_once(app, client):
    with app.app_context():
        make_portal()
        page = "/beheer/accounts/" + accounts.get_user(ADVISER).public_id
    adviser = app.test_client()
    login(adviser, ADVISER)
    assert adviser.get("/adviseur/").status_code == 200
    login(client, "beheer@example.nl")
    token = csrf_token(client, page)
    client.post(page + "/uitzetten", data={"csrf_token": token})
    assert adviser.get("/adviseur/").status_code == 302
    assert login(adviser, ADVISER).status_code == 200  # refused
    assert ("beheer@example.nl", ADVISER) in _events(app, "user_deactivated")
    assert (ADVISER, "wachtwoord") in _events(app, "login_failed")


def test_coordinator__manages_only_own_organisation(app, client):
    with app.app_context():
        portal = make_portal()
        coordinator = accounts.create_user("coord@pvo-bz.nl", PASSWORD, "adviser", portal.org_a)
        coordinator.coordinator = True
        db.session.commit()
        own = "/beheer/accounts/" + portal.adviser_a.public_id
        foreign = "/beheer/accounts/" + portal.adviser_b.public_id
        admin = "/beheer/accounts/" + portal.admin.public_id
    login(client, "coord@pvo-bz.nl")
    listing = client.get("/beheer/accounts").get_data(as_text=True)
    assert ADVISER in listing and "adviseur@pvo-limburg.nl" not in listing
    assert client.get(own).status_code == 200
    assert client.get(foreign).status_code == 404 and client.get(admin).status_code == 404
    token = csrf_token(client, own)
    assert client.post(foreign + "/uitzetten", data={"csrf_token": token}).status_code == 404
    with app.app_context():
        assert accounts.get_user("adviseur@pvo-limburg.nl").active


def test_unknown_account__failed_login_audited_without_what_was_typed(app, client):
    with app.app_context():
        make_portal()
    login(client, "mijn geheime wachtwoord", "x" * 12)
    events = _events(app, "login_failed")
    assert events == [("onbekend account", "wachtwoord")]


def test_user_public_ids__random(app):
    with app.app_context():
        portal = make_portal()
        ids = {u.public_id for u in db.session.scalars(db.select(User))}
    assert len(ids) == 4 and all(len(i) == 32 for i in ids)
    assert portal


def test_second_step__rate_limited_per_account(tmp_path):
    app = make_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'r.sqlite'}", "RATELIMIT_ENABLED": True}
    )
    for _ in with_tables(app):
        with app.app_context():
            make_portal()
        _with_app(app)
        client = app.test_client()
        login(client, ADVISER)
        answers = [_second_step(client, "000000").status_code for _ in range(6)]
        assert answers[:5] == [422] * 5 and answers[5] == 429
        # Another browser with the right password still meets the same account's limit.
        other = app.test_client()
        login(other, ADVISER)
        assert _second_step(other, "000000").status_code == 429


def test_invitation_token__masked_in_logs(app):
    from scan.platform.logs import mask

    with app.app_context():
        make_portal()
        token = invitations.create_link(accounts.get_user(ADVISER), "invite")
    assert token not in mask(f'"GET /welkom/{token} HTTP/1.1" 200 -')


def test_invitation__never_for_an_account_in_use(app, client):
    """Regression: an invitation logs in, so it must never bypass an account's second factor."""
    with app.app_context():
        make_portal()
        user = accounts.get_user(ADVISER)
        user.last_login_at = user.created_at
        page = "/beheer/accounts/" + user.public_id
        db.session.commit()
    _with_app(app)
    login(client, "beheer@example.nl")
    token = csrf_token(client, page)
    refused = client.post(page + "/uitnodiging", data={"csrf_token": token}, follow_redirects=True)
    assert "al in gebruik" in refused.get_data(as_text=True)
    with app.app_context():  # and an old invitation used later does not log in either
        link = invitations.create_link(accounts.get_user(ADVISER), "invite")
        db.session.commit()
    holder = app.test_client()
    path = f"/welkom/{link}"
    token = csrf_token(holder, path)
    chosen = "weer een nieuwe lange zin"
    done = holder.post(path, data={"password": chosen, "repeat": chosen, "csrf_token": token})
    assert done.location.endswith("/inloggen")
    assert holder.get("/adviseur/").status_code == 302


def test_outbox__sent_rows_forgotten_after_a_week(mail_app):
    import datetime as dt

    with mail_app.app_context():
        mail.queue("a@example.nl", "Onderwerp", "tekst", "<p>tekst</p>")
        db.session.commit()
        assert mail.send_due() == 1
        db.session.execute(
            db.update(OutboxMail).values(sent_at=OutboxMail.sent_at - dt.timedelta(days=8))
        )
        db.session.commit()
        mail.send_due()
        assert db.session.scalars(db.select(OutboxMail)).all() == []


def test_studio_publish__needs_a_fresh_login(app, client):
    from portal_factories import make_studio_documents

    from scan.platform.models import QuestionnaireDocument

    with app.app_context():
        portal = make_portal()
        ids = make_studio_documents(portal.branch_admin.organisation)
    login(client, "branche@example.nl")
    page = f"/studio/{ids['doc']}/publiceren"
    assert client.get(page).status_code == 200
    token = csrf_token(client, page)
    with client.session_transaction() as cookie:
        cookie["auth_at"] -= 16 * 60
    stale = client.post(page, data={"csrf_token": token, "back": page})
    assert stale.status_code == 302 and "/inloggen/bevestigen?next=" in stale.location
    assert page.replace("/", "%2F") in stale.location or page in stale.location
    with app.app_context():
        doc = db.session.scalar(db.select(QuestionnaireDocument).filter_by(public_id=ids["doc"]))
        assert doc.status == "draft"


def test_setup_required__stale_confirmation_can_still_be_renewed(app, client):
    with app.app_context():
        portal = make_portal()
        portal.org_a.require_two_factor = True
        db.session.commit()
    login(client, ADVISER)
    with client.session_transaction() as cookie:
        cookie["auth_at"] -= 16 * 60
    stale = client.get("/account/app")
    assert "/inloggen/bevestigen" in stale.location
    assert client.get(stale.location).status_code == 200  # not sent back to /account/
    token = csrf_token(client, stale.location)
    done = client.post(stale.location, data={"password": PASSWORD, "csrf_token": token})
    assert done.location.endswith("/account/app")
    assert client.get("/account/app").status_code == 200


def test_sessions__listed_per_browser_and_ended_one_by_one(app, client):
    from scan.platform.account_models import BrowserSession

    with app.app_context():
        make_portal()
        page = "/beheer/accounts/" + accounts.get_user(ADVISER).public_id
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, ADVISER)
    phone.get("/inloggen", headers={"User-Agent": "Mozilla/5.0 (iPhone) Safari/604.1"})
    login(phone, ADVISER)
    login(client, "beheer@example.nl")
    listing = client.get(page).get_data(as_text=True)
    assert listing.count("Beëindigen") == 2
    with app.app_context():
        rows = db.session.scalars(db.select(BrowserSession).order_by(BrowserSession.id)).all()
        laptop_id = rows[0].public_id
    token = csrf_token(client, page)
    ended = client.post(f"{page}/sessies/{laptop_id}", data={"csrf_token": token})
    assert ended.status_code == 302
    assert laptop.get("/adviseur/").status_code == 302  # this browser is out at once
    assert phone.get("/adviseur/").status_code == 200  # the other one stays
    assert ("beheer@example.nl", ADVISER) in _events(app, "session_ended")


def test_password_change__this_browser_stays_others_end(app, client):
    with app.app_context():
        make_portal()
    other = app.test_client()
    login(other, ADVISER)
    login(client, ADVISER)
    token = csrf_token(client, "/account/wachtwoord")
    new = "een ander lang wachtwoord"
    changed = client.post(
        "/account/wachtwoord",
        data={"current": PASSWORD, "password": new, "repeat": new, "csrf_token": token},
    )
    assert changed.location.endswith("/account/")
    assert client.get("/adviseur/").status_code == 200
    assert other.get("/adviseur/").status_code == 302
    assert (ADVISER, "") in _events(app, "password_changed")


def test_browser_idle__only_that_browser_ends(app, client):
    import datetime as dt

    from scan.platform.account_models import BrowserSession

    with app.app_context():
        make_portal()
    login(client, ADVISER)
    busy = app.test_client()
    login(busy, ADVISER)
    with app.app_context():
        first = db.session.scalars(db.select(BrowserSession).order_by(BrowserSession.id)).first()
        first.last_seen_at -= dt.timedelta(minutes=61)
        db.session.commit()
    assert client.get("/adviseur/").status_code == 302
    assert busy.get("/adviseur/").status_code == 200


def test_forgot_password__same_answer_mail_only_for_accounts(mail_app, inbox):
    received, _ = inbox
    client = mail_app.test_client()
    with mail_app.app_context():
        make_portal()
    answers = []
    for email in ("niemand@example.nl", ADVISER):
        token = csrf_token(client, "/wachtwoord-vergeten")
        sent = client.post("/wachtwoord-vergeten", data={"email": email, "csrf_token": token})
        answers.append(client.get(sent.location).get_data(as_text=True))
    assert all("Als er een account is met dit e-mailadres" in a for a in answers)
    message = received.wait_for(1)[0]
    time.sleep(0.3)
    assert [m["To"] for m in received.messages] == [ADVISER]
    path = received.link(message).split("localhost", 1)[1]
    logged_in = mail_app.test_client()
    login(logged_in, ADVISER)
    reset = mail_app.test_client()
    token = csrf_token(reset, path)
    chosen = "nieuw gekozen lange zin"
    done = reset.post(path, data={"password": chosen, "repeat": chosen, "csrf_token": token})
    assert done.location.endswith("/inloggen")
    assert reset.get("/adviseur/").status_code == 302  # a reset never logs in
    assert logged_in.get("/adviseur/").status_code == 302  # and ends the open sessions
    assert login(reset, ADVISER, chosen).status_code == 302
    notice = received.wait_for(2)[1]
    assert "opnieuw ingesteld" in received.text(notice)


def test_organisation_off__its_staff_logged_out_and_on_again(app, client):
    with app.app_context():
        portal = make_portal()
        org_id = portal.org_a.id
    adviser = app.test_client()
    login(adviser, ADVISER)
    login(client, "beheer@example.nl")
    token = csrf_token(client, "/beheer/accounts")
    off = f"/beheer/organisaties/{org_id}/actief"
    assert client.post(off, data={"csrf_token": token, "active": "0"}).status_code == 302
    assert adviser.get("/adviseur/").status_code == 302
    assert login(adviser, ADVISER).status_code == 200  # refused while off
    client.post(off, data={"csrf_token": token, "active": "1"})
    assert login(adviser, ADVISER).status_code == 302
    assert ("beheer@example.nl", "PVO Brabant-Zeeland") in _events(app, "organisation_deactivated")
    assert ("beheer@example.nl", "PVO Brabant-Zeeland") in _events(app, "organisation_reactivated")
