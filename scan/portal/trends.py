"""Anonymised trends over submitted scans, from counters kept per sector and month.

Trends cover every submitted scan, shared or not: they are aggregates that identify no one,
and only counting shared scans would show a small, skewed part of the picture. Of a chain of
repeat scans only the latest submitted one counts: submitting a repeat marks the scan before
it `superseded` and subtracts it, and every count here skips those.

Counters: scan/scans/trend_counters.py keeps `trend_counts` per sector and month up to date on
submit, delete and expiry; the page reads a few hundred rows, however many scans there are.

Privacy: the trend page offers fixed breakdowns only: one sector or all, and one calendar
year (years never overlap). Within a year every published count belongs to a few fixed
tables (sector x month, sector x risk level, red flags per sector, each with its totals).
Counts under the smallest group (TRENDS_MIN_GROUP, default 10) are hidden, and `protect` then
hides more figures until no hidden figure follows from a total and the other figures of its
row or column. The pattern depends on the year only, so every view and the CSV agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, literal_column, or_, select
from sqlalchemy.orm import Session

from scan.platform.extensions import db
from scan.platform.models import TrendCount
from scan.scans.trend_counters import RED_FLAG, RISK, RULE, SCANS, THEME

MIN_GROUP = 10

ALL = "*"  # the sector key of figures over all sectors

Key = tuple  # a figure's place in the tables, e.g. ("month", "vastgoed", "2026-02")


# --- figures -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One group's size and average; both None when the figure is hidden."""

    key: str
    n: int | None
    average: float | None = None

    @property
    def suppressed(self) -> bool:
        """Return whether the figure is hidden (a small group, or one that would reveal it)."""
        return self.n is None


@dataclass(frozen=True)
class Filter:
    """Which submitted scans the trends cover: a sector (or all) and whole months.

    since and until are month starts (until exclusive); scans are counted per month.
    """

    sector: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None

    def months(self) -> list:
        """Return the SQL conditions on the counters' month column."""
        conditions = []
        if self.since:
            conditions.append(TrendCount.month >= f"{self.since:%Y-%m}")
        if self.until:
            conditions.append(TrendCount.month < f"{self.until:%Y-%m}")
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


@dataclass
class _Tables:
    """The counts of one period that add up: sector x month, sector x level, red flags."""

    counts: dict[Key, int] = field(default_factory=dict)
    sums: dict[Key, tuple[int, int]] = field(default_factory=dict)  # (scored, score tenths)
    lines: list[tuple[Key, list[Key]]] = field(default_factory=list)


def _read(session: Session, flt: Filter) -> list:
    """Return the period's counters in one query: scans per sector and month, levels and red
    flags per sector, and themes and rules of the chosen sector."""
    month = case((TrendCount.kind == SCANS, TrendCount.month), else_=literal_column("''"))
    month = month.label("month_or_period")
    wanted = TrendCount.kind.in_((SCANS, RISK, RED_FLAG))
    if flt.sector:
        wanted = or_(
            wanted,
            and_(TrendCount.kind.in_((THEME, RULE)), TrendCount.questionnaire_id == flt.sector),
        )
    total = func.sum(TrendCount.n)
    found = session.execute(
        select(
            TrendCount.kind,
            TrendCount.questionnaire_id,
            month,
            TrendCount.key,
            total,
            func.sum(TrendCount.scored),
            func.sum(TrendCount.score_tenths),
        )
        .where(wanted, *flt.months())
        .group_by(TrendCount.kind, TrendCount.questionnaire_id, month, TrendCount.key)
        .having(total > 0)
    )
    # PostgreSQL sums integers as numeric: make them plain ints again.
    return [(*row[:4], int(row[4]), int(row[5]), int(row[6])) for row in found]


def _tables(rows: list) -> _Tables:
    """Lay out the tables of one period (every sector) and the lines that add up in them."""
    t = _Tables()
    months_of: dict[str, set[str]] = {}
    levels_of: dict[str, set[str]] = {}
    for kind, sector, month, _, n, scored, tenths in rows:
        if kind == SCANS:
            for s in (sector, ALL):
                _add(t, ("month", s, month), n, scored, tenths)
                _add(t, ("total", s), n, scored, tenths)
                months_of.setdefault(s, set()).add(month)
                t.counts.setdefault(("red", s), 0)
    for kind, sector, _, key, n, _, _ in rows:
        if kind in (RISK, RED_FLAG):
            for s in (sector, ALL):
                if kind == RISK:
                    _add(t, ("risk", s, key), n)
                    levels_of.setdefault(s, set()).add(key)
                else:
                    _add(t, ("red", s), n)
    sectors = sorted(s for s in months_of if s != ALL)
    every = [*sectors, ALL] if sectors else []
    for s in every:
        t.lines.append((("total", s), [("month", s, m) for m in sorted(months_of[s])]))
        t.lines.append((("total", s), [("risk", s, lvl) for lvl in sorted(levels_of.get(s, ()))]))
    for m in sorted(months_of.get(ALL, ())):
        t.lines.append((("month", ALL, m), [("month", s, m) for s in sectors]))
    for lvl in sorted(levels_of.get(ALL, ())):
        t.lines.append((("risk", ALL, lvl), [("risk", s, lvl) for s in sectors]))
    if sectors:
        t.lines.append((("total", ALL), [("total", s) for s in sectors]))
        t.lines.append((("red", ALL), [("red", s) for s in sectors]))
    return t


def _add(t: _Tables, key: Key, n: int, scored: int = 0, tenths: int = 0) -> None:
    t.counts[key] = t.counts.get(key, 0) + n
    old = t.sums.get(key, (0, 0))
    t.sums[key] = (old[0] + scored, old[1] + tenths)


def protect(counts: dict[Key, int], lines: list[tuple[Key, list[Key]]], min_group: int) -> set:
    """Return the figures to hide: groups under min_group, and enough others to cover them.

    Each line is a total with the parts that add up to it. Hiding one figure of a line is not
    enough (the total minus the others gives it back), nor is hiding parts that add up to
    less than min_group; so while a line is open like that, one more of its figures is
    hidden: the one that opens the fewest other lines, then the smallest. Every line is
    checked again until none is open. A total with a single part is that part: the two are
    hidden together.
    """
    same = _merge_single_parts(counts, lines)
    groups: dict[Key, list[Key]] = {}
    for key in counts:
        groups.setdefault(same(key), []).append(key)
    merged = []
    for total, parts in lines:
        members = {same(p) for p in parts if p in counts}
        if total in counts and same(total) not in members and len(members) > 1:
            merged.append((same(total), sorted(members)))
    # Widest totals first: a hidden sector total then covers its small months and levels.
    merged.sort(key=lambda line: (-counts[line[0]], line[0]))
    lines_of: dict[Key, list[int]] = {}
    for index, (total, parts) in enumerate(merged):
        for member in (total, *parts):
            lines_of.setdefault(member, []).append(index)
    hidden = {g for g in groups if counts[g] < min_group}

    def is_open(index: int, hide: set) -> bool:
        total, parts = merged[index]
        hidden_parts = [p for p in parts if p in hide]
        if len(hidden_parts) + (total in hide) == 1:
            return True
        return total not in hide and 0 < sum(counts[p] for p in hidden_parts) < min_group

    def cost(group: Key, index: int) -> tuple:
        more = hidden | {group}
        opened = sum(
            1 for i in lines_of[group] if i != index and not is_open(i, hidden) and is_open(i, more)
        )
        return (opened, counts[group], group)

    changed = True
    while changed:
        changed = False
        for index, (total, parts) in enumerate(merged):
            if not is_open(index, hidden):
                continue
            candidates = [p for p in parts if p not in hidden and counts[p] > 0]
            if total not in hidden:
                candidates.append(total)
            hidden.add(min(candidates, key=lambda group: cost(group, index)))
            changed = True
    return {key for group in hidden for key in groups[group]}


def _merge_single_parts(counts: dict[Key, int], lines: list[tuple[Key, list[Key]]]):
    """Return a function giving each figure's representative, one per set of equal figures."""
    parent: dict[Key, Key] = {}

    def find(key: Key) -> Key:
        while parent.get(key, key) != key:
            key = parent[key]
        return key

    for total, parts in lines:
        present = [p for p in parts if p in counts]
        if total in counts and len(present) == 1:
            a, b = sorted((find(total), find(present[0])))
            if a != b:
                parent[b] = a
    return find


def years() -> list[int]:
    """Return the years that have submitted scans, newest first."""
    year = func.substr(TrendCount.month, 1, 4)
    found = db.session.scalars(
        select(year).where(TrendCount.kind == SCANS, TrendCount.n > 0).group_by(year)
    )
    return sorted((int(y) for y in found), reverse=True)


def compute(
    session: Session, flt: Filter, weak_point_limit: int = 10, min_group: int = MIN_GROUP
) -> Trends:
    """Compute all trend figures for a filter from the counters, with hidden groups protected."""
    rows = _read(session, flt)
    t = _tables(rows)
    hidden = protect(t.counts, t.lines, min_group)
    s = flt.sector or ALL

    def figure(name: str, key: Key, with_average: bool = True) -> Figure:
        n = t.counts.get(key, 0)
        if key in hidden or key not in t.counts:
            return Figure(name, None, None)
        scored, tenths = t.sums.get(key, (0, 0))
        average = round(tenths / scored / 10, 1) if with_average and scored else None
        return Figure(name, n, average)

    total = figure("totaal", ("total", s))
    if total.suppressed:
        # Nothing else is shown: theme counts would give the hidden total back.
        return Trends(total, [], [], [], [], [], Figure("rode_vlag", None))
    sectors = sorted({k[1] for k in t.counts if k[0] == "total" and k[1] != ALL})
    months = sorted({k[2] for k in t.counts if k[0] == "month" and k[1] == s})
    levels = sorted({k[2] for k in t.counts if k[0] == "risk" and k[1] == s})
    themes: list[Figure] = []
    weak: list[Figure] = []
    if flt.sector:
        rows = [(kind, key, n, scored, tenths) for kind, _, _, key, n, scored, tenths in rows]
        for kind, key, _n, scored, tenths in rows:
            if kind == THEME:
                themes.append(
                    Figure(key, None, None)
                    if scored < min_group
                    else Figure(key, int(scored), round(int(tenths) / int(scored) / 10, 1))
                )
        fired = sorted(
            ((-int(n), key) for kind, key, n, _, _ in rows if kind == RULE and n >= min_group)
        )
        weak = [Figure(key, -negative) for negative, key in fired[:weak_point_limit]]
    return Trends(
        total=total,
        sectors=[figure(x, ("total", x)) for x in sectors if flt.sector in (None, x)],
        risk_levels=[figure(lvl, ("risk", s, lvl), with_average=False) for lvl in levels],
        months=[figure(m, ("month", s, m)) for m in months],
        themes=sorted(themes, key=lambda f: f.key),
        weak_points=weak,
        red_flags=figure("rode_vlag", ("red", s), with_average=False),
    )


def figures_for(flt: Filter, weak_point_limit: int, min_group: int) -> Trends:
    """Compute the trend figures on the app's database session (see compute)."""
    return compute(db.session, flt, weak_point_limit=weak_point_limit, min_group=min_group)
