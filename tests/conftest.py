"""Shared fixtures: an app with an isolated database, its client and CLI runner."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from scan import create_app
from scan.extensions import db
from scan.questionnaire import load_catalog, load_questionnaire

ROOT = Path(__file__).resolve().parent.parent
QUESTIONNAIRES = ROOT / "questionnaires"


@pytest.fixture
def app(tmp_path):
    """An app on a fresh SQLite database in a temporary folder."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.sqlite'}",
            "SESSION_COOKIE_SECURE": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def catalog():
    """The shipped questionnaires, loaded once."""
    return load_catalog(QUESTIONNAIRES)


@pytest.fixture
def write_questionnaire(tmp_path):
    """Write dedented YAML files (and the shipped referral registry) into a temp folder."""
    folder = tmp_path / "q"
    folder.mkdir()
    (folder / "referrals.yaml").write_text((QUESTIONNAIRES / "referrals.yaml").read_text())

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
