"""Anonymised trends: counters per sector, theme, month and weak point; small groups protected.

Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL (the month grouping differs per database).
Most tests here use a smallest group of 5 on a small data set (the default, 10, is tested too).
"""

from __future__ import annotations

import datetime as dt

import pytest
from portal_factories import login, make_org, make_user, raw_scan

from scan.platform.catalog import get_catalog
from scan.platform.extensions import db
from scan.platform.models import AuditEvent
from scan.portal import trends
from scan.portal.trends_csv import csv_cell as _csv_cell

JAN, FEB, MAR = (dt.datetime(2026, m, 10, 12) for m in (1, 2, 3))


@pytest.fixture
def ids(db_app):
    """Theme and rule ids of the vastgoed questionnaire."""
    with db_app.app_context():
        q = get_catalog().get("vastgoed")
        return {
            "t1": q.themes[0].id,
            "t2": q.themes[1].id,
            "title1": q.themes[0].title,
            "r1": q.rules[0].id,
            "r2": q.rules[1].id,
            "rule1": q.rules[0].advice.title,
        }


@pytest.fixture
def data(db_app, ids):
    """Six vastgoed scans (five in February, one in January), four haven scans (March)."""
    with db_app.app_context():
        scores = [20, 40, 60, 80, 100]
        for i, score in enumerate(scores):
            raw_scan(
                "vastgoed",
                FEB + dt.timedelta(days=i),
                score,
                "kwetsbaar" if score < 50 else "weerbaar",
                red_flag=i < 3,
                themes={ids["t1"]: score, ids["t2"]: None if i == 0 else 50},
                rules=(ids["r1"],) + ((ids["r2"],) if i < 4 else ()),
            )
        raw_scan(
            "vastgoed",
            JAN,
            50,
            "aandacht_nodig",
            themes={ids["t1"]: 50, ids["t2"]: 50},
            rules=(ids["r1"],),
        )
        for i in range(4):
            raw_scan("haven", MAR + dt.timedelta(days=i), 70, "aandacht_nodig")
        raw_scan("vastgoed", MAR, None, None, submitted=False)  # unfinished: never counted
        db.session.commit()


def _compute(app, min_group=5, **kwargs):
    with app.app_context():
        return trends.compute(db.session, trends.Filter(**kwargs), min_group=min_group)


def _fifth_haven_scan(app):
    """Make the haven group 5 scans, so that no other figure is needed to cover it."""
    with app.app_context():
        raw_scan("haven", MAR, 70, "aandacht_nodig")
        db.session.commit()


def test_compute__all_sectors__small_sector_hidden(db_app, data):
    result = _compute(db_app)
    assert (result.total.n, result.total.average) == (10, round((300 + 50 + 280) / 10, 1))
    by_sector = {f.key: f for f in result.sectors}
    assert by_sector["haven"].suppressed and by_sector["haven"].average is None
    # 10 in all minus 6 in vastgoed would give haven's 4 back, so vastgoed is hidden as well.
    assert by_sector["vastgoed"].suppressed and by_sector["vastgoed"].average is None
    assert result.themes == [] and result.weak_points == []  # only per sector


def test_compute__all_sectors__sector_shown_when_others_large_enough(db_app, data):
    _fifth_haven_scan(db_app)
    by_sector = {f.key: f for f in _compute(db_app).sectors}
    assert by_sector["vastgoed"].n == 6 and by_sector["vastgoed"].average == 58.3
    assert (by_sector["haven"].n, by_sector["haven"].average) == (5, 70.0)


def test_compute__months__small_months_hidden(db_app, data):
    months = {f.key: f for f in _compute(db_app).months}
    assert set(months) == {"2026-01", "2026-02", "2026-03"}
    assert (months["2026-02"].n, months["2026-02"].average) == (5, 60.0)
    assert months["2026-01"].suppressed and months["2026-03"].suppressed


def test_compute__sector__themes_weak_points_red_flags(db_app, data, ids):
    _fifth_haven_scan(db_app)
    result = _compute(db_app, sector="vastgoed")
    assert result.total.n == 6
    themes = {f.key: f for f in result.themes}
    assert (themes[ids["t1"]].n, themes[ids["t1"]].average) == (6, 58.3)
    assert (themes[ids["t2"]].n, themes[ids["t2"]].average) == (5, 50.0)  # NULL not counted
    weak = {f.key: f.n for f in result.weak_points}
    assert weak == {ids["r1"]: 6}  # r2 fired for only 4 scans: left out altogether
    assert result.red_flags.suppressed  # 3 red flags: too few to show
    risks = {f.key: f.n for f in result.risk_levels}
    assert risks == {"weerbaar": None, "kwetsbaar": None, "aandacht_nodig": None}  # 3, 2, 1


def test_compute__period__older_scans_left_out(db_app, data):
    _fifth_haven_scan(db_app)
    result = _compute(db_app, sector="vastgoed", since=dt.datetime(2026, 2, 1))
    assert result.total.n == 5
    assert _compute(db_app, sector="vastgoed", until=dt.datetime(2026, 2, 1)).total.suppressed


def test_compute__red_flags_from_five__shown(db_app, data, ids):
    _fifth_haven_scan(db_app)
    with db_app.app_context():
        for _ in range(3):
            raw_scan("vastgoed", FEB, 10, "kwetsbaar", red_flag=True)
        db.session.commit()
    result = _compute(db_app, sector="vastgoed")
    assert result.red_flags.n == 6
    # 9 scans minus 5 kwetsbaar would leave 4 for the two hidden levels: too few to hide in.
    assert {f.key: f.n for f in result.risk_levels}["kwetsbaar"] is None


def _adviser(app, min_group=5):
    app.config["TRENDS_MIN_GROUP"] = min_group
    with app.app_context():
        make_user("adviseur@pvo-bz.nl", "adviser", make_org("PVO Brabant-Zeeland"))
    client = app.test_client()
    login(client, "adviseur@pvo-bz.nl")
    return client


def test_page__hidden_groups_say_fewer_than_five(db_app, data, ids):
    _fifth_haven_scan(db_app)
    client = _adviser(db_app)
    page = client.get("/adviseur/trends?periode=2026").get_data(as_text=True)
    assert "minder dan 5" in page and "verborgen" in page and "58" in page
    sector = client.get("/adviseur/trends?sector=vastgoed&periode=2026").get_data(as_text=True)
    assert ids["title1"] in sector
    assert ids["rule1"].replace("'", "&#39;") in sector
    assert "<svg" in sector and "<script" not in sector.split("</footer>")[0]


def test_page__period_default_excludes_old_scans(db_app, data):
    client = _adviser(db_app, min_group=10)  # the default smallest group
    page = client.get("/adviseur/trends").get_data(as_text=True)  # this calendar year
    assert "minder dan 10 scans" in page and "minder dan 5" not in page


def test_page__years__listed_and_never_overlapping(db_app, data):
    with db_app.app_context():
        for i in range(5):
            raw_scan("haven", dt.datetime(2025, 6, 1 + i), 10, "kwetsbaar")
        db.session.commit()
    client = _adviser(db_app)
    page = client.get("/adviseur/trends?periode=2025").text
    assert '<option value="2025" selected>' in page and '<option value="2026"' in page
    assert '<span class="figure">5</span>' in page  # only 2025's scans
    assert '<span class="figure">10</span>' in client.get("/adviseur/trends?periode=2026").text


def test_page__unknown_sector_and_period__fall_back(db_app, data):
    client = _adviser(db_app)
    assert client.get("/adviseur/trends?sector=../x&periode=99").status_code == 200


def test_csv__aggregates_with_suppression(db_app, data, ids):
    _fifth_haven_scan(db_app)
    client = _adviser(db_app)
    response = client.get("/adviseur/trends.csv?sector=vastgoed&periode=2026")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True).lstrip("\ufeff")
    rows = [line.split(";") for line in text.splitlines()]
    assert rows[0] == ["onderdeel", "sleutel", "naam", "aantal_scans", "gemiddelde_score"]
    table = {(r[0], r[1]): r for r in rows[1:]}
    assert table[("totaal", "totaal")][3:] == ["6", "58.3"]
    assert table[("onderwerp", ids["t1"])][3:] == ["6", "58.3"]
    assert table[("maand", "2026-01")][3:] == ["verborgen", ""]
    assert table[("maand", "2026-02")][3:] == ["verborgen", ""]  # 6 - 5 would give January
    assert table[("rode_vlag", "rode_vlag")][3:] == ["verborgen", ""]
    assert ("zwak_punt", ids["r2"]) not in table
    with db_app.app_context():
        event = db.session.scalar(db.select(AuditEvent).filter_by(action="export_trends"))
        assert "vastgoed" in event.detail


@pytest.mark.parametrize("value", ["=1+1", "+31 6", "-2", "@SUM(A1)"])
def test_csv_cell__formula__neutralised(value):
    assert _csv_cell(value) == "'" + value
    assert _csv_cell("Gewoon") == "Gewoon" and _csv_cell(None) == ""


def test_page__new_scan__counted_at_once(db_app, data):
    client = _adviser(db_app)
    assert '<span class="figure">10</span>' in client.get("/adviseur/trends?periode=2026").text
    with db_app.app_context():
        raw_scan("haven", MAR, 70, "aandacht_nodig")
        db.session.commit()
    assert '<span class="figure">11</span>' in client.get("/adviseur/trends?periode=2026").text
