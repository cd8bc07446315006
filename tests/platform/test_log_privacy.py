"""No log line carries a scan token, a client's IP address, personal data or answers."""

from __future__ import annotations

import logging
import re
import threading
import urllib.error
import urllib.request

import pytest
from conftest import create_tables, make_app
from sqlalchemy import text
from werkzeug.serving import make_server

from scan.platform.extensions import db

SECRET = "Jan Jansen, jan@voorbeeld.nl, 06 1234 5678"


def _lines(caplog) -> str:
    return "\n".join(logging.Formatter().format(r) for r in caplog.records)


def test_database_error__logs_no_sql_parameters(database, caplog):
    app = make_app(database)

    @app.get("/kapot")
    def broken():
        # PostgreSQL puts the value in its own message; SQLAlchemy adds the parameters.
        db.session.execute(text("SELECT CAST(:contact AS INTEGER)"), {"contact": SECRET})
        db.session.execute(
            text("SELECT * FROM bestaat_niet WHERE x = :contact"), {"contact": SECRET}
        )
        return "never"

    caplog.set_level(logging.DEBUG)
    response = app.test_client().get("/kapot")
    assert response.status_code == 500
    lines = _lines(caplog)
    assert "unhandled error" in lines and "in broken" in lines  # the error is logged ...
    assert "Jan Jansen" not in lines and "voorbeeld.nl" not in lines  # ... its data is not
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["hide_parameters"] is True
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def served(tmp_path):
    """The app behind the development server of `flask run`, on a free port."""
    app = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'log.sqlite'}"})
    with app.app_context():
        create_tables()
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    with app.app_context():
        db.engine.dispose()


def _fetch(url: str, data: bytes | None = None) -> tuple[int, str, str]:
    request = urllib.request.Request(url, data=data)
    try:
        with urllib.request.urlopen(request) as response:  # local test server
            return response.status, response.geturl(), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, url, error.read().decode()


def test_dev_server_access_log__no_token_no_ip(served, caplog):
    caplog.set_level(logging.INFO, logger="werkzeug")

    # The start form sets a session cookie that carries the CSRF secret: keep it.
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    page = opener.open(f"{served}/scan/vastgoed")
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.read().decode()).group(1)
    started = opener.open(f"{served}/scan/vastgoed/start", data=f"csrf_token={csrf}".encode())
    assert started.geturl() == f"{served}/scan/overzicht"
    token = re.search(r'id="scan-link"[^>]*value="[^"]*/scan/([^/"]+)/"', started.read().decode())
    token = token.group(1)
    assert len(token) == 32
    opener.open(f"{served}/scan/{token}/")  # the personal link, as opened on another day
    opener.open(f"{served}/scan/thema/klanten")
    _fetch(f"{served}/scan/{token}/bestaat-niet")
    lines = _lines(caplog)
    assert "/scan/vastgoed/start" in lines  # requests are still logged ...
    assert token not in lines  # ... without the secret link ...
    assert "127.0.0.1" not in lines  # ... and without who sent them


def test_rate_limit_log__no_ip_no_email(tmp_path, caplog):
    from portal_factories import login, make_user

    app = make_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'rl.sqlite'}"},
        RATELIMIT_ENABLED=True,
    )
    with app.app_context():
        create_tables()
        make_user("beheer@example.nl", "admin")
    caplog.set_level(logging.INFO)
    client = app.test_client()
    codes = [login(client, "beheer@example.nl", "wrong password!!").status_code for _ in range(6)]
    assert codes[-1] == 429
    lines = _lines(caplog)
    assert "exceeded" in lines  # the limit is logged ...
    assert "beheer@example.nl" not in lines and "127.0.0.1" not in lines  # ... not who hit it
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("10.1.2.3 - - [01/Dec/2026 22:10:12] GET / 200", "[01/Dec/2026 22:10:12] GET / 200"),
        ("ratelimit (2001:db8::1|a.b@c.nl) exceeded", "exceeded"),
        ("from ::1 and 192.168.0.1:5000", "from"),
    ],
)
def test_mask__addresses_and_emails(line, kept):
    from scan.platform.logs import mask

    masked = mask(line)
    assert kept in masked
    for secret in ("10.1.2.3", "2001:db8::1", "a.b@c.nl", "::1", "192.168.0.1"):
        assert secret not in masked


def test_app_log__control_characters_in_values__escaped_one_line(app, caplog):
    caplog.set_level(logging.INFO)
    forged = "x\n2026-12-01 ERROR admin logged in\r\x1b[2K\x00"
    app.logger.error("published questionnaire refused: %s", forged)
    app.logger.warning(forged)
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2
    for message in messages:
        assert "\n" not in message and "\r" not in message and "\x1b" not in message
        assert "\\n2026-12-01 ERROR" in message and "\\x1b" in message and "\\x00" in message


def test_app_log__stack_made_by_the_program__keeps_its_lines(app, caplog):
    from scan.platform.logs import describe

    caplog.set_level(logging.INFO)
    try:
        raise ValueError(SECRET)
    except ValueError as error:
        app.logger.error("unhandled error %s", describe(error))
    message = caplog.records[-1].getMessage()
    assert "\n" in message and SECRET not in message
