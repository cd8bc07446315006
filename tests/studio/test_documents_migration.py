"""The studio migration creates exactly the document and catalog tables of the models."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import make_app
from flask_migrate import downgrade, upgrade

from scan.platform.extensions import db

REVISION, DOWN = "9b1d5e2c7a40", "b4d7e2f1a936"
TABLES = {"questionnaire_documents", "catalog_state"}
# What later migrations add on these tables (tests/studio/test_drafts_migration.py checks it).
LATER = ("draft_revisions", "waiting_texts", "Column('revision'")


def _of_this_migration(diff) -> bool:
    text = repr(diff)
    return any(t in text for t in TABLES) and not any(later in text for later in LATER)


def test_migration__matches_models_seeds_generation_and_downgrades(database):
    app = make_app(database)
    with app.app_context():
        upgrade(revision=REVISION)
        with db.engine.connect() as connection:
            diffs = compare_metadata(MigrationContext.configure(connection), db.metadata)
            names = set(sa.inspect(connection).get_table_names())
            generation = connection.execute(sa.text("SELECT generation FROM catalog_state"))
            assert generation.scalar_one() == 0
        assert TABLES <= names
        assert [d for d in diffs if _of_this_migration(d)] == []

        downgrade(revision=DOWN)
        with db.engine.connect() as connection:
            names = set(sa.inspect(connection).get_table_names())
        assert not TABLES & names
        assert "organisations" in names
        db.engine.dispose()
