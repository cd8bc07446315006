"""Row locks for read-check-write sequences: one request at a time changes a row.

PostgreSQL locks the row (SELECT ... FOR UPDATE, waiting at most LOCK_TIMEOUT_SECONDS);
SQLite locks the database for writing (BEGIN IMMEDIATE, same wait). The lock lasts until the
caller commits or rolls back.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from scan.platform.extensions import db

LOCK_TIMEOUT_SECONDS = 5

Row = TypeVar("Row")


class RowBusy(Exception):
    """The row stayed locked by another request for too long: nothing was changed."""


def lock_row(model: type[Row], row_id: int) -> Row:
    """End the current read, then lock one row and read it afresh (raise RowBusy on timeout).

    Another request holding the lock keeps it until it commits; this waits for it and then
    sees what it stored.
    """
    db.session.commit()  # a read transaction may not see the other request's commit
    connection = db.session.connection()
    try:
        if connection.dialect.name == "sqlite":
            _begin_immediate(connection)
        elif connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_SECONDS}s'")
        return db.session.scalars(
            select(model)
            .where(_id_column(model) == row_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one()
    except OperationalError as error:  # "database is locked", lock_timeout
        db.session.rollback()
        raise RowBusy from error


def _id_column(model: Any) -> Any:
    return model.id


def _begin_immediate(connection) -> None:
    """Start a SQLite write transaction, waiting at most LOCK_TIMEOUT_SECONDS for the lock."""
    before = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
    connection.exec_driver_sql(f"PRAGMA busy_timeout = {LOCK_TIMEOUT_SECONDS * 1000}")
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    finally:
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(before)}")
