"""Anonymised trends over submitted scans, computed in SQL; groups under 5 scans are hidden.

Trends cover every submitted scan, shared or not: they are aggregates that identify no one,
and only counting shared scans would show a small, skewed part of the picture. To keep them
anonymous, no figure is given for a group of fewer than MIN_GROUP scans, and rules that fired
for fewer than MIN_GROUP scans are left out of the weak points entirely.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import Scan, ScanFiredRule, ScanThemeScore

MIN_GROUP = 5


@dataclass(frozen=True)
class Figure:
    """One group's size and average; both None when the group is too small to show."""

    key: str
    n: int | None
    average: float | None = None

    @property
    def suppressed(self) -> bool:
        """Return whether the group was too small to show."""
        return self.n is None


def _figure(key: str, n: int, average: float | None = None) -> Figure:
    if n < MIN_GROUP:
        return Figure(key, None, None)
    return Figure(key, n, None if average is None else round(float(average), 1))


@dataclass(frozen=True)
class Filter:
    """Which submitted scans the trends cover: a sector (or all) and a period."""

    sector: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None

    def where(self) -> list:
        """Return the SQL conditions on the scans table."""
        conditions = [Scan.submitted_at.is_not(None)]
        if self.sector:
            conditions.append(Scan.questionnaire_id == self.sector)
        if self.since:
            conditions.append(Scan.submitted_at >= self.since)
        if self.until:
            conditions.append(Scan.submitted_at < self.until)
        return conditions


@dataclass(frozen=True)
class Trends:
    """Every aggregate the trend page and its CSV export show."""

    total: Figure
    sectors: list[Figure]
    risk_levels: list[Figure]
    months: list[Figure]
    themes: list[Figure]
    weak_points: list[Figure]
    red_flags: Figure


def _month(session: Session):
    """Return a 'YYYY-MM' SQL expression for the submission month in this database."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(Scan.submitted_at, "YYYY-MM")
    return func.strftime("%Y-%m", Scan.submitted_at)


def compute(session: Session, flt: Filter, weak_point_limit: int = 10) -> Trends:
    """Compute all trend aggregates for a filter (a handful of GROUP BY queries)."""
    where = flt.where()
    total_n, total_avg, red = session.execute(
        select(
            func.count(),
            func.avg(Scan.overall),
            func.count().filter(Scan.red_flag.is_(True)),
        ).where(*where)
    ).one()

    sectors = session.execute(
        select(Scan.questionnaire_id, func.count(), func.avg(Scan.overall))
        .where(*where)
        .group_by(Scan.questionnaire_id)
        .order_by(Scan.questionnaire_id)
    ).all()

    risks = session.execute(
        select(Scan.risk_level, func.count()).where(*where).group_by(Scan.risk_level)
    ).all()

    month = _month(session).label("month")
    months = session.execute(
        select(month, func.count(), func.avg(Scan.overall))
        .where(*where)
        .group_by(month)
        .order_by(month)
    ).all()

    themes: list = []
    weak: list = []
    if flt.sector:
        themes = session.execute(
            select(
                ScanThemeScore.theme_id,
                func.count(ScanThemeScore.score),
                func.avg(ScanThemeScore.score),
            )
            .join(Scan, Scan.id == ScanThemeScore.scan_id)
            .where(*where)
            .group_by(ScanThemeScore.theme_id)
        ).all()
        count = func.count().label("n")
        weak = session.execute(
            select(ScanFiredRule.rule_id, count)
            .join(Scan, Scan.id == ScanFiredRule.scan_id)
            .where(*where)
            .group_by(ScanFiredRule.rule_id)
            .having(func.count() >= MIN_GROUP)
            .order_by(count.desc(), ScanFiredRule.rule_id)
            .limit(weak_point_limit)
        ).all()

    return Trends(
        total=_figure("totaal", total_n, total_avg),
        sectors=[_figure(s, n, avg) for s, n, avg in sectors],
        risk_levels=[_figure(r or "", n) for r, n in risks],
        months=[_figure(m, n, avg) for m, n, avg in months],
        themes=[_figure(t, n, avg) for t, n, avg in themes],
        weak_points=[_figure(r, n) for r, n in weak],
        red_flags=_figure("rode_vlag", red) if total_n >= MIN_GROUP else Figure("rode_vlag", None),
    )
