"""How others in my sector do: band counters kept like the other trend counters, shown only
with enough scans behind every figure, and a differencing attack that learns nothing."""

from __future__ import annotations

import datetime as dt
import random
from fractions import Fraction

import pytest
from portal_factories import raw_scan
from sqlalchemy import select

from scan.platform.catalog import get_catalog
from scan.platform.extensions import db
from scan.platform.models import TrendCount
from scan.scans import comparison
from scan.scans import trend_counters as trends

SECTOR = "vastgoed"


def _theme() -> str:
    return get_catalog().get(SECTOR).themes[0].id


def _scan(theme: str, when: dt.datetime, score: float):
    return raw_scan(SECTOR, when, score, "kwetsbaar", themes={theme: score})


def _bands() -> dict:
    db.session.expire_all()
    return {
        (c.month, c.key): c.n
        for c in db.session.scalars(select(TrendCount).where(TrendCount.kind == trends.BAND))
        if c.n
    }


def test_band_counters__kept_on_submit_and_delete_and_equal_to_a_rebuild(db_app):
    with db_app.app_context():
        theme = _theme()
        scans = [_scan(theme, dt.datetime(2026, 3, 2 + i), s) for i, s in enumerate((5, 35, 38))]
        db.session.commit()
        assert _bands() == {("2026-03", f"{theme}/0"): 1, ("2026-03", f"{theme}/3"): 2}
        trends.record_removed(db.session, [scans[1].id])
        db.session.delete(scans[1])
        db.session.commit()
        kept = _bands()
        assert kept == {("2026-03", f"{theme}/0"): 1, ("2026-03", f"{theme}/3"): 1}
        trends.rebuild(db.session)
        assert _bands() == kept


def test_comparison__shown_from_the_tenth_scan_of_a_month_and_never_from_this_month(db_app):
    today = dt.date(2026, 6, 15)
    with db_app.app_context():
        theme = _theme()
        own = _scan(theme, dt.datetime(2026, 6, 1), 80.0)
        for i in range(9):
            _scan(theme, dt.datetime(2026, 5, 1 + i), 10.0 * i)
        db.session.commit()
        assert comparison.compare(own, {theme: "T"}, today, 10) == []
        for i in range(5):  # this month: not counted yet
            _scan(theme, dt.datetime(2026, 6, 2 + i), 50.0)
        db.session.commit()
        assert comparison.compare(own, {theme: "T"}, today, 10) == []
        _scan(theme, dt.datetime(2026, 5, 20), 95.0)  # the tenth of May
        db.session.commit()
        [place] = comparison.compare(own, {theme: "T"}, today, 10)
        assert place.theme_id == theme and place.place == comparison.MIDDLE
        assert sum(g.count for g in place.groups) == 10
        assert all(g.count >= 10 for g in place.groups)


def test_place__below_around_or_above_the_middle_half():
    groups = comparison.merged_groups({0: 10, 3: 10, 5: 10, 9: 10}, 10)
    assert [(g.low, g.high, g.count) for g in groups] == [
        (0, 10, 10),
        (10, 40, 10),
        (40, 60, 10),
        (60, 100, 10),
    ]
    assert comparison.place_of(5, groups) == comparison.LOW
    assert comparison.place_of(45, groups) == comparison.MIDDLE
    assert comparison.place_of(100, groups) == comparison.HIGH
    # Too few scans: nothing; a small top joins the group below it.
    assert comparison.merged_groups({2: 9}, 10) == ()
    top = comparison.merged_groups({1: 10, 8: 3}, 10)
    assert [(g.low, g.high, g.count) for g in top] == [(0, 100, 13)]


# --- the differencing attack ------------------------------------------------------------------


def _reduce(rows: list[dict], names: list) -> list[tuple[int, list[Fraction]]]:
    """Return the rows in reduced row echelon form, each with its pivot column."""
    matrix = [[Fraction(row.get(n, 0)) for n in names] for row in rows]
    basis: list[tuple[int, list[Fraction]]] = []
    for vector in matrix:
        vector = _eliminate(vector, basis)
        pivot = next((i for i, v in enumerate(vector) if v), None)
        if pivot is None:
            continue
        vector = [v / vector[pivot] for v in vector]
        basis = [(p, _eliminate(b, [(pivot, vector)])) for p, b in basis]
        basis.append((pivot, vector))
    return basis


def _eliminate(vector: list[Fraction], basis) -> list[Fraction]:
    for pivot, row in basis:
        if vector[pivot]:
            factor = vector[pivot]
            vector = [a - factor * b for a, b in zip(vector, row, strict=True)]
    return vector


def _learned(rows: list[dict], targets: list[dict]) -> list[dict]:
    """Return the targets that follow from the rows (lie in their span)."""
    names = sorted({n for row in rows + targets for n in row})
    basis = _reduce(rows, names)
    found = []
    for target in targets:
        vector = [Fraction(target.get(n, 0)) for n in names]
        if not any(_eliminate(vector, basis)):
            found.append(target)
    return found


PLAN = {(2026, 3): 12, (2026, 4): 4, (2026, 5): 10}  # April is a small month
LATER = 11  # scans submitted in June, one by one
DAYS = [dt.date(2026, 6, 28), dt.date(2026, 7, 10), dt.date(2027, 4, 5), dt.date(2027, 6, 2)]


def _snapshot(theme: str, today: dt.date, months: dict) -> tuple[list, list]:
    """Return the figures the page works from on a day, and the months they cover."""
    bands = comparison.sector_bands(SECTOR, today, 10).get(theme, {})
    groups = comparison.merged_groups(bands, 10)
    counted = [m for m in comparison.window(today) if months.get(m, 0) >= 10]
    return [(g.low // 10, g.high // 10, g.count) for g in groups], counted


def _equations(snapshots, scans_by_month) -> list[tuple[dict, int]]:
    rows = []
    for groups, counted in snapshots:
        for low, high, count in groups:
            cells = {
                (scan, band): 1
                for month in counted
                for scan in scans_by_month.get(month, [])
                for band in range(low, high)
            }
            rows.append((cells, count))
    everyone = {scan for scans in scans_by_month.values() for scan in scans}
    rows += [({(scan, band): 1 for band in range(10)}, 1) for scan in everyone]  # one band each
    return rows


def _targets(scans_by_month) -> list[dict]:
    """Anything about one scan: that its band lies in a range (the full range is known)."""
    everyone = sorted({scan for scans in scans_by_month.values() for scan in scans})
    return [
        {(scan, band): 1 for band in range(low, high)}
        for scan in everyone
        for low in range(10)
        for high in range(low + 1, 11)
        if (low, high) != (0, 10)
    ]


@pytest.mark.slow
def test_differencing_attack__consecutive_snapshots_learn_nothing_about_one_scan(db_app):
    rng = random.Random(23)
    truth: dict[int, int] = {}
    scans_by_month: dict[str, list[int]] = {}
    months: dict[str, int] = {}
    snapshots = []
    with db_app.app_context():
        theme = _theme()

        def add(when: dt.datetime) -> None:
            score = float(rng.randrange(0, 1001)) / 10
            scan = _scan(theme, when, score)
            db.session.commit()
            month = f"{when:%Y-%m}"
            truth[scan.id] = min(int(score // 10), 9)
            scans_by_month.setdefault(month, []).append(scan.id)
            months[month] = months.get(month, 0) + 1

        for (year, month), count in PLAN.items():
            for i in range(count):
                add(dt.datetime(year, month, 1 + i))
        for i in range(LATER):  # the attacker looks after every new scan of this month
            add(dt.datetime(2026, 6, 1 + i))
            snapshots.append(_snapshot(theme, DAYS[0], months))
        assert all(s == snapshots[0] for s in snapshots), "a new scan moved the figures"
        assert snapshots[0][0], "nothing shown: the data set does not test the protection"
        for day in DAYS[1:]:
            snapshots.append(_snapshot(theme, day, months))

    rows = _equations(snapshots, scans_by_month)
    for cells, value in rows:  # the figures are true
        assert sum(k for (scan, band), k in cells.items() if truth[scan] == band) == value
    assert _learned([cells for cells, _ in rows], _targets(scans_by_month)) == []


def test_differencing_attack__a_window_that_moves_with_every_scan__finds_one(db_app):
    """Control: were the figures counted over every scan up to now (this month included, no
    small-month rule), the same attack learns where the newest scan stands."""
    rows: list[dict] = []
    present: list[int] = []
    with db_app.app_context():
        theme = _theme()
        for i, score in enumerate([15.0] * 10 + [85.0] * 10 + [5.0]):
            present.append(_scan(theme, dt.datetime(2026, 6, 1 + i), score).id)
            db.session.commit()
            if len(present) < 20:
                continue
            naive = {
                int(c.key.rpartition("/")[2]): c.n
                for c in db.session.scalars(
                    select(TrendCount).where(
                        TrendCount.kind == trends.BAND, TrendCount.key.like(f"{theme}/%")
                    )
                )
            }
            for group in comparison.merged_groups(naive, 10):
                bands = range(group.low // 10, group.high // 10)
                rows.append({(scan, band): 1 for scan in present for band in bands})
    newest = present[-1]
    learned = _learned(rows, _targets({"2026-06": present}))
    assert {(newest, 0): 1, (newest, 1): 1} in learned


def test_migration__fills_band_counters_from_existing_scans_and_downgrades(database):
    from conftest import make_app
    from flask_migrate import downgrade, upgrade

    app = make_app(database)
    with app.app_context():
        upgrade(revision="9b1d5e2c7a40")
        theme = _theme()
        for day, score in ((2, 35.0), (3, 100.0)):
            scan = raw_scan(
                SECTOR,
                dt.datetime(2026, 3, day),
                score,
                None,
                themes={theme: score},
                submitted=False,
            )  # the migration must count them
            scan.submitted_at = dt.datetime(2026, 3, day)
        db.session.commit()
        upgrade()
        assert _bands() == {("2026-03", f"{theme}/3"): 1, ("2026-03", f"{theme}/9"): 1}
        db.session.remove()
        downgrade(revision="9b1d5e2c7a40")
        assert _bands() == {}
        db.session.remove()
        downgrade(revision="base")
        db.engine.dispose()


def test_pdf__comparison_and_this_weeks_calls_on_the_first_page(catalog):
    import io

    from pypdf import PdfReader

    from scan.report import render_pdf
    from scan.scoring import score

    q = catalog.get(SECTOR)
    example = next(e for e in q.examples if e.name == "kwetsbaar")
    rows = [(q.themes[0].title, comparison.WORDS[comparison.LOW])]
    pdf = render_pdf(score(q, example.answers), q, reference="t", comparison=rows)
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]
    assert "Doe dit deze week" in pages[0] and "0800-7000" in pages[0]
    text = " ".join(pages)
    assert "Vergeleken met andere ondernemers in uw sector" in text
    assert "Lager dan de meeste" in text
    plain = PdfReader(io.BytesIO(render_pdf(score(q, example.answers), q, reference="t")))
    assert not any("Vergeleken met andere" in p.extract_text() for p in plain.pages)
