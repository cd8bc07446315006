"""The staff-accounts migration: tables and columns as the models, old users get public ids."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import make_app
from flask_migrate import downgrade, upgrade

from scan.platform.extensions import db

REVISION, DOWN = "a7c3e9f2d514", "9b1d5e2c7a40"
TABLES = {
    "totp_secrets",
    "browser_sessions",
    "passkeys",
    "recovery_codes",
    "account_links",
    "outbox_mails",
    "portal_settings",
}


def _mine(diff) -> bool:
    if isinstance(diff, tuple) and diff[0] == "add_table":  # a later migration's table
        return diff[1].name in TABLES
    text = repr(diff)
    return any(t in text for t in TABLES) or any(
        c in text for c in ("public_id", "coordinator", "require_two_factor")
    )


def test_migration__backfills_matches_models_and_downgrades(database):
    app = make_app(database)
    with app.app_context():
        upgrade(revision=DOWN)
        with db.engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO organisations (name, kind, active, created_at)"
                    " VALUES ('PVO', 'pvo', true, CURRENT_TIMESTAMP)"
                )
            )
            for email in ("a@pvo.nl", "b@pvo.nl"):
                connection.execute(
                    sa.text(
                        "INSERT INTO users (email, password_hash, role, organisation_id, active,"
                        " session_id, created_at) VALUES (:e, 'x', 'adviser', 1, true, :s,"
                        " CURRENT_TIMESTAMP)"
                    ),
                    {"e": email, "s": email.replace("@", "").replace(".", "").ljust(32, "0")},
                )
        upgrade(revision=REVISION)
        with db.engine.connect() as connection:
            diffs = compare_metadata(MigrationContext.configure(connection), db.metadata)
            names = set(sa.inspect(connection).get_table_names())
            ids = connection.execute(sa.text("SELECT public_id FROM users")).scalars().all()
        assert TABLES <= names
        assert len(set(ids)) == 2 and all(len(i) == 32 for i in ids)
        assert [d for d in diffs if _mine(d)] == []

        downgrade(revision=DOWN)
        with db.engine.connect() as connection:
            names = set(sa.inspect(connection).get_table_names())
            columns = {c["name"] for c in sa.inspect(connection).get_columns("users")}
        assert not TABLES & names
        assert "public_id" not in columns and "users" in names
        db.engine.dispose()
