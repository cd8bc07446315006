"""The embedded SQLite database serves a workshop: 50 entrepreneurs at once, no errors."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from conftest import create_tables, make_app
from sqlalchemy import func, select, text
from test_web_scans import ScanActions, form_data

from scan.platform.extensions import db
from scan.platform.models import Scan

USERS = 50


def test_sqlite__connections_use_wal_and_wait_when_busy(tmp_path):
    app = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}"})
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() >= 10_000


def test_sqlite__page_read_while_another_connection_commits__answers_at_once(tmp_path, catalog):
    path = tmp_path / "db.sqlite"
    app = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    app.extensions["scan_catalog"] = catalog
    with app.app_context():
        create_tables()
    scans = ScanActions(app.test_client())
    token = scans.start()
    locked, done = threading.Event(), threading.Event()

    def writer():  # holds the lock a commit takes, as a slow writer in another worker would
        connection = sqlite3.connect(path, isolation_level=None)
        connection.execute("BEGIN EXCLUSIVE")
        locked.set()
        done.wait(timeout=8)
        connection.execute("ROLLBACK")
        connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    locked.wait()
    try:
        response = scans.client.get(scans.at(token, "/"))
        writer_still_holds_the_lock = thread.is_alive()  # it lets go only when done is set
    finally:
        done.set()
        thread.join()
    assert response.status_code == 200
    assert writer_still_holds_the_lock  # the page did not wait for the writer's lock


# Fifty writers wait on SQLite's busy timeout: a loaded machine turns waits into 503s, so the
# test runs alone, after the parallel part (make test).
@pytest.mark.serial
def test_sqlite__fifty_concurrent_entrepreneurs__no_errors_no_lost_answers(tmp_path, catalog):
    app = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}"})
    app.extensions["scan_catalog"] = catalog
    with app.app_context():
        create_tables()
    q = catalog.get("voorbeeld")
    answers = q.examples[0].answers
    pages = [t.id for t in q.themes]
    barrier = threading.Barrier(USERS)
    failures: list[str] = []

    def entrepreneur():
        scans = ScanActions(app.test_client())
        try:
            barrier.wait()
            token = scans.start()
            for page in pages:
                response = scans.post_page(token, page, form_data(q, answers, page))
                assert response.status_code == 302, response.status_code
            assert scans.submit(token).status_code == 302
        except Exception as error:  # every failure counts, whatever its kind
            failures.append(repr(error)[:200])

    threads = [threading.Thread(target=entrepreneur) for _ in range(USERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with app.app_context():
        done = select(func.count()).select_from(Scan).where(Scan.submitted_at.is_not(None))
        assert db.session.scalar(done) == USERS
        assert all(s.answers == answers for s in db.session.scalars(select(Scan)))
        db.session.remove()
        db.engine.dispose()
