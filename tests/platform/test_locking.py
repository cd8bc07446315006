"""Row locks (scan/platform/locking.py): what was written before a lock is committed first, a
read goes on into the lock without a commit, and the locked row is always the latest one."""

from __future__ import annotations

import threading

from sqlalchemy import event, select, update

from scan.platform.account_models import Organisation
from scan.platform.extensions import db
from scan.platform.locking import lock_row


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
