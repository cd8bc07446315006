"""Visits: an adviser starts a scan with the entrepreneur, notes what they saw, hands it over."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from portal_factories import csrf_token, login, make_portal, make_user, scan_page

from scan.platform.catalog import get_catalog
from scan.platform.extensions import db
from scan.platform.models import AuditEvent, Organisation, Scan, Share
from scan.platform.visit_models import Visit, VisitNote
from scan.scans import store

ADVISER_A, ADVISER_B = "adviseur@pvo-bz.nl", "adviseur@pvo-limburg.nl"
QR_LINK = re.compile(r'class="handout__link">([^<]+)<')


@pytest.fixture
def portal(app):
    """The standard portal; returns the id of organisation A, whose adviser starts visits."""
    with app.app_context():
        return make_portal().org_a.id


def start_visit(client, sector: str = "vastgoed", kind: str = "bezoek"):
    """Log in as adviser A and start a visit; return the response of the start."""
    login(client, ADVISER_A)
    token = csrf_token(client, "/adviseur/bezoek")
    return client.post(
        "/adviseur/bezoek", data={"csrf_token": token, "vragenlijst": sector, "soort": kind}
    )


def the_visit() -> Visit:
    return db.session.scalars(db.select(Visit).order_by(Visit.id.desc())).first()


def answer_all(client, app) -> None:
    """Fill the visit's scan with an example answer set and submit it through the pages."""
    with app.app_context():
        scan = the_visit().scan
        q = store.questionnaire_of(scan)
        scan.answers = dict(q.examples[0].answers)
        db.session.commit()
    client.post("/scan/versturen", data={"csrf_token": csrf_token(client, "/scan/controle")})


def note_first_theme(client, app) -> None:
    """Note an observation and an agreed action on the visit's first theme page."""
    with app.app_context():
        theme_id = store.questionnaire_of(the_visit().scan).themes[0].id
    data = {
        "csrf_token": csrf_token(client, f"/scan/thema/{theme_id}"),
        "waarneming": "Hek achter de loods staat open.",
        "afspraak": "Hangslot kopen",
        "wie": "Piet",
        "wanneer": "2027-01-15",
    }
    assert client.post(f"/scan/bezoek/thema/{theme_id}", data=data).status_code == 302


def ended_unshared(app, link: str, detail: str, kind: str) -> None:
    """Assert the visit ended without a share, as audited, and the link still opens the scan."""
    with app.app_context():
        visit = the_visit()
        assert (visit.kind, visit.consent, visit.is_open) == (kind, False, False)
        assert db.session.scalar(db.select(Share).filter_by(scan_id=visit.scan_id)) is None
        event = db.session.scalar(db.select(AuditEvent).filter_by(action="visit_ended"))
        assert event.detail.endswith(detail)
    phone = app.test_client()
    phone.get(link.removeprefix("http://localhost"))
    assert phone.get("/scan/resultaat").status_code == 200  # the entrepreneur keeps the scan
    assert phone.get("/scan/delen").status_code == 200  # and may share it later


def handout_link(client) -> str:
    page = client.get("/scan/bezoek/uitdeelblad").get_data(as_text=True)
    return QR_LINK.search(page).group(1)


def test_start__opens_the_scan_in_this_browser_as_a_visit(app, client, portal):
    response = start_visit(client)
    assert response.status_code == 302 and response.location.endswith("/scan/overzicht")
    page = client.get("/scan/overzicht").get_data(as_text=True)
    assert "Scan overdragen aan de ondernemer" in page and "PVO Brabant-Zeeland" in page
    with app.app_context():
        visit = the_visit()
        assert (visit.organisation.name, visit.started_by, visit.kind) == (
            "PVO Brabant-Zeeland",
            ADVISER_A,
            "bezoek",
        )
        assert visit.is_open and visit.scan.submitted_at is None
        event = db.session.scalar(db.select(AuditEvent).filter_by(action="visit_started"))
        assert event.actor == ADVISER_A and f"bezoek {visit.reference}; vastgoed" in event.detail


def test_start_page__offers_published_questionnaires_and_paper(app, client, portal):
    login(client, ADVISER_A)
    page = client.get("/adviseur/").get_data(as_text=True)
    assert "Bezoek starten" in page
    page = client.get("/adviseur/bezoek").get_data(as_text=True)
    assert 'value="vastgoed"' in page and 'value="papier"' in page
    assert 'value="voorbeeld"' not in page  # the example scan is not listed


def test_start__unknown_questionnaire__dutch_message(app, client, portal):
    response = start_visit(client, sector="bestaat_niet")
    assert response.status_code == 400
    assert "Not a valid choice" not in response.get_data(as_text=True)
    with app.app_context():
        assert the_visit() is None


def test_paper_scan__entered_afterwards_as_a_visit__not_shared_from_the_advisers_screen(
    app, client, portal
):
    start_visit(client, kind="papier")
    assert "Papieren scan invoeren" in client.get("/scan/overzicht").get_data(as_text=True)
    answer_all(client, app)
    page = client.get("/scan/bezoek/overdragen").get_data(as_text=True)
    assert "Invoer afronden" in page and "Ja, deel mijn scan" not in page
    token = csrf_token(client, "/scan/bezoek/overdragen")
    data = {"csrf_token": token, "organisation": str(portal), "consent": "y"}
    assert client.post("/scan/bezoek/delen", data=data).status_code == 409
    link = handout_link(client)
    client.post("/scan/bezoek/niet-delen", data={"csrf_token": token})
    assert client.get("/scan/resultaat").status_code == 403
    ended_unshared(app, link, "papier; toestemming: niet gevraagd", "papier")


def test_theme_page__observation_and_action_stored(app, client, portal):
    start_visit(client)
    with app.app_context():
        theme_id = store.questionnaire_of(the_visit().scan).themes[0].id
    page = client.get(f"/scan/thema/{theme_id}").get_data(as_text=True)
    assert "Wat de adviseur zag" in page
    data = {
        "csrf_token": csrf_token(client, f"/scan/thema/{theme_id}"),
        "waarneming": "Hek achter de loods staat open.",
        "afspraak": "Hek op slot met een hangslot",
        "wie": "Piet",
        "wanneer": "2027-01-15",
    }
    response = client.post(f"/scan/bezoek/thema/{theme_id}", data=data)
    assert response.status_code == 302
    data.update(waarneming="Hek achter de loods staat open, camera hangt scheef.", afspraak="")
    data.update(wie="", wanneer="")
    client.post(f"/scan/bezoek/thema/{theme_id}", data=data)  # edits, adds no action
    with app.app_context():
        notes = [(n.kind, n.text, n.who, str(n.due)) for n in the_visit().notes]
    assert notes == [
        ("observation", "Hek achter de loods staat open, camera hangt scheef.", None, "None"),
        ("action", "Hek op slot met een hangslot", "Piet", "2027-01-15"),
    ]
    page = client.get(f"/scan/thema/{theme_id}").get_data(as_text=True)
    assert "camera hangt scheef" in page and "Hek op slot met een hangslot" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("wanneer", "morgen", "jjjj-mm-dd"),
        ("wanneer", "9999-01-01", "Kies een datum tussen"),
        ("wie", "x" * 101, "hoogstens 100"),
    ],
)
def test_theme_notes__bad_input__dutch_message_nothing_stored(
    app, client, portal, field, value, message
):
    start_visit(client)
    with app.app_context():
        theme_id = store.questionnaire_of(the_visit().scan).themes[0].id
    data = {"csrf_token": csrf_token(client, f"/scan/thema/{theme_id}"), "afspraak": "Slot"}
    data[field] = value
    response = client.post(f"/scan/bezoek/thema/{theme_id}", data=data, follow_redirects=True)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    with app.app_context():
        assert the_visit().notes == []


def test_theme_notes__unknown_theme_or_no_csrf__refused(app, client, portal):
    start_visit(client)
    token = csrf_token(client, "/scan/bezoek/overdragen")
    assert (
        client.post("/scan/bezoek/thema/bestaat_niet", data={"csrf_token": token}).status_code
        == 400
    )
    with app.app_context():
        theme_id = store.questionnaire_of(the_visit().scan).themes[0].id
    assert client.post(f"/scan/bezoek/thema/{theme_id}", data={}).status_code == 400


def test_handover__qr_code_holds_the_personal_link_made_here(app, client, portal):
    start_visit(client)
    page = client.get("/scan/bezoek/overdragen").get_data(as_text=True)
    assert "<svg" in page and "QR-code met de link naar uw scan" in page
    link = handout_link(client)
    assert re.fullmatch(r"http://localhost/scan/[A-Za-z0-9_-]{32}/", link)
    assert link not in page  # on screen only as the code; in letters only on the handout
    import segno

    expected = segno.make(link, error="m").svg_inline(scale=6, title="x", border=2)
    assert re.search(r'<path[^>]*d="([^"]+)"', expected).group(1) in page
    with app.app_context():
        token = link.rstrip("/").rsplit("/", 1)[1]
        assert store.find_scan(token).id == the_visit().scan_id


def test_handover__link_opens_the_same_scan_elsewhere(app, client, portal):
    start_visit(client)
    link = handout_link(client)
    phone = app.test_client()
    assert phone.get(link.removeprefix("http://localhost")).status_code == 303
    assert phone.get("/scan/overzicht").status_code == 200
    with app.app_context():
        visit = the_visit()
        token = link.rstrip("/").rsplit("/", 1)[1]
        assert store.find_scan(token).id == visit.scan_id


def test_consent_given__shared_with_the_pvo_visit_ends(app, client, portal):
    start_visit(client)
    answer_all(client, app)
    link = handout_link(client)
    page = client.get("/scan/bezoek/overdragen").get_data(as_text=True)
    assert "Wat gebeurt er als u deelt?" in page  # the share page's own consent texts
    data = {
        "csrf_token": csrf_token(client, "/scan/bezoek/overdragen"),
        "organisation": str(portal),
        "consent": "y",
        "phone": "06 1111 2222",
    }
    response = client.post("/scan/bezoek/delen", data=data)
    assert response.status_code == 302 and "/adviseur/bezoeken/" in response.location
    page = " ".join(client.get(response.location).get_data(as_text=True).split())
    assert "deelt hem met PVO Brabant-Zeeland" in page
    # The adviser's browser no longer holds the scan; the share is how they see it now.
    assert client.get("/scan/overzicht").status_code == 403
    with app.app_context():
        visit = the_visit()
        share = db.session.scalar(db.select(Share).filter_by(scan_id=visit.scan_id))
        assert (visit.consent, visit.ended_at is not None) == (True, True)
        assert share.organisation_id == portal and share.contact_phone == "06 1111 2222"
        event = db.session.scalar(db.select(AuditEvent).filter_by(action="visit_ended"))
        assert event.actor == "ondernemer" and event.detail.endswith("toestemming: ja")
        assert event.share_public_id == share.public_id
        public_id = share.public_id
    assert client.get(f"/adviseur/scans/{public_id}").status_code == 200
    # The entrepreneur's phone still opens it, and withdrawing works as for any share.
    phone = app.test_client()
    phone.get(link.removeprefix("http://localhost"))
    token = csrf_token(phone, f"/scan/delen/{public_id}/intrekken")
    phone.post(f"/scan/delen/{public_id}/intrekken", data={"csrf_token": token})
    assert client.get(f"/adviseur/scans/{public_id}").status_code == 404


def test_consent_refused__visit_ends_and_the_adviser_cannot_open_the_scan(app, client, portal):
    start_visit(client)
    answer_all(client, app)
    link = handout_link(client)
    cookie_before = client.get_cookie("session").value
    token = csrf_token(client, "/scan/bezoek/overdragen")
    response = client.post("/scan/bezoek/niet-delen", data={"csrf_token": token})
    assert response.status_code == 302
    page = " ".join(client.get(response.location).get_data(as_text=True).split())
    assert "deelt hem niet met PVO Brabant-Zeeland" in page
    for path in (
        "/scan/overzicht",
        "/scan/resultaat",
        "/scan/rapport.pdf",
        "/scan/bezoek/overdragen",
    ):
        assert client.get(path).status_code == 403, path
    # Even the cookie from before the hand-over no longer opens the scan.
    client.set_cookie("session", cookie_before)
    assert client.get("/scan/resultaat").status_code == 403
    ended_unshared(app, link, "toestemming: nee", "bezoek")


def test_unfinished_scan__cannot_be_shared_at_the_handover(app, client, portal):
    start_visit(client)
    page = client.get("/scan/bezoek/overdragen").get_data(as_text=True)
    assert "nog niet af" in page and "Ja, deel mijn scan" not in page
    data = {
        "csrf_token": csrf_token(client, "/scan/bezoek/overdragen"),
        "organisation": str(portal),
        "consent": "y",
    }
    assert client.post("/scan/bezoek/delen", data=data).status_code == 409


def test_share_without_consent_box__refused_visit_goes_on(app, client, portal):
    start_visit(client)
    answer_all(client, app)
    data = {
        "csrf_token": csrf_token(client, "/scan/bezoek/overdragen"),
        "organisation": str(portal),
    }
    response = client.post("/scan/bezoek/delen", data=data)
    assert response.status_code == 400
    assert "Geef toestemming" in response.get_data(as_text=True)
    with app.app_context():
        assert the_visit().is_open


def test_other_pvo__cannot_see_the_visit(app, client, portal):
    start_visit(client)
    with app.app_context():
        public_id = the_visit().public_id
    other = app.test_client()
    login(other, ADVISER_B)
    assert other.get(f"/adviseur/bezoeken/{public_id}").status_code == 404
    assert other.get("/scan/bezoek/overdragen").status_code == 403
    with app.app_context():
        assert db.session.scalar(db.select(AuditEvent).filter_by(action="visit_refused"))


def test_adviser_logged_out__visit_pages_closed(app, client, portal):
    start_visit(client)
    client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/scan/bezoek/overdragen")})
    assert client.get("/scan/bezoek/overdragen").status_code == 403
    assert client.get("/scan/overzicht").status_code == 403


def test_result_page__observations_under_their_theme_marked_as_the_advisers(app, client, portal):
    start_visit(client)
    note_first_theme(client, app)
    answer_all(client, app)
    page = " ".join(client.get("/scan/resultaat").get_data(as_text=True).split())
    assert "Wat de adviseur van PVO Brabant-Zeeland zag" in page
    assert "Hek achter de loods staat open." in page
    assert "Hangslot kopen" in page and "Piet" in page and "15 januari 2027" in page


def test_pdf__observations_and_agreed_actions_never_the_link(app, client, portal):
    from io import BytesIO

    from pypdf import PdfReader

    start_visit(client)
    note_first_theme(client, app)
    answer_all(client, app)
    link = handout_link(client)
    pdf = client.get("/scan/rapport.pdf").data
    if os.environ.get("SCREENSHOT_DIR"):
        Path(os.environ["SCREENSHOT_DIR"], "visit-report.pdf").write_bytes(pdf)
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert "Wat de adviseur van PVO Brabant-Zeeland zag" in text
    assert "Hek achter de loods staat open." in text
    assert "Hangslot kopen" in text and "15-01-2027" in text
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in text and token.encode() not in pdf


def test_delete_scan__deletes_visit_and_notes(app, client, portal):
    start_visit(client)
    with app.app_context():
        visit = the_visit()
        theme_id = store.questionnaire_of(visit.scan).themes[0].id
    data = {"csrf_token": csrf_token(client, f"/scan/thema/{theme_id}"), "waarneming": "Open hek"}
    client.post(f"/scan/bezoek/thema/{theme_id}", data=data)
    with app.app_context():
        store.delete_scan(the_visit().scan)
        assert db.session.scalar(db.select(db.func.count()).select_from(Visit)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(VisitNote)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(Scan)) == 1  # the portal's


def test_expired_scan__visit_and_notes_go_with_it(app, client, portal):
    import datetime as dt

    start_visit(client)
    with app.app_context():
        visit = the_visit()
        theme_id = store.questionnaire_of(visit.scan).themes[0].id
    data = {"csrf_token": csrf_token(client, f"/scan/thema/{theme_id}"), "waarneming": "Open hek"}
    client.post(f"/scan/bezoek/thema/{theme_id}", data=data)
    with app.app_context():
        scan = the_visit().scan
        scan.expires_at = dt.datetime(2000, 1, 1)
        db.session.commit()
        assert store.expire_scans() >= 1
        assert db.session.scalar(db.select(db.func.count()).select_from(VisitNote)) == 0
        assert the_visit() is None


def test_privacy_page__names_the_organisation_for_this_scan(app, client, portal):
    start_visit(client)
    link = handout_link(client)
    phone = app.test_client()
    phone.get(link.removeprefix("http://localhost"))
    page = " ".join(phone.get("/privacy").get_data(as_text=True).split())
    assert (
        "Uw scan in deze browser vulde u in samen met een adviseur van <strong>PVO Brabant-Zeeland"
        in page
    )
    assert "Uw scan in deze browser" not in app.test_client().get("/privacy").get_data(as_text=True)


def test_no_link_in_the_log(app, client, portal, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    start_visit(client)
    link = handout_link(client)
    client.get("/scan/bezoek/overdragen")
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in caplog.text


def theme_post(client, app, **visit_fields) -> tuple[str, str, dict]:
    """Return the visit's first theme, a yes/no question on it, and a post of its page that
    answers it "ja" and notes what was seen ("Opslaan bij dit onderwerp"), plus visit_fields."""
    with app.app_context():
        q = store.questionnaire_of(the_visit().scan)
        theme_id = q.themes[0].id
        question = next(x for x in q.questions_for(theme_id) if x.type == "yes_no")
    data = {
        "csrf_token": csrf_token(client, f"/scan/thema/{theme_id}"),
        f"q_{question.id}": "ja",
        "waarneming": "Hek achter de loods staat open.",
        "action": "bezoek",
        **visit_fields,
    }
    return theme_id, question.id, data


def test_theme_page__answers_and_a_wrong_note__answers_stored_note_typed_again(app, client, portal):
    """One form: a note that cannot be stored does not hold back the answers, and comes back
    on the page as it was typed."""
    start_visit(client)
    typed = {"afspraak": "Hangslot kopen", "wanneer": "morgen"}
    theme_id, question_id, data = theme_post(client, app, **typed)
    page = client.post(f"/scan/thema/{theme_id}", data=data).get_data(as_text=True)
    assert "Dit deel is niet opgeslagen." in page and "jjjj-mm-dd" in page
    assert "Hek achter de loods staat open.</textarea>" in page
    assert 'value="Hangslot kopen"' in page and 'value="morgen"' in page
    with app.app_context():
        assert the_visit().scan.answers[question_id] == "ja"
        assert the_visit().notes == []
    data["wanneer"] = "2027-01-15"
    response = client.post(f"/scan/thema/{theme_id}", data=data)
    assert response.status_code == 302 and response.location.endswith(f"{theme_id}#bezoek")
    with app.app_context():
        assert [n.kind for n in the_visit().notes] == ["observation", "action"]


def test_theme_page__visit_fields_without_a_visit__ignored_not_refused(app, client, portal):
    with app.app_context():
        q = get_catalog().get("vastgoed")
        _, token = store.start_scan(q, ttl_days=90)
        theme_id = q.themes[0].id
    url = scan_page(client, token, f"/thema/{theme_id}")
    data = {"csrf_token": csrf_token(client, url), "waarneming": "x", "action": "bezoek"}
    response = client.post(url, data=data)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(VisitNote)) is None


def _answer_and_note(client, app) -> tuple[str, str]:
    """Answer a question of the first theme and note what was seen, in one save."""
    theme_id, question_id, data = theme_post(client, app)
    assert client.post(f"/scan/thema/{theme_id}", data=data).status_code == 302
    return theme_id, question_id


@pytest.mark.parametrize("how", ["logout", "session gone"])
def test_visit__adviser_session_ends_mid_visit__taken_up_again_nothing_lost(
    app, client, portal, how
):
    """Logged out (or the browser lost its session) in the middle of a visit: after logging in
    again the adviser finds the open visit under "Bezoek starten" and goes on with it; the
    answers and notes are all there, and the hand-over gives the entrepreneur a working link."""
    start_visit(client)
    theme_id, question_id = _answer_and_note(client, app)
    with app.app_context():
        reference, public_id = the_visit().reference, the_visit().public_id
    if how == "logout":
        client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/adviseur/bezoek")})
    else:
        client = app.test_client()  # a new browser session: the old cookie is gone
    assert client.get(f"/scan/thema/{theme_id}").status_code == 403  # the scan let go

    login(client, ADVISER_A)
    page = client.get("/adviseur/bezoek").get_data(as_text=True)
    assert "Uw bezoeken die nog open staan" in page and reference in page
    token = csrf_token(client, "/adviseur/bezoek")
    response = client.post(f"/adviseur/bezoeken/{public_id}/verder", data={"csrf_token": token})
    assert response.status_code == 302 and response.location.endswith("/scan/overzicht")
    theme = client.get(f"/scan/thema/{theme_id}").get_data(as_text=True)
    assert "Hek achter de loods staat open.</textarea>" in theme
    chosen = [tag for tag in re.findall(r"<input[^>]*>", theme) if f'name="q_{question_id}"' in tag]
    assert [tag for tag in chosen if "checked" in tag and 'value="ja"' in tag]
    with app.app_context():
        assert the_visit().scan.answers[question_id] == "ja"
        events = db.session.scalars(db.select(AuditEvent).filter_by(action="visit_resumed"))
        assert len(list(events)) == 1

    # The hand-over's link opens the same scan for the entrepreneur, with what was given.
    link = handout_link(client)
    phone = app.test_client()
    assert phone.get(link.removeprefix("http://localhost")).status_code == 303
    assert phone.get(f"/scan/thema/{theme_id}").status_code == 200


def test_visit__taken_up__only_by_the_adviser_who_started_it(app, client, portal):
    start_visit(client)
    with app.app_context():
        public_id = the_visit().public_id
        org_a = db.session.get(Organisation, portal)
        make_user("collega@pvo-bz.nl", "adviser", org_a)
    colleague = app.test_client()
    login(colleague, "collega@pvo-bz.nl")
    assert public_id not in colleague.get("/adviseur/bezoek").get_data(as_text=True)
    token = csrf_token(colleague, "/adviseur/bezoek")
    response = colleague.post(
        f"/adviseur/bezoeken/{public_id}/verder", data={"csrf_token": token}, follow_redirects=True
    )
    assert "niet degene die het startte" in response.get_data(as_text=True)
    assert colleague.get("/scan/overzicht").status_code == 403
    # The adviser who started it still holds the scan: nothing changed for them.
    assert client.get("/scan/overzicht").status_code == 200
