"""Outages give a Dutch 503, not a 500, and lose nothing (issue 22): Redis going away in the
middle of a scan start, logins without Redis (they fail closed), PostgreSQL restarting."""

from __future__ import annotations

import re
import select as sockets
import threading
import time
from urllib.parse import urlsplit

import pytest
from conftest import make_app, postgres_url
from fault_support import Relay, own_redis
from portal_factories import login, make_user
from sqlalchemy import select

from scan.platform import errors
from scan.platform.extensions import db, limiter
from scan.platform.models import Scan
from scan.portal.auth import LOGIN_UNAVAILABLE
from scan.scans import store

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
STARTS = 8


def _text(response) -> str:
    return " ".join(response.get_data(as_text=True).split())


@pytest.fixture
def redis_app(tmp_path):
    with own_redis() as (url, stop, pause):
        app = make_app(
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'outage.sqlite'}"},
            RATELIMIT_ENABLED=True,
            RATELIMIT_STORAGE_URI=url,
        )
        with app.app_context():
            db.create_all()
            make_user("beheer@example.nl", "admin")
        yield app, stop, pause
        limiter._storage_dead = False  # noqa: SLF001 - the next app starts on its own store
        with app.app_context():
            db.engine.dispose()


def test_redis_gone_during_a_start__no_5xx__every_answered_start_whole(redis_app, monkeypatch):
    app, stop, _ = redis_app
    real_start = store.start_scan

    def start_while_redis_dies(*args, **kwargs):
        stop()  # Redis goes away after the limits were counted, before the response
        return real_start(*args, **kwargs)

    client = app.test_client()
    token = CSRF.search(client.get("/scan/vastgoed").get_data(as_text=True)).group(1)
    monkeypatch.setattr(store, "start_scan", start_while_redis_dies)
    first = client.post("/scan/vastgoed/start", data={"csrf_token": token})
    monkeypatch.setattr(store, "start_scan", real_start)
    codes = [first.status_code] + [
        client.post("/scan/vastgoed/start", data={"csrf_token": token}).status_code
        for _ in range(STARTS - 1)
    ]
    assert codes == [302] * STARTS
    with app.app_context():
        assert db.session.query(Scan).count() == STARTS  # each answered start, none orphaned


def test_redis_gone_while_a_start_reads_its_limit_headers__answered_302_and_whole(
    redis_app, monkeypatch
):
    """The failure issue 22 saw under gunicorn's threads, made to happen every time: a start is
    counted in Redis and stored; Redis goes; another request in the worker notices first and
    switches the limiter to counting in memory; then this start's own Redis call for its
    rate-limit headers fails. Flask-Limiter re-raises that second failure unless told to
    swallow it (RATELIMIT_SWALLOW_ERRORS): before that setting the stored start answered 500,
    an orphan no browser could open. Now every stored start is answered and opens."""
    app, stop, _ = redis_app
    client = app.test_client()
    token = CSRF.search(client.get("/scan/vastgoed").get_data(as_text=True)).group(1)
    cookie = client.get_cookie("session").value
    redis_window = limiter._limiter.get_window_stats  # noqa: SLF001 - the Redis-backed counter
    other_codes: list[int] = []

    def another_request_notices_first(*args, **kwargs):
        if not other_codes:
            stop()  # Redis goes away after this start was counted and stored
            other = app.test_client()
            other.set_cookie("session", cookie)
            worker = threading.Thread(
                target=lambda: other_codes.append(
                    other.post("/scan/vastgoed/start", data={"csrf_token": token}).status_code
                )
            )
            worker.start()
            worker.join(timeout=30)
            assert limiter._storage_dead  # noqa: SLF001 - the other request fell back to memory
        return redis_window(*args, **kwargs)  # this start's own call to the Redis that is gone

    monkeypatch.setattr(limiter._limiter, "get_window_stats", another_request_notices_first)  # noqa: SLF001
    started = client.post("/scan/vastgoed/start", data={"csrf_token": token})
    assert (started.status_code, other_codes) == (302, [302])
    assert client.get("/scan/overzicht").status_code == 200  # this browser opens its scan
    with app.app_context():
        assert db.session.query(Scan).count() == 2  # each stored start was answered: no orphan


def test_redis_frozen__starts_from_many_threads__no_5xx_every_answered_start_whole(redis_app):
    app, _, pause = redis_app
    client = app.test_client()
    token = CSRF.search(client.get("/scan/vastgoed").get_data(as_text=True)).group(1)
    cookie = client.get_cookie("session").value
    pause()  # every call to Redis now waits for its socket timeout, then fails
    barrier, codes = threading.Barrier(STARTS), []

    def start():
        browser = app.test_client()
        browser.set_cookie("session", cookie)
        barrier.wait()
        codes.append(browser.post("/scan/vastgoed/start", data={"csrf_token": token}).status_code)

    threads = [threading.Thread(target=start) for _ in range(STARTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(codes) == [302] * STARTS
    with app.app_context():
        assert db.session.query(Scan).count() == STARTS


def test_login_without_redis__fails_closed_with_dutch_503(redis_app):
    app, stop, _ = redis_app
    client = app.test_client()
    assert login(client, "beheer@example.nl", "wrong password!!").status_code == 200
    stop()
    refused = [login(client, "beheer@example.nl", "wrong password!!") for _ in range(20)]
    # Not one password is tried: refused with the Dutch 503 (or 429 by the worker's own count).
    assert {r.status_code for r in refused} <= {503, 429}
    assert LOGIN_UNAVAILABLE in _text(refused[0])
    app.config["LOGIN_NEEDS_SHARED_LIMITS"] = False  # the documented alternative: per worker
    codes = [login(client, "beheer@example.nl", "wrong password!!").status_code for _ in range(8)]
    assert 429 in codes and 500 not in codes and 503 not in codes


@pytest.fixture
def relayed_postgres(database):
    url = urlsplit(postgres_url())
    relay = Relay(url.hostname, url.port or 5432)
    netloc = url.netloc.replace(f"{url.hostname}:{url.port}", f"127.0.0.1:{relay.port}")
    app = make_app({**database, "SQLALCHEMY_DATABASE_URI": url._replace(netloc=netloc).geturl()})
    with app.app_context():
        db.create_all()
    yield app, relay
    relay.close()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


# A PostgreSQL restart has no SQLite twin: the test runs on PostgreSQL only.
@pytest.mark.parametrize(
    "database", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_postgres_restarting__dutch_503_says_nothing_stored__then_works(relayed_postgres):
    app, relay = relayed_postgres
    client = app.test_client()
    token = CSRF.search(client.get("/scan/vastgoed").get_data(as_text=True)).group(1)
    assert client.post("/scan/vastgoed/start", data={"csrf_token": token}).status_code == 302
    relay.cut()
    page = client.get("/scan/overzicht")
    start = client.post("/scan/vastgoed/start", data={"csrf_token": token})
    assert (page.status_code, start.status_code) == (503, 503)
    assert str(errors.DATABASE_AWAY) in _text(page) and str(errors.NOT_STORED) not in _text(page)
    assert str(errors.NOT_STORED) in _text(start)
    relay.restore()
    assert client.get("/scan/overzicht").status_code == 200
    with app.app_context():
        assert db.session.query(Scan).count() == 1  # the refused start left nothing behind


@pytest.mark.parametrize(
    "database", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_postgres_closed_the_pooled_connections__next_request_served_on_a_new_one(
    relayed_postgres,
):
    """A server that restarted between two requests costs no request: the pool hands out no
    connection the server closed (extensions.drop_connections_the_server_closed)."""
    app, relay = relayed_postgres
    client = app.test_client()
    token = CSRF.search(client.get("/scan/vastgoed").get_data(as_text=True)).group(1)
    assert client.post("/scan/vastgoed/start", data={"csrf_token": token}).status_code == 302
    for _ in range(3):
        relay.drop_connections()
        time.sleep(0.2)  # the closed socket's end of stream reaches the app's side
        assert client.get("/scan/overzicht").status_code == 200


@pytest.mark.parametrize(
    "database", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_postgres_pooled_connection__handed_out_without_a_round_trip(relayed_postgres):
    """Taking a healthy connection from the pool sends nothing to the server (pool_pre_ping
    sent a query before every request: docs/deploy.md, CPU per request)."""
    app, relay = relayed_postgres
    with app.app_context():
        db.session.execute(select(1))  # a pooled connection, used once
        db.session.remove()
        before = relay.sent
        for _ in range(5):
            with db.engine.connect():
                pass
        time.sleep(0.05)
        assert relay.sent == before
        assert db.session.execute(select(1)).scalar() == 1  # and the connection still works


@pytest.mark.parametrize(
    "database", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_postgres_pooled_connection__sent_something_while_idle__kept_and_working(
    relayed_postgres,
):
    """A healthy connection can be sent something while it sits in the pool (a notification
    here; TLS's own records or a notice elsewhere): that is no reason to drop it."""
    app, _relay = relayed_postgres
    with app.app_context():
        engine = db.engine
        listener = engine.connect()
        listener.exec_driver_sql("LISTEN scan_test_channel")
        listener.commit()
        pooled = listener.connection.dbapi_connection
        with engine.connect() as other:  # a second connection: the listener is still out
            listener.close()  # back in the pool, idle
            other.exec_driver_sql("NOTIFY scan_test_channel")
            other.commit()
        poller = sockets.poll()
        poller.register(pooled.fileno(), sockets.POLLIN)
        assert poller.poll(10_000)  # the notification reached the idle pooled connection
        with engine.connect() as first, engine.connect() as second:
            assert pooled in {first.connection.dbapi_connection, second.connection.dbapi_connection}
            assert first.exec_driver_sql("SELECT 1").scalar() == 1
            assert second.exec_driver_sql("SELECT 1").scalar() == 1


@pytest.mark.parametrize(
    "database", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_postgres_pages_that_only_read__no_begin_or_rollback_sent(relayed_postgres):
    """A theme page, the overview, the check page and the result read without a transaction
    (locking.read_without_transaction); a save still runs in one."""
    app, relay = relayed_postgres
    client = app.test_client()
    token = CSRF.search(client.get("/scan/vastgoed").get_data(as_text=True)).group(1)
    assert client.post("/scan/vastgoed/start", data={"csrf_token": token}).status_code == 302
    overview = client.get("/scan/overzicht").get_data(as_text=True)
    theme = re.search(r'href="(/scan/thema/\w+)"', overview).group(1)

    def sent_during(call) -> bytes:
        start = relay.sent
        call()
        time.sleep(0.05)  # the last bytes pass the relay
        return bytes(relay.recorded[start:])

    for path in (theme, "/scan/overzicht", "/scan/controle"):
        sent = sent_during(lambda path=path: client.get(path))
        assert b"SELECT" in sent and b"BEGIN" not in sent and b"ROLLBACK" not in sent, path
    saved = sent_during(
        lambda: client.post(theme, data={"csrf_token": token, "action": "later", "seen": ""})
    )
    assert b"BEGIN" in saved and b"COMMIT" in saved  # the save's lock needs its transaction
