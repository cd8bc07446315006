"""Values no parser or database should meet: an out-of-range integer in every query parameter
and structures nested deep in every form field and JSON body get a Dutch 400, never a 500."""

from __future__ import annotations

import pytest
from fuzz_support import (
    DEEP,
    DESTRUCTIVE,
    HUGE,
    clients_of,
    fuzz_world,
    roles_past_checks,
    route_url,
)
from studio_samples import OVERLAY

from scan.platform.catalog import get_catalog
from scan.platform.extensions import db
from scan.platform.inputs import FREE_TEXT_PARAMETERS
from scan.platform.models import User
from scan.studio import documents


@pytest.fixture
def world(database):
    yield from fuzz_world(database)


@pytest.mark.slow
def test_out_of_range_integer__every_query_parameter__dutch_400(world):
    """Every route that answers a page, with any query parameter holding a huge number: 400.

    Free-text parameters (a search, a reference, a next address) are text, never a number:
    a phone number typed into the caseload's search is a search. They get a test of their own.
    """
    app, rules, real, accounts_by_role, tokens, names = world
    clients = clients_of(app, accounts_by_role, tokens)
    checked = 0
    for rule in rules:
        if "GET" not in rule.methods:
            continue
        url = route_url(rule, {k: v[-1] for k, v in real.items()})
        for role in roles_past_checks(clients, rule, "GET", real)[:1]:
            for name in ["pagina", *(n for n in names if n not in FREE_TEXT_PARAMETERS)]:
                response = clients[role].get(url, query_string={name: HUGE})
                assert response.status_code == 400, (url, name, role, response.status_code)
                assert "getal dat te groot is" in response.get_data(as_text=True)
                checked += 1
    assert checked > 100


@pytest.mark.slow
@pytest.mark.parametrize("depth", [40, 20_000])
def test_deep_structure__every_form_field_and_json_body__dutch_400(world, depth):
    """Nested brackets in every form field at once (a shallow 40, within the size limit), and
    a JSON body, on every route that takes a post: 400, never a parser's RecursionError."""
    app, rules, real, accounts_by_role, tokens, names = world
    clients = clients_of(app, accounts_by_role, tokens)
    value = "[" * depth + "]" * depth
    form = {n: value for n in names}
    checked = 0
    for rule in rules:
        for method in sorted(rule.methods - {"GET", "HEAD", "OPTIONS"}):
            if rule.endpoint in DESTRUCTIVE:
                continue
            url = route_url(rule, {k: v[-1] for k, v in real.items()})
            for role in roles_past_checks(clients, rule, method, real):
                client = clients[role]
                responses = [
                    client.open(url, method=method, data=value, content_type="application/json")
                ]
                if depth < 100:  # deeper, every field at once passes the size limit: 413
                    responses.append(client.open(url, method=method, data=form))
                for response in responses:
                    assert response.status_code == 400, (method, url, role)
                    checked += 1
    assert checked > 20


def test_preview__answers_nested_20000_deep__400_not_500(world):
    app, rules, real, accounts_by_role, tokens, names = world
    client = clients_of(app, accounts_by_role, tokens)["branch_admin"]
    with app.app_context():
        admin = db.session.scalars(db.select(User).filter_by(role="branch_admin")).first()
        doc, _ = documents.import_text(admin.organisation, "test", OVERLAY, get_catalog())
        db.session.commit()
        url = f"/studio/{doc.public_id}/proef"
    response = client.post(url, data={"answers": DEEP, "page": "fysiek"})
    assert response.status_code == 400
    assert "te diep in elkaar genest" in response.get_data(as_text=True)
