"""Progress of a repeat scan: per theme then and now, the overall change, advice, the line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scan.presentation import shown_change


@dataclass(frozen=True)
class ThemeChange:
    """One theme's score then and now (None: no score, or the theme did not exist)."""

    id: str
    title: str
    then: float | None
    now: float | None

    @property
    def change(self) -> int | None:
        """Return now minus then in the whole points shown, when both exist."""
        return shown_change(self.then, self.now)


@dataclass(frozen=True)
class Point:
    """One submitted scan of a chain on the line over time."""

    day: dt.date
    overall: float | None


@dataclass(frozen=True)
class Progress:
    """A repeat scan against the scan before it, and the chain's line over time."""

    then_day: dt.date
    themes: tuple[ThemeChange, ...]
    overall_then: float | None
    overall_now: float | None
    new: tuple[str, ...]  # advice ids that fire now and did not before
    resolved: tuple[str, ...]  # advice ids that fired before and do not now
    standing: tuple[str, ...]  # advice ids that fire both times
    resolved_titles: dict[str, str]
    line: tuple[Point, ...]  # oldest first; shown from three scans on

    @property
    def overall_change(self) -> int | None:
        """Return the overall score now minus then in the whole points shown, when both
        exist: the difference of the two figures the reader sees."""
        return shown_change(self.overall_then, self.overall_now)
