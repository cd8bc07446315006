"""The studio-translations migration adds exactly the document_translations table of the models,
on SQLite and PostgreSQL, and goes back down."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import make_app
from flask_migrate import downgrade, upgrade

from scan.platform.extensions import db

REVISION, DOWN = "3b8e5d1c7f42", "7f3c2d9e1a05"
TABLE = "document_translations"


@pytest.mark.slow
def test_migration__matches_the_model_and_downgrades(database):
    app = make_app(database)
    with app.app_context():
        upgrade(revision=REVISION)
        with db.engine.connect() as connection:
            diffs = compare_metadata(MigrationContext.configure(connection), db.metadata)
            inspector = sa.inspect(connection)
            assert TABLE in inspector.get_table_names()
            unique = inspector.get_unique_constraints(TABLE)
        assert [d for d in diffs if TABLE in repr(d)] == []
        assert [sorted(u["column_names"]) for u in unique] == [["document_id", "language"]]

        downgrade(revision=DOWN)
        with db.engine.connect() as connection:
            assert TABLE not in sa.inspect(connection).get_table_names()
        db.engine.dispose()
