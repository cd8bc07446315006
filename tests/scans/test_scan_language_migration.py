"""The scan-language migration adds exactly the model's language column (Dutch for every scan
made before), and removes it again."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import make_app
from flask_migrate import downgrade, upgrade

from scan.platform.extensions import db

REVISION, DOWN = "7a3c1e9d2b64", "7a3c91e5d2b8"


def _columns(connection) -> set[str]:
    return {c["name"] for c in sa.inspect(connection).get_columns("scans")}


def test_migration__matches_the_model_old_scans_dutch_and_downgrades(database):
    app = make_app(database)
    with app.app_context():
        upgrade(revision=DOWN)
        with db.engine.begin() as connection:
            version = connection.execute(
                sa.text(
                    "INSERT INTO questionnaire_versions (questionnaire_id, version, fingerprint,"
                    " title, snapshot, created_at)"
                    " VALUES ('x', 1, 'f', 'X', '{}', CURRENT_TIMESTAMP)"
                    " RETURNING id"
                )
            ).scalar()
            connection.execute(
                sa.text(
                    "INSERT INTO scans (token_hash, questionnaire_version_id, questionnaire_id,"
                    " answers, created_at, updated_at, expires_at, red_flag)"
                    " VALUES ('h', :v, 'x', '{}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP,"
                    " CURRENT_TIMESTAMP, false)"
                ),
                {"v": version},
            )
        upgrade(revision=REVISION)
        with db.engine.connect() as connection:
            diffs = compare_metadata(MigrationContext.configure(connection), db.metadata)
            assert "language" in _columns(connection)
            assert connection.execute(sa.text("SELECT language FROM scans")).scalar() == "nl"
        # Tables that later migrations add (document_translations has a language column too).
        later = [d for d in diffs if isinstance(d, tuple) and d[0] == "add_table"]
        assert [d for d in diffs if "language" in repr(d) and d not in later] == []
        downgrade(revision=DOWN)
        with db.engine.connect() as connection:
            assert "language" not in _columns(connection)
        db.engine.dispose()
