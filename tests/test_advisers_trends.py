"""Anonymised trends: SQL aggregates per sector, theme, month and weak point; groups under 5 hidden.

Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL (the month grouping differs per database).
"""

from __future__ import annotations

import datetime as dt

import pytest
from portal_factories import login, make_org, make_user, raw_scan

from scan import trends
from scan.catalog import get_catalog
from scan.extensions import db
from scan.models import AuditEvent
from scan.web.advisers import _csv_cell

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
        raw_scan("vastgoed", MAR, None, None).submitted_at = None  # unfinished: never counted
        db.session.commit()


def _compute(app, **kwargs):
    with app.app_context():
        return trends.compute(db.session, trends.Filter(**kwargs))


def test_compute__all_sectors__small_sector_hidden(db_app, data):
    result = _compute(db_app)
    assert (result.total.n, result.total.average) == (10, round((300 + 50 + 280) / 10, 1))
    by_sector = {f.key: f for f in result.sectors}
    assert by_sector["vastgoed"].n == 6 and by_sector["vastgoed"].average == 58.3
    assert by_sector["haven"].suppressed and by_sector["haven"].average is None
    assert result.themes == [] and result.weak_points == []  # only per sector


def test_compute__months__small_months_hidden(db_app, data):
    months = {f.key: f for f in _compute(db_app).months}
    assert set(months) == {"2026-01", "2026-02", "2026-03"}
    assert (months["2026-02"].n, months["2026-02"].average) == (5, 60.0)
    assert months["2026-01"].suppressed and months["2026-03"].suppressed


def test_compute__sector__themes_weak_points_red_flags(db_app, data, ids):
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
    result = _compute(db_app, sector="vastgoed", since=dt.datetime(2026, 2, 1))
    assert result.total.n == 5
    assert _compute(db_app, sector="vastgoed", until=dt.datetime(2026, 2, 1)).total.suppressed


def test_compute__red_flags_from_five__shown(db_app, data, ids):
    with db_app.app_context():
        for _ in range(3):
            raw_scan("vastgoed", FEB, 10, "kwetsbaar", red_flag=True)
        db.session.commit()
    result = _compute(db_app, sector="vastgoed")
    assert result.red_flags.n == 6
    assert {f.key: f.n for f in result.risk_levels}["kwetsbaar"] == 5


def _adviser(app):
    with app.app_context():
        make_user("adviseur@pvo-bz.nl", "adviser", make_org("PVO Brabant-Zeeland"))
    client = app.test_client()
    login(client, "adviseur@pvo-bz.nl")
    return client


def test_page__hidden_groups_say_fewer_than_five(db_app, data, ids):
    client = _adviser(db_app)
    page = client.get("/adviseur/trends?periode=alles").get_data(as_text=True)
    assert "minder dan 5" in page and "58" in page
    sector = client.get("/adviseur/trends?sector=vastgoed&periode=alles").get_data(as_text=True)
    assert ids["title1"] in sector
    assert ids["rule1"].replace("'", "&#39;") in sector
    assert "<svg" in sector and "<script" not in sector.split("</footer>")[0]


def test_page__period_default_excludes_old_scans(db_app, data):
    client = _adviser(db_app)
    page = client.get("/adviseur/trends").get_data(as_text=True)  # last 12 months from today
    assert "minder dan 5 scans" in page or "Er zijn in deze periode minder dan 5" in page


def test_page__unknown_sector_and_period__fall_back(db_app, data):
    client = _adviser(db_app)
    assert client.get("/adviseur/trends?sector=../x&periode=99").status_code == 200


def test_csv__aggregates_with_suppression(db_app, data, ids):
    client = _adviser(db_app)
    response = client.get("/adviseur/trends.csv?sector=vastgoed&periode=alles")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True).lstrip("\ufeff")
    rows = [line.split(";") for line in text.splitlines()]
    assert rows[0] == ["onderdeel", "sleutel", "naam", "aantal_scans", "gemiddelde_score"]
    table = {(r[0], r[1]): r for r in rows[1:]}
    assert table[("totaal", "totaal")][3:] == ["6", "58.3"]
    assert table[("onderwerp", ids["t1"])][3:] == ["6", "58.3"]
    assert table[("maand", "2026-01")][3:] == ["<5", ""]
    assert table[("rode_vlag", "rode_vlag")][3:] == ["<5", ""]
    assert ("zwak_punt", ids["r2"]) not in table
    with db_app.app_context():
        event = db.session.scalar(db.select(AuditEvent).filter_by(action="export_trends"))
        assert "vastgoed" in event.detail


@pytest.mark.parametrize("value", ["=1+1", "+31 6", "-2", "@SUM(A1)"])
def test_csv_cell__formula__neutralised(value):
    assert _csv_cell(value) == "'" + value
    assert _csv_cell("Gewoon") == "Gewoon" and _csv_cell(None) == ""


def test_page__cached_for_a_while(db_app, data):
    client = _adviser(db_app)
    db_app.config["TRENDS_CACHE_SECONDS"] = 300
    assert '<span class="figure">10</span>' in client.get("/adviseur/trends?periode=alles").text
    with db_app.app_context():
        raw_scan("haven", MAR, 70, "aandacht_nodig")
        db.session.commit()
    assert '<span class="figure">10</span>' in client.get("/adviseur/trends?periode=alles").text
    db_app.config["TRENDS_CACHE_SECONDS"] = 0
    assert '<span class="figure">11</span>' in client.get("/adviseur/trends?periode=alles").text
