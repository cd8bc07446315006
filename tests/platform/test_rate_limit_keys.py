"""Rate-limit keys name no one (issue 22): the stored keys are keyed hashes of the address (and
of the e-mail address on login), under a key that changes every day; no address in clear."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
import redis
from conftest import make_app, redis_url
from portal_factories import login, make_user

from scan.platform.extensions import db, keyed_hash, limiter

EMAIL = "beheer@example.nl"


def _stored_keys(app) -> list[str]:
    storage = limiter._storage  # noqa: SLF001 - the test reads what the limiter stored
    if app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        return [str(k) for k in storage.storage]
    client = redis.Redis.from_url(app.config["RATELIMIT_STORAGE_URI"])
    return [k.decode() for k in client.scan_iter("*LIMITER*")]  # the prefix is set once a process


@pytest.fixture(params=["memory", "redis"])
def limited_app(request, tmp_path):
    extra = {}
    if request.param == "redis":
        extra = {
            "RATELIMIT_STORAGE_URI": redis_url(),
            "RATELIMIT_KEY_PREFIX": f"test-{secrets.token_hex(6)}",
        }
    app = make_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'keys.sqlite'}"},
        RATELIMIT_ENABLED=True,
        **extra,
    )
    # The limiter is one object per process: a test before may have left it on its fallback.
    limiter._storage_dead = False  # noqa: SLF001
    with app.app_context():
        db.create_all()
        make_user(EMAIL, "admin")
    yield app
    with app.app_context():
        db.engine.dispose()


def test_login_and_start__stored_keys_hold_no_address_and_no_email(limited_app):
    client = limited_app.test_client()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.7"
    for _ in range(3):
        login(client, EMAIL, "wrong password!!")
    page = client.get("/scan/vastgoed").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[-1].split('"')[0]
    client.post("/scan/vastgoed/start", data={"csrf_token": token})
    keys = _stored_keys(limited_app)
    assert any("login-account" in k for k in keys) and any("scan-start" in k for k in keys)
    text = " ".join(keys)
    for secret in ("203.0.113.7", "203_0_113_7", EMAIL, "example.nl", "beheer"):
        assert secret not in text, keys
    with limited_app.test_request_context(environ_base={"REMOTE_ADDR": "203.0.113.7"}):
        assert any(keyed_hash("address", "203.0.113.7") in k for k in keys)


def test_keyed_hash__same_day_same_key__next_day_another(app):
    with app.app_context():
        today = dt.date(2026, 12, 6)
        first = keyed_hash("address", "203.0.113.7", day=today)
        assert first == keyed_hash("address", "203.0.113.7", day=today)
        assert first != keyed_hash("address", "203.0.113.7", day=today + dt.timedelta(days=1))
        assert first != keyed_hash("address", "203.0.113.8", day=today)
    other = make_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}, SECRET_KEY="another")
    with other.app_context():
        assert first != keyed_hash("address", "203.0.113.7", day=today)


def test_privacy_page__says_what_the_limits_keep_where_and_how_long(client):
    page = " ".join(client.get("/privacy").get_data(as_text=True).split())
    for said in (
        "Daarvoor bewaren we niet het adres zelf",
        "Elke dag is die sleutel anders",
        "na hoogstens één dag weg",
        "Daarin staat geen IP-adres",
        "Dat log wissen we na 7 dagen",
    ):
        assert said in page
