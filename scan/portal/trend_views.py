"""The advisers' trend pages: anonymised figures per sector and year, and their CSV export.

Routes of the advisers blueprint (scan/portal/views.py); the figures are scan/portal/trends.py.
"""

from __future__ import annotations

import datetime as dt

from flask import (
    Response,
    current_app,
    render_template,
    request,
)
from flask_login import current_user

from scan.platform.catalog import get_catalog
from scan.platform.models import utcnow
from scan.portal import trends
from scan.portal.auth import roles_required
from scan.portal.staff_sessions import fresh_login_required
from scan.portal.trends_csv import record_export
from scan.portal.trends_csv import trends_csv as trends_csv_text
from scan.portal.views import (
    TREND_ROLES,
    bp,
    risk_labels,
    sector_titles,
)
from scan.questionnaire import UnknownQuestionnaire


def _trend_filter() -> tuple[trends.Filter, str, str, dict[str, str]]:
    """Return the filter, sector and year asked for, and the years to choose from.

    Periods are calendar years: they never overlap, so one period's figures can never be
    subtracted from another's to find a small group.
    """
    sectors = sector_titles()
    sector = request.args.get("sector", "")
    if sector and sector not in sectors:
        sector = ""
    this_year = utcnow().year
    periods = {str(y): str(y) for y in sorted({this_year, *trends.years()}, reverse=True)}
    period = request.args.get("periode", "")
    if period not in periods:
        period = str(this_year)
    year = int(period)
    flt = trends.Filter(
        sector=sector or None, since=dt.datetime(year, 1, 1), until=dt.datetime(year + 1, 1, 1)
    )
    return flt, sector, period, periods


def _labels(sector: str) -> tuple[dict[str, str], dict[str, str]]:
    """Return theme titles and rule titles of a sector's current questionnaire."""
    try:
        q = get_catalog().get(sector)
    except UnknownQuestionnaire:
        return {}, {}
    return {t.id: t.title for t in q.themes}, {r.id: r.advice.title for r in q.rules}


def _trends(flt: trends.Filter, weak_point_limit: int) -> trends.Trends:
    """Return the trends for a filter with the configured smallest group."""
    return trends.figures_for(flt, weak_point_limit=weak_point_limit, min_group=_min_group())


def _min_group() -> int:
    """Return the smallest group trends show a figure for."""
    return current_app.config.get("TRENDS_MIN_GROUP", trends.MIN_GROUP)


@bp.get("/adviseur/trends")
@roles_required(*TREND_ROLES)
def trends_page():
    """Show anonymised trends per sector, theme and month, with charts."""
    flt, sector, period, periods = _trend_filter()
    data = _trends(flt, weak_point_limit=10)
    themes, rules = _labels(sector) if sector else ({}, {})
    return render_template(
        "advisers/trends.html",
        data=data,
        sector=sector,
        period=period,
        periods=periods,
        sectors=sector_titles(),
        risks=risk_labels(),
        theme_titles=themes,
        ordered_themes=sorted(data.themes, key=lambda f: _position(themes, f.key)),
        rule_titles=rules,
        min_group=_min_group(),
    )


def _position(order: dict[str, str], key: str) -> int:
    """Return where a key comes in an ordered dict (unknown keys last)."""
    return list(order).index(key) if key in order else len(order)


@bp.get("/adviseur/trends.csv")
@roles_required(*TREND_ROLES)
@fresh_login_required
def trends_csv():
    """Export the trend figures as CSV (hidden figures say "verborgen")."""
    flt, sector, period, _ = _trend_filter()
    data = _trends(flt, weak_point_limit=1000)
    sectors = sector_titles()
    themes, rules = _labels(sector) if sector else ({}, {})
    names = {
        "sector": sectors,
        "risiconiveau": risk_labels(),
        "onderwerp": themes,
        "zwak_punt": rules,
    }
    text = trends_csv_text(data, sectors.get(sector, "Alle sectoren"), names)
    record_export(current_user, sector, period)
    name = f"trends-{sector or 'alle'}-{period}-{utcnow():%Y%m%d}.csv"
    return Response(
        text, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
