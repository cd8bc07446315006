"""The studio-drafts migration adds exactly the revision number, the earlier saves and the
waiting texts of the models, on SQLite and PostgreSQL, and goes back down."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import make_app
from flask_migrate import downgrade, upgrade

from scan.platform.extensions import db

REVISION, DOWN = "7f3c2d9e1a05", "7a3c1e9d2b64"
NEW_TABLES = {"draft_revisions", "waiting_texts"}


def test_migration__matches_models_and_downgrades(database):
    app = make_app(database)
    with app.app_context():
        upgrade(revision=REVISION)
        with db.engine.connect() as connection:
            diffs = compare_metadata(MigrationContext.configure(connection), db.metadata)
            inspector = sa.inspect(connection)
            names = set(inspector.get_table_names())
            columns = {c["name"] for c in inspector.get_columns("questionnaire_documents")}
        assert NEW_TABLES <= names
        assert "revision" in columns
        # Tables of later migrations (document_translations has a revision column too) are
        # not there yet at this revision: only this migration's tables and column count.
        mine = [
            d
            for d in diffs
            if any(t in repr(d) for t in (*NEW_TABLES, "'revision'"))
            and "document_translations" not in repr(d)
        ]
        assert mine == []

        downgrade(revision=DOWN)
        with db.engine.connect() as connection:
            inspector = sa.inspect(connection)
            names = set(inspector.get_table_names())
            columns = {c["name"] for c in inspector.get_columns("questionnaire_documents")}
        assert not NEW_TABLES & names
        assert "revision" not in columns
        db.engine.dispose()
