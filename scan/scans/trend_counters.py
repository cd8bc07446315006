"""Trend counters: kept up to date when a scan is submitted, deleted or expires.

`trend_counts` holds, per sector (questionnaire id) and submission month, the number of scans,
the scans per risk level, the red flags, the scores per theme, the scans per theme and score
band of 10 points (scan/scans/trend_bands.py, for the comparison with the sector in
scan/scans/comparison.py) and the fired rules. Submitting a
scan adds to them (`record_submitted`), deleting or expiring one subtracts (`record_removed`),
both with atomic upserts in the same transaction as the scan itself. Of a chain of repeat scans
only the latest submitted one counts: submitting a repeat marks the scan before it `superseded`
and subtracts it (scan/scans/repeats.py). `rebuild` recounts everything. The advisers' trend
figures (scan/portal/trends.py) read these counters.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, literal, literal_column, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from scan.platform.models import Scan, ScanFiredRule, ScanFollowUp, ScanThemeScore, TrendCount
from scan.scans.trend_bands import band_key, band_sql

SCANS, RED_FLAG, RISK, THEME, RULE = "scans", "red_flag", "risk", "theme", "rule"
BAND = "band"  # per theme and score band: scan/scans/trend_bands.py


def _tenths(score: float | None) -> int:
    """Return a score in tenths as an integer, so that sums stay exact under +/-."""
    return 0 if score is None else round(score * 10)


def _deltas(scan: Scan) -> Counter:
    """Return the counter increments for one submitted scan."""
    sector, month = scan.questionnaire_id, f"{scan.submitted_at:%Y-%m}"
    out: Counter = Counter()

    def add(kind: str, key: str, score: float | None = None, scored: bool = False) -> None:
        out[(kind, month, sector, key, "n")] += 1
        if scored:
            out[(kind, month, sector, key, "scored")] += 1
            out[(kind, month, sector, key, "score_tenths")] += _tenths(score)

    add(SCANS, "", scan.overall, scan.overall is not None)
    add(RISK, scan.risk_level or "")
    if scan.red_flag:
        add(RED_FLAG, "")
    for theme in scan.theme_scores:
        add(THEME, theme.theme_id, theme.score, theme.score is not None)
        if theme.score is not None:
            add(BAND, band_key(theme.theme_id, theme.score))
    for rule in scan.fired_rules:
        add(RULE, rule.rule_id)
    return out


def _rows(deltas: Counter) -> list[dict]:
    """Turn counter deltas into one row per counter."""
    rows: dict[tuple, dict] = {}
    for (kind, month, sector, key, column), value in deltas.items():
        row = rows.setdefault(
            (kind, month, sector, key),
            {
                "kind": kind,
                "month": month,
                "questionnaire_id": sector,
                "key": key,
                "n": 0,
                "scored": 0,
                "score_tenths": 0,
            },
        )
        row[column] += value
    return list(rows.values())


def _upsert(session: Session, rows: list[dict]) -> None:
    """Add the rows' figures to their counters (creating them), one atomic upsert per row."""
    if not rows:
        return
    order = ("kind", "month", "questionnaire_id", "key")
    merged: dict[tuple, dict] = {}
    for row in rows:
        key = tuple(row[c] for c in order)
        if key in merged:
            for c in ("n", "scored", "score_tenths"):
                merged[key][c] += row[c]
        else:
            merged[key] = dict(row)
    # A stable order keeps two transactions from locking the same rows in opposite orders.
    session.execute(_upsert_statement(session), [merged[k] for k in sorted(merged)])


_UPSERTS: dict[str, Any] = {}


def _upsert_statement(session: Session):
    """Return the INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n for this database."""
    name = session.get_bind().dialect.name
    if name not in _UPSERTS:
        table = TrendCount.__table__
        stmt = (postgresql if name == "postgresql" else sqlite).insert(table)
        _UPSERTS[name] = stmt.on_conflict_do_update(
            index_elements=[table.c.kind, table.c.month, table.c.questionnaire_id, table.c.key],
            set_={c: table.c[c] + stmt.excluded[c] for c in ("n", "scored", "score_tenths")},
        )
    return _UPSERTS[name]


def record_submitted(session: Session, scan: Scan) -> None:
    """Count a scan that is being submitted (call before the commit that submits it)."""
    _upsert(session, _rows(_deltas(scan)))


def _month_sql(session: Session, column):
    """Return a 'YYYY-MM' SQL expression for a timestamp column in this database."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


_SUPERSEDED = (
    select(ScanFollowUp.scan_id)
    .where(ScanFollowUp.scan_id == Scan.id, ScanFollowUp.superseded.is_(True))
    .exists()
)


def _counted(session: Session, *conditions) -> list[dict]:
    """Return the counter rows of the submitted scans that meet the conditions, in SQL."""
    month = _month_sql(session, Scan.submitted_at).label("month")
    kind = literal_column  # a constant per query, not a bound parameter PostgreSQL must group
    zero = literal(0)
    queries = [
        select(
            kind(f"'{SCANS}'"),
            month,
            Scan.questionnaire_id,
            literal(""),
            func.count(),
            func.count(Scan.overall),
            func.round(func.sum(Scan.overall * 10)),
        ),
        select(
            kind(f"'{RISK}'"),
            month,
            Scan.questionnaire_id,
            func.coalesce(Scan.risk_level, ""),
            func.count(),
            zero,
            zero,
        ).group_by(Scan.risk_level),
        select(
            kind(f"'{RED_FLAG}'"),
            month,
            Scan.questionnaire_id,
            literal(""),
            func.count(),
            zero,
            zero,
        ).where(Scan.red_flag.is_(True)),
        select(
            kind(f"'{THEME}'"),
            month,
            Scan.questionnaire_id,
            ScanThemeScore.theme_id,
            func.count(),
            func.count(ScanThemeScore.score),
            func.round(func.sum(ScanThemeScore.score * 10)),
        )
        .join(ScanThemeScore, ScanThemeScore.scan_id == Scan.id)
        .group_by(ScanThemeScore.theme_id),
        select(
            kind(f"'{BAND}'"),
            month,
            Scan.questionnaire_id,
            band_sql(ScanThemeScore.theme_id, ScanThemeScore.score).label("band"),
            func.count(),
            zero,
            zero,
        )
        .join(ScanThemeScore, ScanThemeScore.scan_id == Scan.id)
        .where(ScanThemeScore.score.is_not(None))
        .group_by("band"),
        select(
            kind(f"'{RULE}'"),
            month,
            Scan.questionnaire_id,
            ScanFiredRule.rule_id,
            func.count(),
            zero,
            zero,
        )
        .join(ScanFiredRule, ScanFiredRule.scan_id == Scan.id)
        .group_by(ScanFiredRule.rule_id),
    ]
    rows = []
    for query in queries:
        # One scan per chain: an earlier scan whose repeat was submitted no longer counts.
        query = query.where(Scan.submitted_at.is_not(None), ~_SUPERSEDED, *conditions).group_by(
            month, Scan.questionnaire_id
        )
        for k, m, sector, key, n, scored, tenths in session.execute(query):
            rows.append(
                {
                    "kind": k,
                    "month": m,
                    "questionnaire_id": sector,
                    "key": key,
                    "n": n,
                    "scored": scored,
                    "score_tenths": int(tenths or 0),
                }
            )
    return rows


def record_removed(session: Session, scan_ids: Iterable[int]) -> None:
    """Uncount submitted scans that are about to be deleted (call before deleting them).

    The scan rows are locked first (on PostgreSQL), so two deletions of the same scan at once
    subtract it once: the second waits, then finds nothing left to subtract.
    """
    ids = list(scan_ids)
    for start in range(0, len(ids), 500):
        locked = session.scalars(
            select(Scan.id)
            .where(Scan.id.in_(ids[start : start + 500]), Scan.submitted_at.is_not(None))
            .with_for_update()
        ).all()
        if locked:
            _upsert(session, [_negative(row) for row in _counted(session, Scan.id.in_(locked))])


def _negative(row: dict) -> dict:
    return {**row, **{c: -row[c] for c in ("n", "scored", "score_tenths")}}


def rebuild(session: Session) -> int:
    """Recount every counter from the scans table; return the number of counter rows; commit."""
    if session.get_bind().dialect.name == "postgresql":
        # Submissions and deletions wait while we recount, so none is counted twice or missed.
        session.execute(text("LOCK TABLE trend_counts IN EXCLUSIVE MODE"))
    session.execute(delete(TrendCount))  # on SQLite this takes the write lock first
    rows = _counted(session)
    if rows:
        session.execute(TrendCount.__table__.insert(), rows)
    session.commit()
    return len(rows)
