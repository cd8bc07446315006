"""flask users ... and flask organisations ...: accounts on the command line."""

from __future__ import annotations

import pytest
from portal_factories import login, make_org, submitted_scan

from scan.platform.extensions import db
from scan.platform.models import AuditEvent, User
from scan.portal import accounts

PASSWORD = "een lang en sterk wachtwoord"


@pytest.fixture
def org(app):
    with app.app_context():
        make_org("PVO Brabant-Zeeland")


def _user(app, email):
    with app.app_context():
        return db.session.scalar(db.select(User).filter_by(email=email))


def test_users_create__password_from_stdin(app, runner, org):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--role",
            "adviser",
            "--organisation",
            "PVO Brabant-Zeeland",
            "--password-stdin",
            "A@PVO.nl",
        ],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    user = _user(app, "a@pvo.nl")
    assert user.role == "adviser" and user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    with app.app_context():
        assert accounts.authenticate("a@pvo.nl", PASSWORD) is not None


def test_users_create__prompts_twice(app, runner):
    result = runner.invoke(
        args=["users", "create", "--role", "admin", "root@example.nl"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert "Password:" in result.output and "Repeat for confirmation" in result.output
    assert _user(app, "root@example.nl").organisation_id is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "adviser", "x@pvo.nl"], "needs an organisation"),
        (["--role", "adviser", "--organisation", "Onbekend", "x@pvo.nl"], "no organisation"),
        (
            ["--role", "admin", "--organisation", "PVO Brabant-Zeeland", "x@pvo.nl"],
            "belongs to no organisation",
        ),
        (
            ["--role", "adviser", "--organisation", "PVO Brabant-Zeeland", "geen-adres"],
            "not an e-mail",
        ),
        (["--role", "koning", "x@pvo.nl"], "Invalid value for '--role'"),
        (
            ["--role", "branch_admin", "--organisation", "PVO Brabant-Zeeland", "x@pvo.nl"],
            "belongs to a branche organisation",
        ),
    ],
)
def test_users_create__bad_input__refused(app, runner, org, args, message):
    result = runner.invoke(
        args=["users", "create", *args, "--password-stdin"], input=PASSWORD + "\n"
    )
    assert result.exit_code != 0
    assert message in result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_users_create__weak_password_or_duplicate__refused(app, runner, org):
    base = [
        "users",
        "create",
        "--role",
        "adviser",
        "--organisation",
        "PVO Brabant-Zeeland",
        "--password-stdin",
        "a@pvo.nl",
    ]
    weak = runner.invoke(args=base, input="kort\n")
    assert weak.exit_code == 1 and "minstens 12" in weak.output
    assert runner.invoke(args=base, input=PASSWORD + "\n").exit_code == 0
    again = runner.invoke(args=base, input=PASSWORD + "\n")
    assert again.exit_code == 1 and "exists already" in again.output


def test_users_list_reset_deactivate(app, runner, org):
    runner.invoke(
        args=[
            "users",
            "create",
            "--role",
            "adviser",
            "--organisation",
            "PVO Brabant-Zeeland",
            "--password-stdin",
            "a@pvo.nl",
        ],
        input=PASSWORD + "\n",
    )
    listed = runner.invoke(args=["users", "list"])
    assert "a@pvo.nl" in listed.output and "adviser" in listed.output
    assert "active" in listed.output and "never" in listed.output
    session_before = _user(app, "a@pvo.nl").session_id

    reset = runner.invoke(
        args=["users", "reset-password", "--password-stdin", "a@pvo.nl"],
        input="nog een nieuw wachtwoord\n",
    )
    assert reset.exit_code == 0, reset.output
    assert _user(app, "a@pvo.nl").session_id != session_before
    with app.app_context():
        assert accounts.authenticate("a@pvo.nl", PASSWORD) is None
        assert accounts.authenticate("a@pvo.nl", "nog een nieuw wachtwoord") is not None

    off = runner.invoke(args=["users", "deactivate", "a@pvo.nl"])
    assert off.exit_code == 0
    assert "deactivated" in runner.invoke(args=["users", "list"]).output
    with app.app_context():
        assert accounts.authenticate("a@pvo.nl", "nog een nieuw wachtwoord") is None
        actions = db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["user_created", "password_reset", "user_deactivated"]


def test_users_unknown_email__clear_error(runner):
    result = runner.invoke(args=["users", "deactivate", "nobody@pvo.nl"])
    assert result.exit_code == 1 and "no account for nobody@pvo.nl" in result.output


def test_organisations_create_and_list(app, runner):
    assert runner.invoke(args=["organisations", "create", "PVO Limburg"]).exit_code == 0
    assert (
        runner.invoke(
            args=["organisations", "create", "Vereniging Vastgoed", "--kind", "branche"]
        ).exit_code
        == 0
    )
    again = runner.invoke(args=["organisations", "create", "PVO Limburg"])
    assert again.exit_code == 1 and "exists already" in again.output
    listed = runner.invoke(args=["organisations", "list"]).output
    assert "PVO Limburg" in listed and "branche" in listed and "0 account(s)" in listed


def test_organisations_deactivate__accounts_locked_out_and_not_offered(app, runner, org):
    runner.invoke(
        args=[
            "users",
            "create",
            "--role",
            "adviser",
            "--organisation",
            "PVO Brabant-Zeeland",
            "--password-stdin",
            "a@pvo.nl",
        ],
        input=PASSWORD + "\n",
    )
    client = app.test_client()
    login(client, "a@pvo.nl", PASSWORD)
    assert client.get("/adviseur/").status_code == 200
    result = runner.invoke(args=["organisations", "deactivate", "PVO Brabant-Zeeland"])
    assert result.exit_code == 0
    assert client.get("/adviseur/").status_code == 302  # the running session ends
    with app.app_context():
        assert accounts.authenticate("a@pvo.nl", PASSWORD) is None
        _, token = submitted_scan()
    assert client.get(f"/scan/{token}/").status_code == 303
    assert "PVO Brabant-Zeeland" not in client.get("/scan/delen").get_data(as_text=True)
    assert "(deactivated)" in runner.invoke(args=["organisations", "list"]).output
