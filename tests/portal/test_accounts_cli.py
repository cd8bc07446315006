"""The command line stays the twin of the accounts pages: invite, reactivate, reset, require."""

from __future__ import annotations

from conftest import make_app, with_tables
from portal_factories import make_portal
from smtp_support import smtp_server

from scan.platform.account_models import OutboxMail
from scan.platform.extensions import db
from scan.platform.models import AuditEvent
from scan.portal import accounts, twofactor


def test_invite__mails_a_link_over_smtp(tmp_path):
    with smtp_server() as (inbox, settings):
        app = make_app(
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'c.sqlite'}", **settings}
        )
        for _ in with_tables(app):
            with app.app_context():
                make_portal()
            result = app.test_cli_runner().invoke(
                args=[
                    "users",
                    "invite",
                    "--role",
                    "adviser",
                    "--organisation",
                    "PVO Limburg",
                    "--coordinator",
                    "nieuw@pvo-limburg.nl",
                ]
            )
            assert result.exit_code == 0, result.output
            message = inbox.wait_for(1)[0]
            assert message["To"] == "nieuw@pvo-limburg.nl"
            assert "/welkom/" in inbox.link(message)
            assert inbox.link(message) not in result.output  # the operator never sees the link
            with app.app_context():
                user = accounts.get_user("nieuw@pvo-limburg.nl")
                assert user.coordinator and accounts.authenticate(user.email, "") is None


def test_reactivate_reset_second_factor_and_require(app, runner):
    with app.app_context():
        make_portal()
        user = accounts.get_user("adviseur@pvo-bz.nl")
        twofactor.new_recovery_codes(user)
        accounts.deactivate(user)
        db.session.commit()
    assert runner.invoke(args=["users", "reactivate", "adviseur@pvo-bz.nl"]).exit_code == 0
    assert runner.invoke(args=["users", "reset-second-factor", "adviseur@pvo-bz.nl"]).exit_code == 0
    assert runner.invoke(args=["organisations", "require-two-factor", "PVO Limburg"]).exit_code == 0
    assert runner.invoke(args=["organisations", "require-two-factor", "all"]).exit_code == 0
    missing = runner.invoke(args=["users", "reactivate", "niemand@example.nl"])
    assert missing.exit_code == 1 and "no account" in missing.output
    with app.app_context():
        user = accounts.get_user("adviseur@pvo-bz.nl")
        assert user.active and twofactor.factors_of(user).recovery_codes_left == 0
        assert accounts.get_organisation("PVO Limburg").require_two_factor
        assert twofactor.required_for_all()
        actions = set(db.session.scalars(db.select(AuditEvent.action)))
    assert {"user_reactivated", "second_factor_reset", "two_factor_required"} <= actions


def test_mail_send__console_backend_prints(app, runner, capfd):
    app.config["MAIL_BACKEND"] = "console"
    with app.app_context():
        make_portal()
        user = accounts.get_user("adviseur@pvo-bz.nl")
        from scan.portal import notices

        notices.security_change(user, "Uw wachtwoord is gewijzigd.")
        db.session.commit()
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0 and "Sent 1 mail(s)." in result.output
    printed = capfd.readouterr().out + result.output
    assert "To: adviseur@pvo-bz.nl" in printed
    with app.app_context():
        assert db.session.scalars(db.select(OutboxMail)).one().sent_at is not None


def test_cli_account_changes__go_through_the_browsers_service_as_the_cli(app, runner, monkeypatch):
    """Review item: the CLI made its own copy of reactivate, reset-second-factor and
    deactivate (end sessions, notice, audit, commit); it now calls account_admin, which the
    accounts pages call, with the CLI as the actor, so the twins cannot drift."""
    from scan.portal import account_admin

    calls = []
    real_act, real_active = account_admin.act, account_admin.set_organisation_active
    monkeypatch.setattr(
        account_admin, "act", lambda *args: calls.append(args[::2]) or real_act(*args)
    )
    monkeypatch.setattr(
        account_admin,
        "set_organisation_active",
        lambda actor, org, on: calls.append((actor, on)) or real_active(actor, org, on),
    )
    with app.app_context():
        make_portal()
    for command in ("deactivate", "reactivate", "reset-second-factor"):
        assert runner.invoke(args=["users", command, "adviseur@pvo-bz.nl"]).exit_code == 0
    assert runner.invoke(args=["organisations", "deactivate", "PVO Limburg"]).exit_code == 0
    assert calls == [
        ("cli", "uitzetten"),
        ("cli", "aanzetten"),
        ("cli", "tweede-stap"),
        ("cli", False),
    ]


def test_cli_reset_second_factor__same_trace_as_the_browser(app, runner):
    """The twins leave the same trace: sessions ended, the security notice queued, audited."""
    from scan.portal import account_admin

    traces = []
    with app.app_context():
        make_portal()
    for how in ("cli", "browser"):
        with app.app_context():
            user = accounts.get_user("adviseur@pvo-bz.nl")
            twofactor.new_recovery_codes(user)
            db.session.commit()
            before = (user.session_id, db.session.query(OutboxMail).count())
        if how == "cli":
            assert runner.invoke(args=["users", "reset-second-factor", user.email]).exit_code == 0
        else:
            with app.app_context():
                admin = accounts.get_user("beheer@example.nl")
                account_admin.act(admin, accounts.get_user(user.email), "tweede-stap")
        with app.app_context():
            user = accounts.get_user("adviseur@pvo-bz.nl")
            event = db.session.scalars(
                db.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)
            ).one()
            traces.append(
                (
                    user.session_id != before[0],
                    db.session.query(OutboxMail).count() - before[1],
                    twofactor.factors_of(user).recovery_codes_left,
                    event.action,
                    event.detail,
                )
            )
    assert traces[0] == traces[1] == (True, 1, 0, "second_factor_reset", "adviseur@pvo-bz.nl")
