"""Double clicks with real threads on SQLite and PostgreSQL (issue 22): saving one action-plan
step twice at once and clicking "Doe de scan opnieuw" twice give no 5xx and exactly one result."""

from __future__ import annotations

import re

import pytest
from conftest import make_app
from portal_factories import submitted_scan
from race_support import slow_statements, together

from scan.platform.extensions import db
from scan.platform.models import PlanStep, Scan

ROUNDS = 12
WRITE_DELAY = 0.05  # each insert waits, so both clicks read before either writes
FORM_FIELD = re.compile(r'name="(csrf_token|herhaling)"[^>]*value="([^"]+)"')


@pytest.fixture
def slow_app(database):
    app = make_app(database)
    with app.app_context():
        db.create_all()

        slow_statements(db.engine, ("INSERT INTO PLAN_STEPS", "INSERT INTO SCANS"), WRITE_DELAY)

    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _browser(app):
    """Return a client with a submitted scan open, the scan's id, its advice and form fields."""
    with app.app_context():
        scan, token = submitted_scan(example=1)
        scan_id, advice = scan.id, scan.fired_rules[0].rule_id
    client = app.test_client()
    assert client.get(f"/scan/{token}/").status_code == 303
    fields = dict(FORM_FIELD.findall(client.get("/scan/resultaat").get_data(as_text=True)))
    return client, scan_id, advice, fields


def _twice(app, client, url: str, data: dict, headers: dict | None = None) -> list[int]:
    """Post the same form from two copies of one browser at the same moment; return statuses."""
    cookie = client.get_cookie("session").value

    def click():
        tab = app.test_client()
        tab.set_cookie("session", cookie)
        return tab.post(url, data=data, headers=headers or {}).status_code

    return together(click, click)


def test_plan_step_saved_twice_at_once__no_5xx_one_step(slow_app):
    statuses, counts = [], []
    for _ in range(ROUNDS):
        client, scan_id, advice, fields = _browser(slow_app)
        data = {"csrf_token": fields["csrf_token"], "state": "bezig", "who": "Ik"}
        headers = {"Accept": "application/json"}
        statuses += _twice(slow_app, client, f"/scan/actieplan/{advice}", data, headers)
        with slow_app.app_context():
            counts.append(db.session.query(PlanStep).filter_by(scan_id=scan_id).count())
    assert [s for s in statuses if s >= 500] == []
    assert set(statuses) == {200}
    assert counts == [1] * ROUNDS


@pytest.mark.slow
def test_repeat_clicked_twice__no_5xx_one_repeat(slow_app):
    statuses, repeats = [], []
    for _ in range(ROUNDS):
        client, scan_id, _, fields = _browser(slow_app)
        with slow_app.app_context():
            before = db.session.query(Scan).count()
        statuses += _twice(slow_app, client, "/scan/opnieuw", fields)
        with slow_app.app_context():
            repeats.append(db.session.query(Scan).count() - before)
    assert [s for s in statuses if s >= 500] == []
    assert set(statuses) == {303}
    assert repeats == [1] * ROUNDS
