"""The entrepreneur shares a submitted scan with a PVO after consent, and can withdraw it."""

from __future__ import annotations

import pytest
from portal_factories import (
    csrf_token,
    login,
    make_org,
    make_user,
    scan_page,
    submitted_scan,
)

from scan.platform.catalog import get_catalog
from scan.platform.extensions import db
from scan.platform.models import AuditEvent, Note, Share
from scan.scans import store
from scan.scans.sharing import CONSENT_VERSION


@pytest.fixture
def world(app):
    with app.app_context():
        bz = make_org("PVO Brabant-Zeeland")
        limburg = make_org("PVO Limburg")
        make_org("Vereniging Vastgoed", kind="branche")
        make_user("adviseur@pvo-bz.nl", "adviser", bz)
        scan, token = submitted_scan()
        return {"token": token, "bz": bz.id, "limburg": limburg.id, "scan": scan.id}


def _token(client, world) -> str:
    """Return a CSRF token from a consent step that still has a form (one per session)."""
    for org in ("bz", "limburg"):
        page = client.get(
            scan_page(client, world["token"], f"/delen?organisatie={world[org]}")
        ).text
        if 'name="csrf_token"' in page:
            return csrf_token(
                client, scan_page(client, world["token"], f"/delen?organisatie={world[org]}")
            )
    raise AssertionError("no consent form left")


def _share(client, world, org="bz", **fields):
    url = scan_page(client, world["token"], "/delen")
    data = {
        "csrf_token": _token(client, world),
        "organisation": str(world[org]),
        "consent": "y",
        **fields,
    }
    return client.post(url, data=data)


def test_share_page__lists_pvo_organisations_only(client, world):
    page = client.get(scan_page(client, world["token"], "/delen")).get_data(as_text=True)
    assert "PVO Brabant-Zeeland" in page and "PVO Limburg" in page
    assert "Vereniging Vastgoed" not in page


def test_share_page__chosen_org__consent_says_what_whom_why(client, world):
    page = client.get(
        scan_page(client, world["token"], f"/delen?organisatie={world['bz']}")
    ).get_data(as_text=True)
    assert "alleen de adviseurs van <strong>PVO Brabant-Zeeland</strong>" in page
    for words in ("Wat:", "Waarom:", "Hoe lang:", "stopt met delen"):
        assert words in page
    assert 'name="consent"' in page


def test_share_page__consent__says_the_adviser_reads_free_text(client, world):
    # The free-text help promises the adviser reads it when shared: the consent step says so.
    page = client.get(
        scan_page(client, world["token"], f"/delen?organisatie={world['bz']}")
    ).get_data(as_text=True)
    assert "Ook wat u zelf in een tekstvak schreef" in page


def test_share__with_consent__stored_with_contact(app, client, world):
    response = _share(client, world, name=" Jan Jansen ", phone="06-12345678", email="")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Uw scan is gedeeld met PVO Brabant-Zeeland" in page
    with app.app_context():
        share = db.session.scalar(db.select(Share))
        assert share.organisation_id == world["bz"]
        assert share.scan_id == world["scan"]
        assert (share.contact_name, share.contact_phone, share.contact_email) == (
            "Jan Jansen",
            "06-12345678",
            None,
        )
        assert share.consent_version == CONSENT_VERSION
        assert share.status == "nieuw"
        assert share.reference in page
        event = db.session.scalar(db.select(AuditEvent).filter_by(action="share_created"))
        assert event.actor == "ondernemer" and event.share_public_id == share.public_id
        assert "Jan" not in event.detail  # no personal data in the audit trail


def test_share__without_consent__nothing_stored(app, client, world):
    response = _share(client, world, consent="")
    assert response.status_code == 400
    assert "Geef toestemming" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Share)) == 0


@pytest.mark.parametrize(
    ("field", "value"), [("email", "geen-adres"), ("phone", "bel me"), ("name", "x" * 201)]
)
def test_share__bad_contact_field__refused(app, client, world, field, value):
    assert _share(client, world, **{field: value}).status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Share)) == 0


def test_share__branch_or_unknown_organisation__refused(app, client, world):
    with app.app_context():
        branch = db.session.scalar(db.select(db.text("id FROM organisations WHERE kind='branche'")))
    for org in (str(branch), "9999", "abc"):
        url = scan_page(client, world["token"], "/delen")
        data = {"csrf_token": _token(client, world), "organisation": org, "consent": "y"}
        assert client.post(url, data=data).status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Share)) == 0


def test_share__without_csrf__refused(app, client, world):
    url = scan_page(client, world["token"], "/delen")
    response = client.post(url, data={"organisation": str(world["bz"]), "consent": "y"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Share)) == 0


def test_share__same_organisation_twice__not_offered_again(app, client, world):
    _share(client, world)
    page = client.get(scan_page(client, world["token"], "/delen")).get_data(as_text=True)
    assert f'value="{world["bz"]}"' not in page
    assert _share(client, world).status_code == 400
    assert _share(client, world, org="limburg").status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Share)) == 2


def test_share__unsubmitted_scan__refused(app, client, world):
    with app.app_context():
        _, token = store.start_scan(get_catalog().get("vastgoed"), ttl_days=90)
    response = client.get(scan_page(client, token, "/delen"))
    assert response.status_code == 409
    assert "afgerond" in response.get_data(as_text=True)


@pytest.mark.parametrize("token", ["x" * 32, "a" * 200, "..%2F..%2Fetc"])
def test_share__unknown_token__not_found(client, world, token):
    assert client.get(f"/scan/{token}/").status_code == 404
    assert client.get("/scan/delen").status_code == 403  # no scan session: a neutral page


def test_share_pages__not_cached(client, world):
    response = client.get(scan_page(client, world["token"], "/delen"))
    assert response.headers["Cache-Control"] == "no-store"


def test_withdraw__adviser_loses_access_and_data_is_erased(app, client, world):
    _share(client, world, name="Jan Jansen", email="jan@example.nl")
    with app.app_context():
        share = db.session.scalar(db.select(Share))
        share.notes.append(Note(author_email="adviseur@pvo-bz.nl", text="Gebeld."))
        db.session.commit()
        public_id = share.public_id
    adviser = type(client)(app, client.response_wrapper, use_cookies=True)
    login(adviser, "adviseur@pvo-bz.nl")
    assert adviser.get(f"/adviseur/scans/{public_id}").status_code == 200

    url = scan_page(client, world["token"], "/delen")
    token = csrf_token(client, f"{url}/{public_id}/intrekken")
    response = client.post(f"{url}/{public_id}/intrekken", data={"csrf_token": token})
    assert response.status_code == 302
    assert "U deelt uw scan niet meer" in client.get(url).get_data(as_text=True)
    assert adviser.get(f"/adviseur/scans/{public_id}").status_code == 404
    assert public_id[:8].upper() not in adviser.get("/adviseur/").get_data(as_text=True)
    with app.app_context():
        share = db.session.scalar(db.select(Share))
        assert share.withdrawn_at is not None
        assert share.contact_name is None and share.contact_email is None
        assert db.session.scalar(db.select(db.func.count()).select_from(Note)) == 0
        assert db.session.scalar(db.select(AuditEvent).filter_by(action="share_withdrawn"))


def test_withdraw__without_csrf__refused(app, client, world):
    _share(client, world)
    with app.app_context():
        public_id = db.session.scalar(db.select(Share.public_id))
    response = client.post(scan_page(client, world["token"], f"/delen/{public_id}/intrekken"))
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(Share.withdrawn_at)) is None


def test_withdraw__then_share_again__allowed(app, client, world):
    _share(client, world)
    with app.app_context():
        public_id = db.session.scalar(db.select(Share.public_id))
    url = scan_page(client, world["token"], "/delen")
    token = csrf_token(client, f"{url}/{public_id}/intrekken")
    client.post(f"{url}/{public_id}/intrekken", data={"csrf_token": token})
    assert _share(client, world).status_code == 302
    with app.app_context():
        active = db.session.scalars(db.select(Share).where(Share.withdrawn_at.is_(None))).all()
        assert len(active) == 1 and active[0].public_id != public_id


def test_withdraw__other_scans_share__not_found(app, client, world):
    _share(client, world)
    with app.app_context():
        public_id = db.session.scalar(db.select(Share.public_id))
        _, other_token = submitted_scan()
    url = scan_page(client, other_token, "/delen")
    token = csrf_token(client, f"{url}?organisatie={world['bz']}")
    response = client.post(f"{url}/{public_id}/intrekken", data={"csrf_token": token})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(db.select(Share.withdrawn_at)) is None


def test_delete_scan__deletes_its_shares_and_notes(app, client, world):
    _share(client, world)
    with app.app_context():
        share = db.session.scalar(db.select(Share))
        share.notes.append(Note(author_email="a@b.nl", text="x"))
        db.session.commit()
        store.delete_scan(store.find_scan(world["token"]))
        assert db.session.scalar(db.select(db.func.count()).select_from(Share)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(Note)) == 0


def test_result_page__links_to_sharing(client, world):
    page = client.get(scan_page(client, world["token"], "/resultaat")).get_data(as_text=True)
    assert (
        scan_page(client, world["token"], "/delen") in page
        and "Scan delen met een adviseur" in page
    )
    _share(client, world)
    page = client.get(scan_page(client, world["token"], "/resultaat")).get_data(as_text=True)
    assert "U deelt deze scan met PVO Brabant-Zeeland" in page


def test_withdraw__asks_first(app, client, world):
    _share(client, world, name="Jan")
    with app.app_context():
        public_id = db.session.scalar(db.select(Share.public_id))
    page = client.get(scan_page(client, world["token"], f"/delen/{public_id}/intrekken")).get_data(
        as_text=True
    )
    assert "Stoppen met delen met PVO Brabant-Zeeland?" in page and "notities" in page
    with app.app_context():
        assert db.session.scalar(db.select(Share.withdrawn_at)) is None


def test_share_pages__offer_the_quick_exit(client, app):
    """Entrepreneurs who fear being seen can leave the sharing pages at once, like scan pages."""
    from portal_factories import make_org, share_scan, submitted_scan

    with app.app_context():
        org = make_org("PVO Brabant-Zeeland")
        scan, token = submitted_scan("haven", 0)
        share = share_scan(scan, org)
        public_id = share.public_id
    for url in (
        scan_page(client, token, "/delen"),
        scan_page(client, token, f"/delen/{public_id}/intrekken"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Snel weg" in response.get_data(as_text=True), url


def test_share__errors__one_error_summary_with_fout_in_the_title(client, world):
    response = _share(client, world, consent="", email="geen-adres")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<title>Fout: Uw scan delen" in page
    summary = page.split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#consent"' in summary and 'href="#email"' in summary


def test_share__confirmation_says_what_happens_next(client, world):
    _share(client, world, phone="06 1234 5678")
    page = client.get("/scan/delen").get_data(as_text=True)
    assert "Uw scan is gedeeld met PVO Brabant-Zeeland" in page
    assert "kunnen uw scan nu zien" in page and "neemt contact met u op" in page
