"""Single use under load: one app code, one recovery code, one mail, with real threads, on
SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time

import pyotp
from portal_factories import make_portal
from smtp_support import smtp_server

from scan.platform import mail
from scan.platform.extensions import db
from scan.portal import accounts, twofactor

THREADS = 4
ADVISER = "adviseur@pvo-bz.nl"


def _race(app, attempt) -> list:
    """Run attempt() in THREADS threads at once, each in its own app context; return results."""
    barrier, results = threading.Barrier(THREADS), []

    def run():
        with app.app_context():
            barrier.wait()
            try:
                results.append(attempt())
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _commit_if(ok: bool) -> bool:
    if ok:
        db.session.commit()
    else:
        db.session.rollback()
    return ok


def test_codes__accepted_once_when_sent_at_once(db_app):
    with db_app.app_context():
        make_portal()
        user = accounts.get_user(ADVISER)
        secret = twofactor.new_app_secret()
        assert twofactor.enable_app(user, secret, pyotp.TOTP(secret).at(time.time() - 30))
        codes = twofactor.new_recovery_codes(user)
        db.session.commit()
    code = pyotp.TOTP(secret).now()

    def app_code():
        return _commit_if(twofactor.check_app_code(accounts.get_user(ADVISER), code))

    def recovery():
        return _commit_if(twofactor.use_recovery_code(accounts.get_user(ADVISER), codes[0]))

    assert sorted(_race(db_app, app_code)) == [False] * (THREADS - 1) + [True]
    assert sorted(_race(db_app, recovery)) == [False] * (THREADS - 1) + [True]


def test_outbox__several_senders_send_each_mail_once(db_app):
    with smtp_server() as (inbox, settings):
        db_app.config.update(settings)
        with db_app.app_context():
            make_portal()
            for number in range(6):
                mail.queue(f"a{number}@example.nl", "Test", "tekst", "<p>tekst</p>")
            db.session.commit()
        sent = _race(db_app, mail.send_due)
        assert sum(sent) == 6
        inbox.wait_for(6)
        time.sleep(0.2)
        assert sorted(m["To"] for m in inbox.messages) == [f"a{n}@example.nl" for n in range(6)]
