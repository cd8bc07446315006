"""A withdrawal and an adviser's change at the same moment: the withdrawal always wins cleanly."""

from __future__ import annotations

import datetime as dt
import threading

from portal_factories import make_org, make_user, share_scan, submitted_scan

from scan.platform.caseload_models import ShareCase, ShareSearchTerm
from scan.platform.extensions import db
from scan.platform.models import Share, User
from scan.portal import caseload
from scan.scans import sharing

ROUNDS = 4


def _at_once(app, *jobs) -> list[str]:
    """Run each job (session, share) -> None in its own thread and app context, all at once."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = []

    def run(job):
        with app.app_context():
            share = db.session.get(Share, job.share_id)
            barrier.wait()
            try:
                job(share)
                outcomes.append("done")
            except caseload.ShareGone:
                outcomes.append("gone")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_withdraw_and_adviser_change_together__no_case_left_for_a_withdrawn_share(db_app):
    with db_app.app_context():
        org = make_org("PVO Brabant-Zeeland")
        adviser_id = make_user("adviseur@pvo-bz.nl", "adviser", org).id
        share_ids = [share_scan(submitted_scan()[0], org, name="Jan").id for _ in range(ROUNDS)]

    for round_number, share_id in enumerate(share_ids):

        def withdraw(share):
            sharing.withdraw_share(share)

        def change(share, assign=round_number % 2):
            adviser = db.session.get(User, adviser_id)
            if assign:
                caseload.assign(share, adviser, adviser_id)
            else:
                day = dt.date(2026, 12, 7)
                caseload.set_next_action(share, adviser, "bellen", day)

        withdraw.share_id = change.share_id = share_id
        outcomes = _at_once(db_app, withdraw, change)
        assert sorted(outcomes) in (["done", "done"], ["done", "gone"]), outcomes
        with db_app.app_context():
            share = db.session.get(Share, share_id)
            assert share.withdrawn_at is not None and share.contact_name is None
            assert db.session.get(ShareCase, share_id) is None
            terms = db.select(ShareSearchTerm).filter_by(share_id=share_id)
            assert db.session.scalars(terms).all() == []
