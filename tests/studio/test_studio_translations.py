"""Branch authors translate too (issue 27): a draft's translations in English and Polish, the
Talen tab's figures, editing beside the Dutch, a .po file out and back in, and publish."""

from __future__ import annotations

import re
from html import unescape

import pytest
from portal_factories import FAST_HASHER, login, make_org, make_user
from studio_samples import OVERLAY

from scan.platform.catalog import get_catalog
from scan.platform.extensions import db
from scan.platform.models import QuestionnaireDocument
from scan.portal import accounts
from scan.studio import documents, translation_checks, translation_store

QUESTION = "question:sleutelbeheer.text"
STEP = "rule:sleutels_bijhouden.advice.steps.0"


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch):
    monkeypatch.setattr(accounts, "_hasher", FAST_HASHER)


@pytest.fixture
def world(app):
    with app.app_context():
        recron = make_org("Recron", kind="branche")
        make_user("branche@recron.nl", "branch_admin", recron)
        doc, _ = documents.import_text(recron, "test", OVERLAY, get_catalog())
        db.session.commit()
        return doc.public_id


@pytest.fixture
def author(client, world):
    assert login(client, "branche@recron.nl").status_code == 302
    return client


def _doc(public_id) -> QuestionnaireDocument:
    return db.session.scalar(db.select(QuestionnaireDocument).filter_by(public_id=public_id))


def _figures(public_id):
    doc = _doc(public_id)
    q = translation_store.loaded(doc, get_catalog())
    return {f.language: f for f in translation_checks.figures(doc, q, get_catalog())}


def test_own_texts__only_what_the_overlay_wrote(app, world):
    with app.app_context():
        doc = _doc(world)
        q = translation_store.loaded(doc, get_catalog())
        own = dict(translation_checks.document_own_texts(doc, q, get_catalog()))
    print(own)
    assert own[QUESTION] == "Weet u altijd wie een sleutel van uw pand heeft?"
    assert own[STEP] == "Maak deze week een lijst van alle sleutels."
    assert not any(path.startswith("theme:") for path in own)  # inherited from voorbeeld


def _edit_form(client, public_id, language="en") -> dict[str, str]:
    html = client.get(f"/studio/{public_id}/talen/{language}").get_data(as_text=True)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    return {k: unescape(v) for k, v in fields.items()}


def test_edit_and_save__figures_follow(app, author, world):
    form = _edit_form(author, world)
    response = author.post(
        f"/studio/{world}/talen/en",
        data={
            **form,
            f"vertaling:{QUESTION}": "Do you always know who has a key to your building?",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    with app.app_context():
        figures = _figures(world)
    assert (figures["en"].done, figures["en"].total, figures["en"].percent) == (1, 6, 16)
    assert figures["pl"].done == 0 and not figures["pl"].exists


ENGLISH = {
    "questionnaire.title": "Example scan for holiday parks",
    QUESTION: "Do you always know who has a key to your building?",
    "question:sleutelbeheer.help": "With a list of keys you quickly see who can get in.",
    "rule:sleutels_bijhouden.advice.title": "Keep track of who has a key",
    "rule:sleutels_bijhouden.advice.explanation": "Then you quickly see who can get in.",
    STEP: "Make a list of all keys this week.",
}


def _save(client, public_id, texts, language="en", **extra):
    form = _edit_form(client, public_id, language)
    data = {**form, **{f"vertaling:{path}": text for path, text in texts.items()}, **extra}
    return client.post(f"/studio/{public_id}/talen/{language}", data=data)


def _stored(app, public_id, language="en") -> str:
    from scan.studio.translation_rows import texts_of

    with app.app_context():
        return texts_of(_doc(public_id)).get(language, "")


def test_dutch_changed__translation_outdated_until_confirmed(app, author, world):
    assert _save(author, world, ENGLISH).status_code == 302
    with app.app_context():
        doc = _doc(world)
        changed = doc.source.replace("Weet u altijd wie", "Weet u precies wie")
        documents.save(doc, changed, "test", get_catalog())
        db.session.commit()
        figures = _figures(world)
    assert figures["en"].done == 5
    assert [o.path for o in figures["en"].outdated] == [QUESTION]
    assert figures["en"].outdated[0].old_dutch.startswith("Weet u altijd wie")
    page = author.get(f"/studio/{world}/talen").get_data(as_text=True)
    assert "5 van 6 teksten vertaald (83%)" in page and "Verouderd (1)" in page
    # Saving the form unchanged keeps it outdated; ticking "klopt" makes it current again.
    assert _save(author, world, {}).status_code == 302
    with app.app_context():
        assert _figures(world)["en"].done == 5
    assert _save(author, world, {}, klopt=QUESTION).status_code == 302
    with app.app_context():
        assert _figures(world)["en"].complete


def test_edit_page__dutch_beside_a_labelled_field_with_lang_and_b1_hint(author, world):
    long = " ".join(["This sentence has far too many words for a reader"] * 3) + "."
    _save(author, world, {**ENGLISH, STEP: long})
    page = author.get(f"/studio/{world}/talen/en").get_data(as_text=True)
    assert '<p lang="nl">Weet u altijd wie een sleutel van uw pand heeft?</p>' in page
    assert re.search(r'<label for="t-2">Engels', page)
    assert re.search(
        r'<textarea id="t-2" name="vertaling:question:sleutelbeheer.text" lang="en"', page
    )
    assert "B1-tip: een zin van 30 woorden" in page
    assert 'name="csrf_token"' in page


def test_talen_tab__b1_for_all_polish_texts_together(author, world):
    hard = "Niezastąpione przedsiębiorstwa utrzymujące nieruchomości wielofunkcyjne."
    _save(author, world, {QUESTION: hard, STEP: hard}, language="pl")
    page = author.get(f"/studio/{world}/talen").get_data(as_text=True)
    assert "B1-tip: de Poolse teksten samen hebben gemiddeld" in page


def test_export_then_import__byte_stable_and_nothing_changes(app, author, world):
    _save(author, world, {QUESTION: ENGLISH[QUESTION]})
    exported = author.get(f"/studio/{world}/talen/en/download")
    assert exported.status_code == 200
    assert 'filename="voorbeeld_recron@1.en.po"' in exported.headers["Content-Disposition"]
    body = exported.get_data()
    assert b'msgctxt "question:sleutelbeheer.text"' in body
    before = _stored(app, world)
    response = _upload(author, world, body)
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    assert _stored(app, world) == before
    assert author.get(f"/studio/{world}/talen/en/download").get_data() == body


def _upload(client, public_id, data: bytes, language="en"):
    from io import BytesIO

    form = _edit_form(client, public_id, language)
    return client.post(
        f"/studio/{public_id}/talen/{language}/upload",
        data={**form, "bestand": (BytesIO(data), "vertaling.po")},
        content_type="multipart/form-data",
    )


def _po(entries: dict[str, tuple[str, str]]) -> bytes:
    lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for path, (dutch, text) in entries.items():
        lines += [f'msgctxt "{path}"', f'msgid "{dutch}"', f'msgstr "{text}"', ""]
    return "\n".join(lines).encode()


PHONE_OVERLAY = OVERLAY.replace(
    "steps: [Maak deze week een lijst van alle sleutels.]",
    "steps: ['Bel bij twijfel Meld Misdaad Anoniem: 0800-7000.']",
)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            _po({"question:bestaat_niet.text": ("Bestaat niet", "Does not exist")}),
            "regel 6 (question:bestaat_niet.text): deze id bestaat niet in de vragenlijst",
        ),
        (
            _po({STEP: ("Bel bij twijfel Meld Misdaad Anoniem: 0800-7000.", "Call: 0800-7001.")}),
            "de vertaling mist 0800-7000 uit de Nederlandse tekst",
        ),
        (b"\x00\xff\xfe garbage \x81\x82", "dit bestand is geen leesbaar vertaalbestand"),
        (
            _po(
                {QUESTION: ("Weet u altijd wie een sleutel van uw pand heeft?", "Follow the van.")}
            ),
            "is niet veilig: hij stuurt de lezer iemand achterna",
        ),
    ],
    ids=["unknown id", "changed phone number", "garbage bytes", "unsafe"],
)
def test_import_bad_file__dutch_located_message_and_nothing_lost(app, client, data, message):
    with app.app_context():
        recron = make_org("Recron", kind="branche")
        make_user("branche@recron.nl", "branch_admin", recron)
        doc, _ = documents.import_text(recron, "test", PHONE_OVERLAY, get_catalog())
        db.session.commit()
        public_id = doc.public_id
    assert login(client, "branche@recron.nl").status_code == 302
    _save(client, public_id, {QUESTION: ENGLISH[QUESTION]})
    before = _stored(app, public_id)
    response = _upload(client, public_id, data)
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "Er is een probleem" in page and message in page, page[:4000]
    assert _stored(app, public_id) == before


def test_import_two_megabytes__refused_in_dutch_nothing_lost(app, author, world):
    _save(author, world, {QUESTION: ENGLISH[QUESTION]})
    before = _stored(app, world)
    # Built by hand: the test client would spool a body this large to a temporary file.
    form = _edit_form(author, world)
    boundary = "grens"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
            f"{form['csrf_token']}\r\n--{boundary}\r\nContent-Disposition: form-data; "
            f'name="bestand"; filename="groot.po"\r\n\r\n'
        ).encode()
        + b"#" * (2 * 1024 * 1024)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = author.post(
        f"/studio/{world}/talen/en/upload",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 413
    assert "Dit bestand is groter dan 256 KiB. Er is niets opgeslagen." in response.get_data(
        as_text=True
    )
    assert _stored(app, world) == before


def test_import_polish_file_as_english__refused(app, author, world):
    _save(author, world, {QUESTION: "Czy zawsze wiesz, kto ma klucz?"}, language="pl")
    polish = author.get(f"/studio/{world}/talen/pl/download").get_data()
    response = _upload(author, world, polish, language="en")
    assert response.status_code == 422
    assert "een vertaling in een andere taal (pl), niet in het Engels" in unescape(
        response.get_data(as_text=True)
    )
    assert _stored(app, world) == ""


def test_import_outdated_entry__kept_marked_not_accepted(app, author, world):
    data = _po({QUESTION: ("Een oudere Nederlandse tekst?", "An older English text?")})
    response = _upload(author, world, data)
    assert response.status_code == 302
    with app.app_context():
        figures = _figures(world)
    assert figures["en"].done == 0 and [o.path for o in figures["en"].outdated] == [QUESTION]
    assert "#, fuzzy" in _stored(app, world)


def _publish(client, public_id):
    form = _edit_form(client, public_id)
    return client.post(f"/studio/{public_id}/publiceren", data={"csrf_token": form["csrf_token"]})


def test_publish__unsafe_polish_translation_refused(app, author, world):
    assert (
        _save(author, world, {STEP: "Zapytaj kierowcę o ładunek."}, language="pl").status_code
        == 302
    )
    page = author.get(f"/studio/{world}/talen").get_data(as_text=True)
    assert "U kunt pas publiceren als dat is opgelost" in page
    response = _publish(author, world)
    assert response.status_code == 422
    with app.app_context():
        assert _doc(world).status == "draft"


def test_publish__incomplete_language_warns_on_the_confirm_page_and_publishes(app, author, world):
    _save(author, world, {QUESTION: ENGLISH[QUESTION]})
    confirm = unescape(author.get(f"/studio/{world}/publiceren").get_data(as_text=True))
    assert "de vertaling in het Engels is niet af: 1 van 6 teksten klaar" in confirm
    assert _publish(author, world).status_code == 302
    with app.app_context():
        assert _doc(world).status == "published"


def test_published_branch_scan_in_english__shows_the_authors_english(app, author, world):
    assert _save(author, world, ENGLISH).status_code == 302
    assert _publish(author, world).status_code == 302
    visitor = app.test_client()
    page = visitor.get("/scan/voorbeeld_recron?taal=en").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]
    assert (
        visitor.post("/scan/voorbeeld_recron/start", data={"csrf_token": token}).status_code == 302
    )
    overview = visitor.get("/scan/overzicht").get_data(as_text=True)
    assert "Example scan for holiday parks" in overview and "Building and site" in overview
    theme = visitor.get("/scan/thema/fysiek").get_data(as_text=True)
    assert ENGLISH[QUESTION] in theme and "Weet u altijd wie" not in theme


def test_published_branch_scan__one_text_missing__dutch_whole(app, author, world):
    assert _save(author, world, {**ENGLISH, STEP: ""}).status_code == 302
    assert _publish(author, world).status_code == 302
    visitor = app.test_client()
    page = visitor.get("/scan/voorbeeld_recron?taal=en").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]
    visitor.post("/scan/voorbeeld_recron/start", data={"csrf_token": token})
    theme = visitor.get("/scan/thema/fysiek").get_data(as_text=True)
    assert "Weet u altijd wie een sleutel" in theme and ENGLISH[QUESTION] not in theme


def test_new_version__starts_with_the_published_translations(app, author, world):
    _save(author, world, {QUESTION: ENGLISH[QUESTION]})
    assert _publish(author, world).status_code == 302
    with app.app_context():
        draft = documents.new_draft(_doc(world), "test")
        db.session.commit()
        from scan.studio.translation_rows import texts_of

        assert ENGLISH[QUESTION] in texts_of(draft)["en"]


def test_editor_check__reports_an_unsafe_translation(author, world):
    _save(author, world, {QUESTION: "Follow the van and note where it goes."})
    html = author.get(f"/studio/{world}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)[1]
    source = unescape(re.search(r'<textarea id="source"[^>]*>(.*?)</textarea>', html, re.S)[1])
    page = author.post(
        f"/studio/{world}",
        data={"csrf_token": token, "source": source, "action": "controleren"},
    ).get_data(as_text=True)
    assert "Vertalingen: 1 fout" in page
    assert "Vraag sleutelbeheer, tekst: de zin" in unescape(page)
