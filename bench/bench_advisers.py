"""Benchmark: adviser list and trend pages at 1,000, 10,000 and 100,000 scans.

Fills a fresh SQLite database per size with bulk inserts (scans spread over 24 months, five
themes and a few fired rules each, one in ten shared with the adviser's organisation), recounts
the trend counters (`trend_counters.rebuild`, as after a migration), then times each page
through the Flask test client (median of several requests). Baselines in the same run: /healthz
(a trivial page through the same stack), a bare SELECT COUNT(*), and the old trend computation
(GROUP BY over the scans themselves, before the counters) for the same sector and year. Aim:
every trend page under 20 ms at 100,000 scans, and flat (at most 1.5x from 1,000 to 100,000 scans).
Set BENCH_DATABASE_URL (PostgreSQL) to run against that server instead; it is emptied first.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, insert, select

SIZES = (1_000, 10_000, 100_000)
REPEAT = 7
SHARE_EVERY = 10  # one in ten scans is shared with organisation A
YEAR = 2026  # the bench's scans run up to November 2026
AIM_MS = 20.0
AIM_GROWTH = 1.5


def fill(session, n: int, org_a: int, org_b: int, seed: int = 6) -> None:
    """Insert n submitted scans with theme scores, fired rules and shares, in bulk."""
    from scan.platform.catalog import get_catalog
    from scan.platform.models import Scan, ScanFiredRule, ScanThemeScore, Share, new_public_id
    from scan.platform.stamps import hash_token
    from scan.scans import store

    rng = random.Random(seed)
    sectors = []
    for q in get_catalog().latest.values():
        version = store.pin_version(q)
        session.flush()
        sectors.append((q, version.id, [t.id for t in q.themes], [r for r in q.rules]))
    session.commit()
    start_id = (session.scalar(select(func.max(Scan.id))) or 0) + 1
    now = dt.datetime(2026, 11, 15, 12, 0)
    statuses = ("nieuw", "in_behandeling", "bezoek_gepland", "afgerond")
    batch = 10_000
    for offset in range(0, n, batch):
        scans, themes, rules, shares = [], [], [], []
        for i in range(offset, min(offset + batch, n)):
            scan_id = start_id + i
            q, version_id, theme_ids, q_rules = sectors[rng.randrange(len(sectors))]
            submitted = now - dt.timedelta(minutes=rng.randrange(24 * 30 * 24 * 60))
            overall = round(rng.triangular(10, 100, 65), 1)
            red = rng.random() < 0.05
            risk = (
                "kwetsbaar"
                if overall < 50 or red
                else ("aandacht_nodig" if overall < 75 else "weerbaar")
            )
            scans.append(
                {
                    "id": scan_id,
                    "token_hash": hash_token(f"bench-{scan_id}"),
                    "questionnaire_version_id": version_id,
                    "questionnaire_id": q.id,
                    "answers": {},
                    "created_at": submitted - dt.timedelta(minutes=20),
                    "updated_at": submitted,
                    "expires_at": submitted + dt.timedelta(days=900),
                    "submitted_at": submitted,
                    "overall": overall,
                    "risk_level": risk,
                    "red_flag": red,
                }
            )
            themes += [
                {
                    "scan_id": scan_id,
                    "theme_id": t,
                    "score": round(min(100, max(0, rng.gauss(overall, 15))), 1),
                }
                for t in theme_ids
            ]
            for rule in rng.sample(q_rules, min(len(q_rules), rng.randrange(7))):
                rules.append({"scan_id": scan_id, "rule_id": rule.id, "priority": rule.priority})
            if i % SHARE_EVERY == 0:
                shares.append(
                    {
                        "public_id": new_public_id(),
                        "scan_id": scan_id,
                        "organisation_id": org_b if i % (SHARE_EVERY * 5) == 0 else org_a,
                        "consent_version": "bench",
                        "consented_at": submitted,
                        "contact_name": f"Ondernemer {i}" if i % 3 == 0 else None,
                        "contact_company": None,
                        "contact_phone": None,
                        "contact_email": None,
                        "status": statuses[i % 4],
                        "visit_date": None,
                        "created_at": submitted,
                        "updated_at": submitted,
                        "withdrawn_at": None,
                    }
                )
        session.execute(insert(Scan), scans)
        session.execute(insert(ScanThemeScore), themes)
        session.execute(insert(ScanFiredRule), rules)
        if shares:
            session.execute(insert(Share), shares)
        session.commit()


def _median_ms(fn, repeat: int = REPEAT) -> float:
    fn()  # warm-up: caches, compiled templates, SQLite page cache
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _get(client, url: str):
    def run():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return run


PAGES = {
    "list (page 1)": "/adviseur/",
    "list filtered": "/adviseur/?sector=vastgoed&risico=kwetsbaar&status=nieuw",
    "list page 200": "/adviseur/?pagina=200",
    "trends all sectors": f"/adviseur/trends?periode={YEAR}",
    "trends sector": f"/adviseur/trends?sector=vastgoed&periode={YEAR}",
    "trends CSV": f"/adviseur/trends.csv?sector=vastgoed&periode={YEAR}",
}
TREND_PAGES = ("trends all sectors", "trends sector", "trends CSV")
OLD = "old trends SQL, sector"  # the baseline the trend pages are compared with


def old_compute(session, sector: str | None, since: dt.datetime, until: dt.datetime) -> list:
    """Run the trend queries as they were before the counters: GROUP BY over the scans."""
    from scan.platform.models import Scan, ScanFiredRule, ScanThemeScore

    where = [Scan.submitted_at.is_not(None), Scan.submitted_at >= since, Scan.submitted_at < until]
    if sector:
        where.append(Scan.questionnaire_id == sector)
    if session.get_bind().dialect.name == "postgresql":
        month = func.to_char(Scan.submitted_at, "YYYY-MM").label("month")
    else:
        month = func.strftime("%Y-%m", Scan.submitted_at).label("month")
    out = [
        session.execute(
            select(
                func.count(), func.avg(Scan.overall), func.count().filter(Scan.red_flag.is_(True))
            ).where(*where)
        ).all(),
        session.execute(
            select(Scan.questionnaire_id, func.count(), func.avg(Scan.overall))
            .where(*where)
            .group_by(Scan.questionnaire_id)
        ).all(),
        session.execute(
            select(Scan.risk_level, func.count()).where(*where).group_by(Scan.risk_level)
        ).all(),
        session.execute(
            select(month, func.count(), func.avg(Scan.overall))
            .where(*where)
            .group_by(month)
            .order_by(month)
        ).all(),
    ]
    if sector:
        out.append(
            session.execute(
                select(ScanThemeScore.theme_id, func.count(ScanThemeScore.score))
                .join(Scan, Scan.id == ScanThemeScore.scan_id)
                .where(*where)
                .group_by(ScanThemeScore.theme_id)
            ).all()
        )
        out.append(
            session.execute(
                select(ScanFiredRule.rule_id, func.count())
                .join(Scan, Scan.id == ScanFiredRule.scan_id)
                .where(*where)
                .group_by(ScanFiredRule.rule_id)
                .having(func.count() >= 10)
            ).all()
        )
    return out


def measure(n: int, database_url: str | None) -> dict[str, float]:
    """Build a database with n scans and return the median milliseconds per page."""
    from argon2 import PasswordHasher

    from scan import create_app
    from scan.platform.extensions import db
    from scan.platform.models import Scan
    from scan.portal import accounts, trends
    from scan.scans import trend_counters

    accounts._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    with tempfile.TemporaryDirectory() as folder:
        uri = database_url or f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        app = create_app(
            {
                "SECRET_KEY": "bench",
                "SQLALCHEMY_DATABASE_URI": uri,
                "SESSION_COOKIE_SECURE": False,
                "RATELIMIT_ENABLED": False,
            }
        )
        with app.app_context():
            db.drop_all()
            db.create_all()
            db.session.remove()
            org_a = accounts.create_organisation("PVO Bench A")
            org_b = accounts.create_organisation("PVO Bench B")
            db.session.flush()
            accounts.create_user("a@bench.nl", "bench-password-123", "adviser", org_a)
            db.session.commit()
            start = time.perf_counter()
            fill(db.session, n, org_a.id, org_b.id)
            fill_s = time.perf_counter() - start
            start = time.perf_counter()
            counters = trend_counters.rebuild(db.session)
            rebuild_s = time.perf_counter() - start
            db.session.execute(db.text("ANALYZE"))
            db.session.commit()
            client = app.test_client()
            page = client.get("/inloggen").get_data(as_text=True)
            token = page.split('name="csrf_token"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
            client.post(
                "/inloggen",
                data={"email": "a@bench.nl", "password": "bench-password-123", "csrf_token": token},
            )
            year = (dt.datetime(YEAR, 1, 1), dt.datetime(YEAR + 1, 1, 1))
            results = {
                "baseline /healthz": _median_ms(_get(client, "/healthz")),
                "baseline COUNT(*)": _median_ms(
                    lambda: db.session.scalar(select(func.count()).select_from(Scan))
                ),
                "old trends SQL, all": _median_ms(lambda: old_compute(db.session, None, *year)),
                OLD: _median_ms(lambda: old_compute(db.session, "vastgoed", *year)),
                "new trends.compute, sector": _median_ms(
                    lambda: trends.compute(db.session, trends.Filter("vastgoed", *year))
                ),
            }
            for name, url in PAGES.items():
                results[name] = _median_ms(_get(client, url))
            print(
                f"  {n:>7,} scans: filled in {fill_s:.1f} s, {counters} trend counters "
                f"recounted in {rebuild_s:.2f} s",
                flush=True,
            )
            if database_url:
                db.session.remove()  # end the open transaction, or DROP waits for its locks
                db.drop_all()
        return results


def main() -> None:
    """Run every size and print times, the ratio to /healthz, and growth from the smallest size."""
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "").split(",") if s] or list(SIZES)
    database_url = os.environ.get("BENCH_DATABASE_URL")
    if database_url:
        from scan.platform.config import database_uri

        database_url = database_uri(database_url)
    runs = {n: measure(n, database_url) for n in sizes}
    first = sizes[0]
    print(
        f"  {'page':<26}" + "".join(f"{n:>12,}" for n in sizes) + "   x /healthz at max   growth x"
    )
    for name in runs[first]:
        row = f"  {name:<26}" + "".join(f"{runs[n][name]:>10.1f}ms" for n in sizes)
        ratio = runs[sizes[-1]][name] / runs[sizes[-1]]["baseline /healthz"]
        growth = runs[sizes[-1]][name] / runs[first][name]
        print(f"{row}   {ratio:>10.1f}x        {growth:>6.1f}x")
    print(
        f"  growth x = time at {sizes[-1]:,} scans / time at {first:,} scans "
        f"(data grew {sizes[-1] // first}x)"
    )
    last = runs[sizes[-1]]
    for name in TREND_PAGES:
        figure, baseline = last[name], last[OLD]
        growth = figure / runs[first][name]
        ok = figure < AIM_MS and (len(sizes) == 1 or growth <= AIM_GROWTH)
        print(
            f"  {name} at {sizes[-1]:,} scans: {figure:.1f} ms vs old SQL alone {baseline:.1f} ms "
            f"(x{figure / baseline:.2f}), growth x{growth:.2f}; aim < {AIM_MS:.0f} ms and "
            f"growth <= x{AIM_GROWTH}: {'MET' if ok else 'NOT MET'}"
        )


if __name__ == "__main__":
    sys.exit(main())
