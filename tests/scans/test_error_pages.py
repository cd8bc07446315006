"""The 429 and 500 pages say what happened to the answers and how to get back."""

from __future__ import annotations

import re

from conftest import make_app
from test_start_limits import limited_app

from scan.platform.extensions import csrf, db
from scan.platform.models import TrendCount

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def test_429__offers_the_page_they_were_on_and_says_what_is_kept(tmp_path, catalog):
    app = limited_app(tmp_path, catalog, SCAN_START_LIMIT="1 per minute")
    client = app.test_client()
    data = {"csrf_token": CSRF.search(client.get("/scan/voorbeeld").text).group(1)}
    assert client.post("/scan/voorbeeld/start", data=data).status_code == 302
    refused = client.post("/scan/voorbeeld/start", data=data)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert 'href="/scan/voorbeeld">Terug naar de pagina waar u was' in html
    assert "Wat u eerder opsloeg, blijft bewaard" in html


def _failing_app(tmp_path):
    app = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}"})

    def fail_after_commit():
        db.session.add(TrendCount(kind="scans", month="2026-01", questionnaire_id="x", key=""))
        db.session.commit()
        raise RuntimeError("after the commit")

    def fail_before_commit():
        raise RuntimeError("before any commit")

    csrf.exempt(fail_after_commit)
    csrf.exempt(fail_before_commit)
    app.add_url_rule("/test/na-opslaan", view_func=fail_after_commit, methods=["POST"])
    app.add_url_rule("/test/fout", view_func=fail_before_commit, methods=["GET", "POST"])
    with app.app_context():
        db.create_all()
    return app


def test_500__says_whether_the_answers_were_kept(tmp_path):
    client = _failing_app(tmp_path).test_client()
    saved = client.post("/test/na-opslaan")
    assert saved.status_code == 500 and "is wel opgeslagen" in saved.text
    lost = client.post("/test/fout")
    assert lost.status_code == 500
    assert "is niet opgeslagen. Wat u eerder opsloeg, blijft bewaard." in lost.text
    looked = client.get("/test/fout")
    assert looked.status_code == 500 and "Aan uw antwoorden is niets veranderd." in looked.text
    assert "after the commit" not in saved.text + lost.text
