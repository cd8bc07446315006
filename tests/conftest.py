"""Shared fixtures: an app with an isolated database, its client and CLI runner."""

from __future__ import annotations

import atexit
import functools
import os
import secrets
import shutil
import sqlite3
import tempfile
import textwrap
from pathlib import Path

import pytest
import sqlalchemy
from loader_samples import QUESTIONNAIRES, REGISTRY
from portal_factories import (
    FAST_HASHER,
    TEST_CONFIG,
    csrf_token,
    login,
    make_org,
    make_user,
)
from werkzeug.routing.rules import Rule
from worker_support import isolate_worker, release_workers

from scan import create_app
from scan.platform.config import database_uri
from scan.platform.extensions import db
from scan.portal import accounts
from scan.questionnaire import load_catalog, load_questionnaire


def pytest_configure(config):
    """Under pytest-xdist: give this worker a PostgreSQL database and a Redis db of its own."""
    isolate_worker(config)


def pytest_unconfigure(config):
    release_workers(config)


def pytest_collection_modifyitems(config, items):
    """Long test files first, so that the parallel run does not end waiting on one of them.

    `make test` hands whole files to the workers (--dist loadfile) in collection order
    (--no-loadscope-reorder). A file's weight is a rough guess of its seconds: a test marked
    slow counts 30, one in Chromium 5, any other a tenth. The sort is stable, so a file's tests
    keep their order.
    """
    weight: dict = {}
    for item in items:
        if item.get_closest_marker("slow"):
            seconds = 30.0
        elif "browser" in getattr(item, "fixturenames", ()):
            seconds = 5.0
        else:
            seconds = 0.1
        weight[item.path] = weight.get(item.path, 0.0) + seconds
    items.sort(key=lambda item: -weight[item.path])


@pytest.fixture(scope="session", autouse=True)
def _url_builders_compiled_once():
    """Compile each URL rule's builder once per session, not once per app.

    Most tests make their own app, and werkzeug compiles Python code for every rule of every
    new app: most of create_app's time. The builder depends only on the rule's text, its
    converters and defaults (it is bound to the rule when used), so one compiled copy serves
    every app. Without the private hook (another werkzeug) each app compiles its own.
    """
    original = getattr(Rule, "_compile_builder", None)
    if original is None:
        yield
        return
    compiled: dict[tuple, object] = {}

    def compile_once(rule: Rule, append_unknown: bool = True):
        key = (
            rule.rule,
            tuple(rule._trace),
            tuple(sorted((name, repr(value)) for name, value in (rule.defaults or {}).items())),
            tuple(sorted((name, type(c).__name__) for name, c in rule._converters.items())),
            append_unknown,
        )
        if key not in compiled:
            compiled[key] = original(rule, append_unknown)
        return compiled[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Rule, "_compile_builder", compile_once)
        yield


@pytest.fixture(scope="session", autouse=True)
def _templates_compiled_once():
    """Let every app of the session reuse the templates another app compiled (template_code)."""
    from flask import Flask
    from template_code import SharedTemplateCode

    shared = SharedTemplateCode()
    original = Flask.create_jinja_environment

    def with_shared_code(self):
        environment = original(self)
        environment.bytecode_cache = shared
        return environment

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Flask, "create_jinja_environment", with_shared_code)
        yield


@pytest.fixture(autouse=True)
def _pinned_questionnaires_forgotten():
    """After each test, forget the questionnaires rebuilt from pinned snapshots (scans.store).

    A rebuilt questionnaire has no examples; left in the process-wide cache it met a later
    test that fills a scan from its pinned questionnaire's examples (test_visits.py failed
    when xdist ran it after such a test). Forgetting the snapshots as well lets the next pin
    seed the cache with the loaded questionnaire again.
    """
    yield
    from scan.scans import store

    store._rebuilt.clear()
    store._snapshots.clear()


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch):
    """Hash passwords with cheap argon2 parameters; tests that check rehashing set their own."""
    monkeypatch.setattr(accounts, "_hasher", FAST_HASHER)


@pytest.fixture
def app(tmp_path):
    """An app on a fresh SQLite database in a temporary folder."""
    yield from with_tables(
        make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.sqlite'}"})
    )


def with_tables(app):
    """Create the app's tables, yield the app, then release its connections."""
    with app.app_context():
        create_tables()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def create_tables() -> None:
    """Create the current app's tables: on SQLite a copy of a schema built once per session.

    Building the schema (db.create_all) costs more than the rest of a test's set-up; SQLite's
    backup copies the finished schema into the test's database (a file or in memory) at once.
    Other databases get db.create_all.
    """
    engine = db.engine
    if engine.dialect.name == "sqlite":
        connection = engine.raw_connection()
        try:
            template = sqlite3.connect(_sqlite_template())
            template.backup(connection.driver_connection)
            template.close()
        finally:
            connection.close()
    db.create_all()  # nothing left to create after the copy; the whole schema elsewhere


@functools.cache
def _sqlite_template() -> str:
    """Return the path of a SQLite file with every table, built the first time it is asked."""
    folder = tempfile.mkdtemp(prefix="scan-schema-")
    atexit.register(shutil.rmtree, folder, True)
    path = os.path.join(folder, "schema.sqlite")
    app = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        db.create_all()
        db.session.remove()
        db.engine.dispose()
    return path


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def postgres_url() -> str:
    """Return TEST_DATABASE_URL; skip without it, but fail when REQUIRE_POSTGRES=1."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set")
        pytest.skip("TEST_DATABASE_URL is not set")
    return database_uri(url)


def redis_url() -> str:
    """Return TEST_REDIS_URL; skip without it, but fail when REQUIRE_REDIS=1 or on CI."""
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        if os.environ.get("REQUIRE_REDIS") == "1" or os.environ.get("CI"):
            pytest.fail("REQUIRE_REDIS=1 or CI, but TEST_REDIS_URL is not set")
        pytest.skip("TEST_REDIS_URL is not set")
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request, tmp_path):
    """Config for a fresh, empty database: SQLite, and PostgreSQL (own schema per test)."""
    if request.param == "sqlite":
        yield {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.sqlite'}"}
        return
    url = postgres_url()
    schema = f"test_{secrets.token_hex(8)}"
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sqlalchemy.text(f'CREATE SCHEMA "{schema}"'))
    yield {
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "connect_args": {"options": f"-csearch_path={schema}"},
        },
    }
    with engine.begin() as connection:
        connection.execute(sqlalchemy.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def make_app(database_config: dict, **extra):
    """Create a test app on the given database config."""
    return create_app({**TEST_CONFIG, **database_config, **extra})


@pytest.fixture
def db_app(database):
    """An app with its tables created, once on SQLite and once on PostgreSQL."""
    yield from with_tables(make_app(database))


@pytest.fixture(scope="session")
def catalog():
    """The shipped questionnaires, loaded once."""
    return load_catalog(QUESTIONNAIRES)


@pytest.fixture
def write_questionnaire(tmp_path):
    """Write dedented YAML files (and the shipped referral registry) into a temp folder."""
    folder = tmp_path / "q"
    folder.mkdir()
    (folder / "referrals.yaml").write_text(REGISTRY.read_text())

    def write(text: str, name: str = "test.yaml") -> Path:
        path = folder / name
        path.write_text(textwrap.dedent(text))
        return path

    return write


@pytest.fixture
def load_inline(write_questionnaire):
    """Load a questionnaire written inline as dedented YAML."""

    def load(text: str, name: str = "test.yaml"):
        path = write_questionnaire(text, name)
        return load_questionnaire(path, path.parent)

    return load


@pytest.fixture(scope="session")
def _chromium():
    """One headless Chromium per worker, driven by Playwright, launched when first needed.

    Launching Chromium costs a second or more; a browser context (what a test makes with
    browser.new_context) is as separate as a new browser: its own cookies, storage and cache.
    """
    from browser_support import SharedChromium, require_browser

    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        shared = SharedChromium(playwright)
        yield shared
        shared.close()


@pytest.fixture
def browser(_chromium):
    """The worker's Chromium; the contexts and pages a test opens are closed after it."""
    chromium = _chromium.get()
    yield chromium
    _chromium.close_contexts()


BRANCH_ADMIN = "branche@recron.nl"


@pytest.fixture
def studio_server(tmp_path):
    """The studio: a live server (for the browser) with Recron's branch admin; its base URL."""
    from browser_support import serve

    app = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'studio.sqlite'}"})
    with app.app_context():
        create_tables()
        make_user(BRANCH_ADMIN, "branch_admin", make_org("Recron", kind="branche"))
    with serve(app) as base:
        yield base


@pytest.fixture
def draft(app, client):
    """The studio: Recron's branch admin logged in, with a new draft on 'voorbeeld'.

    Returns (client, the draft's editor path).
    """
    with app.app_context():
        make_user(BRANCH_ADMIN, "branch_admin", make_org("Recron", kind="branche"))
    login(client, BRANCH_ADMIN)
    created = client.post(
        "/studio/nieuw",
        data={
            "csrf_token": csrf_token(client, "/studio/"),
            "base": "voorbeeld@1",
            "questionnaire_id": "voorbeeld_recron",
        },
    )
    return client, created.location.split("localhost")[-1]
