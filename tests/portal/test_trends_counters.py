"""Trend counters: kept up to date by submit, delete and expiry, also when submits race.

Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL: the upserts differ per database.
"""

from __future__ import annotations

import datetime as dt
import random
import threading

from conftest import create_tables
from portal_factories import make_org, raw_scan, share_scan, submitted_scan
from sqlalchemy import select

from scan.platform.catalog import get_catalog
from scan.platform.extensions import db
from scan.platform.models import Scan, TrendCount, utcnow
from scan.scans import store
from scan.scans import trend_counters as trends

SECTORS = ("vastgoed", "haven", "transport")


def _counters() -> dict[tuple, tuple]:
    """Return every non-zero counter as {(kind, month, sector, key): (n, scored, tenths)}."""
    db.session.expire_all()
    return {
        (c.kind, c.month, c.questionnaire_id, c.key): (c.n, c.scored, c.score_tenths)
        for c in db.session.scalars(select(TrendCount))
        if (c.n, c.scored, c.score_tenths) != (0, 0, 0)
    }


def _random_raw_scan(rng: random.Random) -> Scan:
    sector = rng.choice(SECTORS)
    q = get_catalog().get(sector)
    when = dt.datetime(2026, rng.randint(1, 6), rng.randint(1, 28), rng.randint(0, 23))
    overall = rng.choice([None, round(rng.uniform(0, 100), 1)])
    scan = raw_scan(
        sector,
        when,
        overall,
        rng.choice([None, *(lvl.id for lvl in q.risk_levels)]),
        red_flag=rng.random() < 0.3,
        themes={t.id: rng.choice([None, round(rng.uniform(0, 100), 1)]) for t in q.themes},
        rules=tuple(r.id for r in rng.sample(q.rules, rng.randint(0, 4))),
    )
    scan.expires_at = when + dt.timedelta(days=rng.randint(30, 400))
    return scan


def test_counters__random_history__equal_a_full_recount(db_app):
    rng = random.Random(14)
    with db_app.app_context():
        org = make_org("PVO Brabant-Zeeland")
        live: list[Scan] = []
        shares = []
        expired = 0
        for step in range(60):
            action = rng.choice(["raw", "raw", "submit", "share", "withdraw", "delete", "expire"])
            if action == "raw":
                live.append(_random_raw_scan(rng))
                db.session.commit()
            elif action == "submit":
                live.append(submitted_scan(rng.choice(SECTORS), rng.randrange(3))[0])
            elif action == "share" and live:
                shares.append(share_scan(rng.choice(live), org))
            elif action == "withdraw" and shares:
                shares.pop().withdrawn_at = utcnow()
                db.session.commit()
            elif action == "delete" and live:
                store.delete_scan(live.pop(rng.randrange(len(live))))
            elif action == "expire":
                expired += store.expire_scans(
                    now=dt.datetime(2026, 5, 1) + dt.timedelta(days=4 * step)
                )
                live = list(db.session.scalars(select(Scan)))
            shares = [s for s in shares if s in db.session]
        db.session.commit()
        kept = _counters()
        assert kept and expired, "the history left no scans or expired none: pick another seed"
        assert trends.rebuild(db.session) == len(kept)
        assert _counters() == kept


def test_counters__unfinished_scan__not_counted_until_submitted(db_app):
    with db_app.app_context():
        q = get_catalog().get("vastgoed")
        scan, _ = store.start_scan(q, ttl_days=90)
        assert _counters() == {}
        scan.answers = dict(q.examples[0].answers)
        result = store.submit_scan(scan, q)
        month = f"{scan.submitted_at:%Y-%m}"
        counters = _counters()
        assert counters[("scans", month, "vastgoed", "")][0] == 1
        assert counters[("risk", month, "vastgoed", result.risk.id)] == (1, 0, 0)
        store.delete_scan(scan)
        assert _counters() == {}


def test_counters__concurrent_submits__each_counted_once(db_app):
    """Eight threads submit scans of the same sector and month at the same moment."""
    with db_app.app_context():
        q = get_catalog().get("vastgoed")
        started = [store.start_scan(q, ttl_days=90)[1] for _ in range(16)]
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def submit(tokens: list[str]) -> None:
        try:
            with db_app.app_context():
                barrier.wait(timeout=10)
                for token in tokens:
                    scan = store.find_scan(token)
                    q = store.questionnaire_of(scan)
                    scan.answers = dict(q.examples[0].answers)
                    store.submit_scan(scan, q)
                db.session.remove()
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=submit, args=(started[i::8],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with db_app.app_context():
        counters = _counters()
        month = f"{utcnow():%Y-%m}"
        assert counters[("scans", month, "vastgoed", "")][0] == 16
        trends.rebuild(db.session)
        assert _counters() == counters


def test_counters__same_scan_deleted_twice_at_once__subtracted_once(database):
    """Two deletions of one scan race; only one subtracts (a row lock on PostgreSQL, one
    writer at a time on SQLite)."""
    from conftest import make_app

    app = make_app(database)
    with app.app_context():
        create_tables()
        for _ in range(2):
            submitted_scan("vastgoed")
        scan_id = db.session.scalar(select(Scan.id).limit(1))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def delete() -> None:
        with app.app_context():
            scan = db.session.get(Scan, scan_id)
            barrier.wait(timeout=10)
            try:
                store.delete_scan(scan)
                outcomes.append("deleted")
            except Exception:  # the loser finds the row gone
                db.session.rollback()
                outcomes.append("gone")
            db.session.remove()

    threads = [threading.Thread(target=delete) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    with app.app_context():
        assert sorted(outcomes) == ["deleted", "gone"]
        counters = _counters()
        assert counters[("scans", f"{utcnow():%Y-%m}", "vastgoed", "")][0] == 1
        trends.rebuild(db.session)
        assert _counters() == counters
        db.session.remove()
        db.engine.dispose()


def test_rebuild_command__recounts(app, runner):
    with app.app_context():
        submitted_scan("vastgoed")
        expected = _counters()
        db.session.query(TrendCount).delete()
        db.session.commit()
    result = runner.invoke(args=["trends", "rebuild"])
    assert result.exit_code == 0, result.output
    assert f"{len(expected)} trend counter(s) recounted." in result.output
    with app.app_context():
        assert _counters() == expected
