"""The branch studio through the Flask test client: every route, state change and refusal."""

from __future__ import annotations

import io
import re

import pytest
from portal_factories import FAST_HASHER, csrf_token, login, make_org, make_user
from studio_samples import BROKEN, BROKEN_LINE, OVERLAY

from scan.platform.extensions import db
from scan.platform.models import AuditEvent, QuestionnaireDocument
from scan.portal import accounts
from scan.questionnaire.kinds import choices_of
from scan.studio import document_checks

BASE = "voorbeeld@1"


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch):
    monkeypatch.setattr(accounts, "_hasher", FAST_HASHER)


@pytest.fixture
def world(app):
    with app.app_context():
        recron = make_org("Recron", kind="branche")
        hiswa = make_org("HISWA", kind="branche")
        pvo = make_org("PVO Limburg")
        make_user("branche@recron.nl", "branch_admin", recron)
        make_user("branche@hiswa.nl", "branch_admin", hiswa)
        make_user("adviseur@pvo.nl", "adviser", pvo)
        make_user("beheer@example.nl", "admin")
        return {"recron": recron.id, "hiswa": hiswa.id}


@pytest.fixture
def recron(client, world):
    assert login(client, "branche@recron.nl").status_code == 302
    return client


def _token(client) -> str:
    return csrf_token(client, "/studio/")


def _create(client, qid="voorbeeld_recron", base=BASE, **extra):
    return client.post(
        "/studio/nieuw",
        data={"csrf_token": _token(client), "base": base, "questionnaire_id": qid, **extra},
    )


def _doc(app, qid="voorbeeld_recron", version=None) -> QuestionnaireDocument:
    with app.app_context():
        query = db.select(QuestionnaireDocument).filter_by(questionnaire_id=qid)
        if version:
            query = query.filter_by(version=version)
        doc = db.session.scalars(query.order_by(QuestionnaireDocument.version.desc())).first()
        db.session.expunge(doc)
        return doc


def _actions(app) -> list[str]:
    with app.app_context():
        return [
            e.action
            for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id))
            if e.action.startswith("document_")
        ]


def _save(client, doc, text, action="opslaan"):
    return client.post(
        f"/studio/{doc.public_id}",
        data={"csrf_token": _token(client), "source": text, "action": action},
    )


def _publish(client, doc):
    return client.post(f"/studio/{doc.public_id}/publiceren", data={"csrf_token": _token(client)})


# --- list and new ------------------------------------------------------------------------


def test_index__branch_admin__form_with_published_bases(app, recron):
    from scan.platform.catalog import get_catalog

    page = recron.get("/studio/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    with app.app_context():
        haven = get_catalog(app).get("haven")
    assert f'value="haven@{haven.version}"' in html and 'value="voorbeeld@1"' in html
    assert "U heeft nog geen eigen scans." in html
    assert "/branche/recron" in html


def test_create__starter_overlay_draft_that_loads(app, recron):
    response = _create(recron)
    doc = _doc(app)
    assert response.status_code == 302
    assert response.location.endswith(f"/studio/{doc.public_id}")
    assert (doc.status, doc.version, doc.base_id, doc.base_version) == ("draft", 1, "voorbeeld", 1)
    assert doc.source.startswith("# Uw eigen versie van")
    assert "extends: {id: voorbeeld, version: 1}" in doc.source
    with app.app_context():
        from scan.platform.catalog import get_catalog

        report = document_checks.check_document(doc, doc.source, get_catalog())
    assert report.errors == []
    assert _actions(app) == ["document_created"]
    listing = recron.get("/studio/").get_data(as_text=True)
    assert "voorbeeld_recron" in listing and "Concept" in listing


@pytest.mark.parametrize(
    ("qid", "message"),
    [
        ("haven", "Deze code kan niet: haven is de code van een basisscan."),
        ("Geen Code", "een code heeft alleen kleine letters, cijfers en _"),
    ],
)
def test_create__bad_id__refused_with_message(app, recron, qid, message):
    response = _create(recron, qid=qid)
    assert response.status_code == 302
    page = recron.get("/studio/").get_data(as_text=True)
    assert message in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(QuestionnaireDocument.id))) == 0


def test_create__unknown_base__400(recron):
    assert _create(recron, base="bestaat_niet@1").status_code == 400
    assert _create(recron, base="haven@x").status_code == 400


def test_create__another_organisations_id__refused(app, client, world):
    login(client, "branche@hiswa.nl")
    _create(client)
    client.post("/uitloggen", data={"csrf_token": _token(client)})
    login(client, "branche@recron.nl")
    _create(client)
    assert "al in gebruik bij een andere organisatie" in client.get("/studio/").get_data(
        as_text=True
    )


def test_create__admin_chooses_branch_organisation(app, client, world):
    login(client, "beheer@example.nl")
    _create(client, owner=str(world["hiswa"]))
    doc = _doc(app)
    with app.app_context():
        assert db.session.get(QuestionnaireDocument, doc.id).organisation.name == "HISWA"
    assert _create(client, qid="ander", owner="999").status_code == 400


# --- editor: save, check, upload, download -------------------------------------------------


def test_check__error__listed_with_line_link_and_draft_saved(app, recron):
    _create(recron)
    doc = _doc(app)
    page = _save(recron, doc, BROKEN, action="controleren")
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert f'href="#regel-{BROKEN_LINE}"' in html
    assert f">regel {BROKEN_LINE}</a>" in html
    assert "gebruikt vraag sleutelbeheerr, maar die vraag bestaat niet" in html
    assert 'id="regel-16"' in html
    assert _doc(app).source == BROKEN  # a check saves a draft's text, errors and all (issue 21)
    assert _actions(app) == ["document_created", "document_saved", "document_checked"]


def test_check__unsupported_yaml_version__located_error_not_a_500(app, recron):
    _create(recron)
    doc = _doc(app)
    page = _save(recron, doc, "%YAML 1.0\n---\n" + doc.source, action="controleren")
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "Een regel met %YAML kan hier niet" in html and 'href="#regel-1"' in html


def test_save__draft_with_errors__kept_but_not_publishable(app, recron):
    _create(recron)
    doc = _doc(app)
    assert _save(recron, doc, BROKEN).status_code == 422
    assert _doc(app).source == BROKEN
    confirm = recron.get(f"/studio/{doc.public_id}/publiceren").get_data(as_text=True)
    assert "Deze scan kan nog niet gepubliceerd worden" in confirm
    response = _publish(recron, doc)
    assert response.status_code == 422
    assert _doc(app).status == "draft"


def test_save_check_publish__then_served_and_on_branch_page(app, recron, client):
    _create(recron)
    doc = _doc(app)
    saved = _save(recron, doc, OVERLAY)
    assert saved.status_code == 200
    assert "Geen fouten" in saved.get_data(as_text=True)
    confirm = recron.get(f"/studio/{doc.public_id}/publiceren").get_data(as_text=True)
    assert "http://localhost/scan/voorbeeld_recron" in confirm
    assert _publish(recron, doc).status_code == 302
    published = _doc(app)
    assert (published.status, published.published_by) == ("published", "branche@recron.nl")
    anonymous = app.test_client()
    assert anonymous.get("/scan/voorbeeld_recron").status_code == 200
    branch = anonymous.get("/branche/recron").get_data(as_text=True)
    assert "Voorbeeldscan voor vakantieparken" in branch
    assert "Voorbeeldscan voor vakantieparken" in anonymous.get("/").get_data(as_text=True)
    assert _actions(app) == ["document_created", "document_saved", "document_published"]


def test_published__cannot_be_saved__new_version_makes_draft(app, recron):
    _create(recron)
    doc = _doc(app)
    _save(recron, doc, OVERLAY)
    _publish(recron, doc)
    assert _save(recron, doc, OVERLAY.replace("Voorbeeldscan", "Andere scan")).status_code == 409
    assert _doc(app).source == OVERLAY
    response = recron.post(
        f"/studio/{doc.public_id}/nieuwe-versie", data={"csrf_token": _token(recron)}
    )
    draft = _doc(app)
    assert response.location.endswith(f"/studio/{draft.public_id}")
    assert (draft.version, draft.status) == (2, "draft")
    assert "version: 2\n" in draft.source
    editor = recron.get(f"/studio/{draft.public_id}").get_data(as_text=True)
    assert editor.count("door branche@recron.nl") >= 2  # the history lists both versions


def test_retire__new_scans_cannot_start__started_scan_keeps_working(app, recron):
    _create(recron)
    doc = _doc(app)
    _save(recron, doc, OVERLAY)
    _publish(recron, doc)
    anonymous = app.test_client()
    token = csrf_token(anonymous, "/scan/voorbeeld_recron")
    started = anonymous.post("/scan/voorbeeld_recron/start", data={"csrf_token": token})
    assert started.status_code == 302
    assert "Scan intrekken" in recron.get(f"/studio/{doc.public_id}/intrekken").get_data(
        as_text=True
    )
    assert (
        recron.post(
            f"/studio/{doc.public_id}/intrekken", data={"csrf_token": _token(recron)}
        ).status_code
        == 302
    )
    assert _doc(app).status == "retired"
    assert anonymous.get("/scan/voorbeeld_recron").status_code == 404
    assert anonymous.get(started.location).status_code == 200
    assert recron.get(f"/studio/{doc.public_id}/intrekken").status_code == 409


def test_upload__valid_file__replaces_draft(app, recron):
    _create(recron)
    doc = _doc(app)
    response = recron.post(
        f"/studio/{doc.public_id}/upload",
        data={"csrf_token": _token(recron), "file": (io.BytesIO(OVERLAY.encode()), "recron.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert _doc(app).source == OVERLAY
    assert _actions(app)[-1] == "document_uploaded"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (BROKEN.encode(), "recron.yaml", "Het bestand heeft fouten"),
        (b"\xff\xfe", "recron.yaml", "geen gewone tekst"),
        (OVERLAY.encode(), "recron.txt", "eindigt op .yaml"),
        (b"id: !!python/object:os.system x\n", "recron.yaml", "Het bestand heeft fouten"),
    ],
)
def test_upload__bad_file__refused_whole(app, recron, content, name, message):
    _create(recron)
    doc = _doc(app)
    response = recron.post(
        f"/studio/{doc.public_id}/upload",
        data={"csrf_token": _token(recron), "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert message in response.get_data(as_text=True)
    assert _doc(app).source == doc.source


def test_upload__too_large__413_nothing_stored(app, recron):
    _create(recron)
    doc = _doc(app)
    big = b"# " + b"x" * (document_checks.MAX_SOURCE_BYTES + 20 * 1024)
    response = recron.post(
        f"/studio/{doc.public_id}/upload",
        data={"csrf_token": _token(recron), "file": (io.BytesIO(big), "groot.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "Dit bestand is groter dan 256 KiB. Er is niets opgeslagen." in response.get_data(
        as_text=True
    )
    assert _doc(app).source == doc.source


def test_save__over_the_size_limit__refused(app, recron):
    _create(recron)
    doc = _doc(app)
    text = OVERLAY + "# " + "x" * (document_checks.MAX_SOURCE_BYTES - len(OVERLAY)) + "\n"
    response = _save(recron, doc, text)
    assert response.status_code == 413
    assert "meer dan 256 KiB kan niet" in response.get_data(as_text=True)
    assert _doc(app).source == doc.source


def test_download__yaml_attachment_and_audited(app, recron):
    _create(recron)
    doc = _doc(app)
    response = recron.get(f"/studio/{doc.public_id}/download")
    assert response.status_code == 200
    assert response.mimetype == "application/yaml"
    assert 'filename="voorbeeld_recron@1.yaml"' in response.headers["Content-Disposition"]
    assert response.get_data(as_text=True) == doc.source
    assert _actions(app)[-1] == "document_downloaded"


def test_post_without_csrf__refused(app, recron):
    _create(recron)
    doc = _doc(app)
    response = recron.post(
        f"/studio/{doc.public_id}", data={"source": OVERLAY, "action": "opslaan"}
    )
    assert response.status_code == 400
    assert _doc(app).source == doc.source


# --- examples, changes, preview -----------------------------------------------------------


def test_examples__starter_passes_every_base_example(app, recron):
    _create(recron)
    doc = _doc(app)
    html = recron.get(f"/studio/{doc.public_id}/voorbeelden").get_data(as_text=True)
    count = html.count('class="studio-status published">Klopt<')
    assert count >= 3
    assert f"{count} van de {count} voorbeelden kloppen." in html


def test_examples__failing_expectation__says_what_differed(app, recron):
    _create(recron)
    doc = _doc(app)
    text = doc.source.replace("risk_level: weerbaar", "risk_level: kwetsbaar", 1)
    _save(recron, doc, text)
    html = recron.get(f"/studio/{doc.public_id}/voorbeelden").get_data(as_text=True)
    assert "Klopt niet" in html
    # the level that came out, next to the level expected, marked as not holding
    assert re.search(
        r'<tr class="studio-example-wrong">\s*<td data-label="Wat">Niveau</td>\s*'
        r'<td data-label="Uitkomst">Weerbaar</td>\s*<td data-label="Verwacht">Kwetsbaar</td>',
        html,
    )


def test_examples_and_preview__draft_with_errors__back_to_editor(app, recron):
    _create(recron)
    doc = _doc(app)
    _save(recron, doc, BROKEN)
    for path in ("voorbeelden", "proef", "wijzigingen"):
        response = recron.get(f"/studio/{doc.public_id}/{path}")
        assert response.status_code == 302
        assert response.location.endswith(f"/studio/{doc.public_id}")


def test_changes__in_words(app, recron):
    _create(recron)
    doc = _doc(app)
    _save(recron, doc, OVERLAY)
    html = recron.get(f"/studio/{doc.public_id}/wijzigingen").get_data(as_text=True)
    assert "Vraag toegevoegd: sleutelbeheer" in html
    assert "Advies toegevoegd: sleutels_bijhouden" in html
    assert "Nieuw: de titel." in html
    # The answers that ask for help now, inherited from the base, are listed too.
    acute = html.split("Antwoorden die direct hulp vragen")[1]
    assert "Speelt het nu nog?" in acute and "<strong>Ja</strong>" in acute


def test_preview__walks_every_page_to_result__stores_nothing(app, recron):
    _create(recron)
    doc = _doc(app)
    _save(recron, doc, OVERLAY)
    page = recron.get(f"/studio/{doc.public_id}/proef")
    assert page.status_code == 200
    assert "Er wordt niets opgeslagen" in page.get_data(as_text=True)
    from scan.platform.catalog import get_catalog

    with app.app_context():
        q = document_checks.check_document(doc, OVERLAY, get_catalog()).questionnaire
    answers = "{}"
    html = page.get_data(as_text=True)
    for _ in range(len(q.themes) + 3):
        theme = re.search(r'name="page" value="([^"]+)"', html).group(1)
        data = {"csrf_token": _token(recron), "page": theme, "answers": answers, "action": "verder"}
        for question in q.questions_for(theme):
            if question.type == "scale":
                data[f"q_{question.id}"] = str(question.scale.max)
            else:
                data[f"q_{question.id}"] = {"number": "3", "text": "Een antwoord"}.get(
                    question.type, choices_of(question)[0].value if choices_of(question) else ""
                )
        response = recron.post(f"/studio/{doc.public_id}/proef", data=data)
        html = response.get_data(as_text=True)
        if "Resultaat van de proefrit" in html:
            break
        assert response.status_code == 200, html
        answers = re.search(r'name="answers" value="([^"]*)"', html).group(1)
        answers = answers.replace("&#34;", '"').replace("&quot;", '"')
    assert "Resultaat van de proefrit" in html
    assert "Score per onderwerp" in html
    with app.app_context():
        from scan.platform.models import Scan

        assert db.session.scalar(db.select(db.func.count(Scan.id))) == 0


def test_preview__required_question_left_open__its_own_message_as_in_the_scan(app, recron):
    _create(recron)
    doc = _doc(app)
    data = {"csrf_token": _token(recron), "page": "fysiek", "answers": "{}", "action": "verder"}
    response = recron.post(f"/studio/{doc.public_id}/proef", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert html.split("<title>")[1].startswith("Fout: Proefrit")
    own = "Kies of u ruimte verhuurt aan anderen."
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    assert "Er is een probleem" in summary  # the summary the entrepreneur sees
    assert f'<a href="#q_verhuur-0" data-error-link>{own}</a>' in summary
    assert f'<span class="visually-hidden">Fout: </span>{own}</p>' in html


def test_check__required_question_without_error_message__warning_with_its_line(app, recron):
    _create(recron)
    doc = _doc(app)
    text = OVERLAY.replace("      type: yes_no\n", "      type: yes_no\n      required: true\n", 1)
    assert text != OVERLAY
    html = _save(recron, doc, text, action="controleren").get_data(as_text=True)
    line = next(n for n, x in enumerate(text.splitlines(), 1) if "- id: sleutelbeheer" in x)
    assert "Vraag sleutelbeheer moet worden ingevuld, maar zegt niet wat er mis is" in html
    assert f'href="#regel-{line}"' in html


@pytest.mark.parametrize("answers", ["[1]", '{"bestaat_niet": "ja"}', "{kapot"])
def test_preview__tampered_answers__400(app, recron, answers):
    _create(recron)
    doc = _doc(app)
    response = recron.post(
        f"/studio/{doc.public_id}/proef",
        data={"csrf_token": _token(recron), "page": "fysiek", "answers": answers},
    )
    assert response.status_code == 400


# --- base has a new version ------------------------------------------------------------------


def test_new_base_version__marked_and_rebase_makes_checked_draft(app, recron):
    # An organisation's own published scan is the base; its version 2 is the "new base".
    _create(recron, qid="basis_recron")
    base = _doc(app, "basis_recron")
    _save(recron, base, OVERLAY.replace("voorbeeld_recron", "basis_recron"))
    _publish(recron, base)
    _create(recron, qid="afgeleid", base="basis_recron@1")
    derived = _doc(app, "afgeleid")
    recron.post(f"/studio/{base.public_id}/nieuwe-versie", data={"csrf_token": _token(recron)})
    base2 = _doc(app, "basis_recron")
    text = base2.source.replace("version: 1\nextends", "version: 2\nextends").replace(
        "Houd bij wie een sleutel heeft", "Houd een lijst van sleutels bij"
    )
    _save(recron, base2, text)
    assert _publish(recron, base2).status_code == 302
    listing = recron.get("/studio/").get_data(as_text=True)
    assert "De basis heeft een nieuwe versie (2)" in listing
    editor = recron.get(f"/studio/{derived.public_id}").get_data(as_text=True)
    assert "Advies vervangen: sleutels_bijhouden" in editor
    response = recron.post(
        f"/studio/{derived.public_id}/basis-bijwerken", data={"csrf_token": _token(recron)}
    )
    assert response.status_code == 200
    assert "Geen fouten" in response.get_data(as_text=True)
    rebased = _doc(app, "afgeleid")
    assert rebased.base_version == 2
    assert "extends: {id: basis_recron, version: 2}" in rebased.source


# --- access --------------------------------------------------------------------------------


def test_other_organisations_document__404_for_every_route(app, client, world):
    login(client, "branche@hiswa.nl")
    _create(client)
    doc = _doc(app)
    client.post("/uitloggen", data={"csrf_token": _token(client)})
    login(client, "branche@recron.nl")
    token = _token(client)
    for path in ("", "/download", "/voorbeelden", "/wijzigingen", "/proef", "/publiceren"):
        assert client.get(f"/studio/{doc.public_id}{path}").status_code == 404, path
    for path in ("", "/publiceren", "/intrekken", "/nieuwe-versie", "/basis-bijwerken", "/upload"):
        response = client.post(
            f"/studio/{doc.public_id}{path}",
            data={"csrf_token": token, "source": OVERLAY, "action": "opslaan"},
        )
        assert response.status_code == 404, path
    assert _doc(app).source == doc.source


def test_adviser_and_anonymous__no_studio(app, client, world):
    assert client.get("/studio/").status_code == 302
    login(client, "adviseur@pvo.nl")
    assert client.get("/studio/").status_code == 403


def test_branch_page__unknown_or_pvo_organisation__404(app, client, world):
    assert client.get("/branche/bestaat-niet").status_code == 404
    assert client.get("/branche/pvo-limburg").status_code == 404
    assert "nog geen scans gepubliceerd" in client.get("/branche/hiswa").get_data(as_text=True)


def test_published__upload_and_publish_refused_with_409(app, recron):
    _create(recron)
    doc = _doc(app)
    _save(recron, doc, OVERLAY)
    _publish(recron, doc)
    upload = recron.post(
        f"/studio/{doc.public_id}/upload",
        data={"csrf_token": _token(recron), "file": (io.BytesIO(OVERLAY.encode()), "a.yaml")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 409
    assert recron.get(f"/studio/{doc.public_id}/publiceren").status_code == 409
    assert _publish(recron, doc).status_code == 409
    assert _actions(app).count("document_published") == 1


def test_index__admin_sees_every_organisation(app, client, world):
    login(client, "branche@hiswa.nl")
    _create(client, qid="van_hiswa")
    client.post("/uitloggen", data={"csrf_token": _token(client)})
    login(client, "branche@recron.nl")
    _create(client, qid="van_recron")
    assert "van_hiswa" not in client.get("/studio/").get_data(as_text=True)
    client.post("/uitloggen", data={"csrf_token": _token(client)})
    login(client, "beheer@example.nl")
    listing = client.get("/studio/").get_data(as_text=True)
    assert "van_hiswa" in listing and "van_recron" in listing
    assert "Voor welke organisatie?" in listing


def test_preview__previous_goes_back_a_page(app, recron):
    _create(recron)
    doc = _doc(app)
    page = recron.get(f"/studio/{doc.public_id}/proef").get_data(as_text=True)
    first = re.search(r'name="page" value="([^"]+)"', page).group(1)
    data = {"csrf_token": _token(recron), "page": first, "answers": "{}", "action": "later"}
    response = recron.post(f"/studio/{doc.public_id}/proef", data=data)
    second = re.search(r'name="page" value="([^"]+)"', response.get_data(as_text=True)).group(1)
    assert second != first
    data = {"csrf_token": _token(recron), "page": second, "answers": "{}", "action": "vorige"}
    back = recron.post(f"/studio/{doc.public_id}/proef", data=data).get_data(as_text=True)
    assert re.search(r'name="page" value="([^"]+)"', back).group(1) == first


def test_editor__csp_allows_only_the_editor_styles_by_a_fresh_nonce(app, recron):
    _create(recron)
    doc = _doc(app)
    nonces = []
    for _ in range(2):
        response = recron.get(f"/studio/{doc.public_id}")
        policy = response.headers["Content-Security-Policy"]
        nonce = re.search(r'data-style-nonce="([^"]+)"', response.get_data(as_text=True)).group(1)
        assert f"style-src 'self' 'nonce-{nonce}'" in policy
        assert "script-src 'self';" in policy and "unsafe" not in policy
        nonces.append(nonce)
    assert nonces[0] != nonces[1]
    assert "/static/vendor/studio-editor.js" in response.get_data(as_text=True)
    bundle = recron.get("/static/vendor/studio-editor.js")
    assert bundle.status_code == 200
    bundle.close()


def test_examples__answer_that_does_not_fit__said_in_dutch(app, recron):
    _create(recron)
    doc = _doc(app)
    text = doc.source[: doc.source.index("\nexamples:")] + (
        "\nexamples:\n  - name: vreemd_antwoord\n    answers:\n      bestaat_niet: ja\n"
        "    expect:\n      risk_level: weerbaar\n"
    )
    _save(recron, doc, text)
    response = recron.get(f"/studio/{doc.public_id}/voorbeelden")
    html = response.get_data(as_text=True)
    assert "De antwoorden passen niet bij de vragen" in html
    assert "vraag bestaat_niet bij de antwoorden bestaat niet" in html
    assert "invalid answer" not in html and "unknown question" not in html
