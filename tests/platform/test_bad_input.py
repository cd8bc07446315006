"""Bad input gets a readable Dutch 400, never a 500: NUL and control characters, file parts,
absurd dates. Each case runs on SQLite and PostgreSQL (NUL breaks PostgreSQL, not SQLite)."""

from __future__ import annotations

import io
import logging
import re

import pytest
from conftest import create_tables, make_app
from portal_factories import PASSWORD, csrf_token, login, make_portal

from scan.platform.extensions import db
from scan.platform.models import Note, Scan, Share
from scan.platform.stamps import hash_token
from scan.scans import store

BAD_INPUT = "Wat u stuurde, bevat tekens die we niet kunnen verwerken"
LINK = re.compile(r'id="scan-link"[^>]*value="http://localhost/scan/([A-Za-z0-9_-]{32})/"')
CONTROL = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f"]


@pytest.fixture
def world(database):
    app = make_app(database)
    with app.app_context():
        create_tables()
        portal = make_portal()
        ids = {
            "share": portal.share.public_id,
            "token": portal.token,
            "org_b": portal.org_b.id,
            "adviser": portal.adviser_a.email,
            "admin": portal.admin.email,
        }
    yield app, ids
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _refused(response, caplog=None) -> None:
    assert response.status_code == 400, response.status_code
    page = response.get_data(as_text=True)
    assert BAD_INPUT in page and "Er is niets opgeslagen" in page
    assert 'lang="nl"' in page


def test_login__nul_in_email__400(world):
    app, _ = world
    client = app.test_client()
    token = csrf_token(client, "/inloggen")
    response = client.post(
        "/inloggen", data={"email": "a\x00@b.nl", "password": PASSWORD, "csrf_token": token}
    )
    _refused(response)


def test_share__nul_in_contact_field__400_nothing_stored(world):
    app, ids = world
    client = app.test_client()
    client.get(f"/scan/{ids['token']}/")  # open the scan through its personal link
    url = "/scan/delen"
    token = csrf_token(client, f"{url}?organisatie={ids['org_b']}")
    for field in ["name", "company", "phone", "email"]:
        data = {"organisation": ids["org_b"], "consent": "y", "csrf_token": token}
        _refused(client.post(url, data={**data, field: "Jan\x00"}))
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Share)) == 1


def test_note__nul_in_text__400_nothing_stored(world):
    app, ids = world
    client = app.test_client()
    login(client, ids["adviser"])
    page = f"/adviseur/scans/{ids['share']}"
    token = csrf_token(client, page)
    _refused(client.post(f"{page}/notities", data={"text": "let op\x00", "csrf_token": token}))
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Note)) == 0


def test_adviser_public_id__nul_in_url__400(world):
    app, ids = world
    client = app.test_client()
    login(client, ids["adviser"])
    _refused(client.get("/adviseur/scans/%00"))
    _refused(client.get(f"/adviseur/scans/{ids['share'][:8]}%00"))


def test_audit_filter__control_character__400(world):
    app, ids = world
    client = app.test_client()
    login(client, ids["admin"])
    for query in ["referentie=%00", "actie=%00", "referentie=ab%01", "x%00=1"]:
        _refused(client.get(f"/beheer/audit?{query}"))


def test_free_text_answer__control_character__400_nothing_stored(world):
    app, _ = world
    client = app.test_client()
    token = _start(client, "vastgoed")
    csrf = csrf_token(client, "/scan/thema/melden")
    for character in CONTROL:
        data = {"csrf_token": csrf, "action": "later", "q_toelichting": f"tekst{character}meer"}
        _refused(client.post("/scan/thema/melden", data=data))
    with app.app_context():
        scan = db.session.scalar(db.select(Scan).filter_by(token_hash=hash_token(token)))
        assert scan.answers == {}


def test_free_text_answer__tabs_and_newlines__kept(world):
    app, _ = world
    client = app.test_client()
    token = _start(client, "vastgoed")
    csrf = csrf_token(client, "/scan/thema/melden")
    data = {"csrf_token": csrf, "action": "later", "q_toelichting": "regel 1\r\n\tregel 2"}
    assert client.post("/scan/thema/melden", data=data).status_code == 302
    with app.app_context():
        assert store.find_scan(token).answers["toelichting"] == "regel 1\r\n\tregel 2"


def test_theme_page__file_part_named_like_a_question__400(world):
    app, _ = world
    client = app.test_client()
    _start(client, "vastgoed")
    csrf = csrf_token(client, "/scan/thema/melden")
    data = {
        "csrf_token": csrf,
        "action": "later",
        "q_toelichting": (io.BytesIO(b"tekst"), "toelichting.txt"),
    }
    response = client.post("/scan/thema/melden", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "bestand" in response.get_data(as_text=True)


def test_adviser_list__absurd_date__filter_refused_not_500(world):
    app, ids = world
    client = app.test_client()
    login(client, ids["adviser"])
    for query in ["tot=9999-12-31", "van=9999-12-31", "van=0001-01-01", "tot=0001-01-01"]:
        response = client.get(f"/adviseur/?{query}")
        assert response.status_code == 200, query
        assert "Een filter klopt niet" in response.get_data(as_text=True)


def test_status__absurd_visit_date__400_not_stored(world):
    app, ids = world
    client = app.test_client()
    login(client, ids["adviser"])
    page = f"/adviseur/scans/{ids['share']}"
    token = csrf_token(client, page)
    data = {"status": "bezoek_gepland", "visit_date": "9999-12-31", "csrf_token": token}
    assert client.post(f"{page}/status", data=data).status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(Share)).visit_date is None


def _start(client, sector: str) -> str:
    token = csrf_token(client, f"/scan/{sector}")
    response = client.post(f"/scan/{sector}/start", data={"csrf_token": token})
    page = client.get(response.location).get_data(as_text=True)
    return LINK.search(page).group(1)  # the token, read from the link page as a person would


def test_bad_input__nothing_personal_in_logs(world, caplog):
    """The failing cases above log nothing that a person typed."""
    app, ids = world
    caplog.set_level(logging.DEBUG)
    client = app.test_client()
    token = csrf_token(client, "/inloggen")
    secret = "Geheime\x00Naam@voorbeeld.nl"
    client.post("/inloggen", data={"email": secret, "password": PASSWORD, "csrf_token": token})
    login(client, ids["adviser"])
    page = f"/adviseur/scans/{ids['share']}"
    csrf = csrf_token(client, page)
    client.post(f"{page}/notities", data={"text": "Geheime\x00notitie", "csrf_token": csrf})
    text = "\n".join(logging.Formatter().format(r) for r in caplog.records)
    assert "Geheime" not in text
    assert ids["adviser"] not in text


def test_visibility__unknown_option__400_not_500(world):
    """Found by the fuzz test: the page script's look-up read options no page offers."""
    app, _ = world
    client = app.test_client()
    _start(client, "vastgoed")
    csrf = csrf_token(client, "/scan/thema/melden")
    url = "/scan/thema/melden/zichtbaar"
    data = {"csrf_token": csrf, "q_toelichting": "iets", "q_toelichting__special": "bestaat_niet"}
    assert client.post(url, data=data).status_code == 400
    data = {"csrf_token": csrf, "q_toelichting": "iets"}
    assert client.post(url, data=data).status_code == 200
