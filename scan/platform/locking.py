"""Row locks for read-check-write sequences: one request at a time changes a row.

PostgreSQL locks the row (SELECT ... FOR UPDATE, waiting at most LOCK_TIMEOUT_SECONDS);
SQLite locks the database for writing (BEGIN IMMEDIATE, same wait). The lock lasts until the
caller commits or rolls back.

What the request wrote before the lock is committed first, so that a save refused under the
lock (and rolled back) never takes it along. A request that only read goes on in its
transaction, which costs a commit and a second connection checkout less: on PostgreSQL each
statement of a READ COMMITTED transaction (the default, which this app keeps) reads the
latest commit, and SELECT ... FOR UPDATE waits for another request's lock and then returns
the row as that request stored it; on SQLite a read holds no transaction (pysqlite begins one
only before a write), and BEGIN IMMEDIATE starts the write from the latest commit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import bindparam, event, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, scoped_session

from scan.platform.extensions import db

LOCK_TIMEOUT_SECONDS = 5
WROTE = "locking.wrote"  # in Session.info: this transaction wrote (flushed or executed)
SQLITE_TIMEOUT = "locking.sqlite_busy_timeout"  # in the pooled connection's info
LOCKED = "locking.locked"  # in Session.info: (model, id) of rows read_locked locked
NO_TRANSACTION = "locking.no_transaction"  # in Session.info: statements run in autocommit

Row = TypeVar("Row")

# One statement per model, built once (building it cost more than running it).
_statements: dict[type, Any] = {}


class RowBusy(Exception):
    """The row stayed locked by another request for too long: nothing was changed."""


def lock_row(model: type[Row], row_id: int) -> Row:
    """Commit what this request wrote, then lock one row and read it afresh (raise RowBusy on
    timeout).

    Another request holding the lock keeps it until it commits; this waits for it and then
    sees what it stored. A row this transaction already read under its lock (read_locked)
    and has not written since is handed out as read, without asking the database again.
    """
    if not may_hold_writes(db.session) and (model, row_id) in db.session.info.get(LOCKED, ()):
        return db.session.get_one(model, row_id)  # from the identity map: read under the lock
    return _locked(lambda: db.session.scalars(_statement(model), {"row_id": row_id}).one())


def read_locked(model: type[Row], statement: Any, params: dict) -> Row | None:
    """Run a select of one row of model (written with_for_update, so that PostgreSQL locks
    it) under the lock lock_row takes, and keep the row locked for this transaction; return
    it, or None when there is none (raise RowBusy on timeout).

    For a request that reads a row in order to change it: its later lock_row of that row
    then needs no second read (docs/deploy.md, CPU per request).
    """
    row = _locked(lambda: db.session.scalars(statement, params).first())
    if row is not None:
        db.session.info.setdefault(LOCKED, set()).add((model, _id_column(row)))
    return row


def read_without_transaction() -> None:
    """Let a request that only reads run its statements without a transaction (PostgreSQL).

    A transaction costs two round trips of its own: psycopg's BEGIN before the first
    statement and the ROLLBACK when the request ends. A page that reads one row needs
    neither: each statement reads the latest commit either way (READ COMMITTED). A write
    that follows still works: a single statement commits on its own, and lock_row and
    read_locked leave this mode first (their lock needs a transaction). No-op on SQLite (a
    read starts no transaction there) and once the request's transaction has begun.
    """
    session = db.session()
    if session.in_transaction() or db.engine.dialect.name != "postgresql":
        return
    session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    session.info[NO_TRANSACTION] = True


def _locked(read: Callable[[], Any]) -> Any:
    """Commit what this request wrote, take the database's side of the lock, then read."""
    if may_hold_writes(db.session) or db.session.info.get(NO_TRANSACTION):
        db.session.commit()  # also ends autocommit: the next connection is in a transaction
    connection = db.session.connection()
    try:
        if connection.dialect.name == "sqlite":
            if connection.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
                db.session.commit()  # a write no event saw: never carried into the lock
                connection = db.session.connection()
            _begin_immediate(connection)
        elif connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_SECONDS}s'")
        return read()
    except OperationalError as error:  # "database is locked", lock_timeout
        db.session.rollback()
        raise RowBusy from error


def may_hold_writes(session: Session | scoped_session[Any]) -> bool:
    """Tell whether the session's transaction may hold a write not yet committed."""
    return bool(session.new or session.dirty or session.deleted or session.info.get(WROTE))


def _statement(model: Any) -> Any:
    statement = _statements.get(model)
    if statement is None:
        statement = _statements[model] = (
            select(model)
            .where(_id_column(model) == bindparam("row_id"))
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    return statement


def _id_column(model: Any) -> Any:
    return model.id


def _begin_immediate(connection) -> None:
    """Start a SQLite write transaction, waiting at most LOCK_TIMEOUT_SECONDS for the lock."""
    info = connection.connection.info  # lives as long as the pooled connection
    before = info.get(SQLITE_TIMEOUT)
    if before is None:
        before = info[SQLITE_TIMEOUT] = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
    connection.exec_driver_sql(f"PRAGMA busy_timeout = {LOCK_TIMEOUT_SECONDS * 1000}")
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    finally:
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(before)}")


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: Any) -> None:
    session.info[WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if not state.is_select:  # insert, update, delete, and any text() statement
        state.session.info[WROTE] = True


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outer transaction: committed or rolled back
        session.info.pop(WROTE, None)
        session.info.pop(LOCKED, None)  # its locks went with it
        session.info.pop(NO_TRANSACTION, None)  # the connection goes back to the pool as it was
