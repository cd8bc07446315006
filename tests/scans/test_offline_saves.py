"""Saves the page script kept without a connection and sends later (static/offline.js), on
SQLite and PostgreSQL: a save sent twice changes nothing, a kept save is merged as a second
tab's is, and the script gets JSON where a plain form post gets a page."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from test_web_scans import ScanActions

from scan.platform.extensions import db
from scan.platform.models import Scan
from scan.platform.stamps import hash_token
from scan.scans import store
from scan.scans.store import PagePost

JSON = {"Accept": "application/json"}


@pytest.fixture
def ctx(db_app, catalog):
    """An app context on each test database, with the session's catalog."""
    db_app.extensions["scan_catalog"] = catalog
    with db_app.app_context():
        yield db_app


def answers_of(scan_id: int) -> dict:
    db.session.expire_all()
    return dict(db.session.get(Scan, scan_id).answers)


def test_replayed_save__sent_twice_and_after_a_later_page__changes_nothing(ctx, catalog):
    q = catalog.get("voorbeeld")
    scan, _ = store.start_scan(q, ttl_days=90)
    first = PagePost("fysiek", {"verhuur": "ja", "huur_contant": "bank"})
    second = PagePost("sociaal", {"vertrouwen_personeel": 4})
    store.save_page(scan, q, first)
    store.save_page(scan, q, second)
    expected = answers_of(scan.id)
    assert expected == {"verhuur": "ja", "huur_contant": "bank", "vertrouwen_personeel": 4}

    # The response to both was lost: the browser sends them again, in order, as kept saves.
    for post in (first, second, second):
        replay = PagePost(post.theme_id, post.answers, queued=True)
        assert store.save_page(scan, q, replay).saved
    assert answers_of(scan.id) == expected


def test_kept_save__an_answer_its_page_no_longer_shows__dropped_not_refused(ctx, catalog):
    q = catalog.get("voorbeeld")
    scan, _ = store.start_scan(q, ttl_days=90)
    kept = PagePost("fysiek", {"verhuur": "nee", "huur_contant": "bank"}, queued=True)
    assert store.save_page(scan, q, kept).saved
    assert answers_of(scan.id) == {"verhuur": "nee"}


def test_kept_save__a_required_question_left_open__stored_for_the_check_page(ctx, catalog):
    q = catalog.get("voorbeeld")
    scan, _ = store.start_scan(q, ttl_days=90)
    plain = store.save_page(scan, q, PagePost("fysiek", {"maatregelen": ["sloten"]}))
    assert not plain.saved and "verhuur" in plain.errors
    kept = PagePost("fysiek", {"maatregelen": ["sloten"]}, queued=True)
    assert store.save_page(scan, q, kept).saved
    assert answers_of(scan.id) == {"maatregelen": ["sloten"]}


@pytest.fixture
def scans(db_app, catalog):
    db_app.extensions["scan_catalog"] = catalog
    return ScanActions(db_app.test_client())


def stored_answers(app, token: str) -> dict:
    with app.app_context():
        query = select(Scan).where(Scan.token_hash == hash_token(token))
        return dict(db.session.scalars(query).one().answers)


def test_script_post__saved__says_where_next_in_json(db_app, scans):
    token = scans.start()
    response = scans.post_page(token, "fysiek", {"q_verhuur": "nee"}, headers=JSON)
    assert response.status_code == 200
    assert response.get_json() == {"saved": True, "next": "/scan/thema/sociaal"}
    later = scans.post_page(token, "sociaal", {}, action="later", headers=JSON)
    assert later.get_json() == {"saved": True, "next": "/scan/opgeslagen"}


def test_script_post__errors__422_json_and_nothing_stored(db_app, scans):
    token = scans.start()
    response = scans.post_page(token, "fysiek", {"q_maatregelen": "sloten"}, headers=JSON)
    assert response.status_code == 422
    assert response.get_json()["saved"] is False
    assert set(response.get_json()["errors"]) == {"verhuur"}
    assert stored_answers(db_app, token) == {}


def test_kept_post__the_queue_field_is_accepted_and_merged_like_a_second_tab(db_app, scans):
    token = scans.start()
    scans.post_page(token, "sociaal", {"q_vertrouwen_personeel": "4"})
    data = {"q_maatregelen": "sloten", "wachtrij": "1"}
    for _ in range(2):  # sent again after a lost answer: the same outcome
        response = scans.post_page(token, "fysiek", data, headers=JSON)
        assert response.get_json()["saved"] is True
    assert stored_answers(db_app, token) == {
        "maatregelen": ["sloten"],
        "vertrouwen_personeel": 4,
    }


def test_script_post__after_submitting__409_json_with_the_reason(db_app, scans):
    token = scans.start()
    scans.post_page(token, "fysiek", {"q_verhuur": "nee"})
    scans.post_page(token, "signalen", {"q_benaderd": "nee"})
    assert scans.submit(token).status_code == 302
    response = scans.post_page(token, "fysiek", {"q_verhuur": "ja", "wachtrij": "1"}, headers=JSON)
    assert response.status_code == 409
    assert "al verstuurd" in response.get_json()["error"]


def test_script_post__tampered__400_json(db_app, scans):
    token = scans.start()
    response = scans.post_page(token, "fysiek", {"onbekend": "x"}, headers=JSON)
    assert response.status_code == 400
    assert response.get_json() == {"saved": False, "error": None}


def test_theme_page__carries_the_scan_mark_never_the_link(db_app, scans):
    token = scans.start()
    html = scans.client.get("/scan/thema/fysiek").get_data(as_text=True)
    assert 'name="scan-mark"' in html and 'data-next-url="/scan/thema/sociaal"' in html
    assert token not in html and hash_token(token) not in html
    assert hash_token(token)[:24] not in html
