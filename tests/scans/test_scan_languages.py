"""A scan keeps its language (pages, link, PDF); advisers read Dutch; trends count all."""

from __future__ import annotations

import io
import re
import shutil

import pytest
from conftest import create_tables, make_app
from loader_samples import QUESTIONNAIRES
from portal_factories import login, make_org, make_user, share_scan
from pypdf import PdfReader
from sqlalchemy import select

from scan.platform.catalog import get_catalog
from scan.platform.extensions import db
from scan.platform.models import Scan, TrendCount
from scan.platform.stamps import hash_token
from scan.questionnaire import load_catalog
from scan.scans import store
from scan.scans import trend_counters as trends

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
LINK = re.compile(r'id="scan-link"[^>]*value="http://localhost/scan/([A-Za-z0-9_-]{32})/"')
LANG = re.compile(r'<html lang="([a-z]+)"')
POLISH_LETTERS = set("ąćęłńóśźż")


@pytest.fixture
def app(catalog):
    app = make_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "PUBLIC_BASE_URL": "http://localhost"})
    app.extensions["scan_catalog"] = catalog
    with app.app_context():
        create_tables()
    yield app
    with app.app_context():
        db.session.remove()


def _start(client, sector: str, language: str) -> str:
    page = client.get(f"/scan/{sector}?taal={language}").get_data(as_text=True)
    response = client.post(f"/scan/{sector}/start", data={"csrf_token": CSRF.search(page)[1]})
    assert response.status_code == 302
    return LINK.search(client.get("/scan/overzicht").get_data(as_text=True))[1]


def _language_of(app, token: str) -> str:
    with app.app_context():
        return db.session.scalars(
            select(Scan.language).where(Scan.token_hash == hash_token(token))
        ).one()


def test_start__the_scan_keeps_the_chosen_language_and_shows_it_translated(app, client):
    token = _start(client, "voorbeeld", "pl")
    assert _language_of(app, token) == "pl"
    page = client.get("/scan/overzicht").get_data(as_text=True)
    assert LANG.search(page)[1] == "pl"
    assert "Budynek i teren" in page and "Gebouw en terrein" not in page


def test_switch_on_a_scan_page__the_scan_changes_and_its_link_opens_in_it_elsewhere(app, client):
    token = _start(client, "voorbeeld", "pl")
    assert "Building and site" in client.get("/scan/overzicht?taal=en").get_data(as_text=True)
    assert _language_of(app, token) == "en"
    other_device = app.test_client()  # no cookie: the link alone decides
    opened = other_device.get(f"/scan/{token}/")
    assert opened.status_code == 303
    page = other_device.get("/scan/overzicht").get_data(as_text=True)
    assert LANG.search(page)[1] == "en" and "Building and site" in page


def test_sector_without_translation__questionnaire_in_dutch_and_the_page_says_so(
    app, client, tmp_path
):
    # Every shipped sector is translated now: take vastgoed's translations away in a copy.
    folder = tmp_path / "questionnaires"
    shutil.copytree(QUESTIONNAIRES, folder)
    for translation in folder.glob("vastgoed.*.po"):
        translation.unlink()
    app.extensions["scan_catalog"] = load_catalog(folder)
    app.config["QUESTIONNAIRE_DIR"] = str(folder)
    token = _start(client, "vastgoed", "en")
    assert _language_of(app, token) == "en"
    page = client.get("/scan/overzicht").get_data(as_text=True)
    q = get_catalog(app).get("vastgoed")
    assert q.themes[0].title in page  # Dutch, whole: never half translated
    assert "This scan is not in your language yet" in page
    landing = client.get("/").get_data(as_text=True)
    assert "This scan is only in Dutch for now." in landing


def _submitted(app, language: str) -> tuple[str, str]:
    """A submitted example scan in a language; return its token and share id."""
    with app.app_context():
        q = get_catalog(app).get("voorbeeld")
        scan, token = store.start_scan(q, ttl_days=90, language=language)
        scan.answers = {"verhuur": "ja", "huur_contant": "contant", "maatregelen": ["geen"]}
        scan.answers |= {"vertrouwen_personeel": 2, "benaderd": "nee", "weet_waar_melden": "nee"}
        store.submit_scan(scan, q)
        org = make_org("PVO Brabant-Zeeland")
        make_user("adviseur@pvo-bz.nl", "adviser", org)
        share = share_scan(scan, org, name="Anna")
        return token, share.public_id


def _pdf_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)


def test_pdf__in_the_scan_language_with_polish_letters_on_every_page(app, client):
    token, _ = _submitted(app, "pl")
    client.get(f"/scan/{token}/")
    response = client.get("/scan/rapport.pdf")
    reader = PdfReader(io.BytesIO(response.data))
    text = _pdf_text(response)
    assert "Twój wynik, porady i plan działania" in text
    assert "Przyjmuj czynsz tylko przelewem" in text  # the questionnaire's advice, translated
    assert POLISH_LETTERS <= set(text.lower())
    for page in reader.pages:
        assert set(page.extract_text().lower()) & POLISH_LETTERS, "a page without Polish letters"
    assert "0800-7000" in reader.pages[0].extract_text() and "112" in reader.pages[0].extract_text()


def test_adviser__reads_a_polish_scan_in_dutch_with_its_language_shown(app):
    _, share = _submitted(app, "pl")
    adviser = app.test_client()
    login(adviser, "adviseur@pvo-bz.nl")
    page = adviser.get(f"/adviseur/scans/{share}").get_data(as_text=True)
    assert "ingevuld in het Pools (u leest de scan in het Nederlands)" in page
    assert "Laat de huur alleen per bank betalen" in page and "przelewem" not in page
    text = _pdf_text(adviser.get(f"/adviseur/scans/{share}/rapport.pdf"))
    assert "Uw uitkomst, advies en actieplan" in text and "Twój wynik" not in text


def test_trends__count_scans_of_every_language_together(db_app):
    with db_app.app_context():
        q = get_catalog(db_app).get("vastgoed")
        answers = dict(q.examples[0].answers)
        for language in ("nl", "en", "pl"):
            scan, _ = store.start_scan(q, ttl_days=90, language=language)
            scan.answers = dict(answers)
            store.submit_scan(scan, q)
        db.session.expire_all()
        counts = {
            (c.kind, c.key): c.n
            for c in db.session.scalars(
                select(TrendCount).where(TrendCount.questionnaire_id == "vastgoed")
            )
        }
        assert counts[(trends.SCANS, "")] == 3
        assert sum(n for (kind, _), n in counts.items() if kind == trends.RISK) == 3
