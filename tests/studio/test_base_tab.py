"""The base tab and the ids the editor completes, through the Flask test client."""

from __future__ import annotations

import html
import re

from portal_factories import csrf_token


def test_base_tab__shows_themes_questions_options_rules_and_their_users(draft):
    client, editor = draft
    page = client.get(editor + "/basis")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert 'aria-current="page">Basisscan</a>' in body
    assert "<code>voorbeeld</code>, versie 1" in body
    # a theme with its weight, a question with its options, values and scores
    assert '<td data-label="Id"><code>fysiek</code></td>' in body
    assert '<td data-label="Gewicht" class="num">2</td>' in body
    assert 'id="vraag-huur_contant"' in body
    assert "<code>contant</code>" in body and "Per bank, elke maand" in body
    assert "Alleen als: <code>verhuur == &#39;ja&#39;</code>" in body
    # which rules and show_ifs read a question, with links; a rule lists what it reads
    benaderd = body.split('id="vraag-benaderd"')[1].split("</section>")[0]
    assert '<a href="#advies-benaderd_melden"><code>benaderd_melden</code></a>' in benaderd
    assert '<a href="#vraag-druk_nu"><code>druk_nu</code></a>' in benaderd
    rule = body.split('id="advies-personeel_screenen"')[1].split("</section>")[0]
    assert "Leest vraag" in rule and "#vraag-aantal_medewerkers" in rule


def test_ids__json_of_the_draft_itself_with_the_base_ids(draft):
    client, editor = draft
    response = client.get(editor + "/ids.json")
    assert response.status_code == 200
    data = response.get_json()
    assert {x["id"] for x in data["themes"]} == {"fysiek", "sociaal", "signalen"}
    assert "huur_contant" in [x["id"] for x in data["questions"]]
    assert "meld_misdaad_anoniem" in [x["id"] for x in data["referrals"]]
    editor_page = client.get(editor).get_data(as_text=True)
    assert f'data-ids-url="{editor.split("localhost")[-1]}/ids.json"' in editor_page


def test_check__runs_the_examples_and_says_which_fail(draft):
    client, editor = draft
    starter = client.get(editor).get_data(as_text=True)
    text = html.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", starter, re.S).group(1))
    page = client.post(
        editor,
        data={
            "csrf_token": csrf_token(client, "/studio/"),
            "source": text.replace("risk_level: weerbaar", "risk_level: kwetsbaar", 1),
            "action": "controleren",
        },
    ).get_data(as_text=True)
    assert "2 van 3 voorbeelden kloppen" in page
    assert "<code>weerbaar</code>" in page.split('id="voorbeelden-controle"')[1]


def test_examples_tab__total_level_themes_and_advice_next_to_expected(draft):
    client, editor = draft
    page = client.get(editor + "/voorbeelden").get_data(as_text=True)
    assert "3 van de 3 voorbeelden kloppen" in page
    weerbaar = page.split("<code>weerbaar</code>")[1].split("</section>")[0]
    cells = re.findall(r'<td data-label="[^"]+">(.*?)</td>', weerbaar, re.S)
    rows = [cells[i : i + 4] for i in range(0, len(cells), 4)]
    assert ["Totale score", "100,0", "99 tot 100", "ja"] in rows
    assert ["Niveau", "Weerbaar", "Weerbaar", "ja"] in rows
    assert ["Direct hulp nodig", "nee", "nee", "ja"] in rows
    assert any(r[0].startswith("Thema ") and r[0].endswith("(fysiek)") for r in rows)
    advice = [r for r in rows if r[0].startswith("Advies benaderd_melden: ")]
    assert [r[1:] for r in advice] == [["komt niet", "komt niet", "ja"]]
