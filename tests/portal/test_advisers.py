"""Adviser portal: the list, a scan's detail, follow-up, notes, PDF, audit log, accounts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from portal_factories import (
    csrf_token,
    login,
    make_portal,
    share_scan,
    submitted_scan,
)
from pypdf import PdfReader

from scan.platform import audit
from scan.platform.catalog import get_catalog
from scan.platform.extensions import db
from scan.platform.models import AuditEvent, Share
from scan.portal import accounts


@pytest.fixture
def portal(app):
    with app.app_context():
        p = make_portal()
        return {
            "share": p.share.public_id,
            "ref": p.share.reference,
            "token": p.token,
            "org_a": p.org_a.id,
            "org_b": p.org_b.id,
        }


@pytest.fixture
def adviser(client, portal):
    login(client, "adviseur@pvo-bz.nl")
    return client


def _events(app, action):
    with app.app_context():
        return db.session.scalars(db.select(AuditEvent).filter_by(action=action)).all()


# --- list --------------------------------------------------------------------------------


def test_list__only_own_organisation(app, client, portal):
    with app.app_context():
        org_b = db.session.get(accounts.Organisation, portal["org_b"])
        scan, _ = submitted_scan("haven")
        theirs = share_scan(scan, org_b).reference
    login(client, "adviseur@pvo-bz.nl")
    page = client.get("/adviseur/").get_data(as_text=True)
    assert portal["ref"] in page and theirs not in page
    other = type(client)(app, client.response_wrapper, use_cookies=True)
    login(other, "adviseur@pvo-limburg.nl")
    page = other.get("/adviseur/").get_data(as_text=True)
    assert theirs in page and portal["ref"] not in page


def test_list__unshared_scan__invisible(app, adviser, portal):
    with app.app_context():
        submitted_scan("haven")
        total = db.session.scalar(db.select(db.func.count()).select_from(Share))
    page = adviser.get("/adviseur/").get_data(as_text=True)
    assert total == 1
    assert page.count("/adviseur/scans/") == 1


def _more_shares(app, portal, count, sector="haven", example=0):
    with app.app_context():
        org = db.session.get(accounts.Organisation, portal["org_a"])
        return [share_scan(submitted_scan(sector, example)[0], org).reference for _ in range(count)]


@pytest.mark.parametrize(
    ("query", "expect_first", "expect_haven"),
    [
        ("sector=vastgoed", True, False),
        ("sector=haven", False, True),
        ("status=in_behandeling", False, False),
        ("status=nieuw", True, True),
        ("van=2000-01-01&tot=2000-12-31", False, False),
        ("van=2000-01-01", True, True),
    ],
)
def test_list__filters(app, adviser, portal, query, expect_first, expect_haven):
    haven = _more_shares(app, portal, 1)[0]
    page = adviser.get(f"/adviseur/?{query}").get_data(as_text=True)
    assert (portal["ref"] in page) is expect_first
    assert (haven in page) is expect_haven


def test_list__risk_filter(app, adviser, portal):
    with app.app_context():
        level = db.session.scalar(db.select(Share)).scan.risk_level
    others = [lvl for lvl in ("kwetsbaar", "aandacht_nodig", "weerbaar") if lvl != level]
    assert portal["ref"] in adviser.get(f"/adviseur/?risico={level}").get_data(as_text=True)
    assert portal["ref"] not in adviser.get(f"/adviseur/?risico={others[0]}").get_data(as_text=True)


def test_list__bad_filter__ignored_with_message(adviser, portal):
    page = adviser.get("/adviseur/?sector=bestaat_niet&van=gisteren").get_data(as_text=True)
    assert "Een filter klopt niet" in page
    assert portal["ref"] in page


def test_list__pages_of_25_newest_first(app, adviser, portal):
    refs = _more_shares(app, portal, 30)
    first = adviser.get("/adviseur/").get_data(as_text=True)
    second = adviser.get("/adviseur/?pagina=2").get_data(as_text=True)
    assert "31 scans · pagina 1 van 2" in first
    assert first.count("/adviseur/scans/") == 25 and second.count("/adviseur/scans/") == 6
    assert refs[-1] in first and portal["ref"] in second
    assert adviser.get("/adviseur/?pagina=99").status_code == 200  # clamps to the last page


# --- detail ------------------------------------------------------------------------------


def test_detail__shows_answers_scores_advice_contact(app, adviser, portal):
    page = adviser.get(f"/adviseur/scans/{portal['share']}").get_data(as_text=True)
    with app.app_context():
        q = get_catalog().get("vastgoed")
    assert "Jan Jansen" in page and "06 1234 5678" in page
    for theme in q.themes:
        assert theme.title in page
    answered = q.examples[0].answers
    first = next(x for x in q.questions if x.id in answered)
    assert first.text.split("\n")[0][:40] in page.replace("&#39;", "'").replace("&#34;", '"')
    with app.app_context():
        fired = db.session.scalar(db.select(Share)).scan.fired_rules
    rules = {r.id: r for r in q.rules}
    for row in fired:
        assert rules[row.rule_id].advice.title.replace("'", "&#39;") in page


def test_detail__view_recorded(app, adviser, portal):
    adviser.get(f"/adviseur/scans/{portal['share']}")
    adviser.get(f"/adviseur/scans/{portal['share']}")
    events = _events(app, "view_scan")
    assert len(events) == 2
    assert {e.actor for e in events} == {"adviseur@pvo-bz.nl"}
    assert events[0].share_public_id == portal["share"]


def test_detail__not_cached(adviser, portal):
    response = adviser.get(f"/adviseur/scans/{portal['share']}")
    assert response.headers["Cache-Control"] == "no-store"
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def _post(client, portal, path, **data):
    token = csrf_token(client, f"/adviseur/scans/{portal['share']}")
    return client.post(
        f"/adviseur/scans/{portal['share']}/{path}", data={"csrf_token": token, **data}
    )


def test_status__visit_planned__saved_and_audited(app, adviser, portal):
    response = _post(adviser, portal, "status", status="bezoek_gepland", visit_date="2027-01-15")
    assert response.status_code == 302
    with app.app_context():
        share = db.session.scalar(db.select(Share))
        assert (share.status, share.visit_date) == ("bezoek_gepland", dt.date(2027, 1, 15))
    [event] = _events(app, "update_status")
    assert "nieuw -> bezoek_gepland" in event.detail and "2027-01-15" in event.detail
    assert "bezoek 15 januari 2027" in adviser.get("/adviseur/").get_data(as_text=True)


def test_status__visit_planned_without_date__refused(app, adviser, portal):
    response = _post(adviser, portal, "status", status="bezoek_gepland", visit_date="")
    assert response.status_code == 400
    assert "Vul de datum van het bezoek in" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(Share.status)) == "nieuw"
    assert _events(app, "update_status") == []


def test_status__unknown_value__refused(app, adviser, portal):
    assert _post(adviser, portal, "status", status="gearchiveerd").status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(Share.status)) == "nieuw"


def test_status__unchanged__not_audited(app, adviser, portal):
    assert _post(adviser, portal, "status", status="nieuw").status_code == 302
    assert _events(app, "update_status") == []


def test_note__saved_with_author_and_time(app, adviser, portal):
    response = _post(adviser, portal, "notities", text="Gebeld. <b>Bezoek</b> volgt.")
    assert response.status_code == 302
    page = adviser.get(f"/adviseur/scans/{portal['share']}").get_data(as_text=True)
    assert "Gebeld. &lt;b&gt;Bezoek&lt;/b&gt; volgt." in page  # escaped, never HTML
    assert "adviseur@pvo-bz.nl" in page
    [event] = _events(app, "add_note")
    assert "Gebeld" not in event.detail  # the audit log says that, not what


@pytest.mark.parametrize("text", ["", "   ", "x" * 5001])
def test_note__empty_or_too_long__refused(app, adviser, portal, text):
    assert _post(adviser, portal, "notities", text=text).status_code == 400
    assert _events(app, "add_note") == []


def test_pdf__with_notes_section(app, adviser, portal):
    _post(adviser, portal, "notities", text="Afspraak gemaakt met de eigenaar.")
    with_notes = adviser.get(f"/adviseur/scans/{portal['share']}/rapport.pdf?notities=1")
    without = adviser.get(f"/adviseur/scans/{portal['share']}/rapport.pdf")
    assert with_notes.mimetype == "application/pdf"
    assert portal["ref"] in with_notes.headers["Content-Disposition"]

    def text(response):
        return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)

    assert "Afspraak gemaakt" in text(with_notes) and "Notities van de adviseur" in text(with_notes)
    assert "Afspraak gemaakt" not in text(without)
    assert [e.detail for e in _events(app, "download_pdf")] == ["met notities", "zonder notities"]
    # The adviser PDF names on its cover whom the scan was shared with, with room to write.
    cover = PdfReader(io.BytesIO(without.data)).pages[0].extract_text()
    assert "PVO Brabant-Zeeland" in cover and "adviseur@pvo-bz.nl" in cover
    assert "Naam adviseur" in cover


# --- administration ----------------------------------------------------------------------


def test_audit__admin_reads_who_what_when(app, client, portal):
    other = type(client)(app, client.response_wrapper, use_cookies=True)
    login(other, "adviseur@pvo-bz.nl")
    other.get(f"/adviseur/scans/{portal['share']}")
    login(client, "beheer@example.nl")
    page = client.get("/beheer/audit").get_data(as_text=True)
    assert "adviseur@pvo-bz.nl" in page and "Scan bekeken" in page and portal["ref"] in page
    filtered = client.get("/beheer/audit?actie=login").get_data(as_text=True)
    assert "Scan bekeken" not in filtered.split("<table")[1]
    by_ref = client.get(f"/beheer/audit?referentie={portal['ref']}").get_data(as_text=True)
    assert "Scan bekeken" in by_ref.split("<table")[1]


def test_audit__paged(app, client, portal):
    with app.app_context():
        for i in range(60):
            audit.record("cli", "user_created", None, f"user {i}")
        db.session.commit()
    login(client, "beheer@example.nl")
    first = client.get("/beheer/audit").get_data(as_text=True)
    assert "pagina 1 van 2" in first and "user 59" in first and "user 0<" not in first


def test_accounts__admin_sees_accounts_not_scans(client, portal):
    login(client, "beheer@example.nl")
    page = client.get("/beheer/accounts").get_data(as_text=True)
    assert "adviseur@pvo-limburg.nl" in page and "PVO Brabant-Zeeland" in page
    assert "Jan Jansen" not in page
    assert client.get(f"/adviseur/scans/{portal['share']}").status_code == 403


def test_login_home__per_role(client, portal):
    assert login(client, "beheer@example.nl").location == "/beheer/audit"
    other = type(client)(client.application, client.response_wrapper, use_cookies=True)
    assert login(other, "branche@example.nl").location == "/adviseur/trends"
