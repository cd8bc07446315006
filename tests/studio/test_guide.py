"""The author's guide: one click from the editor, and every example in it works on its base."""

from __future__ import annotations

import html
import re
import textwrap

import yaml
from portal_factories import FAST_HASHER, csrf_token, login, make_org, make_user

from scan.portal import accounts
from scan.questionnaire.loader import check_text
from scan.studio.examples import run_examples

CODE = re.compile(r'<pre class="studio-guide-code"[^>]*><code>(.*?)</code></pre>', re.S)
HEADER = "id: gids\nversion: 1\nextends: {id: voorbeeld, version: 1}\n"


def _merge(into: dict, more: dict) -> None:
    for key, value in more.items():
        if isinstance(value, dict):
            _merge(into.setdefault(key, {}), value)
        elif isinstance(value, list):
            into.setdefault(key, []).extend(value)
        else:
            into[key] = value


def test_guide__every_example_together_loads_on_the_base(app, client, catalog, monkeypatch):
    monkeypatch.setattr(accounts, "_hasher", FAST_HASHER)
    with app.app_context():
        make_user("branche@recron.nl", "branch_admin", make_org("Recron", kind="branche"))
    login(client, "branche@recron.nl")
    page = client.get("/studio/handleiding")
    assert page.status_code == 200
    blocks = [html.unescape(b) for b in CODE.findall(page.get_data(as_text=True))]
    assert len(blocks) >= 9
    overlay: dict = {}
    for block in blocks:
        data = yaml.safe_load(textwrap.dedent(block))
        if isinstance(data, list):  # a second question, written under the first one
            data = {"add": {"questions": data}}
        _merge(overlay, data)
    for kind in ("add", "remove", "replace", "new_referrals", "examples"):
        assert kind in overlay
    text = HEADER + yaml.safe_dump(overlay, allow_unicode=True, sort_keys=False)
    checked = check_text(text, "gids.yaml", catalog)
    assert [str(p) for p in checked.problems if p.severity == "error"] == []
    q = checked.questionnaire
    assert q.theme("signalen").weight == 2
    assert q.question("nu_onder_druk").acute_when == "ja"
    assert "recron_vertrouwenspersoon" in q.registry
    assert "toelichting" not in q.compiled.questions
    assert [o.failures for o in run_examples(q)] == [[]]  # the guide's example holds


def test_editor__links_to_the_guide_and_the_base(app, client, monkeypatch):
    monkeypatch.setattr(accounts, "_hasher", FAST_HASHER)
    with app.app_context():
        make_user("branche@recron.nl", "branch_admin", make_org("Recron", kind="branche"))
    login(client, "branche@recron.nl")
    token = csrf_token(client, "/studio/")
    created = client.post(
        "/studio/nieuw",
        data={"csrf_token": token, "base": "voorbeeld@1", "questionnaire_id": "gids_recron"},
    )
    editor = client.get(created.location).get_data(as_text=True)
    assert 'href="/studio/handleiding"' in editor
    assert "gaat uit het tekstvak naar de knoppen" in editor
