"""Helpers for race tests with real threads: start jobs together, slow down chosen writes,
see which statements a piece of work runs."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import sqlalchemy


def together(*jobs, timeout: float = 60) -> list:
    """Run the jobs in threads that start at the same moment; return what each returned
    (or the exception it raised)."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index, job):
        barrier.wait()
        try:
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - the test looks at what went wrong
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results


def slow_statements(engine, prefixes: tuple[str, ...], delay: float) -> None:
    """Make every statement that starts with one of the prefixes wait first, so that racing
    requests all read before any of them writes."""

    @sqlalchemy.event.listens_for(engine, "before_cursor_execute")
    def _slow(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(prefixes):
            time.sleep(delay)


@contextmanager
def statements_run(engine, keep: Callable[[str], bool] = lambda _statement: True) -> Iterator[list]:
    """Collect the statements (those that keep() takes) the engine runs inside the block."""
    statements: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        if keep(statement):
            statements.append(statement)

    sqlalchemy.event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        sqlalchemy.event.remove(engine, "before_cursor_execute", note)


def selects_from(table: str) -> Callable[[str], bool]:
    """Return a statements_run filter that keeps the SELECTs of one table."""
    return lambda statement: (
        statement.lstrip().upper().startswith("SELECT") and f"FROM {table}" in statement
    )
