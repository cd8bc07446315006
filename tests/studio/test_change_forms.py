"""The studio's forms for a question, an advice rule and an own referral (issue 21): each
writes the same YAML into the draft, keeps the author's comments and order, passes the same
checks as a typed text, and a bad input gets a Dutch message next to its field, losing nothing."""

from __future__ import annotations

import re
from html import unescape

import pytest
from portal_factories import FAST_HASHER, csrf_token, login, make_org, make_user
from studio_samples import OVERLAY

from scan.platform.catalog import get_catalog
from scan.platform.extensions import db
from scan.platform.models import QuestionnaireDocument
from scan.portal import accounts
from scan.studio import document_checks, documents

# The author's own text, with comments that the forms must keep.
AUTHOR_TEXT = "# Onze eigen scan voor vakantieparken.\n" + OVERLAY.replace(
    "listed: true", "listed: true   # ook op de startpagina"
)


RULE = {
    "id": "camera_plaatsen",
    "when_pick": "sleutelbeheer|nee",
    "theme": "fysiek",
    "priority": "high",
    "title": "Hang een camera op bij de ingang",
    "explanation": "Zo ziet u wie er komt en gaat.",
    "steps": "Vraag deze week een offerte aan.\n\nHang een bord op dat er camera's zijn.\n",
    "referrals": ["meld_misdaad_anoniem"],
}
REFERRAL = {
    "id": "recron_vertrouwenspersoon",
    "name": "Vertrouwenspersoon Recron",
    "phone": "030-1234567",
    "when": "U wilt in vertrouwen praten over een verdacht verzoek.",
    "source": "recron.nl/contact",
    "verified_on": "2026-11-30",
}


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch):
    monkeypatch.setattr(accounts, "_hasher", FAST_HASHER)


@pytest.fixture
def draft(app, client):
    with app.app_context():
        recron = make_org("Recron", kind="branche")
        make_user("branche@recron.nl", "branch_admin", recron)
        doc, _ = documents.import_text(recron, "test", AUTHOR_TEXT, get_catalog())
        db.session.commit()
        public_id = doc.public_id
    assert login(client, "branche@recron.nl").status_code == 302
    return public_id


def _source(app, public_id) -> str:
    with app.app_context():
        return db.session.scalar(
            db.select(QuestionnaireDocument.source).filter_by(public_id=public_id)
        )


def _fields(client, url) -> dict[str, str]:
    html = client.get(url).get_data(as_text=True)
    found = re.findall(r'<input [^>]*name="(csrf_token|revision)"[^>]*value="([^"]*)"', html)
    return {name: unescape(value) for name, value in found}


def _question(**extra) -> dict[str, str]:
    data = {
        "id": "camera",
        "after": "sleutelbeheer",
        "theme": "fysiek",
        "text": "Hangt er een camera bij de ingang?",
        "help": "Met beelden ziet u wie er komt en gaat.",
        "type": "single_choice",
        "options-0-label": "Ja, met opname",
        "options-0-score": "100",
        "options-1-label": "Ja, zonder opname",
        "options-1-score": "50",
        "options-2-label": "Nee",
        "options-2-score": "0",
        "show_if_pick": "sleutelbeheer|ja",
    }
    return {**data, **extra}


def test_question_form__writes_yaml_into_draft__keeps_comments_and_order(app, client, draft):
    url = f"/studio/{draft}/formulier/vraag"
    response = client.post(url, data={**_fields(client, url), **_question()})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "#regel-" in response.headers["Location"]
    text = _source(app, draft)
    assert text.startswith("# Onze eigen scan voor vakantieparken.\nid: voorbeeld_recron\n")
    assert "listed: true   # ook op de startpagina" in text
    assert (
        "    - after: sleutelbeheer\n      id: camera\n      theme: fysiek\n"
        "      text: Hangt er een camera bij de ingang?\n" in text
    )
    assert (
        "        - value: ja_met_opname\n          label: Ja, met opname\n          score: 100\n"
        in text
    )
    assert "      show_if: sleutelbeheer == 'ja'\n" in text
    with app.app_context():
        doc = db.session.scalar(db.select(QuestionnaireDocument).filter_by(public_id=draft))
        report = document_checks.check_document(doc, text, get_catalog())
    assert report.errors == []
    camera = next(x for x in report.questionnaire.questions if x.id == "camera")
    assert [o.score for o in camera.options] == [100, 50, 0]
    editor = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "De vraag staat nu in uw tekst" in editor
    assert "id: camera" in editor


def test_question_form__bad_input__dutch_message_next_to_field__nothing_lost(app, client, draft):
    url = f"/studio/{draft}/formulier/vraag"
    before = _source(app, draft)
    data = _question(id="Camera!", **{"options-1-score": ""})
    response = client.post(url, data={**_fields(client, url), **data})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Gebruik kleine letters, cijfers en _" in html
    assert "Geef elk antwoord een score, of geen enkel antwoord." in html
    assert 'value="Hangt er een camera bij de ingang?"' in html  # what was typed stays
    assert 'value="Ja, zonder opname"' in html
    assert _source(app, draft) == before


def test_question_form__loader_error__shown_next_to_field__not_saved(app, client, draft):
    url = f"/studio/{draft}/formulier/vraag"
    before = _source(app, draft)
    data = _question(show_if_pick="", show_if="onbekende_vraag == 'ja'")
    response = client.post(url, data={**_fields(client, url), **data})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    error = re.search(r'<span class="portal-error" id="show_if-error">([^<]*)</span>', html)
    assert error and "onbekende_vraag" in unescape(error[1])
    assert 'value="onbekende_vraag == &#39;ja&#39;"' in html
    assert _source(app, draft) == before


def test_question_form__existing_id__refused(app, client, draft):
    url = f"/studio/{draft}/formulier/vraag"
    response = client.post(url, data={**_fields(client, url), **_question(id="sleutelbeheer")})
    assert response.status_code == 422
    assert "Deze code bestaat al" in response.get_data(as_text=True)


def test_question_form__edit_base_question__written_whole_to_replace(app, client, draft):
    with app.app_context():
        base = get_catalog().get("voorbeeld", 1)
        question = next(x for x in base.questions if x.type == "yes_no")
    url = f"/studio/{draft}/formulier/vraag?id={question.id}"
    page = client.get(url).get_data(as_text=True)
    assert f'value="{question.id}"' in page
    fields = dict(re.findall(r'<input [^>]*name="([\w-]+)"[^>]*value="([^"]*)"', page))
    data = {k: unescape(v) for k, v in fields.items()}
    data.update(
        theme=question.theme,
        type="yes_no",
        text="Een nieuwe tekst voor deze vraag?",
        help=question.help,
        good_answer=question.good_answer or "",
    )
    response = client.post(url, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    text = _source(app, draft)
    assert "replace:\n  questions:\n" in text
    assert f"    - id: {question.id}\n" in text
    assert "Een nieuwe tekst voor deze vraag?" in text


def test_rule_form__writes_rule_with_steps_and_referrals(app, client, draft):
    url = f"/studio/{draft}/formulier/advies"
    response = client.post(url, data={**_fields(client, url), **RULE})
    assert response.status_code == 302, response.get_data(as_text=True)
    text = _source(app, draft)
    assert "    - id: camera_plaatsen\n      when: sleutelbeheer == 'nee'\n" in text
    assert "          - Vraag deze week een offerte aan.\n          - Hang een bord op" in text
    assert "      referrals:\n        - meld_misdaad_anoniem\n" in text


def test_rule_form__no_condition__message_next_to_field(app, client, draft):
    url = f"/studio/{draft}/formulier/advies"
    response = client.post(url, data={**_fields(client, url), **RULE, "when_pick": ""})
    assert response.status_code == 422
    assert 'id="when-error">Kies bij welk antwoord' in response.get_data(as_text=True)


def test_referral_form__own_referral_in_new_referrals_and_always_shown(app, client, draft):
    url = f"/studio/{draft}/formulier/doorverwijzing"
    response = client.post(url, data={**_fields(client, url), **REFERRAL, "always_shown": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)
    text = _source(app, draft)
    assert "new_referrals:\n  - id: recron_vertrouwenspersoon\n" in text
    assert "    verified_on: 2026-11-30\n" in text
    assert "  referrals:\n    - recron_vertrouwenspersoon\n" in text
    # Its own page edits it again, with its fields filled in.
    page = client.get(url + "?id=recron_vertrouwenspersoon").get_data(as_text=True)
    assert 'value="Vertrouwenspersoon Recron"' in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"verified_on": "30-11-2026"}, "Schrijf de datum als jjjj-mm-dd"),
        ({"verified_on": "2999-01-01"}, "Deze datum ligt in de toekomst."),
        ({"phone": ""}, "Vul een telefoonnummer, een website of een andere manier in."),
        ({"id": "meld_misdaad_anoniem"}, "Deze code bestaat al"),
    ],
)
def test_referral_form__bad_input__dutch_message(app, client, draft, changes, message):
    url = f"/studio/{draft}/formulier/doorverwijzing"
    before = _source(app, draft)
    response = client.post(url, data={**_fields(client, url), **REFERRAL, **changes})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _source(app, draft) == before


def test_form__stale_revision__conflict_page_not_an_overwrite(app, client, draft):
    url = f"/studio/{draft}/formulier/vraag"
    fields = _fields(client, url)
    token = csrf_token(client, f"/studio/{draft}")
    changed = AUTHOR_TEXT.replace("vakantieparken", "campings")
    client.post(
        f"/studio/{draft}", data={"csrf_token": token, "source": changed, "action": "opslaan"}
    )
    response = client.post(url, data={**fields, **_question()})
    assert response.status_code == 409
    assert "Iemand anders heeft deze scan intussen opgeslagen" in response.get_data(as_text=True)
    assert _source(app, draft) == changed


def test_form__published_version__409(app, client, draft):
    with app.app_context():
        doc = db.session.scalar(db.select(QuestionnaireDocument).filter_by(public_id=draft))
        documents.publish(doc, "test", get_catalog())
        db.session.commit()
    assert client.get(f"/studio/{draft}/formulier/vraag").status_code == 409


def test_form__unknown_item_to_edit__404(client, draft):
    assert client.get(f"/studio/{draft}/formulier/advies?id=bestaat_niet").status_code == 404


def _edit_page_fields(client, url) -> tuple[str, dict[str, object]]:
    """Return an edit form's page and what the browser would post (checked boxes only)."""
    page = client.get(url).get_data(as_text=True)
    data: dict[str, object] = {}
    for tag in re.findall(r"<input [^>]*>", page):
        name, value = re.search(r'name="([\w-]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if not (name and value) or ('type="checkbox"' in tag and " checked" not in tag):
            continue
        if name[1] == "referrals":
            data.setdefault("referrals", []).append(value[1])  # type: ignore[union-attr]
        else:
            data[name[1]] = unescape(value[1])
    for name, value in re.findall(
        r'<select [^>]*name="([\w-]+)".*?<option selected value="([^"]*)"', page, re.S
    ):
        data[name] = unescape(value)
    for name, value in re.findall(
        r'<textarea [^>]*name="(\w+)"[^>]*>\s*(.*?)</textarea>', page, re.S
    ):
        data[name] = unescape(value)
    return page, data


def test_edit_base_items__settings_the_form_does_not_show_are_kept(app, client, draft):
    """An acute answer, a red flag and a score cap are safety settings: a form never drops them."""
    url = f"/studio/{draft}/formulier/vraag?id=druk_nu"
    _, data = _edit_page_fields(client, url)
    data["text"] = "Speelt het nu nog?"
    response = client.post(url, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    rule_url = f"/studio/{draft}/formulier/advies?id=druk_nu_hulp"
    _, rule = _edit_page_fields(client, rule_url)
    rule["title"] = "Zoek vandaag hulp"
    response = client.post(rule_url, data=rule)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        doc = db.session.scalar(db.select(QuestionnaireDocument).filter_by(public_id=draft))
        q = document_checks.check_document(doc, doc.source, get_catalog()).questionnaire
    question = next(x for x in q.questions if x.id == "druk_nu")
    assert (question.text, question.acute_when, question.show_if) == (
        "Speelt het nu nog?",
        "ja",
        "benaderd == 'ja'",
    )
    rule_model = next(r for r in q.rules if r.id == "druk_nu_hulp")
    assert (rule_model.advice.title, rule_model.red_flag, rule_model.score_cap) == (
        "Zoek vandaag hulp",
        True,
        0,
    )
    assert "vertrouwenslijn_afpersing" in rule_model.referrals


def test_forms__offer_the_items_they_can_open(app, client, draft):
    page = client.get(f"/studio/{draft}/formulier/vraag").get_data(as_text=True)
    questions = re.search(r'<select id="bestaand".*?</select>', page, re.S)[0]
    assert '<option value="druk_nu">' in questions
    assert '<option value="vertrouwen_personeel">' not in questions  # a scale: the text only
    rules = client.get(f"/studio/{draft}/formulier/advies").get_data(as_text=True)
    assert '<option value="sleutels_bijhouden">' in rules
    url = f"/studio/{draft}/formulier/doorverwijzing"
    assert "Of pas iets aan dat er al is" not in client.get(url).get_data(as_text=True)
    client.post(url, data={**_fields(client, url), **REFERRAL})
    assert '<option value="recron_vertrouwenspersoon">' in client.get(url).get_data(as_text=True)


def test_question_form__a_type_it_does_not_show__not_opened(client, draft):
    assert client.get(f"/studio/{draft}/formulier/vraag?id=vertrouwen_personeel").status_code == 404


def test_question_form__picked_later_question__message_next_to_the_picker(app, client, draft):
    url = f"/studio/{draft}/formulier/vraag"
    assert client.post(url, data={**_fields(client, url), **_question()}).status_code == 302
    # Placed after 'verhuur', near the start: 'camera' (at the end) comes later.
    data = _question(id="camera2", after="verhuur", show_if_pick="camera|ja_met_opname")
    response = client.post(url, data={**_fields(client, url), **data})
    html = response.get_data(as_text=True)
    assert response.status_code == 422, html
    assert 'id="show_if_pick-error"' in html
