"""Publish checks everything, and publishing and retiring can be undone (issue 21).

Through the Flask test client: a failing example or an own referral nobody can verify refuses a
publish, the confirm page counts the examples that pass and says what changes for members, an
earlier version can be published again, a retired scan restored, and retiring a scan that other
scans build on warns about them.
"""

from __future__ import annotations

import pytest
from portal_factories import FAST_HASHER, csrf_token, login, make_org, make_user
from studio_samples import OVERLAY

from scan.platform.catalog import get_catalog
from scan.platform.extensions import db
from scan.platform.models import QuestionnaireDocument
from scan.portal import accounts
from scan.studio import documents

EXAMPLE = """\
examples:
  - name: sleutels op orde
    answers: {sleutelbeheer: ja}
    expect:
      not_fired: [sleutels_bijhouden]
"""
OWN_REFERRAL = """\
new_referrals:
  - id: recron_vertrouwenspersoon
    name: Vertrouwenspersoon Recron
    phone: 030-1234567
    when: U wilt eerst praten met iemand van uw eigen branche.
    source: SOURCE
    verified_on: 2026-11-20
"""


@pytest.fixture
def author(app, client, monkeypatch):
    """A logged-in branch admin of Recron, with HISWA as a second branch organisation."""
    monkeypatch.setattr(accounts, "_hasher", FAST_HASHER)
    with app.app_context():
        recron = make_org("Recron", kind="branche")
        make_org("HISWA", kind="branche")
        make_user("branche@recron.nl", "branch_admin", recron)
    assert login(client, "branche@recron.nl").status_code == 302
    return client


def _draft(app, client, text: str) -> QuestionnaireDocument:
    """Create voorbeeld_recron on voorbeeld@1 and save the text as its draft."""
    token = csrf_token(client, "/studio/")
    client.post(
        "/studio/nieuw",
        data={"csrf_token": token, "base": "voorbeeld@1", "questionnaire_id": "voorbeeld_recron"},
    )
    doc = _newest(app)
    client.post(
        f"/studio/{doc.public_id}",
        data={"csrf_token": token, "source": text, "action": "opslaan"},
    )
    return _newest(app)


def _newest(app, qid: str = "voorbeeld_recron") -> QuestionnaireDocument:
    with app.app_context():
        doc = db.session.scalars(
            db.select(QuestionnaireDocument)
            .filter_by(questionnaire_id=qid)
            .order_by(QuestionnaireDocument.version.desc())
        ).first()
        db.session.expunge(doc)
        return doc


def _built_on_recron(app, organisation: str, qid: str) -> str:
    """Start a draft of an organisation on the published voorbeeld_recron; return its id."""
    with app.app_context():
        owner = db.session.scalar(db.select(accounts.Organisation).filter_by(name=organisation))
        base = get_catalog().get("voorbeeld_recron")
        draft = documents.create_draft(owner, "test", qid, base, get_catalog())
        db.session.commit()
        return draft.public_id


def _post(client, doc, action: str):
    token = csrf_token(client, "/studio/")
    return client.post(f"/studio/{doc.public_id}/{action}", data={"csrf_token": token})


def test_publish__failing_example__refused_and_confirm_page_counts_examples(app, author):
    failing = EXAMPLE.replace("not_fired:", "fired:")
    doc = _draft(app, author, OVERLAY + failing)
    confirm = author.get(f"/studio/{doc.public_id}/publiceren").get_data(as_text=True)
    assert "0 van 1 voorbeelden kloppen." in confirm
    assert "Voorbeeld &#39;sleutels op orde&#39; klopt niet" in confirm
    assert "Ja, publiceer" not in confirm
    refused = _post(author, doc, "publiceren")
    assert refused.status_code == 422
    assert "advies sleutels_bijhouden komt niet in de uitslag" in refused.get_data(as_text=True)
    assert _newest(app).status == "draft"


@pytest.mark.parametrize(
    ("source", "verified", "says"),
    [
        ("https://www.recron.nl/contact", "2024-01-02", "meer dan een jaar geleden"),
    ],
)
def test_publish__own_referral_nobody_can_verify__refused(app, author, source, verified, says):
    own = OWN_REFERRAL.replace("SOURCE", source).replace("2026-11-20", verified)
    text = OVERLAY.replace("add:\n", own + "add:\n", 1).replace(
        "priority: high\n", "priority: high\n      referrals: [recron_vertrouwenspersoon]\n"
    )
    doc = _draft(app, author, text)
    refused = _post(author, doc, "publiceren")
    assert refused.status_code == 422
    assert says in refused.get_data(as_text=True)
    assert _newest(app).status == "draft"


def test_publish__confirm_page__examples_pass_and_changes_for_members_in_words(app, author):
    doc = _draft(app, author, OVERLAY + EXAMPLE)
    confirm = author.get(f"/studio/{doc.public_id}/publiceren").get_data(as_text=True)
    assert "1 van 1 voorbeelden kloppen." in confirm
    assert "Wat verandert er voor leden?" in confirm and "Vergeleken met de basisscan" in confirm
    assert "<li>Vraag toegevoegd: sleutelbeheer (Weet u altijd wie een sleutel" in confirm
    assert "<li>Advies toegevoegd: sleutels_bijhouden" in confirm
    assert _post(author, doc, "publiceren").status_code == 302
    assert _newest(app).status == "published"


def test_republish__earlier_version_published_again_as_the_next_version(app, author):
    first = _draft(app, author, OVERLAY)
    _post(author, first, "publiceren")
    _post(author, first, "nieuwe-versie")
    second = _newest(app)
    changed = OVERLAY.replace("version: 1\n", "version: 2\n", 1).replace(
        "title: Voorbeeldscan voor vakantieparken", "title: Tweede poging"
    )
    token = csrf_token(author, "/studio/")
    author.post(
        f"/studio/{second.public_id}",
        data={"csrf_token": token, "source": changed, "action": "opslaan"},
    )
    _post(author, second, "publiceren")
    assert "Tweede poging" in app.test_client().get("/scan/voorbeeld_recron").get_data(True)
    back = _post(author, first, "opnieuw-publiceren")
    third = _newest(app)
    assert back.location.endswith(f"/studio/{third.public_id}")
    assert (third.version, third.status) == (3, "published")
    assert "version: 3\n" in third.source and "Voorbeeldscan voor vakantieparken" in third.source
    served = app.test_client().get("/scan/voorbeeld_recron").get_data(True)
    assert "Voorbeeldscan voor vakantieparken" in served


def test_republish__open_draft__refused_so_no_work_is_lost(app, author):
    first = _draft(app, author, OVERLAY)
    _post(author, first, "publiceren")
    _post(author, first, "nieuwe-versie")
    refused = _post(author, first, "opnieuw-publiceren")
    assert refused.status_code == 302
    page = author.get(refused.location).get_data(as_text=True)
    assert "er is nog een concept" in page
    assert [_newest(app).version, _newest(app).status] == [2, "draft"]


def test_restore__retired_scan_served_again(app, author):
    doc = _draft(app, author, OVERLAY)
    _post(author, doc, "publiceren")
    _post(author, doc, "intrekken")
    anonymous = app.test_client()
    assert anonymous.get("/scan/voorbeeld_recron").status_code == 404
    editor = author.get(f"/studio/{doc.public_id}").get_data(as_text=True)
    assert "Scan terugzetten" in editor
    assert _post(author, doc, "terugzetten").status_code == 302
    assert _newest(app).status == "published"
    assert anonymous.get("/scan/voorbeeld_recron").status_code == 200
    assert _post(author, doc, "terugzetten").status_code == 302  # nothing retired: refused
    assert "niets ingetrokken" in author.get(f"/studio/{doc.public_id}").get_data(True)


def test_retire__base_of_other_scans__warns_naming_published_counting_foreign_drafts(app, author):
    doc = _draft(app, author, OVERLAY)
    _post(author, doc, "publiceren")
    _built_on_recron(app, "HISWA", "hiswa_op_recron")
    page = author.get(f"/studio/{doc.public_id}/intrekken").get_data(as_text=True)
    assert "Andere scans bouwen op deze scan" in page
    assert "1 concept van andere organisaties" in page
    assert "hiswa_op_recron" not in page


def test_upload__file_with_errors__shown_with_messages_on_its_own_lines(app, author):
    import io

    from studio_samples import BROKEN, BROKEN_LINE

    doc = _draft(app, author, OVERLAY)
    token = csrf_token(author, "/studio/")
    refused = author.post(
        f"/studio/{doc.public_id}/upload",
        data={"csrf_token": token, "file": (io.BytesIO(BROKEN.encode()), "recron.yaml")},
        content_type="multipart/form-data",
    )
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert f'href="#regel-{BROKEN_LINE}"' in html and "sleutelbeheerr == &#39;nee&#39;" in html
    assert "gebruikt vraag sleutelbeheerr, maar die vraag bestaat niet" in html
    assert _newest(app).source == OVERLAY  # nothing stored


def test_republish__earlier_text_fails_the_checks_now__refused_and_no_draft_left(
    app, author, monkeypatch
):
    from scan.questionnaire import Position, Problem
    from scan.studio import undo

    first = _draft(app, author, OVERLAY)
    _post(author, first, "publiceren")
    stricter = Problem(
        "example 'x': rule 'y' fired", Position(first.file_name, 1, 1), "examples[0]"
    )
    monkeypatch.setattr(undo, "publish_problems", lambda *args: [stricter])
    refused = _post(author, first, "opnieuw-publiceren")
    assert "die versie heeft nu fouten" in author.get(refused.location).get_data(as_text=True)
    assert [(_newest(app).version, _newest(app).status)] == [(1, "published")]


def test_check__base_retired__message_says_ingetrokken(app, author):
    doc = _draft(app, author, OVERLAY)
    _post(author, doc, "publiceren")
    on_top_id = _built_on_recron(app, "Recron", "recron_extra")
    _post(author, doc, "intrekken")
    page = author.get(f"/studio/{on_top_id}/publiceren").get_data(as_text=True)
    assert "De basisscan voorbeeld_recron versie 1 is ingetrokken." in page
    assert "bestaat niet" not in page
