"""The advisers migration creates exactly the tables and indexes of the models, and undoes them."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import make_app
from flask_migrate import downgrade, upgrade

from scan.platform.extensions import db

REVISION, DOWN = "0003bae6aea9", "62bdf4847e1e"
TABLES = {"organisations", "users", "shares", "notes", "audit_events"}


def _mine(diff) -> bool:
    """Tell whether an autogenerate difference touches the advisers' tables or indexes."""
    text = repr(diff)
    return any(t in text for t in TABLES) or "ix_scans_trends" in text or "cover" in text


def test_migration__matches_models_and_downgrades(database):
    app = make_app(database)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            diffs = compare_metadata(MigrationContext.configure(connection), db.metadata)
            names = set(sa.inspect(connection).get_table_names())
            indexes = {i["name"] for i in sa.inspect(connection).get_indexes("scans")}
        assert TABLES <= names
        assert {"ix_scans_trends", "ix_scans_trends_period"} <= indexes
        assert [d for d in diffs if _mine(d)] == []

        downgrade(revision=DOWN)
        with db.engine.connect() as connection:
            names = set(sa.inspect(connection).get_table_names())
            indexes = {i["name"] for i in sa.inspect(connection).get_indexes("scans")}
        assert not TABLES & names
        assert "ix_scans_trends" not in indexes
        assert "scans" in names
        db.engine.dispose()
