"""The scan-session migration adds exactly the model's two scan columns, and removes them."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import make_app
from flask_migrate import downgrade, upgrade

from scan.platform.extensions import db

REVISION, DOWN = "e94d2a61c0f8", "0003bae6aea9"
COLUMNS = {"last_theme", "session_generation"}


def _columns(connection) -> set[str]:
    return {c["name"] for c in sa.inspect(connection).get_columns("scans")}


def test_migration__matches_models_and_downgrades(database):
    app = make_app(database)
    with app.app_context():
        upgrade(revision=REVISION)
        with db.engine.connect() as connection:
            diffs = compare_metadata(MigrationContext.configure(connection), db.metadata)
            assert COLUMNS <= _columns(connection)
        assert [d for d in diffs if any(c in repr(d) for c in COLUMNS)] == []
        downgrade(revision=DOWN)
        with db.engine.connect() as connection:
            assert not COLUMNS & _columns(connection)
        db.engine.dispose()
