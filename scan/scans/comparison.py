"""How others in my sector do: per theme, where this scan stands among the submitted scans of
its sector, read from the trend counters (scan/scans/trend_counters.py), never from single scans.

Privacy, the way the trends are protected:
- The window is the 12 whole calendar months before this month. Scans of this month do not
  count yet, so a new scan never moves the figures: two pages seen before and after it are
  the same. The figures change only when a month is added to or leaves the window.
- A month with fewer than MIN_GROUP scans of the sector is left out (like a small group in
  the trends), so a window always gains or loses whole groups of at least MIN_GROUP scans.
- Per theme, the counts per score band of 10 points are merged with their neighbours until
  every merged band holds at least MIN_GROUP scans; the place of this scan is read from those
  merged bands only. A theme with fewer than MIN_GROUP scans in the window shows nothing.
- One scan per chain: the counters skip scans superseded by their submitted repeat.
What remains is one word per theme for the entrepreneur's own score. tests/test_comparison.py
writes the merged bands of consecutive windows as equations over every scan's band and
checks that none of them follows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from scan.platform.extensions import db
from scan.platform.models import Scan, TrendCount
from scan.scans import store, trend_counters
from scan.scans.trend_bands import BANDS

WINDOW_MONTHS = 12
LOW, MIDDLE, HIGH = "lager", "midden", "hoger"
WORDS = {
    LOW: "Lager dan de meeste",
    MIDDLE: "Rond het midden",
    HIGH: "Hoger dan de meeste",
}


@dataclass(frozen=True)
class Group:
    """Merged score bands [low, high) of one theme and how many scans they hold."""

    low: int
    high: int
    count: int


@dataclass(frozen=True)
class ThemePlace:
    """Where this scan's theme score stands among the sector's, and the groups it came from."""

    theme_id: str
    title: str
    place: str
    groups: tuple[Group, ...]

    @property
    def words(self) -> str:
        return WORDS[self.place]


def window(today: dt.date) -> list[str]:
    """Return the months ("2026-03") of the 12 whole months before today's month."""
    months, year, month = [], today.year, today.month
    for _ in range(WINDOW_MONTHS):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        months.append(f"{year:04d}-{month:02d}")
    return months


def merged_groups(bands: dict[int, int], min_group: int) -> tuple[Group, ...]:
    """Merge neighbouring score bands, lowest first, until each group has min_group scans;
    a small remainder at the top joins the group below it. Empty when all are too few."""
    groups: list[list[int]] = []
    low, count = 0, 0
    for band in range(BANDS):
        count += bands.get(band, 0)
        if count >= min_group:
            groups.append([low, band + 1, count])
            low, count = band + 1, 0
    if count and groups:
        groups[-1][1], groups[-1][2] = BANDS, groups[-1][2] + count
    elif groups:
        groups[-1][1] = BANDS
    width = 100 // BANDS
    return tuple(Group(lo * width, hi * width, n) for lo, hi, n in groups)


def place_of(score: float, groups: tuple[Group, ...]) -> str:
    """Return where a score stands: its group's middle rank under a quarter, over three
    quarters, or in between (the middle half of the sector's scans)."""
    total = sum(g.count for g in groups)
    below = 0
    for group in groups:
        if score < group.high or group is groups[-1]:
            rank = (below + group.count / 2) / total
            return LOW if rank < 0.25 else HIGH if rank > 0.75 else MIDDLE
        below += group.count
    return MIDDLE


def sector_bands(sector: str, today: dt.date, min_group: int) -> dict[str, dict[int, int]]:
    """Return per theme the scans per score band in the window, from the counters; months
    with fewer than min_group scans of the sector left out."""
    months = window(today)
    rows = db.session.execute(
        select(TrendCount.kind, TrendCount.month, TrendCount.key, TrendCount.n).where(
            TrendCount.questionnaire_id == sector,
            TrendCount.kind.in_((trend_counters.SCANS, trend_counters.BAND)),
            TrendCount.month.in_(months),
        )
    ).all()
    full = {m for kind, m, _, n in rows if kind == trend_counters.SCANS and n >= min_group}
    out: dict[str, dict[int, int]] = {}
    for kind, month, key, n in rows:
        if kind != trend_counters.BAND or month not in full or n <= 0:
            continue
        theme_id, _, band = key.rpartition("/")
        per_theme = out.setdefault(theme_id, {})
        per_theme[int(band)] = per_theme.get(int(band), 0) + n
    return out


def compare(scan: Scan, themes: dict[str, str], today: dt.date, min_group: int) -> list:
    """Return a ThemePlace per theme of the scan that has enough scans behind it, in order."""
    bands = sector_bands(scan.questionnaire_id, today, min_group)
    scores = {t.theme_id: t.score for t in scan.theme_scores}
    out = []
    for theme_id, title in themes.items():
        groups = merged_groups(bands.get(theme_id, {}), min_group)
        score = scores.get(theme_id)
        if groups and score is not None:
            out.append(ThemePlace(theme_id, title, place_of(score, groups), groups))
    return out


def comparison_for(scan: Scan) -> list[ThemePlace]:
    """Return the result page's and the PDF's comparison for a submitted scan (or nothing)."""
    if scan is None or scan.submitted_at is None:
        return []
    q = store.questionnaire_of(scan)
    themes = {t.id: t.title for t in q.themes}
    min_group = current_app.config["TRENDS_MIN_GROUP"]  # as the advisers' trends
    return compare(scan, themes, dt.date.today(), min_group)
