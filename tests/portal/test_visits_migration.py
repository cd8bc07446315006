"""The visits migration adds exactly the models' tables, and undoes them."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import make_app
from flask_migrate import downgrade, upgrade

from scan.platform.extensions import db

REVISION, DOWN = "7a3c91e5d2b8", "5e2b7a91c4d3"
TABLES = {"visits", "visit_notes"}


def test_migration__matches_models_and_downgrades(database):
    app = make_app(database)
    with app.app_context():
        upgrade(revision=REVISION)
        with db.engine.connect() as connection:
            diffs = compare_metadata(MigrationContext.configure(connection), db.metadata)
            tables = set(sa.inspect(connection).get_table_names())
        assert TABLES <= tables
        assert [d for d in diffs if any(n in repr(d) for n in TABLES)] == []

        downgrade(revision=DOWN)
        with db.engine.connect() as connection:
            tables = set(sa.inspect(connection).get_table_names())
        assert not TABLES & tables
        db.engine.dispose()
