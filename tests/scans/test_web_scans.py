"""The entrepreneur's web flow through the Flask test client: every route and bad input."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from conftest import create_tables, make_app
from loader_samples import QUESTIONNAIRES
from sqlalchemy import func, select

from scan.platform.extensions import db
from scan.platform.models import Scan, ScanFiredRule, ScanThemeScore
from scan.platform.stamps import hash_token
from scan.questionnaire import load_catalog
from scan.scans import forms, store
from scan.scoring import check_answers, score, visible_questions

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
LINK = re.compile(r'id="scan-link"[^>]*value="http://localhost/scan/([A-Za-z0-9_-]{32})/"')
UNKNOWN_TOKEN = "A" * 32
RANGE = "Vul een getal in van 0 tot en met 100000."
ALL = object()  # "seen": a page script that had every question of the page on screen


class ScanActions:
    """Drive the scan pages like a browser without JavaScript would."""

    def __init__(self, client):
        self.client = client
        self.csrf = None
        self.open = None  # the token of the scan this browser has open

    def token_from(self, html: str) -> str:
        self.csrf = CSRF.search(html).group(1)
        return self.csrf

    def start(self, questionnaire_id: str = "voorbeeld") -> str:
        """Start a scan; return its token, read from the link page as a person would."""
        self.token_from(self.client.get(f"/scan/{questionnaire_id}").get_data(as_text=True))
        response = self.client.post(
            f"/scan/{questionnaire_id}/start", data={"csrf_token": self.csrf}
        )
        assert response.status_code == 302, response.status_code
        assert response.location == "/scan/overzicht"  # no token in the address
        html = self.client.get(response.location).get_data(as_text=True)
        self.open = LINK.search(html).group(1)
        return self.open

    def at(self, token: str, suffix: str) -> str:
        """Return the address of a scan page, first opening the scan through its link if needed."""
        if self.open != token:
            response = self.client.get(f"/scan/{token}/")
            assert response.status_code == 303, response.status_code
            self.open = token
        return "/scan/overzicht" if suffix == "/" else "/scan" + suffix

    def post_page(self, token: str, theme: str, data: dict, action: str = "verder", **kw):
        url = self.at(token, f"/thema/{theme}")
        if self.csrf is None:
            self.token_from(self.client.get(self.at(token, "/")).get_data(as_text=True))
        payload = {"csrf_token": self.csrf, "action": action, **data}
        if payload.get("seen") is ALL:
            with self.client.application.app_context():
                q = store.questionnaire_of(store.find_scan(token))
            payload["seen"] = ",".join(x.id for x in q.questions_for(theme))
        return self.client.post(url, data=payload, **kw)

    def submit(self, token: str):
        self.token_from(self.client.get(self.at(token, "/controle")).get_data(as_text=True))
        return self.client.post(self.at(token, "/versturen"), data={"csrf_token": self.csrf})


@pytest.fixture
def app():
    """An app on an in-memory SQLite database: fast, and private to each test."""
    app = make_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        create_tables()
    yield app
    with app.app_context():
        db.session.remove()


@pytest.fixture
def scans(client):
    return ScanActions(client)


@pytest.fixture(autouse=True)
def shared_catalog(app, catalog):
    """Give every test app the session's catalog: loading the YAML files takes a while."""
    app.extensions["scan_catalog"] = catalog


def stored(app, token: str) -> Scan | None:
    with app.app_context():
        scan = db.session.scalars(select(Scan).where(Scan.token_hash == hash_token(token))).first()
        if scan is not None:
            db.session.expunge(scan)
        return scan


def form_data(q, answers: dict, theme_id: str) -> dict:
    """Return what the page form posts for these answers (the builders' own representation)."""
    data: dict = {}
    for question in q.questions_for(theme_id):
        if question.id in answers:
            data.update(forms.BUILDERS[question.type].initial(question, answers[question.id]))
    return data


# --- landing, sector, start ------------------------------------------------------------------


def test_landing__lists_every_listed_sector_with_a_start_button(client, app):
    from scan.platform.catalog import get_catalog

    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    with app.app_context():
        catalog = get_catalog()
        listed, unlisted = (
            catalog.listed.values(),
            [q for q in catalog.latest.values() if not q.listed],
        )
    assert len(listed) >= 5
    for q in listed:
        assert q.title in html
        assert f'action="/scan/{q.id}/start"' in html
    assert "Anoniem" in html and "Snel weg" in html
    assert [q.id for q in unlisted] == ["voorbeeld"]
    assert 'action="/scan/voorbeeld/start"' not in html
    assert client.get("/scan/voorbeeld").status_code == 200


def test_landing__headers_keep_everything_first_party(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert response.headers["Referrer-Policy"] == "no-referrer"
    html = response.get_data(as_text=True)
    # No resource (script, style, image, font) from another site.
    assert not re.search(r'(src|href)="(https?:)?//(?!www\.nu\.nl)', html.split("</head>")[0])
    assert not re.search(r'<(script|img|link)[^>]+(src|href)="(https?:)?//', html)


def test_sector_page__shows_themes_and_start(client):
    response = client.get("/scan/haven")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Weerbaarheidsscan haven" in html and 'action="/scan/haven/start"' in html


@pytest.mark.parametrize(
    "method,path", [("get", "/scan/bestaat_niet"), ("post", "/scan/nee/start")]
)
def test_unknown_sector__dutch_404(client, scans, method, path):
    scans.token_from(client.get("/").get_data(as_text=True))
    response = getattr(client, method)(path, data={"csrf_token": scans.csrf})
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)


def test_start__stores_only_the_token_hash_and_shows_the_link(app, client, scans):
    token = scans.start("voorbeeld")
    assert len(token) == 32  # 192 bits, URL-safe base64
    response = client.get("/scan/overzicht")
    html = response.get_data(as_text=True)
    assert "Bewaar deze link" in html
    assert f"http://localhost/scan/{token}/" in html
    scan = stored(app, token)
    assert scan.token_hash == hash_token(token) and token not in scan.token_hash
    expires = scan.expires_at
    assert expires - scan.created_at == dt.timedelta(days=app.config["SCAN_TTL_DAYS"])
    months = "januari februari maart april mei juni juli augustus september oktober".split()
    months += ["november", "december"]
    assert f"{expires.day} {months[expires.month - 1]} {expires.year}" in html
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_start__the_link_shows_until_the_first_save_then_only_on_request(client, scans):
    token = scans.start()
    assert token in client.get("/scan/overzicht").get_data(as_text=True)  # a reload keeps it
    scans.post_page(token, "fysiek", {"q_verhuur": "nee"})
    html = client.get("/scan/overzicht").get_data(as_text=True)
    assert token not in html and "Laat mijn link zien" in html


def test_save_and_return__later_confirms_what_is_saved_and_gives_the_link_on_request(
    app, client, scans, caplog
):
    token = scans.start()
    response = scans.post_page(token, "fysiek", {"q_verhuur": "nee"}, action="later")
    assert response.status_code == 302 and response.location == "/scan/opgeslagen"
    assert token not in response.location
    html = client.get("/scan/opgeslagen").get_data(as_text=True)
    assert "Uw antwoorden zijn opgeslagen" in html and token not in html
    assert "U heeft 1 van de" in html and 'action="/scan/mijn-link"' in html
    scans.token_from(html)
    with caplog.at_level("DEBUG"):
        shown = client.post(
            "/scan/mijn-link", data={"csrf_token": scans.csrf, "terug": "opgeslagen"}
        )
    page = shown.get_data(as_text=True)
    assert shown.status_code == 200 and shown.headers["Cache-Control"] == "no-store"
    assert f"http://localhost/scan/{token}/" in page and "Kopieer link" in page
    assert "Op een telefoon" in page and 'href="/scan/opgeslagen"' in page
    assert token not in caplog.text
    # Without its CSRF token, or by GET, the link is not shown.
    assert client.post("/scan/mijn-link", data={"terug": "resultaat"}).status_code == 400
    by_get = client.get("/scan/mijn-link")
    assert by_get.status_code == 404 and token not in by_get.get_data(as_text=True)
    # An address from the request never decides where "Terug" goes.
    odd = client.post("/scan/mijn-link", data={"csrf_token": scans.csrf, "terug": "//evil"})
    assert 'href="/scan/overzicht"' in odd.get_data(as_text=True)


def test_session_cookie__http_only_same_site_and_holds_no_token_after_the_first_save(app, scans):
    token = scans.start()
    scans.post_page(token, "fysiek", {"q_verhuur": "nee"})
    cookie = scans.client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"
    assert token not in cookie.value
    with app.test_request_context():
        data = app.session_interface.get_signing_serializer(app).loads(cookie.value)
    assert data["scan"] == hash_token(token) and token not in str(data)


def test_start__without_csrf__400_and_nothing_stored(app, client):
    response = client.post("/scan/voorbeeld/start")
    assert response.status_code == 400
    assert "Er is niets opgeslagen" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Scan.id))) == 0


def test_resume__says_it_is_an_existing_scan(client, scans):
    token = scans.start()
    scans.open = None
    response = client.get(f"/scan/{token}/")
    assert response.status_code == 303 and response.location == "/scan/overzicht"
    html = client.get(response.location).get_data(as_text=True)
    assert "U gaat verder met uw scan" in html
    assert "/scan/thema/fysiek" in html and token not in html


def test_resume__task_list_shows_each_theme_state(client, scans):
    token = scans.start()
    scans.post_page(token, "fysiek", {"q_verhuur": "ja", "seen": ALL}, action="later")
    scans.post_page(token, "sociaal", {"q_vertrouwen_personeel": "4", "q_aantal_medewerkers": "3"})
    html = client.get(scans.at(token, "/")).get_data(as_text=True)
    states = re.findall(r'task-list__status--(\w+)" id="status-(\w+)"', html)
    assert states == [
        ("in_progress", "fysiek"),
        ("completed", "sociaal"),
        ("not_started", "signalen"),
    ]
    assert "1 van 3" in html


def test_resume__goes_on_where_the_last_save_led(client, scans):
    token = scans.start()
    scans.post_page(token, "fysiek", {"q_verhuur": "nee"})  # on to sociaal
    assert "/scan/thema/sociaal" in _continue(client, scans, token)
    scans.post_page(token, "sociaal", {}, action="vorige")  # back to fysiek
    assert "/scan/thema/fysiek" in _continue(client, scans, token)
    scans.post_page(token, "sociaal", {})
    scans.post_page(token, "signalen", {"q_benaderd": "nee"})  # the last page: the check page
    assert _continue(client, scans, token) == "/scan/controle"


def _continue(client, scans, token) -> str:
    html = client.get(scans.at(token, "/")).get_data(as_text=True)
    return re.search(r'class="button button--start" href="([^"]+)"', html).group(1)


def test_resume__goes_on_at_the_last_page_visited(client, scans):
    token = scans.start()
    scans.post_page(token, "sociaal", {"q_vertrouwen_personeel": "4"}, action="later")
    # fysiek has an open required question, but the entrepreneur last worked on sociaal.
    html = client.get(scans.at(token, "/")).get_data(as_text=True)
    button = re.search(r'class="button button--start" href="([^"]+)"', html).group(1)
    assert button == "/scan/thema/sociaal"


# --- unknown, malformed, expired tokens; no scan session ----------------------------------------

SESSION_ROUTES = [
    ("get", "/overzicht"),
    ("get", "/thema/fysiek"),
    ("post", "/thema/fysiek"),
    ("post", "/thema/fysiek/zichtbaar"),
    ("get", "/controle"),
    ("post", "/versturen"),
    ("get", "/resultaat"),
    ("get", "/rapport.pdf"),
    ("get", "/verwijderen"),
    ("post", "/verwijderen"),
    ("get", "/delen"),
]


@pytest.mark.parametrize("kind", ["unknown", "malformed", "expired"])
def test_resume_link__bad_token__dutch_404(app, client, scans, kind):
    token = scans.start()
    if kind == "unknown":
        token = UNKNOWN_TOKEN
    elif kind == "malformed":
        token = "kort"
    else:
        with app.app_context():
            scan = db.session.scalars(select(Scan)).one()
            scan.expires_at = dt.datetime(2000, 1, 1)
            db.session.commit()
    response = client.get(f"/scan/{token}/")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Pagina niet gevonden" in html and "Deze link werkt niet (meer)" in html
    assert response.headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("method,suffix", SESSION_ROUTES)
@pytest.mark.parametrize("kind", ["no session", "expired", "deleted", "left"])
def test_scan_pages__without_a_live_scan_session__neutral_page(
    app, client, scans, method, suffix, kind
):
    token = scans.start()
    if kind == "no session":
        client.delete_cookie("session")
    elif kind == "expired":
        with app.app_context():
            db.session.scalars(select(Scan)).one().expires_at = dt.datetime(2000, 1, 1)
            db.session.commit()
    elif kind == "deleted":
        with app.app_context():
            store.delete_scan(db.session.scalars(select(Scan)).one())
    else:
        client.get("/weg")
    scans.token_from(client.get("/").get_data(as_text=True))
    response = getattr(client, method)(
        f"/scan{suffix}", data={"csrf_token": scans.csrf, "action": "verder"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Open uw scan met uw persoonlijke link" in html
    assert "Voorbeeldscan" not in html and token not in html and "fysiek" not in html
    assert response.headers["Cache-Control"] == "no-store"


def test_quick_exit__ends_the_session_server_side_even_for_a_copied_cookie(app, client, scans):
    token = scans.start()
    copied = client.get_cookie("session").value
    response = client.get("/weg")
    assert response.status_code == 303 and response.location == "https://www.nu.nl/"
    assert client.get_cookie("session") is None
    other = app.test_client()
    other.set_cookie("session", copied)
    assert other.get("/scan/overzicht").status_code == 403
    # The link itself still works: it opens a new session.
    assert client.get(f"/scan/{token}/").status_code == 303
    assert client.get("/scan/overzicht").status_code == 200


@pytest.mark.parametrize("method", ["get", "post"])
def test_quick_exit__from_another_site__only_redirects(client, scans, method):
    scans.start()
    response = getattr(client, method)("/weg", headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 303 and response.location == "https://www.nu.nl/"
    assert client.get("/scan/overzicht").status_code == 200  # another site cannot end it
    client.get("/weg", headers={"Sec-Fetch-Site": "same-origin"})
    assert client.get("/scan/overzicht").status_code == 403


def test_scan_pages__session_cookie_set_once_not_rewritten_each_page(client, scans):
    scans.start()
    client.get("/scan/overzicht")
    for path in ("/scan/overzicht", "/scan/thema/fysiek", "/scan/controle"):
        response = client.get(path)
        assert response.status_code == 200
        # No cookie on a page that changes nothing: no rewritten session, no remember_token.
        assert response.headers.getlist("Set-Cookie") == [], path


def test_quick_exit__post_works_without_a_csrf_token(client, scans):
    scans.start()
    assert client.post("/weg").status_code == 303
    assert client.get("/scan/overzicht").status_code == 403


def test_second_scan__replaces_the_open_one_and_says_so(app, client, scans):
    first = scans.start()
    response = client.post("/scan/voorbeeld/start", data={"csrf_token": scans.csrf})
    html = client.get(response.location).get_data(as_text=True)
    assert "U werkt nu aan de scan die u net begon. Uw andere scan is niet weg" in html
    second = LINK.search(html).group(1)
    html = client.get(f"/scan/{first}/", follow_redirects=True).get_data(as_text=True)
    assert "U werkt nu aan de scan van deze link" in html
    assert "Uw scan is klaar om te beginnen" not in html  # the new scan's link is not shown
    scans.open = first
    scans.post_page(first, "fysiek", {"q_verhuur": "nee"})
    assert stored(app, first).answers == {"verhuur": "nee"}
    assert stored(app, second).answers == {}


def test_theme__unknown_theme__404(client, scans):
    token = scans.start()
    assert client.get(scans.at(token, "/thema/bestaat_niet")).status_code == 404


# --- theme pages ------------------------------------------------------------------------------


def test_theme_page__fieldset_legend_help_and_special_answers(client, scans):
    token = scans.start()
    response = client.get(scans.at(token, "/thema/fysiek"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count("<fieldset") == 3 and html.count("<legend") == 3
    assert "Waarom vragen we dit?" in html
    assert "Stap 1 van 3" in html
    # huur_contant depends on verhuur == 'ja': in the page, but hidden and disabled.
    block = re.search(r'<div[^>]+id="vraag-huur_contant"[^>]*>\s*<fieldset[^>]*>', html).group(0)
    assert "hidden" in block and "disabled" in block
    assert 'value="weet_niet"' in html and "Weet ik niet" in html
    assert "Snel weg" in html and 'href="/weg"' in html


def test_theme_post__stores_answers_and_goes_to_next_page(app, scans):
    token = scans.start()
    response = scans.post_page(token, "fysiek", {"q_verhuur": "nee", "q_maatregelen": ["sloten"]})
    assert response.status_code == 302
    assert response.location.endswith(scans.at(token, "/thema/sociaal"))
    assert stored(app, token).answers == {"verhuur": "nee", "maatregelen": ["sloten"]}


def test_theme_back__keeps_answers_and_shows_them_again(app, client, scans):
    token = scans.start()
    scans.post_page(token, "fysiek", {"q_verhuur": "nee"})
    response = scans.post_page(
        token, "sociaal", {"q_vertrouwen_personeel": "4", "q_aantal_medewerkers": "12"}, "vorige"
    )
    assert response.location.endswith(scans.at(token, "/thema/fysiek"))
    assert stored(app, token).answers["aantal_medewerkers"] == 12.0
    html = client.get(scans.at(token, "/thema/sociaal")).get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*value="4"|<input[^>]*value="4"[^>]*checked', html)
    assert 'value="12"' in html


def test_theme_without_js__opened_questions_are_shown_first(app, client, scans):
    token = scans.start()
    response = scans.post_page(token, "fysiek", {"q_verhuur": "ja"})
    assert "/thema/fysiek?nieuw=huur_contant" in response.location
    html = client.get(response.location).get_data(as_text=True)
    block = re.search(r'<div[^>]+id="vraag-huur_contant"[^>]*>', html).group(0)
    assert "hidden" not in block
    assert "bijgekomen" in html


def test_theme_with_js__goes_on_when_the_opened_question_was_seen(scans):
    token = scans.start()
    seen = "verhuur,huur_contant,maatregelen"
    response = scans.post_page(token, "fysiek", {"q_verhuur": "ja", "seen": seen})
    assert response.location.endswith("/thema/sociaal")


def test_theme_with_js__submitted_before_the_script_showed_it__shown_first(scans):
    token = scans.start()
    seen = "verhuur,maatregelen"  # the visibility answer had not arrived yet
    response = scans.post_page(token, "fysiek", {"q_verhuur": "ja", "seen": seen})
    assert "/thema/fysiek?nieuw=huur_contant" in response.location


def test_theme__changed_condition_drops_the_hidden_answer(app, scans):
    token = scans.start()
    scans.post_page(token, "fysiek", {"q_verhuur": "ja", "q_huur_contant": "contant"})
    assert stored(app, token).answers["huur_contant"] == "contant"
    # Without JS the follow-up is still on the page when the answer changes to 'nee'.
    response = scans.post_page(token, "fysiek", {"q_verhuur": "nee", "q_huur_contant": "contant"})
    assert response.status_code == 302
    assert stored(app, token).answers == {"verhuur": "nee"}


def test_visibility__tells_which_questions_the_answers_show(client, scans):
    token = scans.start()
    scans.token_from(client.get(scans.at(token, "/thema/fysiek")).get_data(as_text=True))
    url = scans.at(token, "/thema/fysiek/zichtbaar")
    shown = client.post(url, data={"csrf_token": scans.csrf, "q_verhuur": "ja"}).get_json()
    hidden = client.post(url, data={"csrf_token": scans.csrf, "q_verhuur": "nee"}).get_json()
    assert shown["visible"] == ["verhuur", "huur_contant", "maatregelen"]
    assert hidden["visible"] == ["verhuur", "maatregelen"]
    assert client.post(url, data={"q_verhuur": "ja"}).status_code == 400  # no CSRF token


@pytest.mark.parametrize(
    "data,problem",
    [
        ({"q_verhuur": "misschien"}, "unknown option"),
        ({"q_verhuur": "nee", "q_huur_contant": "contant"}, "answer to a hidden question"),
        ({"q_verhuur": "nee", "q_benaderd": "ja"}, "question of another page"),
        ({"q_verhuur": "nee", "q_bestaat_niet": "ja"}, "unknown field"),
        ({"q_verhuur": ["ja", "nee"]}, "radio sent twice"),
        ({"q_verhuur": "nee", "q_maatregelen": ["sloten", "kluis"]}, "unknown check box"),
        ({"q_verhuur": "nee", "q_maatregelen": ["sloten", "sloten"]}, "check box twice"),
        ({"q_verhuur": "nvt"}, "special answer not offered"),
    ],
)
def test_theme__tampered_post__400_and_nothing_stored(app, scans, data, problem):
    token = scans.start()
    response = scans.post_page(token, "fysiek", data)
    assert response.status_code == 400, problem
    assert "Er is niets opgeslagen" in response.get_data(as_text=True)
    assert stored(app, token).answers == {}


def test_theme__missing_csrf__400_and_nothing_stored(app, client, scans):
    token = scans.start()
    response = client.post(scans.at(token, "/thema/fysiek"), data={"q_verhuur": "ja"})
    assert response.status_code == 400
    assert "verlopen of niet geldig" in response.get_data(as_text=True)
    assert stored(app, token).answers == {}


def test_theme__oversized_body__413_and_nothing_stored(app, scans):
    token = scans.start()
    response = scans.post_page(token, "signalen", {"q_opmerking": "x" * 70_000})
    assert response.status_code == 413
    assert "Te veel gegevens" in response.get_data(as_text=True)
    assert stored(app, token).answers == {}


def test_theme__too_many_form_parts__413(app, scans):
    token = scans.start()
    parts = {f"x{i}": "1" for i in range(600)}
    response = scans.post_page(token, "fysiek", parts, content_type="multipart/form-data")
    assert response.status_code == 413
    assert stored(app, token).answers == {}


@pytest.mark.parametrize(
    "theme,data,field,message",
    [
        ("sociaal", {"q_aantal_medewerkers": "veel"}, "aantal_medewerkers", RANGE),
        ("sociaal", {"q_aantal_medewerkers": "-3"}, "aantal_medewerkers", RANGE),
        (
            "sociaal",
            {"q_aantal_medewerkers": "4", "q_aantal_medewerkers__special": "weet_niet"},
            "aantal_medewerkers",
            "Vul een antwoord in, of kies ‘Weet ik niet’. Niet allebei.",
        ),
        (
            "fysiek",
            {"q_verhuur": "nee", "q_maatregelen": ["sloten", "weet_niet"]},
            "maatregelen",
            "Kies een of meer antwoorden, of kies ‘Weet ik niet’. Niet allebei.",
        ),
        (
            "fysiek",
            {"q_verhuur": "nee", "q_maatregelen": ["sloten", "geen"]},
            "maatregelen",
            "U koos ook ‘Geen van deze’. Kies wat er bij u is, of kies ‘Geen van deze’.",
        ),
    ],
)
def test_theme__refused_answer__field_says_why_summary_names_the_question_then_the_same(
    app, scans, catalog, theme, data, field, message
):
    token = scans.start()
    response = scans.post_page(token, theme, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    question = catalog.get("voorbeeld").question(field)
    assert summary_links(html) == [
        (f"#{forms.first_field_id(question)}", question.text + " " + message)
    ]
    assert field_message(html, field) == message  # the legend above it names the question
    assert stored(app, token).answers == {}


def test_theme__required_question_left_open__its_own_message_at_the_field_and_in_the_summary(
    app, scans
):
    token = scans.start()
    response = scans.post_page(token, "fysiek", {"q_maatregelen": "sloten"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert html.split("<title>")[1].startswith("Fout: ")
    own = "Kies of u ruimte verhuurt aan anderen."
    assert summary_links(html) == [("#q_verhuur-0", own)]  # the same text, not the question
    assert field_message(html, "verhuur") == own
    assert 'aria-describedby="fout-verhuur"' in html
    assert stored(app, token).answers == {}


def summary_links(html: str) -> list[tuple[str, str]]:
    """Return the error summary's links: (href, text), text unescaped and without tags."""
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    return [
        (unescape(href), unescape(re.sub(r"<[^>]+>", "", text)).strip())
        for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', summary, re.S)
    ]


def field_message(html: str, question_id: str) -> str:
    """Return the error message at a question's field, without its hidden 'Fout: '."""
    block = html.split(f'id="vraag-{question_id}"')[1].split("</fieldset>")[0]
    found = re.search(r'<p class="error-message" id="fout-[^"]+">(.*?)</p>', block, re.S)
    text = re.sub(r'<span class="visually-hidden">Fout: </span>', "", found.group(1))
    return unescape(text).strip()


def test_theme__dutch_numbers_are_understood(app, scans):
    token = scans.start()
    scans.post_page(token, "sociaal", {"q_aantal_medewerkers": "1.250"})
    assert stored(app, token).answers["aantal_medewerkers"] == 1250.0
    scans.post_page(token, "sociaal", {"q_aantal_medewerkers": "2,0"})
    assert stored(app, token).answers["aantal_medewerkers"] == 2.0


def test_theme__a_count_of_people_refuses_12_5_in_dutch(app, scans):
    """Regression: "12,5" was stored as a number of employees."""
    token = scans.start()
    scans.post_page(token, "sociaal", {"q_aantal_medewerkers": "3"})
    response = scans.post_page(token, "sociaal", {"q_aantal_medewerkers": "12,5"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_message(html, "aantal_medewerkers") == (
        "Vul een heel getal in, zonder komma: u telt medewerkers."
    )
    assert 'inputmode="numeric"' in html
    assert stored(app, token).answers["aantal_medewerkers"] == 3.0


# --- review, submit, result -------------------------------------------------------------------


def fill_voorbeeld(scans, token):
    scans.post_page(token, "fysiek", {"q_verhuur": "ja", "q_huur_contant": "contant", "seen": ALL})
    scans.post_page(token, "sociaal", {"q_vertrouwen_personeel": "2"})
    scans.post_page(token, "signalen", {"q_benaderd": "ja", "q_druk_nu": "ja", "seen": ALL})


def test_review__lists_answers_with_labels_and_change_links(client, scans):
    token = scans.start()
    fill_voorbeeld(scans, token)
    html = client.get(scans.at(token, "/controle")).get_data(as_text=True)
    assert "Controleer uw antwoorden" in html
    assert "Contant" in html and "Niet beantwoord" in html
    # A scale answer with what its ends mean, never a bare "2" (regression).
    assert "2 (1 = Helemaal niet, 5 = Heel goed)" in html
    for theme in ("fysiek", "sociaal", "signalen"):
        assert scans.at(token, f"/thema/{theme}") in html


def test_review__change_one_answer_opens_that_question_and_returns_to_the_check_page(
    app, client, scans
):
    token = scans.start()
    fill_voorbeeld(scans, token)
    html = client.get(scans.at(token, "/controle")).get_data(as_text=True)
    links = re.findall(r'href="([^"]+)">Wijzig<span class="visually-hidden"> uw antwoord op', html)
    assert "/scan/thema/sociaal?terug=controle#vraag-vertrouwen_personeel" in links
    assert len(links) == html.count('class="summary-list__row"')
    page = client.get("/scan/thema/sociaal?terug=controle").get_data(as_text=True)
    assert 'action="/scan/thema/sociaal?terug=controle"' in page
    assert "Opslaan en terug naar het overzicht" in page
    response = client.post(
        "/scan/thema/sociaal?terug=controle",
        data={"csrf_token": scans.csrf, "action": "verder", "q_vertrouwen_personeel": "5"},
    )
    assert response.status_code == 302
    assert response.location == "/scan/controle#thema-sociaal"
    assert stored(app, token).answers["vertrouwen_personeel"] == 5.0


def test_review__change_that_opens_a_question_shows_it_then_returns(client, scans):
    token = scans.start()
    scans.post_page(token, "fysiek", {"q_verhuur": "nee"})
    response = client.post(
        "/scan/thema/fysiek?terug=controle",
        data={"csrf_token": scans.csrf, "action": "verder", "q_verhuur": "ja"},
    )
    assert (
        response.location
        == "/scan/thema/fysiek?nieuw=huur_contant&terug=controle#vraag-huur_contant"
    )
    response = client.post(
        "/scan/thema/fysiek?terug=controle",
        data={
            "csrf_token": scans.csrf,
            "action": "verder",
            "q_verhuur": "ja",
            "seen": "verhuur,huur_contant,maatregelen",
        },
    )
    assert response.location == "/scan/controle#thema-fysiek"


def test_submit__missing_required__422_and_not_submitted(app, client, scans):
    token = scans.start()
    response = scans.submit(token)
    assert response.status_code == 422
    assert "Er is een probleem" in response.get_data(as_text=True)
    assert stored(app, token).submitted_at is None


def test_submit__missing_required__the_summary_gives_each_questions_own_message(app, client, scans):
    token = scans.start()
    scans.post_page(token, "sociaal", {"q_vertrouwen_personeel": "2"})
    response = scans.submit(token)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert html.split("<title>")[1].startswith("Fout: ")
    assert 'class="error-summary" role="alert" tabindex="-1" data-focus' in html
    assert summary_links(html) == [
        (
            "/scan/thema/fysiek?terug=controle#vraag-verhuur",
            "Kies of u ruimte verhuurt aan anderen.",
        ),
        (
            "/scan/thema/signalen?terug=controle#vraag-benaderd",
            "Kies of iemand u of een medewerker de afgelopen 12 maanden heeft benaderd, "
            "of kies ‘Weet ik niet’.",
        ),
    ]
    assert stored(app, token).submitted_at is None


def without_error_messages(folder, overlay: str | None = None):
    """Return a catalog of voorbeeld without its error messages (and an overlay on it)."""
    folder.mkdir()
    (folder / "referrals.yaml").write_text((QUESTIONNAIRES / "referrals.yaml").read_text())
    text = (QUESTIONNAIRES / "voorbeeld.yaml").read_text()
    stripped = "\n".join(x for x in text.split("\n") if not x.startswith("    error_message:"))
    assert stripped != text
    (folder / "voorbeeld.yaml").write_text(stripped)
    if overlay:
        (folder / "eigen.yaml").write_text(overlay)
    return load_catalog(folder)


def test_theme__questionnaire_without_error_messages__generic_words_summary_names_question(
    app, client, scans, tmp_path
):
    app.extensions["scan_catalog"] = without_error_messages(tmp_path / "plain")
    token = scans.start()
    html = scans.post_page(token, "fysiek", {}).get_data(as_text=True)
    q = app.extensions["scan_catalog"].get("voorbeeld")
    generic = "Kies ‘Ja’ of ‘Nee’."
    assert field_message(html, "verhuur") == generic
    assert summary_links(html) == [("#q_verhuur-0", f"{q.question('verhuur').text} {generic}")]
    html = scans.submit(token).get_data(as_text=True)
    benaderd = q.question("benaderd")
    assert summary_links(html)[1] == (
        "/scan/thema/signalen?terug=controle#vraag-benaderd",
        f"{benaderd.text} Kies ‘Ja’ of ‘Nee’, of kies ‘Weet ik niet’.",
    )


OWN_OVERLAY = """\
id: voorbeeld_eigen
version: 1
extends: {id: voorbeeld, version: 1}
title: Voorbeeld op maat
add:
  questions:
    - after: verhuur
      id: eigen_sleutel
      theme: fysiek
      text: Heeft u een sleutel van elke ruimte die u verhuurt?
      help: Met een sleutel kunt u in een noodgeval naar binnen.
      type: yes_no
      required: true
      error_message: Kies of u van elke verhuurde ruimte een sleutel heeft.
replace:
  questions:
    - id: verhuur
      theme: fysiek
      text: Verhuurt u ruimte, zoals een loods of een deel van uw pand, aan anderen?
      help: Criminelen zoeken lege ruimtes voor drugs of opslag.
      type: yes_no
      required: true
      error_message: Kies of u een loods of een deel van uw pand verhuurt.
"""


def test_theme__overlay_sets_and_replaces_error_messages__shown_at_field_and_in_summary(
    app, client, scans, tmp_path
):
    catalog = without_error_messages(tmp_path / "eigen", OWN_OVERLAY)
    assert not [p for p in catalog.problems if p.severity == "error"], catalog.problems
    app.extensions["scan_catalog"] = catalog
    token = scans.start("voorbeeld_eigen")
    html = scans.post_page(token, "fysiek", {}).get_data(as_text=True)
    replaced = "Kies of u een loods of een deel van uw pand verhuurt."
    added = "Kies of u van elke verhuurde ruimte een sleutel heeft."
    assert summary_links(html) == [("#q_verhuur-0", replaced), ("#q_eigen_sleutel-0", added)]
    assert (field_message(html, "verhuur"), field_message(html, "eigen_sleutel")) == (
        replaced,
        added,
    )


def test_submit__stores_summary_theme_scores_and_fired_rules(app, client, scans, catalog):
    token = scans.start()
    fill_voorbeeld(scans, token)
    assert client.get(scans.at(token, "/resultaat")).location.endswith("/controle")
    response = scans.submit(token)
    assert response.location.endswith(scans.at(token, "/resultaat"))
    q = catalog.get("voorbeeld")
    expected = score(
        q,
        {
            "verhuur": "ja",
            "huur_contant": "contant",
            "vertrouwen_personeel": 2.0,
            "benaderd": "ja",
            "druk_nu": "ja",
        },
    )
    with app.app_context():
        scan = db.session.scalars(select(Scan)).one()
        assert scan.submitted_at is not None
        assert scan.overall == expected.overall
        assert scan.risk_level == expected.risk.id and scan.red_flag == expected.red_flag
        rows = {r.theme_id: r.score for r in db.session.scalars(select(ScanThemeScore))}
        assert rows == {t.id: t.score for t in expected.themes}
        fired = {r.rule_id: r.priority for r in db.session.scalars(select(ScanFiredRule))}
        assert fired == {a.id: a.priority for a in expected.advice}
    # A submitted scan is final: the pages lead to the result.
    assert client.get(scans.at(token, "/thema/fysiek")).location.endswith("/resultaat")
    assert client.get(scans.at(token, "/controle")).location.endswith("/resultaat")


def test_result__level_chart_advice_referrals_counts(client, scans, catalog):
    token = scans.start()
    fill_voorbeeld(scans, token)
    scans.submit(token)
    response = client.get(scans.at(token, "/resultaat"))
    html = response.get_data(as_text=True)
    q = catalog.get("voorbeeld")
    result = score(
        q,
        {
            "verhuur": "ja",
            "huur_contant": "contant",
            "vertrouwen_personeel": 2.0,
            "benaderd": "ja",
            "druk_nu": "ja",
        },
    )
    assert response.status_code == 200
    assert f'Uitkomst: <strong class="outcome__label">{result.outcome.label}</strong>' in html
    assert result.red_flag and "Doe dit vandaag" in html
    # A red flag shows its own outcome, never the lowest level's label, and the honest level.
    assert "Direct hulp nodig" in html and "<strong>Kwetsbaar</strong>" not in html
    assert f"‘{result.score_level.label.lower()}’" in html
    alert = html.split('class="alert red-flag"')[1].split("</section>")[0]
    assert "0800-7000" in alert and "112" in alert
    assert "Vertrouwenslijn" in alert and "0800-2800200" in alert
    assert html.count('class="chart__row"') == len(result.themes)
    assert "<svg" in html and "<script" not in html.split("</footer>")[0]
    positions = [html.index(a.title) for a in result.advice]
    assert positions == sorted(positions) and len(positions) >= 2
    assert "Waarom krijgt u deze tip?" in html
    main = html.split('class="referral referral--main"')[1].split("</div>")[0]
    assert "Meld Misdaad Anoniem" in main and "0800-7000" in main
    helpers = html.split("Wie kan u helpen?")[1]
    assert helpers.index("Meld Misdaad Anoniem") < helpers.index(result.referrals[1].name)
    assert "0800-7000" in helpers
    assert f"{result.skipped} vragen sloeg u over" in html


def test_result__leads_with_what_to_do_first_then_pdf_and_adviser(client, scans, catalog):
    token = scans.start()
    fill_voorbeeld(scans, token)
    scans.submit(token)
    html = client.get(scans.at(token, "/resultaat")).get_data(as_text=True)
    result = score(
        catalog.get("voorbeeld"),
        {
            "verhuur": "ja",
            "huur_contant": "contant",
            "vertrouwen_personeel": 2.0,
            "benaderd": "ja",
            "druk_nu": "ja",
        },
    )
    first = html.split('id="doe-dit-eerst"')[1].split("</section>")[0]
    titles = [a.title for a in result.advice[:3]]
    assert [t for t in titles if t in first] == titles
    assert first.index(titles[0]) < first.index(titles[-1])
    order = [
        html.index("Doe dit eerst"),
        html.index('href="/scan/rapport.pdf"'),
        html.index("Hulp van een adviseur"),
        html.index("Score per onderwerp"),
    ]
    assert order == sorted(order)


def test_report_pdf__only_after_submit(client, scans):
    token = scans.start()
    fill_voorbeeld(scans, token)
    assert client.get(scans.at(token, "/rapport.pdf")).status_code == 404
    scans.submit(token)
    assert "rapport.pdf" in client.get(scans.at(token, "/resultaat")).get_data(as_text=True)
    response = client.get(scans.at(token, "/rapport.pdf"))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    assert response.headers["Cache-Control"] == "no-store"


def test_report_pdf__dated_on_submission_with_a_reference_that_is_not_the_link(app, client, scans):
    import io

    from pypdf import PdfReader

    token = scans.start()
    fill_voorbeeld(scans, token)
    scans.submit(token)
    with app.app_context():
        scan = store.find_scan(token)
        scan.submitted_at = scan.submitted_at.replace(year=2025, month=3, day=14)
        db.session.commit()
    text = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(client.get(scans.at(token, "/rapport.pdf")).data)).pages
    )
    assert "14 maart 2025" in text
    assert hash_token(token)[:8].upper() in text
    assert token not in text and token[:8] not in text


def test_resume__after_submit_leads_to_the_result(client, scans):
    token = scans.start()
    fill_voorbeeld(scans, token)
    scans.submit(token)
    html = client.get(scans.at(token, "/")).get_data(as_text=True)
    assert "Bekijk uw resultaat" in html and scans.at(token, "/resultaat") in html


# --- deleting -----------------------------------------------------------------------------------


def test_delete__asks_first_then_really_deletes(app, client, scans):
    token = scans.start()
    fill_voorbeeld(scans, token)
    scans.submit(token)
    page = client.get(scans.at(token, "/verwijderen"))
    assert "Wilt u deze scan verwijderen?" in page.get_data(as_text=True)
    assert client.post(scans.at(token, "/verwijderen")).status_code == 400  # no CSRF token
    assert stored(app, token) is not None
    scans.token_from(page.get_data(as_text=True))
    response = client.post(scans.at(token, "/verwijderen"), data={"csrf_token": scans.csrf})
    assert response.location.endswith("/verwijderd")
    assert "Uw scan is verwijderd" in client.get("/verwijderd").get_data(as_text=True)
    with app.app_context():
        for model in (Scan, ScanThemeScore, ScanFiredRule):
            assert db.session.scalar(select(func.count()).select_from(model)) == 0
    assert client.get(scans.at(token, "/resultaat")).status_code == 403
    assert client.get(f"/scan/{token}/").status_code == 404


# --- every example answer set through the web ---------------------------------------------------


def examples():
    catalog = load_catalog(QUESTIONNAIRES)
    return [
        pytest.param(q.id, i, id=f"{q.id}-{example.name}")
        for q in catalog.latest.values()
        for i, example in enumerate(q.examples)
    ]


@pytest.mark.parametrize("questionnaire_id,index", examples())
def test_examples__through_the_web__same_result_as_scoring(
    app, scans, catalog, questionnaire_id, index
):
    q = catalog.get(questionnaire_id)
    answers = q.examples[index].answers
    expected = score(q, answers)
    token = scans.start(questionnaire_id)
    for theme in q.themes:
        # "later" stores the page without insisting on required questions, like a pause.
        data = {**form_data(q, answers, theme.id), "seen": ALL}
        response = scans.post_page(token, theme.id, data, action="later")
        assert response.status_code == 302, (theme.id, response.get_data(as_text=True)[:2000])
    assert stored(app, token).answers == check_answers(q, answers)
    visible = visible_questions(q, answers)
    missing = [x for x in q.questions if x.required and x.id in visible and x.id not in answers]
    response = scans.submit(token)
    if missing:  # the web insists on required questions; the scoring function does not
        assert response.status_code == 422
        assert all(x.text in response.get_data(as_text=True) for x in missing)
        return
    assert response.status_code == 302
    scan = stored(app, token)
    assert scan.overall == expected.overall
    assert scan.red_flag == expected.red_flag
    assert scan.risk_level == (expected.risk.id if expected.risk else None)


# --- pinning, errors, housekeeping ----------------------------------------------------------------


def test_pinned_version__a_later_yaml_change_does_not_touch_a_started_scan(
    app, client, scans, tmp_path
):
    token = scans.start("voorbeeld")
    scans.post_page(token, "fysiek", {"q_verhuur": "nee"})
    changed = tmp_path / "changed"
    changed.mkdir()
    for name in ("voorbeeld.yaml", "referrals.yaml"):
        (changed / name).write_text((QUESTIONNAIRES / name).read_text())
    text = (changed / "voorbeeld.yaml").read_text()
    text = text.replace("title: Gebouw en terrein", "title: Terrein (nieuw)")
    (changed / "voorbeeld.yaml").write_text(text.replace("version: 1", "version: 2", 1))
    app.extensions["scan_catalog"] = load_catalog(changed)

    assert "Gebouw en terrein" in client.get(scans.at(token, "/thema/fysiek")).get_data(
        as_text=True
    )
    new_token = scans.start("voorbeeld")
    assert "Terrein (nieuw)" in client.get(scans.at(new_token, "/thema/fysiek")).get_data(
        as_text=True
    )
    with app.app_context():
        old, new = (store.find_scan(t) for t in (token, new_token))
        assert old.questionnaire_version.version == 1 and new.questionnaire_version.version == 2


def test_server_error__friendly_page_without_traceback(client, scans, monkeypatch):
    token = scans.start()

    def broken(*args, **kwargs):
        raise RuntimeError("boom: secret detail")

    monkeypatch.setattr(store, "questionnaire_of", broken)
    response = client.get(scans.at(token, "/thema/fysiek"))
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Er ging iets mis bij ons" in html
    assert "Traceback" not in html and "secret detail" not in html


def test_expire_command__deletes_expired_scans_only(app, runner, scans):
    keep = scans.start()
    gone = scans.start()
    with app.app_context():
        scan = store.find_scan(gone)
        scan.expires_at = dt.datetime(2000, 1, 1)
        db.session.commit()
    result = runner.invoke(args=["scans", "expire"])
    assert result.exit_code == 0 and "1 expired scan(s) deleted" in result.output
    assert stored(app, keep) is not None and stored(app, gone) is None


def test_privacy_page_and_healthz(client):
    assert "IP-adres" in client.get("/privacy").get_data(as_text=True)
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json()["status"] == "ok"


# --- trust: footer, safe use, privacy, accessibility ---------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/scan/voorbeeld",
        "/privacy",
        "/veilig-gebruiken",
        "/toegankelijkheid",
        "/bestaat-niet",
        "/scan/overzicht",
    ],
)
def test_every_page__quick_exit_and_trust_footer(client, path):
    """Every page an entrepreneur may open; staff pages have no quick exit (test_caseload)."""
    html = client.get(path).get_data(as_text=True)
    assert 'class="quick-exit" href="/weg"' in html
    footer = html.split('<footer class="site-footer">')[1]
    for href in ("/veilig-gebruiken", "/privacy", "/toegankelijkheid"):
        assert f'href="{href}"' in footer
    assert "De beheerder heeft nog niet ingevuld wie de website aanbiedt" in footer


def test_footer__names_the_configured_operator_and_contact():
    app = make_app(
        {
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "OPERATOR_NAME": "PVO Brabant-Zeeland",
            "OPERATOR_CONTACT": "info@pvo-bz.nl",
        }
    )
    html = app.test_client().get("/privacy").get_data(as_text=True)
    footer = html.split('<footer class="site-footer">')[1]
    assert "Deze website wordt aangeboden door PVO Brabant-Zeeland." in footer
    assert 'href="mailto:info@pvo-bz.nl"' in footer
    assert "Die organisatie is verantwoordelijk" in html


@pytest.mark.parametrize(
    ("contact", "href"),
    [
        ("https://www.pvo-bz.nl/contact", 'href="https://www.pvo-bz.nl/contact"'),
        ("javascript:alert(1)", None),
        ("JavaScript://x.nl/%0aalert(1)", None),
        ("http://www.pvo-bz.nl", None),
        ("info@pvo-bz.nl?body=x", None),
    ],
)
def test_footer__operator_contact_only_as_a_safe_link(contact, href):
    app = make_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "OPERATOR_CONTACT": contact})
    footer = app.test_client().get("/privacy").get_data(as_text=True).split("<footer")[1]
    hrefs = [h for h in re.findall(r'href="([^"]*)"', footer) if not h.startswith(("/", "tel:"))]
    assert hrefs == ([href.split('"')[1]] if href else [])


def test_safe_use_page__linked_from_landing_and_link_page(client, scans):
    landing = client.get("/").get_data(as_text=True).split("<footer")[0]
    assert 'href="/veilig-gebruiken"' in landing
    scans.start()
    link_page = client.get("/scan/overzicht").get_data(as_text=True).split("<footer")[0]
    assert 'href="/veilig-gebruiken"' in link_page
    html = client.get("/veilig-gebruiken").get_data(as_text=True)
    for words in ("Snel weg", "3 keer", "geschiedenis", "privévenster", "deelt"):
        assert words in html


def test_privacy_page__covers_sharing_contact_retention_and_deletion(app, client):
    html = client.get("/privacy").get_data(as_text=True)
    days = app.config["SCAN_TTL_DAYS"]
    assert f"Na {days} dagen werkt uw link niet meer en verwijderen we de scan" in html
    for words in ("contactgegevens", "Stopt u met delen", "Zelf verwijderen", "logboek", "cookie"):
        assert words in html


def test_accessibility_statement__the_usual_dutch_parts(client):
    html = client.get("/toegankelijkheid").get_data(as_text=True)
    for words in ("Toegankelijkheidsverklaring", "WCAG", "2.1", "AA", "Wat nog niet goed werkt"):
        assert words in html
