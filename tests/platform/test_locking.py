"""Row locks (scan/platform/locking.py): what was written before a lock is committed first, a
read goes on into the lock without a commit, and the locked row is always the latest one."""

from __future__ import annotations

import threading

from race_support import selects_from, statements_run
from sqlalchemy import event, select, update

from scan.platform.account_models import Organisation
from scan.platform.extensions import db
from scan.platform.locking import lock_row, read_locked, read_without_transaction


def _organisation(name: str = "PVO Noord") -> int:
    organisation = Organisation(name=name)
    db.session.add(organisation)
    db.session.commit()
    return organisation.id


def _commits() -> list[int]:
    commits: list[int] = []
    session = db.session()
    event.listen(session, "after_commit", lambda _s: commits.append(1))
    return commits


def test_lock_after_an_orm_write__commits_it_first(db_app):
    with db_app.app_context():
        first = _organisation()
        db.session.add(Organisation(name="PVO Zuid"))  # written before the lock
        lock_row(Organisation, first)
        db.session.rollback()  # the locked change is refused
        names = set(db.session.scalars(select(Organisation.name)))
    assert names == {"PVO Noord", "PVO Zuid"}


def test_lock_after_a_core_write__commits_it_first(db_app):
    with db_app.app_context():
        first = _organisation()
        second = _organisation("PVO Zuid")
        db.session.execute(update(Organisation).where(Organisation.id == second).values(kind="x"))
        lock_row(Organisation, first)
        db.session.rollback()
        assert db.session.scalar(select(Organisation.kind).where(Organisation.id == second)) == "x"


def test_lock_after_only_reading__no_commit_in_between(db_app):
    with db_app.app_context():
        first = _organisation()
        db.session.remove()
        commits = _commits()
        assert db.session.get(Organisation, first).name == "PVO Noord"
        lock_row(Organisation, first).kind = "bedrijf"
        assert commits == []  # the read went on into the lock
        db.session.commit()
        assert commits == [1]
        db.session.remove()
        assert db.session.get(Organisation, first).kind == "bedrijf"


def test_lock_after_reading__sees_what_another_request_committed_since(db_app):
    with db_app.app_context():
        first = _organisation()
        db.session.remove()
        read = db.session.get(Organisation, first)
        assert read.kind == "pvo"

        def other_request():
            with db_app.app_context():
                db.session.execute(
                    update(Organisation).where(Organisation.id == first).values(kind="branche")
                )
                db.session.commit()

        thread = threading.Thread(target=other_request)
        thread.start()
        thread.join()
        assert lock_row(Organisation, first).kind == "branche"
        db.session.rollback()


def _locked_read(row_id: int):
    statement = (
        select(Organisation)
        .where(Organisation.id == row_id)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )
    return read_locked(Organisation, statement, {})


def _held_until_commit(app, row: Organisation) -> None:
    """Check that another request's lock_row of this locked row waits for this request's
    commit and then sees what it stored."""
    seen: list[str] = []

    def other_request():
        with app.app_context():
            seen.append(lock_row(Organisation, row.id).kind)
            db.session.rollback()

    thread = threading.Thread(target=other_request)
    thread.start()
    thread.join(timeout=0.5)
    assert thread.is_alive() and seen == []  # waiting for the lock
    row.kind = "bedrijf"
    db.session.commit()
    thread.join(timeout=10)
    assert seen == ["bedrijf"]


def test_read_locked__then_lock_row__no_second_read(db_app):
    with db_app.app_context():
        first = _organisation()
        db.session.remove()
        with statements_run(db.engine, selects_from("organisations")) as reads:
            row = _locked_read(first)
            assert lock_row(Organisation, first) is row
            assert len(reads) == 1
            row.kind = "bedrijf"
            db.session.commit()
            lock_row(Organisation, first)  # a new transaction: read (and locked) again
            assert len(reads) == 2
            db.session.rollback()


def test_read_locked__holds_the_row_against_another_lock_until_commit(db_app):
    """A second request's lock_row waits for the locked read's commit and sees what it stored."""
    with db_app.app_context():
        first = _organisation()
        db.session.remove()
        _held_until_commit(db_app, _locked_read(first))


def test_read_locked__after_a_write__commits_it_first_and_a_later_write_relocks(db_app):
    with db_app.app_context():
        first = _organisation()
        db.session.add(Organisation(name="PVO Zuid"))  # written before the lock
        with statements_run(db.engine, selects_from("organisations")) as reads:
            _locked_read(first)
            db.session.rollback()
            assert "PVO Zuid" in set(db.session.scalars(select(Organisation.name)))
            _locked_read(first)
            db.session.add(Organisation(name="PVO West"))  # written under the lock
            before = len(reads)
            lock_row(Organisation, first)  # commits that write, then locks and reads again
            assert len(reads) == before + 1
            db.session.rollback()
        assert "PVO West" in set(db.session.scalars(select(Organisation.name)))


def test_lock_after_reading_without_a_transaction__holds_until_commit(db_app):
    """read_without_transaction (autocommit on PostgreSQL) never leaks into a lock: lock_row
    leaves it first, so the row stays locked until the commit."""
    with db_app.app_context():
        first = _organisation()
        db.session.remove()
        read_without_transaction()
        assert db.session.get(Organisation, first).name == "PVO Noord"
        _held_until_commit(db_app, lock_row(Organisation, first))
