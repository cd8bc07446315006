"""The trend counters migration creates the table of the model and fills it from the scans."""

from __future__ import annotations

import datetime as dt

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import make_app
from flask_migrate import downgrade, upgrade
from portal_factories import raw_scan
from sqlalchemy import inspect, select

from scan.platform.catalog import get_catalog
from scan.platform.extensions import db
from scan.platform.models import TrendCount
from scan.scans import trend_counters as trends

REVISION, DOWN = "7c1e5a9d2b40", "e94d2a61c0f8"


def _counters() -> dict:
    db.session.expire_all()
    return {
        (c.kind, c.month, c.questionnaire_id, c.key): (c.n, c.scored, c.score_tenths)
        for c in db.session.scalars(select(TrendCount))
    }


def test_migration__fills_counters_from_existing_scans_and_downgrades(database):
    app = make_app(database)
    with app.app_context():
        upgrade(revision=DOWN)
        q = get_catalog().get("vastgoed")
        for i, when in enumerate((dt.datetime(2026, 1, 5), dt.datetime(2026, 2, 5))):
            scan = raw_scan(
                "vastgoed",
                when,
                40.5 + i,
                "kwetsbaar",
                red_flag=i == 0,
                themes={q.themes[0].id: 33.3, q.themes[1].id: None},
                rules=(q.rules[0].id,),
                submitted=False,  # no counters table yet: the migration must count them
            )
            scan.submitted_at = when
        raw_scan("vastgoed", dt.datetime(2026, 2, 6), None, None, submitted=False)
        db.session.commit()

        upgrade()
        with db.engine.connect() as connection:
            diffs = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert [d for d in diffs if "trend_counts" in repr(d)] == []
        filled = _counters()
        assert filled[("scans", "2026-01", "vastgoed", "")] == (1, 1, 405)
        assert filled[("theme", "2026-02", "vastgoed", q.themes[1].id)] == (1, 0, 0)
        assert trends.rebuild(db.session) == len(filled)
        assert _counters() == filled

        db.session.remove()
        downgrade(revision=DOWN)
        with db.engine.connect() as connection:
            assert "trend_counts" not in inspect(connection).get_table_names()
        db.engine.dispose()
