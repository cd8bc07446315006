"""The preview is the scan: conditional questions as the author answers, the member's result
page and its PDF, marked as a trial run; nothing stored."""

from __future__ import annotations

import io
import json

from portal_factories import csrf_token
from pypdf import PdfReader

from scan.platform.extensions import db
from scan.platform.models import Scan


def _post(client, url, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, "/studio/"), **data})


def test_preview_visibility__the_scans_own_rule_as_the_author_answers(draft):
    client, url = draft[0], draft[1] + "/proef"
    page = client.get(url).get_data(as_text=True)
    assert f'data-visibility-url="{url}/zichtbaar"' in page
    shown = _post(client, url + "/zichtbaar", page="fysiek", answers="{}", q_verhuur="ja")
    assert shown.get_json() == {"visible": ["verhuur", "huur_contant", "maatregelen"]}
    hidden = _post(client, url + "/zichtbaar", page="fysiek", answers="{}", q_verhuur="nee")
    assert hidden.get_json() == {"visible": ["verhuur", "maatregelen"]}
    # answers from earlier pages count too; a page that is not a theme is refused
    assert _post(client, url + "/zichtbaar", page="nergens", answers="{}").status_code == 400


def test_preview__a_question_opened_up_and_not_yet_seen__shown_first_as_in_the_scan(draft):
    client, url = draft[0], draft[1] + "/proef"
    response = _post(
        client,
        url,
        page="fysiek",
        answers="{}",
        q_verhuur="ja",
        q_maatregelen="sloten",
        seen="verhuur,maatregelen",
        action="verder",
    )
    html = response.get_data(as_text=True)
    assert 'name="page" value="fysiek"' in html  # the same page again
    assert "Door uw antwoord is er een vraag bijgekomen" in html
    # seen on screen (the page script showed it): the step goes on to the next page
    response = _post(
        client,
        url,
        page="fysiek",
        answers="{}",
        q_verhuur="ja",
        q_huur_contant="bank",
        q_maatregelen="sloten",
        seen="verhuur,huur_contant,maatregelen",
        action="verder",
    )
    assert 'name="page" value="sociaal"' in response.get_data(as_text=True)


def test_preview_result__the_members_result_page_and_pdf__marked__nothing_stored(app, draft):
    client, url = draft[0], draft[1] + "/proef"
    answers = {
        "verhuur": "ja",
        "huur_contant": "contant",
        "maatregelen": ["geen"],
        "vertrouwen_personeel": 2,
        "aantal_medewerkers": 4,
        "benaderd": "nee",
        "weet_waar_melden": "nee",
    }
    last = _post(
        client,
        url,
        page="signalen",
        answers=json.dumps({k: v for k, v in answers.items() if k != "weet_waar_melden"}),
        q_benaderd="nee",
        q_weet_waar_melden="nee",
        action="verder",
    )
    html = last.get_data(as_text=True)
    assert "Resultaat van de proefrit" in html
    assert 'id="deze-week"' in html  # the member's first screen: calls for this week
    assert "Download het rapport (PDF)" in html
    pdf = _post(client, url + "/rapport.pdf", answers=json.dumps(answers))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "PROEFRIT" in text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Scan)) == 0
    bad = _post(client, url + "/rapport.pdf", answers='{"verhuur": "misschien"}')
    assert bad.status_code == 400
