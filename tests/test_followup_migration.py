"""The follow-up migration adds exactly the models' columns and table, and undoes them."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import make_app
from flask_migrate import downgrade, upgrade

from scan.extensions import db

REVISION, DOWN = "b4d7e2f1a936", "ceb9a4daf06a"
NAMES = {"scan_followups", "chain_tag", "plan_steps"}


def test_migration__matches_models_and_downgrades(database):
    app = make_app(database)
    with app.app_context():
        upgrade(revision=REVISION)
        with db.engine.connect() as connection:
            diffs = compare_metadata(MigrationContext.configure(connection), db.metadata)
            inspector = sa.inspect(connection)
            shares = {c["name"] for c in inspector.get_columns("shares")}
            tables = set(inspector.get_table_names())
        assert "chain_tag" in shares and {"plan_steps", "scan_followups"} <= tables
        assert [d for d in diffs if any(n in repr(d) for n in NAMES)] == []

        downgrade(revision=DOWN)
        with db.engine.connect() as connection:
            inspector = sa.inspect(connection)
            shares = {c["name"] for c in inspector.get_columns("shares")}
            tables = set(inspector.get_table_names())
        assert "chain_tag" not in shares and not {"plan_steps", "scan_followups"} & tables
        db.engine.dispose()
