"""Helpers for race tests with real threads: start jobs together, slow down chosen writes."""

from __future__ import annotations

import threading
import time

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
