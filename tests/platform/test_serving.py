"""Serving under gunicorn.conf.py: slow clients, a private access log, preload, fork hygiene."""

from __future__ import annotations

import socket
import time
import urllib.request

import pytest
from conftest import create_tables
from gunicorn_support import gunicorn

from scan import create_app
from scan.platform.extensions import db
from scan.platform.serving import after_fork, mask_path, preload, shared_limits_warning

# Timed answers and several server processes: run alone, after the parallel part (make test).
pytestmark = pytest.mark.serial

TOKEN = "AbCdEfGhIjKlMnOpQrStUvWxYz012345"


def sqlite_app(path):
    """Return an app on a fresh SQLite file with its tables."""
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        create_tables()
    return app


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """gunicorn with three workers and the in-memory rate-limit store; yield URL and log."""
    folder = tmp_path_factory.mktemp("served")
    sqlite_app(folder / "db.sqlite")
    log = folder / "gunicorn.log"
    with gunicorn(f"sqlite:///{folder / 'db.sqlite'}", "-w", "3", log=log) as base:
        yield base, log


def test_healthz__six_clients_hold_back_their_bodies__still_answers(served):
    base, _ = served
    port = int(base.rsplit(":", 1)[1])
    hanging = []
    for _ in range(6):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(
            b"POST /inloggen HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
        )
        hanging.append(sock)
    time.sleep(0.5)  # let the workers take the hanging requests first
    try:
        start = time.monotonic()
        with urllib.request.urlopen(base + "/healthz", timeout=10) as response:
            assert response.status == 200
        assert time.monotonic() - start < 2
    finally:
        for sock in hanging:
            sock.close()


def test_access_log__no_client_address_query_or_token(served):
    base, log = served
    request = urllib.request.Request(
        f"{base}/scan/{TOKEN}/?geheim=1", headers={"X-Forwarded-For": "203.0.113.9"}
    )
    with pytest.raises(urllib.error.HTTPError):  # unknown token: 404
        urllib.request.urlopen(request, timeout=10)
    time.sleep(0.3)
    lines = [line for line in log.read_text().splitlines() if '"GET /scan/' in line]
    assert lines and all('/scan/…/ HTTP/1.1" 404' in line for line in lines)
    text = "\n".join(lines)
    for secret in (TOKEN, "geheim", "127.0.0.1", "203.0.113.9"):
        assert secret not in text


def test_start_up__memory_store_and_three_workers__warns(served):
    _, log = served
    assert "3 workers with the in-memory rate-limit store" in log.read_text()


def test_shared_limits_warning__only_for_several_workers_on_memory(tmp_path):
    app = sqlite_app(tmp_path / "db.sqlite")
    assert shared_limits_warning(app, 1) is None
    assert shared_limits_warning(app, 2)
    app.config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:6379/0"
    assert shared_limits_warning(app, 4) is None


def test_mask_path__tokens_and_public_ids_masked_sector_ids_kept():
    assert mask_path(f"/scan/{TOKEN}/thema/fysiek") == "/scan/…/thema/fysiek"
    assert mask_path("/adviseur/scans/" + "ab" * 16) == "/adviseur/scans/…"
    assert mask_path("/scan/buitengebied-erfscan/start") == "/scan/buitengebied-erfscan/start"


def test_preload__catalog_ready_before_any_request(tmp_path):
    app = preload(sqlite_app(tmp_path / "db.sqlite"))
    assert app.extensions["scan_catalog"].catalog.latest  # built at start, before any request
    assert "scans/result.html" in {key[1] for key in app.jinja_env.cache.keys()}


def test_after_fork__inherited_connections_are_not_reused(tmp_path):
    app = sqlite_app(tmp_path / "db.sqlite")
    with app.app_context():
        db.session.execute(db.text("SELECT 1"))
        db.session.remove()
        assert db.engine.pool.checkedin() == 1
    after_fork(app)
    with app.app_context():
        assert db.engine.pool.checkedin() == 0


def _raw(base: str, request: bytes) -> bytes:
    """Send raw bytes to the server; return what it answered."""
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        return sock.recv(4096)


@pytest.mark.parametrize("forged", ["%0a", "%0d%0a", "%1b[31m", "%00", "%c2%85", "%e2%80%a8"])
def test_access_log__control_characters_in_path__escaped_one_line(served, forged):
    base, log = served
    before = len(log.read_text().splitlines())
    fake = "01/Jan/2026:00:00:00%20+0000]%20%22GET%20/adviseur/%20HTTP/1.1%22%20200"
    path = f"/nep{forged}[{fake}"
    answer = _raw(base, f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    assert answer.startswith((b"HTTP/1.1 400", b"HTTP/1.1 404"))
    time.sleep(0.3)
    new = log.read_text().splitlines()[before:]
    lines = [line for line in new if "/nep" in line]
    assert len(lines) == 1, new
    assert '"GET /adviseur/' not in "\n".join(x for x in new if "/nep" not in x)
    assert all(ch not in lines[0] for ch in "\x00\x1b\x85\u2028")


def test_error_log__invalid_request__client_address_masked(served):
    base, log = served
    _raw(base, b"\x16\x03\x01 nonsense\r\n\r\n")  # e.g. a TLS hello on the plain port
    time.sleep(0.3)
    text = log.read_text()
    assert "Invalid request from ip=" in text
    assert "ip=127.0.0.1" not in text
