"""The caseload: find a scan a caller names, order and filter, assign, follow up, export."""

from __future__ import annotations

import datetime as dt
import io
import re
from urllib.parse import urlencode

import pytest
from portal_factories import (
    csrf_token,
    login,
    make_org,
    make_user,
    raw_scan,
    read_as_dutch_excel,
    scan_page,
    share_scan,
    submitted_scan,
)
from pypdf import PdfReader

from scan.platform.caseload_models import ShareCase, ShareSearchTerm
from scan.platform.extensions import db
from scan.platform.models import AuditEvent, Share, User
from scan.portal import caseload, shares
from scan.scans import cases, sharing
from scan.scans.store import report_reference

DAY = dt.datetime(2026, 11, 2, 10, 0)


@pytest.fixture
def team(db_app):
    """PVO A with two advisers and five shared scans, PVO B with one of its own."""
    with db_app.app_context():
        org_a, org_b = make_org("PVO Brabant-Zeeland"), make_org("PVO Limburg")
        me = make_user("adviseur@pvo-bz.nl", "adviser", org_a)
        colleague = make_user("collega@pvo-bz.nl", "adviser", org_a)
        make_user("adviseur@pvo-limburg.nl", "adviser", org_b)

        def shared(sector, days, overall, red=False, org=org_a, **contact):
            scan = raw_scan(sector, DAY + dt.timedelta(days=days), overall, "kwetsbaar", red)
            db.session.commit()
            return share_scan(scan, org, **contact)

        rows = {
            "bakker": shared("vastgoed", 1, 70.0, company="Bakkerij De Vries", phone="06-12345678"),
            "red_old": shared("haven", 2, 30.0, red=True, name="Piet Rood"),
            "plain": shared("vastgoed", 3, 55.5),
            "red_new": shared("vastgoed", 4, 20.0, red=True, email="Info@Garage-Jansen.NL"),
            "intl": shared("haven", 5, 80.0, phone="+31 6 9876 5432"),
            "theirs": shared("vastgoed", 6, 50.0, org=org_b, company="Bakkerij De Vries"),
        }
        shares.set_status(rows["red_old"], me, "in_behandeling", None)
        ids = {k: s.public_id for k, s in rows.items()}
        refs = {k: s.reference for k, s in rows.items()}
        reports = {k: report_reference(s.scan) for k, s in rows.items()}
        return {
            "ids": ids,
            "refs": refs,
            "reports": reports,
            "me": me.id,
            "colleague": colleague.id,
        }


@pytest.fixture
def adviser(db_app, team):
    client = db_app.test_client()
    login(client, "adviseur@pvo-bz.nl")
    return client


def _listed(client, query: str = "") -> list[str]:
    """Return the references on the list page, in order."""
    page = client.get(f"/adviseur/?{query}")
    assert page.status_code == 200
    return re.findall(r'/adviseur/scans/[0-9a-f]{32}">([0-9A-F]{8})<', page.get_data(as_text=True))


def _post(client, share_id: str, path: str, **data):
    token = csrf_token(client, f"/adviseur/scans/{share_id}")
    return client.post(f"/adviseur/scans/{share_id}/{path}", data={"csrf_token": token, **data})


# --- find ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, found",
    [
        ("{bakker_spaced}", "bakker"),  # the share reference read out over the phone
        ("{red_new_report}", "red_new"),  # the reference on the entrepreneur's own PDF
        ("bakkerij de vries", "bakker"),
        ("BAKKERIJ-DE-VRIES", "bakker"),
        ("06 1234 5678", "bakker"),
        ("0612345678", "bakker"),
        ("06 98765432", "intl"),  # stored as +31 6 9876 5432
        ("+31698765432", "intl"),
        ("info@garage-jansen.nl", "red_new"),
        ("piet", "red_old"),
        ("rood", "red_old"),  # a later word of the name
        ("de vries", "bakker"),
        ("6 1234 5678", "bakker"),  # the number without its 0
    ],
)
def test_search__tolerant_of_case_spaces_hyphens__finds_own_share_only(adviser, team, typed, found):
    ref = team["refs"]["bakker"].lower()
    words = {
        "bakker_spaced": f"{ref[:4]} - {ref[4:]}",
        "red_new_report": " ".join(team["reports"]["red_new"].lower()),
    }
    query = urlencode({"zoek": typed.format(**words)})
    assert _listed(adviser, query) == [team["refs"][found]]


def test_search__nothing_matches__says_so_and_wildcards_are_plain_text(adviser, team):
    for typed in ("%", "_", "onbekend bedrijf"):
        response = adviser.get(f"/adviseur/?zoek={typed}")
        assert response.status_code == 200 and _listed(adviser, f"zoek={typed}") == []
    assert "Geen scans gevonden" in adviser.get("/adviseur/?zoek=%25").get_data(as_text=True)


def test_search__reference_on_confirmation_and_in_both_pdfs__is_the_one_found(db_app):
    """The entrepreneur shares through the web and reads the reference to the adviser."""
    with db_app.app_context():
        org = make_org("PVO Brabant-Zeeland")
        make_user("adviseur@pvo-bz.nl", "adviser", org)
        _, token = submitted_scan()
        org_id = org.id
    entrepreneur = db_app.test_client()
    url = scan_page(entrepreneur, token, f"/delen?organisatie={org_id}")
    data = {"csrf_token": csrf_token(entrepreneur, url), "organisation": str(org_id)}
    shared = entrepreneur.post("/scan/delen", data={**data, "consent": "y"})
    confirmation = entrepreneur.get(shared.location).get_data(as_text=True)
    on_confirmation = re.search(r"Uw referentie(?: is|:) (?:<strong>)?([0-9A-F]{8})", confirmation)
    own_pdf = PdfReader(io.BytesIO(entrepreneur.get("/scan/rapport.pdf").data))
    in_own_pdf = re.search(r"referentie ([0-9A-F]{8})", own_pdf.pages[0].extract_text())

    adviser = db_app.test_client()
    login(adviser, "adviseur@pvo-bz.nl")
    for reference in (on_confirmation.group(1), in_own_pdf.group(1)):
        assert len(_listed(adviser, f"zoek={reference.lower()}")) == 1, reference
    share_id = re.search(r"/adviseur/scans/([0-9a-f]{32})", adviser.get("/adviseur/").text)[1]
    pdf = PdfReader(io.BytesIO(adviser.get(f"/adviseur/scans/{share_id}/rapport.pdf").data))
    assert on_confirmation.group(1) in pdf.pages[0].extract_text()


def test_search__withdrawn_share__contact_details_no_longer_found(db_app, adviser, team):
    with db_app.app_context():
        share = db.session.scalar(db.select(Share).filter_by(public_id=team["ids"]["bakker"]))
        sharing.withdraw_share(share)
        assert share.case is None
        assert db.session.scalar(db.select(db.func.count(ShareCase.share_id))) == 5
        # its search terms went with it (SQLite does not cascade deletes by itself)
        left = db.select(ShareSearchTerm).filter_by(share_id=share.id)
        assert db.session.scalars(left).all() == []
    assert _listed(adviser, "zoek=0612345678") == []


# --- order and filter ------------------------------------------------------------------------


def test_default_order__red_flags_then_new_then_next_step_date(db_app, adviser, team):
    refs = team["refs"]
    with db_app.app_context():
        me = db.session.get(User, team["me"])
        for key, day in (("intl", 9), ("plain", 5)):
            share = db.session.scalar(db.select(Share).filter_by(public_id=team["ids"][key]))
            caseload.set_next_action(share, me, "bellen", dt.date(2026, 12, day))
    # red+new, red (in behandeling), then new by next step date (5th, 9th), then without one
    expected = [refs["red_new"], refs["red_old"], refs["plain"], refs["intl"], refs["bakker"]]
    assert _listed(adviser) == expected


@pytest.mark.parametrize(
    "query, expected",
    [
        ("sorteer=gedeeld", ["intl", "red_new", "plain", "red_old", "bakker"]),
        ("sorteer=score", ["red_new", "red_old", "plain", "bakker", "intl"]),
        ("sorteer=sector", ["intl", "red_old", "red_new", "plain", "bakker"]),
        ("rode_vlag=y", ["red_new", "red_old"]),
        ("status=in_behandeling", ["red_old"]),
        ("sector=haven&sorteer=gedeeld", ["intl", "red_old"]),
        ("toegewezen=niemand&rode_vlag=y", ["red_new", "red_old"]),
        ("toegewezen=mij", []),
    ],
)
def test_sort_and_filter(adviser, team, query, expected):
    assert _listed(adviser, query) == [team["refs"][k] for k in expected]


def test_sector_filter__example_scan_is_not_a_sector(adviser):
    page = adviser.get("/adviseur/").get_data(as_text=True)
    sector_select = page.split('id="sector"', 1)[1].split("</select>", 1)[0]
    assert "Vastgoed" in sector_select or "vastgoed" in sector_select
    assert "voorbeeld" not in sector_select.lower()


@pytest.mark.parametrize(
    "query",
    ["van=gisteren", "sorteer=alles", "toegewezen=999999", "status=weg", "zoek=" + "x" * 300],
)
def test_bad_filter__dutch_message_not_500(adviser, team, query):
    response = adviser.get(f"/adviseur/?{query}")
    assert response.status_code == 200
    assert "Een filter klopt niet" in response.get_data(as_text=True)
    assert len(_listed(adviser, query)) == 5  # the list, unfiltered


# --- work as a team --------------------------------------------------------------------------


def test_assign__colleague_then_take_back__audited_and_shown_as_last_activity(
    db_app, adviser, team
):
    share_id = team["ids"]["plain"]
    response = _post(adviser, share_id, "toewijzen", adviseur=str(team["colleague"]))
    assert response.status_code == 302
    assert _listed(adviser, f"toegewezen={team['colleague']}") == [team["refs"]["plain"]]
    page = adviser.get("/adviseur/?toegewezen=" + str(team["colleague"])).get_data(as_text=True)
    assert "collega@pvo-bz.nl" in page and "Toegewezen" in page  # who, and what happened

    _post(adviser, share_id, "toewijzen", adviseur=str(team["me"]))
    assert _listed(adviser, "toegewezen=mij") == [team["refs"]["plain"]]
    assert "Mijn scans" in adviser.get("/adviseur/?toegewezen=mij").get_data(as_text=True)
    with db_app.app_context():
        events = db.session.scalars(db.select(AuditEvent).filter_by(action="assign")).all()
        assert [e.share_public_id for e in events] == [share_id, share_id]
        assert "collega@pvo-bz.nl" in events[0].detail and "niemand" in events[0].detail
        case = db.session.scalar(
            db.select(ShareCase).join(Share).where(Share.public_id == share_id)
        )
        assert (case.last_activity, case.last_activity_by) == ("assign", "adviseur@pvo-bz.nl")


def test_assign__adviser_of_another_pvo__refused_in_dutch(db_app, adviser, team):
    with db_app.app_context():
        other = db.session.scalar(db.select(User).filter_by(email="adviseur@pvo-limburg.nl")).id
    response = _post(adviser, team["ids"]["plain"], "toewijzen", adviseur=str(other))
    assert response.status_code == 400
    assert "Ongeldige keuze" in response.get_data(as_text=True)
    with db_app.app_context():
        share = db.session.scalar(db.select(Share).filter_by(public_id=team["ids"]["plain"]))
        with pytest.raises(caseload.CaseError, match="eigen organisatie"):
            caseload.assign(share, db.session.get(User, team["me"]), other)
        assert share.case.assigned_to_id is None


def test_next_step__planned_then_overdue_the_day_after(db_app, adviser, team, monkeypatch):
    share_id = team["ids"]["bakker"]
    monkeypatch.setattr(caseload, "today", lambda: dt.date(2026, 12, 7))
    response = _post(adviser, share_id, "volgende-stap", stap="bezoek", stap_datum="2026-12-07")
    assert response.status_code == 302
    assert _listed(adviser, "te_laat=y") == []
    monkeypatch.setattr(caseload, "today", lambda: dt.date(2026, 12, 8))
    assert _listed(adviser, "te_laat=y") == [team["refs"]["bakker"]]
    assert "Te laat" in adviser.get("/adviseur/?te_laat=y").get_data(as_text=True)
    assert "Deze stap is te laat" in adviser.get(f"/adviseur/scans/{share_id}").text
    with db_app.app_context():
        event = db.session.scalar(db.select(AuditEvent).filter_by(action="next_action"))
        assert "bezoek 2026-12-07" in event.detail and event.share_public_id == share_id


@pytest.mark.parametrize(
    "data, message",
    [
        ({"stap": "bezoek", "stap_datum": ""}, "Vul de datum van de volgende stap in."),
        ({"stap": "", "stap_datum": "2026-12-07"}, "Kies welke stap u op die datum zet."),
        ({"stap": "feest", "stap_datum": "2026-12-07"}, "Ongeldige keuze."),
        ({"stap": "bellen", "stap_datum": "07-12-2026x"}, "Ongeldige datum."),
        ({"stap": "bellen", "stap_datum": "9999-12-31"}, "Vul een datum in tussen 2000 en 2100."),
    ],
)
def test_next_step__bad_input__dutch_message(adviser, team, data, message):
    response = _post(adviser, team["ids"]["bakker"], "volgende-stap", **data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


# --- export ----------------------------------------------------------------------------------


def test_export__opens_in_dutch_excel__own_organisation_only_and_audited(db_app, adviser, team):
    with db_app.app_context():
        share = db.session.scalar(db.select(Share).filter_by(public_id=team["ids"]["plain"]))
        share.contact_name = '=HYPERLINK("http://x")'
        cases.refresh(share)
        db.session.commit()
    response = adviser.get("/adviseur/scans.csv?sorteer=gedeeld")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_as_dutch_excel(response.data)
    head, body = rows[0], rows[1:]
    assert head[:3] == ["referentie", "referentie_rapport", "gedeeld_op"]
    table = {r[0]: dict(zip(head, r, strict=True)) for r in body}
    assert list(table) == [
        team["refs"][k] for k in ("intl", "red_new", "plain", "red_old", "bakker")
    ]
    assert team["refs"]["theirs"] not in table  # PVO B's share of the same bakery
    plain = table[team["refs"]["plain"]]
    assert plain["score"] == "55,5" and float(plain["score"].replace(",", ".")) == 55.5
    assert plain["naam"] == '\'=HYPERLINK("http://x")'  # never a formula
    assert table[team["refs"]["intl"]]["telefoon"] == "'+31 6 9876 5432"
    assert table[team["refs"]["red_new"]]["rode_vlag"] == "ja"
    assert table[team["refs"]["bakker"]]["referentie_rapport"] == team["reports"]["bakker"]
    with db_app.app_context():
        event = db.session.scalar(db.select(AuditEvent).filter_by(action="export_caseload"))
        assert event.detail == "5 scans"


def test_export__follows_search_and_filters(adviser, team):
    rows = read_as_dutch_excel(adviser.get("/adviseur/scans.csv?rode_vlag=y").data)
    assert {r[0] for r in rows[1:]} == {team["refs"]["red_new"], team["refs"]["red_old"]}


# --- staff pages -----------------------------------------------------------------------------


def test_staff_pages__no_quick_exit_and_no_112_line__entrepreneur_pages_keep_them(
    db_app, adviser, team
):
    for url in ("/adviseur/", f"/adviseur/scans/{team['ids']['bakker']}", "/adviseur/trends"):
        page = adviser.get(url).get_data(as_text=True)
        assert "Snel weg" not in page and "Bel <strong>112</strong>" not in page, url
    login_page = db_app.test_client().get("/inloggen").get_data(as_text=True)
    assert "Snel weg" not in login_page and "In gevaar?" not in login_page
    landing = db_app.test_client().get("/").get_data(as_text=True)
    assert "Snel weg" in landing and "Bel <strong>112</strong>" in landing


def test_delete_scan__deletes_its_cases_and_search_terms(db_app, team):
    """Deleting (or expiring) a scan leaves no case and no contact detail to search behind."""
    from scan.scans import store

    with db_app.app_context():
        share = db.session.scalar(db.select(Share).filter_by(public_id=team["ids"]["bakker"]))
        share_id = share.id
        store.delete_scan(share.scan)
        assert db.session.get(ShareCase, share_id) is None
        left = db.select(ShareSearchTerm).filter_by(share_id=share_id)
        assert db.session.scalars(left).all() == []
        assert db.session.scalar(db.select(db.func.count(ShareCase.share_id))) == 5
