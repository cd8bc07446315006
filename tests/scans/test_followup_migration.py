"""The follow-up migration adds exactly the models' tables, and undoes them."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import make_app
from flask_migrate import downgrade, upgrade

from scan.platform.extensions import db

REVISION, DOWN = "b4d7e2f1a936", "7c1f0e5a9b21"
TABLES = {"scan_followups", "share_chain_tags", "plan_steps"}


def test_migration__matches_models_and_downgrades(database):
    app = make_app(database)
    with app.app_context():
        upgrade(revision=REVISION)
        with db.engine.connect() as connection:
            diffs = compare_metadata(MigrationContext.configure(connection), db.metadata)
            inspector = sa.inspect(connection)
            tables = set(inspector.get_table_names())
        assert TABLES <= tables
        assert [d for d in diffs if any(n in repr(d) for n in TABLES)] == []

        downgrade(revision=DOWN)
        with db.engine.connect() as connection:
            inspector = sa.inspect(connection)
            tables = set(inspector.get_table_names())
        assert not TABLES & tables
        db.engine.dispose()
