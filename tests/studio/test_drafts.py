"""No lost work in the studio (issue 21): a check saves the draft, earlier saves come back,
two authors get a conflict page with both texts, a text posted after the session ended
returns after logging in (to that account only), and an oversized text returns intact."""

from __future__ import annotations

import re
from html import unescape

import pytest
from portal_factories import FAST_HASHER, PASSWORD, csrf_token, login, make_org, make_user
from studio_samples import BROKEN, OVERLAY

from scan.platform.extensions import db
from scan.platform.models import QuestionnaireDocument
from scan.portal import accounts
from scan.studio import document_checks, documents, draft_history

CHANGED = OVERLAY.replace("Houd bij wie een sleutel heeft", "Weet wie een sleutel heeft")


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch):
    monkeypatch.setattr(accounts, "_hasher", FAST_HASHER)


@pytest.fixture
def world(app):
    with app.app_context():
        recron = make_org("Recron", kind="branche")
        hiswa = make_org("HISWA", kind="branche")
        make_user("branche@recron.nl", "branch_admin", recron)
        make_user("collega@recron.nl", "branch_admin", recron)
        make_user("branche@hiswa.nl", "branch_admin", hiswa)
        doc, _ = documents.import_text(recron, "test", OVERLAY, _catalog())
        db.session.commit()
        return doc.public_id


def _catalog():
    from scan.platform.catalog import get_catalog

    return get_catalog()


@pytest.fixture
def author(client, world):
    assert login(client, "branche@recron.nl").status_code == 302
    return client


def _doc(app, public_id) -> QuestionnaireDocument:
    with app.app_context():
        doc = db.session.scalar(db.select(QuestionnaireDocument).filter_by(public_id=public_id))
        db.session.expunge(doc)
        return doc


def _form(client, public_id) -> dict[str, str]:
    """Return the editor form's hidden fields, as the page gives them."""
    html = client.get(f"/studio/{public_id}").get_data(as_text=True)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    return {k: unescape(v) for k, v in fields.items()}


def _post(client, public_id, text, action="opslaan", **fields):
    return client.post(f"/studio/{public_id}", data={**fields, "source": text, "action": action})


def _editor_text(response) -> str:
    html = response.get_data(as_text=True)
    found = re.search(r'<textarea id="(?:source|yours)"[^>]*>(.*?)</textarea>', html, re.S)
    return unescape(found[1])


# --- check saves, earlier saves ----------------------------------------------------------


def test_check__changed_draft__saved_and_listed_in_earlier_saves(app, author, world):
    form = _form(author, world)
    response = _post(author, world, CHANGED, "controleren", **form)
    assert response.status_code == 200
    assert "Opgeslagen en gecontroleerd." in response.get_data(as_text=True)
    assert _doc(app, world).source == CHANGED
    page = author.get(f"/studio/{world}/eerdere-versies").get_data(as_text=True)
    assert "Eerdere versies" in page
    assert page.count("Deze tekst terugzetten") == 1  # the import's text; the newest is now
    assert "dit is de tekst van nu" in page


def test_restore__earlier_save__becomes_the_draft_and_now_is_kept_too(app, author, world):
    _post(author, world, CHANGED, **_form(author, world))
    _post(author, world, BROKEN, **_form(author, world))
    doc = _doc(app, world)
    assert doc.source == BROKEN
    with app.app_context():
        kept = {r.revision: r.source for r in draft_history.earlier(doc)}
    first = min(kept)
    assert kept[first] == OVERLAY
    token = csrf_token(author, f"/studio/{world}/eerdere-versies")
    response = author.post(
        f"/studio/{world}/eerdere-versies/{first}",
        data={"csrf_token": token, "revision": doc.revision},
        follow_redirects=True,
    )
    assert "staat weer in de editor" in response.get_data(as_text=True)
    assert _doc(app, world).source == OVERLAY
    with app.app_context():
        assert [r.source for r in draft_history.earlier(doc)][:2] == [OVERLAY, BROKEN]


def test_earlier_saves__bounded(app, author, world, monkeypatch):
    monkeypatch.setattr(draft_history, "KEPT_REVISIONS", 3)
    for n in range(6):
        _post(author, world, CHANGED + f"# {n}\n", **_form(author, world))
    doc = _doc(app, world)
    with app.app_context():
        kept = [r.source for r in draft_history.earlier(doc)]
    assert kept == [CHANGED + f"# {n}\n" for n in (5, 4, 3)]


def test_restore__unknown_save__404(author, world):
    form = _form(author, world)
    response = author.post(f"/studio/{world}/eerdere-versies/999", data=form)
    assert response.status_code == 404


# --- two authors ---------------------------------------------------------------------------


def test_two_authors__second_save__conflict_page_with_both_texts(app, client, world):
    assert login(client, "branche@recron.nl").status_code == 302
    mine = _form(client, world)
    other = app.test_client()
    assert login(other, "collega@recron.nl").status_code == 302
    assert _post(other, world, CHANGED, **_form(other, world)).status_code == 200

    mine_text = OVERLAY.replace("vakantieparken", "campings")
    response = _post(client, world, mine_text, **mine)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Iemand anders heeft deze scan intussen opgeslagen" in html
    assert "collega@recron.nl" in html
    assert _editor_text(response) == mine_text  # the author's own text, intact
    assert "Weet wie een sleutel heeft" in html  # the other author's text
    assert _doc(app, world).source == CHANGED  # no silent overwrite
    # Saving from the conflict page (with the revision it shows) is a deliberate choice.
    revision = re.search(r'name="revision" value="(\d+)"', html)[1]
    token = csrf_token(client, f"/studio/{world}")
    again = _post(client, world, mine_text, csrf_token=token, revision=revision)
    assert again.status_code == 200
    assert _doc(app, world).source == mine_text


def test_check__unchanged_text__not_saved_again(app, author, world):
    before = _doc(app, world).revision
    response = _post(author, world, OVERLAY, "controleren", **_form(author, world))
    assert response.status_code == 200
    assert _doc(app, world).revision == before


# --- the session ended ---------------------------------------------------------------------


def _log_out(client):
    client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/studio/")})


def test_session_ended__text_back_after_login__for_that_account_only(app, client, world):
    assert login(client, "branche@recron.nl").status_code == 302
    form = _form(client, world)
    _log_out(client)  # as a logout in another tab: the form's token is gone too
    text = OVERLAY.replace("vakantieparken", "jachthavens")
    response = _post(client, world, text, **form)
    assert response.status_code == 302
    assert "/inloggen?next=" in response.headers["Location"]
    assert _doc(app, world).source == OVERLAY  # kept aside, not saved

    # A colleague logging in in the same browser does not get it.
    assert login(client, "collega@recron.nl").status_code == 302
    colleague = client.get(f"/studio/{world}")
    assert "Uw tekst is terug" not in colleague.get_data(as_text=True)
    assert _editor_text(colleague) == OVERLAY
    _log_out(client)

    assert login(client, "branche@recron.nl").status_code == 302
    page = client.get(f"/studio/{world}")
    assert "Uw tekst is terug" in page.get_data(as_text=True)
    assert _editor_text(page) == text
    saved = _post(client, world, text, **_form(client, world))
    assert saved.status_code == 200
    assert _doc(app, world).source == text
    assert "Uw tekst is terug" not in client.get(f"/studio/{world}").get_data(as_text=True)


def test_session_ended__forged_or_other_documents_note__nothing_kept(app, client, world):
    assert login(client, "branche@recron.nl").status_code == 302
    form = _form(client, world)
    _log_out(client)
    for note in ("", "forged", form["author"] + "x"):
        response = _post(client, world, "evil: true\n", **{**form, "author": note})
        assert response.status_code == 400  # the form's token is gone: refused as before
    assert login(client, "branche@recron.nl").status_code == 302
    assert "Uw tekst is terug" not in client.get(f"/studio/{world}").get_data(as_text=True)


def test_waiting_text__discarded_on_request(app, client, world):
    assert login(client, "branche@recron.nl").status_code == 302
    form = _form(client, world)
    _log_out(client)
    _post(client, world, CHANGED, **form)
    assert login(client, "branche@recron.nl").status_code == 302
    token = csrf_token(client, f"/studio/{world}")
    response = client.post(
        f"/studio/{world}/bewaarde-tekst-weg", data={"csrf_token": token}, follow_redirects=True
    )
    assert "De bewaarde tekst is weggegooid" in response.get_data(as_text=True)
    assert _editor_text(response) == OVERLAY


# --- too large -----------------------------------------------------------------------------


def test_text_over_the_limit__back_in_the_editor_intact_with_the_limit(app, author, world):
    text = OVERLAY + "# " + "x" * (document_checks.MAX_SOURCE_BYTES + 40 * 1024) + "\n"
    response = _post(author, world, text, **_form(author, world))
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "groter dan 256 KiB" in html
    assert _editor_text(response) == text
    assert _doc(app, world).source == OVERLAY


def test_text_far_over_the_limit__dutch_page_naming_the_limit(app, author, world):
    text = "# " + "x" * (4 * document_checks.MAX_SOURCE_BYTES + 20 * 1024)
    response = _post(author, world, text, **_form(author, world))
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "256 KiB" in html and "knop Terug" in html
    assert _doc(app, world).source == OVERLAY


def test_idle_session__text_kept__login_form_leads_back_to_the_editor_with_it(app, client, world):
    assert login(client, "branche@recron.nl").status_code == 302
    form = _form(client, world)
    with app.app_context():  # an hour and more without a request: the idle clock ends it
        from scan.platform.models import User

        user = db.session.scalar(db.select(User).filter_by(email="branche@recron.nl"))
        user.last_seen_at = user.last_seen_at.replace(year=2000)
        db.session.commit()
    text = OVERLAY.replace("vakantieparken", "bungalowparken")
    response = _post(client, world, text, **form)
    assert response.status_code == 302
    login_url = response.headers["Location"]
    assert login_url.startswith("/inloggen?next=")
    page = client.get(login_url).get_data(as_text=True)
    assert "Uw tekst is nog niet in de scan opgeslagen, maar wij houden hem voor u vast." in page
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    done = client.post(
        login_url,
        data={"email": "branche@recron.nl", "password": PASSWORD, "csrf_token": token},
    )
    assert done.status_code == 302
    assert done.headers["Location"] == f"/studio/{world}"
    assert _editor_text(client.get(done.headers["Location"])) == text


def test_editor__text_not_stored__marked_unsaved_for_the_leave_warning(app, author, world):
    stored = author.get(f"/studio/{world}").get_data(as_text=True)
    assert "data-unsaved" not in stored
    text = OVERLAY + "# " + "x" * (document_checks.MAX_SOURCE_BYTES + 1024) + "\n"
    refused = _post(author, world, text, **_form(author, world)).get_data(as_text=True)
    assert "data-unsaved" in refused


def test_waiting_text__older_than_a_week__not_shown(app, client, world):
    assert login(client, "branche@recron.nl").status_code == 302
    form = _form(client, world)
    _log_out(client)
    _post(client, world, CHANGED, **form)
    with app.app_context():
        from scan.platform.draft_models import WaitingText

        waiting = db.session.scalar(db.select(WaitingText))
        waiting.posted_at = waiting.posted_at.replace(year=2000)
        db.session.commit()
    assert login(client, "branche@recron.nl").status_code == 302
    page = client.get(f"/studio/{world}")
    assert "Uw tekst is terug" not in page.get_data(as_text=True)
    assert _editor_text(page) == OVERLAY


def test_rebase__a_new_revision__an_older_tab_gets_a_conflict(app, world):
    with app.app_context():
        doc = db.session.scalar(db.select(QuestionnaireDocument).filter_by(public_id=world))
        read = doc.revision
        documents.rebase(doc, "test", 2)
        db.session.commit()
        assert doc.revision == read + 1
        assert "version: 2}" in draft_history.earlier(doc)[0].source
        with pytest.raises(documents.DraftConflict):
            documents.save(doc, CHANGED, "test", _catalog(), read)
