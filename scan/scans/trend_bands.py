"""Score bands of the trend counters: per theme, how many scans scored 0-10, 10-20 ... 90-100.

The entrepreneur's comparison with the sector (scan/scans/comparison.py) reads them; the
trend counters (scan/scans/trend_counters.py) keep them with the other counters.
"""

from __future__ import annotations

from sqlalchemy import case

BANDS = 10  # bands of 10 points; a score of 100 falls in the last


def band_key(theme_id: str, score: float) -> str:
    """Return the band counter's key of a theme score: "toegang/3" for 30 up to 40."""
    return f"{theme_id}/{min(int(score // (100 / BANDS)), BANDS - 1)}"


def band_sql(theme_id, score):
    """Return band_key in SQL, for recounting and subtracting."""
    width = 100 / BANDS
    cases = [(score < width * (b + 1), theme_id.concat(f"/{b}")) for b in range(BANDS - 1)]
    return case(*cases, else_=theme_id.concat(f"/{BANDS - 1}"))
