"""Coming back: repeat scans, progress, the action plan, retention of shared scans, the chain."""

from __future__ import annotations

import datetime as dt
import io
import re
import secrets
import textwrap
import threading
from types import SimpleNamespace

import pytest
import sqlalchemy
from conftest import QUESTIONNAIRES, create_tables, make_app, postgres_url
from flask import render_template
from portal_factories import FAST_HASHER, csrf_token, login, make_org, make_user
from pypdf import PdfReader
from sqlalchemy import func, select

from scan.platform import languages
from scan.platform.extensions import db
from scan.platform.models import PlanStep, Scan, ScanFollowUp, Share, TrendCount, utcnow
from scan.platform.stamps import hash_token
from scan.portal import accounts
from scan.presentation import dutch_date
from scan.questionnaire import load_catalog
from scan.report.progress import Progress, ThemeChange
from scan.scans import chain, forms, repeats, retention, store
from scan.scans import trend_counters as trends

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

HEAD = """
id: herhaal
version: {version}
title: Herhaalscan
sector: Test
introduction: Test.
duration_minutes: 2
themes:
  - {{id: fysiek, title: Fysiek, description: D.}}
  - {{id: signalen, title: Signalen, description: D.}}
risk_levels:
  - {{id: kwetsbaar, label: Kwetsbaar, min: 0, max: 50, explanation: E.}}
  - {{id: weerbaar, label: Weerbaar, min: 50, max: 100, explanation: E.}}
referrals: [pvo_regionaal]
"""

V1 = (
    HEAD.format(version=1)
    + """
questions:
  - {id: hek, theme: fysiek, text: Heeft u een hek?, help: H., type: yes_no, good_answer: ja}
  - {id: camera, theme: fysiek, text: Heeft u camera's?, help: H., type: yes_no, good_answer: ja}
  - {id: oud, theme: signalen, text: Oude vraag over kluizen?, help: H., type: yes_no,
     good_answer: nee}
  - {id: benaderd, theme: signalen, text: Bent u benaderd?, help: H., type: yes_no,
     good_answer: nee, acute_when: ja}
rules:
  - id: hek_maken
    when: hek == 'nee'
    theme: fysiek
    priority: medium
    advice: {title: Zet een hek om uw terrein, explanation: E., steps: [Bel een hekkenbouwer.]}
  - id: camera_plaatsen
    when: camera == 'nee'
    theme: fysiek
    priority: low
    advice: {title: Hang camera's op, explanation: E., steps: [Vraag een offerte.]}
"""
)

V2 = (
    HEAD.format(version=2)
    + """
questions:
  - {id: hek, theme: fysiek, text: Heeft u een hek?, help: H., type: yes_no, good_answer: ja}
  - {id: camera, theme: fysiek, text: Heeft u camera's bij elke ingang?, help: H., type: yes_no,
     good_answer: ja}
  - {id: benaderd, theme: signalen, text: Bent u benaderd?, help: H., type: yes_no,
     good_answer: nee, acute_when: ja}
  - {id: buren, theme: signalen, text: Kent u uw buren?, help: H., type: yes_no, good_answer: ja}
rules:
  - id: hek_maken
    when: hek == 'nee'
    theme: fysiek
    priority: medium
    advice: {title: Zet een hek om uw terrein, explanation: E., steps: [Bel een hekkenbouwer.]}
  - id: camera_plaatsen
    when: camera == 'nee'
    theme: fysiek
    priority: low
    advice: {title: Hang camera's op, explanation: E., steps: [Vraag een offerte.]}
  - id: buren_kennen
    when: buren == 'nee'
    theme: signalen
    priority: low
    advice: {title: Maak kennis met uw buren, explanation: E., steps: [Stel u voor bij de buren.]}
"""
)


def catalog_with(tmp_path, *texts):
    folder = tmp_path / f"q{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    (folder / "referrals.yaml").write_text((QUESTIONNAIRES / "referrals.yaml").read_text())
    for index, text in enumerate(texts):
        (folder / f"herhaal{index}.yaml").write_text(textwrap.dedent(text))
    catalog = load_catalog(folder)
    assert not [p for p in catalog.problems if p.severity == "error"], catalog.problems
    return catalog


@pytest.fixture
def app(tmp_path):
    app = make_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    app.extensions["scan_catalog"] = catalog_with(tmp_path, V1)
    with app.app_context():
        create_tables()
    yield app
    with app.app_context():
        db.session.remove()


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch):
    monkeypatch.setattr(accounts, "_hasher", FAST_HASHER)


def to_v2(app, tmp_path):
    """Publish version 2 of the questionnaire (as a new YAML file next to version 1)."""
    app.extensions["scan_catalog"] = catalog_with(tmp_path, V1, V2)


LINK = re.compile(r'id="scan-link"[^>]*value="http://localhost/scan/([A-Za-z0-9_-]{32})/"')


def at(client, token: str, suffix: str) -> str:
    """Open the scan through its link in this browser; return the token-free page address."""
    response = client.get(f"/scan/{token}/")
    assert response.status_code == 303, response.status_code
    return "/scan/overzicht" if suffix == "/" else "/scan" + suffix


def link_on(client, response) -> str:
    """Return the token shown on the link page a start or repeat redirected to."""
    assert response.location == "/scan/overzicht"  # no token in the address
    return LINK.search(client.get(response.location).get_data(as_text=True)).group(1)


class Entrepreneur:
    """Drive the scan pages like a browser without JavaScript."""

    def __init__(self, client):
        self.client = client

    def csrf(self, url: str) -> str:
        return CSRF.search(self.client.get(url).get_data(as_text=True)).group(1)

    def start(self) -> str:
        response = self.client.post(
            "/scan/herhaal/start", data={"csrf_token": self.csrf("/scan/herhaal")}
        )
        return link_on(self.client, response)

    def answer(self, token: str, theme: str, **answers):
        data = {
            "csrf_token": self.csrf(at(self.client, token, f"/thema/{theme}")),
            "action": "verder",
        }
        data.update({forms.field_name(k): v for k, v in answers.items()})
        response = self.client.post(at(self.client, token, f"/thema/{theme}"), data=data)
        assert response.status_code == 302, response.get_data(as_text=True)

    def submit(self, token: str):
        response = self.client.post(
            at(self.client, token, "/versturen"),
            data={"csrf_token": self.csrf(at(self.client, token, "/controle"))},
        )
        assert response.status_code == 302
        assert response.location.endswith("/resultaat")

    def repeat(self, token: str) -> str:
        response = self.client.post(
            at(self.client, token, "/opnieuw"),
            data={"csrf_token": self.csrf(at(self.client, token, "/resultaat"))},
        )
        assert response.status_code == 303, response.get_data(as_text=True)
        return link_on(self.client, response)

    def plan(self, token: str, advice_id: str, json: bool = False, **fields):
        data = {"csrf_token": self.csrf(at(self.client, token, "/resultaat")), **fields}
        headers = {"Accept": "application/json"} if json else {}
        return self.client.post(
            at(self.client, token, f"/actieplan/{advice_id}"), data=data, headers=headers
        )


@pytest.fixture
def person(client):
    return Entrepreneur(client)


def first_scan(person, hek="nee", camera="nee", oud="nee", benaderd="nee") -> str:
    token = person.start()
    person.answer(token, "fysiek", hek=hek, camera=camera)
    person.answer(token, "signalen", oud=oud, benaderd=benaderd)
    person.submit(token)
    return token


def row(app, token: str) -> Scan:
    with app.app_context():
        scan = db.session.scalars(select(Scan).where(Scan.token_hash == hash_token(token))).one()
        db.session.expunge(scan)
        return scan


# --- repeat and prefill ----------------------------------------------------------------------


def test_repeat__new_link_latest_version_prefilled_and_marked(app, client, person, tmp_path):
    first = first_scan(person, hek="nee", camera="ja", oud="ja")
    to_v2(app, tmp_path)
    second = person.repeat(first)

    assert second != first
    new = row(app, second)
    assert new.questionnaire_id == "herhaal" and new.submitted_at is None
    with app.app_context():
        assert store.questionnaire_of(store.find_scan(second)).version == 2
    # Questions that still exist start with the earlier answer; the dropped one is gone.
    assert new.answers == {"hek": "nee", "camera": "ja", "benaderd": "nee"}

    resume = client.get(at(client, second, "/")).get_data(as_text=True)
    assert "U doet de scan opnieuw" in resume
    assert "1 vraag is nieuw." in resume
    assert "1 vraag is veranderd" in resume
    assert "Oude vraag over kluizen?" in resume  # dropped, and said so

    page = client.get(at(client, second, "/thema/fysiek")).get_data(as_text=True)
    hek = page.split('data-mark-for="hek"')[1].split("</p>")[0]
    assert "Vorige keer: Nee" in hek and "Veranderd" not in hek
    camera = page.split('data-mark-for="camera"')[1].split("</p>")[0]
    assert "Veranderd" in camera and "Vorige keer: Ja" in camera
    signalen = client.get(at(client, second, "/thema/signalen")).get_data(as_text=True)
    assert "Nieuwe vraag" in signalen.split('data-mark-for="buren"')[1].split("</p>")[0]
    # The earlier scan is untouched and still works.
    assert client.get(at(client, first, "/resultaat")).status_code == 200


def test_repeat__begin_met_de_vragen_goes_to_the_first_question_page(client, person):
    """Regression: a repeat has answers already, and the button led to the check page."""
    first = first_scan(person)
    response = client.post(
        at(client, first, "/opnieuw"),
        data={"csrf_token": person.csrf(at(client, first, "/resultaat"))},
    )
    html = client.get(response.location).get_data(as_text=True)
    button = html.split('class="button button--start"')[1].split("</a>")[0]
    assert "Begin met de vragen" in button
    assert 'href="/scan/thema/fysiek"' in button


def test_repeat__answer_that_no_longer_fits__dropped(load_inline):
    old = load_inline(V1, "v1.yaml")
    changed = V2.replace(
        "text: Heeft u een hek?, help: H., type: yes_no, good_answer: ja}",
        "text: Hoe hoog is uw hek?, help: H., type: single_choice, options: "
        "[{value: laag, label: Laag, score: 20}, {value: hoog, label: Hoog, score: 100}]}",
    )
    changed = changed.replace("when: hek == 'nee'", "when: hek == 'laag'")
    new = load_inline(changed, "v2.yaml")
    answers, notes = repeats.prefill(old, {"hek": "ja", "camera": "nee", "oud": "nee"}, new)
    assert answers == {"camera": "nee"}
    assert set(notes["changed"]) == {"hek", "camera"}
    assert notes["previous"] == {"hek": "Ja", "camera": "Nee"}
    assert notes["new"] == ["buren"]
    assert notes["dropped"] == ["Oude vraag over kluizen?"]


def test_repeat__unsubmitted_scan__refused(client, person):
    token = person.start()
    response = client.post(
        at(client, token, "/opnieuw"), data={"csrf_token": person.csrf("/scan/herhaal")}
    )
    assert response.status_code == 409
    assert "Maak de scan eerst af" in response.get_data(as_text=True)


def test_repeat__without_csrf__dutch_400(client, person):
    first = first_scan(person)
    response = client.post(at(client, first, "/opnieuw"), data={})
    assert response.status_code == 400
    assert "niets opgeslagen" in response.get_data(as_text=True)


def test_repeat__without_a_scan_session__neutral_403(client, person):
    csrf = person.csrf("/scan/herhaal")
    response = client.post("/scan/opnieuw", data={"csrf_token": csrf})
    assert response.status_code == 403


# --- progress ------------------------------------------------------------------------------


def test_progress__then_and_now_by_hand(app, client, person, tmp_path):
    # Then: hek nee (0), camera nee (0) -> fysiek 0; oud nee (100), benaderd nee (100) ->
    # signalen 100; overall (0 + 100) / 2 = 50. Advice: hek_maken, camera_plaatsen.
    first = first_scan(person)
    to_v2(app, tmp_path)
    second = person.repeat(first)
    # Now: hek ja (100), camera nee (0) -> fysiek 50; benaderd nee (100), buren nee (0) ->
    # signalen 50; overall 50. Advice: camera_plaatsen (still), buren_kennen (new);
    # hek_maken is resolved.
    person.answer(second, "fysiek", hek="ja", camera="nee")
    person.answer(second, "signalen", benaderd="nee", buren="nee")
    person.submit(second)

    with app.app_context():
        progress = repeats.progress_of(store.find_scan(second), second)
    assert [(t.id, t.then, t.now, t.change) for t in progress.themes] == [
        ("fysiek", 0.0, 50.0, 50.0),
        ("signalen", 100.0, 50.0, -50.0),
    ]
    assert (progress.overall_then, progress.overall_now, progress.overall_change) == (50, 50, 0)
    assert progress.resolved == ("hek_maken",)
    assert progress.new == ("buren_kennen",)
    assert progress.standing == ("camera_plaatsen",)
    assert len(progress.line) == 2

    html = client.get(at(client, second, "/resultaat")).get_data(as_text=True)
    assert "Uw voortgang sinds" in html
    assert "toen 0 · nu 50 (+50)" in html
    assert "toen 100 · nu 50 (-50)" in html
    assert "Dat is gelijk gebleven." in html
    assert "1 opgelost</strong>: Zet een hek om uw terrein" in html
    assert "1 nieuw</strong>: Maak kennis met uw buren" in html
    assert "1 nog open</strong>: Hang camera&#39;s op" in html
    assert "door de tijd" not in html  # two scans: no line yet
    # A first scan shows no progress.
    assert "Uw voortgang" not in client.get(at(client, first, "/resultaat")).get_data(as_text=True)

    # Third scan: everything good -> overall 100; the line shows 50, 50, 100.
    third = person.repeat(second)
    person.answer(third, "fysiek", hek="ja", camera="ja")
    person.answer(third, "signalen", benaderd="nee", buren="ja")
    person.submit(third)
    html = client.get(at(client, third, "/resultaat")).get_data(as_text=True)
    assert "Dat is <strong>50 punten beter</strong>" in html
    assert "Uw totaalscore door de tijd" in html
    line = html.split('class="timeline__list"')[1].split("</ol>")[0]
    assert [m for m in re.findall(r": (\d+) van de 100", line)] == ["50", "50", "100"]

    pdf = client.get(at(client, third, "/rapport.pdf"))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Uw voortgang sinds" in text
    assert "Totaalscore: toen 50, nu 100 van de 100" in text
    assert "Uw totaalscore door de tijd" in text
    assert "2 opgelost" in text


# --- the chain is known only through the links ---------------------------------------------


def test_chain__database_holds_nothing_that_joins_the_scans(app, person, tmp_path):
    first = first_scan(person)
    before = row(app, first)
    second = person.repeat(first)
    person.submit(second)

    with app.app_context():
        earlier, later = store.find_scan(first), store.find_scan(second)
        # Everything stored about the repeat: its scan row and its follow-up row.
        stored = [str(getattr(later, c.key)) for c in Scan.__table__.columns]
        stored += [str(getattr(later.followup, c.key)) for c in ScanFollowUp.__table__.columns]
        for secret in (first, before.token_hash):
            assert not [value for value in stored if secret in value]
        assert later.followup.scan_id == later.id
        # The earlier scan's row is unchanged: no time on it points at the repeat.
        assert earlier.updated_at == before.updated_at
        assert earlier.followup.superseded is True
        assert earlier.followup.previous_sealed is None
        # Only the repeat's own link opens the seal.
        assert chain.previous_token(later, second) == first
        assert chain.previous_token(later, first) is None
        assert chain.previous_token(later, "B" * 32) is None
        assert [link.token for link in repeats.earlier_scans(later, second)] == [first]
        assert repeats.earlier_scans(earlier, first) == []


# --- action plan ---------------------------------------------------------------------------


def test_plan__saved_without_js_shown_and_in_pdf(app, client, person):
    token = first_scan(person)
    response = person.plan(
        token, "hek_maken", state="gepland", who="  Piet   (zoon) ", due="2027-03-15"
    )
    assert response.status_code == 302
    assert response.location.endswith("#plan-hek_maken")
    response = person.plan(token, "camera_plaatsen", json=True, state="gedaan")
    assert response.status_code == 200 and response.json == {
        "saved": True,
        "state": "gedaan",
        "who": "",
        "due": "",
    }
    # The page script compares this echo with what is on screen before it says "Opgeslagen".
    echo = person.plan(token, "camera_plaatsen", json=True, who=" Ans  B ", due="2027-04-01")
    assert echo.json == {"saved": True, "state": "gepland", "who": "Ans B", "due": "2027-04-01"}
    person.plan(token, "camera_plaatsen", json=True, state="gedaan")

    with app.app_context():
        steps = {s.advice_id: s for s in db.session.scalars(select(PlanStep))}
    assert steps["hek_maken"].state == "gepland"
    assert steps["hek_maken"].who == "Piet (zoon)"
    assert steps["hek_maken"].due == dt.date(2027, 3, 15)
    assert steps["camera_plaatsen"].due is None

    html = client.get(at(client, token, "/resultaat?opgeslagen=hek_maken")).get_data(as_text=True)
    block = html.split('id="plan-hek_maken"')[1].split("</li>")[0]
    assert '<option value="gepland" selected>' in block
    assert 'value="Piet (zoon)"' in block and 'value="2027-03-15"' in block
    assert "Opgeslagen." in block

    pdf = client.get(at(client, token, "/rapport.pdf"))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    plan = " ".join(text.split("Maak van de tips een plan")[1].split())
    assert "Stand" in plan and "Klaar" not in plan.split("Maatregel")[1][:40]
    assert "Gepland" in plan and "Piet (zoon)" in plan and "15-03-2027" in plan
    assert "Gedaan" in plan
    assert "kies ‘Doe de scan opnieuw’" in plan  # how to repeat, from the PDF

    # Clearing every field removes the step.
    person.plan(token, "hek_maken", state="", who="", due="")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PlanStep)) == 1


@pytest.mark.parametrize(
    ("advice", "fields", "message"),
    [
        ("bestaat_niet", {"state": "gepland"}, "hoort niet bij uw scan"),
        ("hek_maken", {"state": "klaar"}, "Kies gepland, bezig, gedaan"),
        ("hek_maken", {"state": "gepland", "due": "1900-01-01"}, "Kies een datum tussen"),
        ("hek_maken", {"state": "gepland", "due": "9999-12-31"}, "Kies een datum tussen"),
        ("hek_maken", {"state": "gepland", "due": "31-02-2027"}, "jjjj-mm-dd"),
        ("hek_maken", {"state": "gepland", "due": "2027-02-30"}, "jjjj-mm-dd"),
        ("hek_maken", {"state": "gepland", "who": "x" * 101}, "hoogstens 100 tekens"),
    ],
)
def test_plan__bad_input__dutch_400_and_nothing_stored(app, person, advice, fields, message):
    token = first_scan(person)
    response = person.plan(token, advice, **fields)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert "niets opgeslagen" in response.get_data(as_text=True)
    assert person.plan(token, advice, json=True, **fields).json["error"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PlanStep)) == 0


def test_plan__advice_that_did_not_fire__refused(person):
    # All good: no advice fired, so even a real rule id of the questionnaire is refused.
    token = first_scan(person, hek="ja", camera="ja")
    assert person.plan(token, "hek_maken", state="gepland").status_code == 400


def test_plan__no_scan_session__403_and_unsubmitted__409(client, person):
    csrf = person.csrf("/scan/herhaal")
    unknown = client.post("/scan/actieplan/hek_maken", data={"csrf_token": csrf})
    assert unknown.status_code == 403
    open_scan = person.start()
    response = client.post(at(client, open_scan, "/actieplan/hek_maken"), data={"csrf_token": csrf})
    assert response.status_code == 409
    assert client.post(at(client, first_scan(person), "/actieplan/hek_maken")).status_code == 400


def test_plan__carried_into_the_repeat(app, client, person, tmp_path):
    first = first_scan(person)
    person.plan(first, "hek_maken", state="gepland", due="2027-03-01")
    person.plan(first, "camera_plaatsen", state="bezig", who="Ans")
    to_v2(app, tmp_path)
    second = person.repeat(first)
    person.submit(second)  # prefilled answers: the same advice fires again
    html = client.get(at(client, second, "/resultaat")).get_data(as_text=True)
    assert "U had dit gepland voor maart 2027." in html.split('id="plan-hek_maken"')[1]
    assert "Vorige keer was u hiermee bezig." in html.split('id="plan-camera_plaatsen"')[1]
    block = html.split('id="plan-hek_maken"')[1].split("</li>")[0]
    assert '<option value="gepland" selected>' in block and 'value="2027-03-01"' in block


# --- calendar file -------------------------------------------------------------------------


def unfold(body: bytes) -> list[tuple[str, dict, str]]:
    """Parse an iCalendar file back into (name, parameters, value) per content line."""
    text = body.decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")  # CRLF only
    physical = text.split("\r\n")
    assert physical[-1] == ""
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    lines: list[str] = []
    for line in physical[:-1]:
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    parsed = []
    for line in lines:
        head, value = line.split(":", 1)
        name, *params = head.split(";")
        parsed.append((name, dict(p.split("=", 1) for p in params), value))
    return parsed


def events(parsed) -> list[dict]:
    out, current = [], None
    for name, params, value in parsed:
        if (name, value) == ("BEGIN", "VEVENT"):
            current = {}
        elif (name, value) == ("END", "VEVENT"):
            out.append(current)
            current = None
        elif current is not None:
            current[name] = (params, value)
    return out


def test_calendar__dated_steps_as_all_day_events(app, client, person):
    token = first_scan(person)
    long_name = "Piet; de zoon, die alles regelt " + "é" * 60
    person.plan(token, "hek_maken", state="gepland", who=long_name, due="2027-03-15")
    person.plan(token, "camera_plaatsen", state="bezig")  # no date: not in the calendar

    response = client.get(at(client, token, "/actieplan.ics"))
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "no-store"
    parsed = unfold(response.data)
    assert parsed[0] == ("BEGIN", {}, "VCALENDAR") and parsed[-1] == ("END", {}, "VCALENDAR")
    assert ("VERSION", {}, "2.0") in parsed
    [event] = events(parsed)
    assert event["DTSTART"] == ({"VALUE": "DATE"}, "20270315")
    assert event["DTEND"] == ({"VALUE": "DATE"}, "20270316")
    assert event["SUMMARY"][1] == "Zet een hek om uw terrein"
    description = event["DESCRIPTION"][1]
    assert (
        description == "Stand: Gepland. Wie: Piet\\; de zoon\\, die alles regelt " + "é" * 60 + "."
    )
    assert re.fullmatch(r"[0-9a-f]{32}@weerbaarheidsscan", event["UID"][1])
    assert token not in response.get_data(as_text=True)
    # The same link gives the same UIDs: downloading again updates the events.
    assert (
        events(unfold(client.get(at(client, token, "/actieplan.ics")).data))[0]["UID"]
        == event["UID"]
    )
    html = client.get(at(client, token, "/resultaat")).get_data(as_text=True)
    assert "/scan/actieplan.ics" in html and token not in html


# --- retention -----------------------------------------------------------------------------


def _share_now(scan: Scan, org, at: dt.datetime) -> Share:
    share = Share(scan=scan, organisation=org, consent_version="t", consented_at=at)
    share.created_at = share.updated_at = at
    db.session.add(share)
    db.session.commit()
    return share


def test_retention__shared_scan_kept_until_days_after_last_activity(app):
    app.config["SHARED_RETENTION_DAYS"] = 365
    with app.app_context():
        org = make_org("PVO Test")
        q = app.extensions["scan_catalog"].get("herhaal")
        t0 = dt.datetime(2026, 1, 1, 12, 0)
        shared, token = store.start_scan(q, 90, now=t0)
        plain, plain_token = store.start_scan(q, 90, now=t0)
        share = _share_now(shared, org, t0 + dt.timedelta(days=10))
        expiry = t0 + dt.timedelta(days=90)

        # At the normal expiry the plain scan goes, the shared one stays and still opens.
        assert store.expire_scans(now=expiry) == 1
        assert store.find_scan(plain_token, now=expiry) is None
        assert store.find_scan(token, now=expiry) is not None
        # Kept until 365 days after the last activity (the share, day 10): not a second more.
        last = t0 + dt.timedelta(days=10)
        edge = last + dt.timedelta(days=365)
        assert store.find_scan(token, now=edge - dt.timedelta(seconds=1)) is not None
        assert store.expire_scans(now=edge - dt.timedelta(seconds=1)) == 0
        # An adviser's note is activity too.
        share.notes.append(
            __import__("scan.platform.models", fromlist=["Note"]).Note(
                author_email="a@b.nl", text="Gebeld.", created_at=last + dt.timedelta(days=100)
            )
        )
        db.session.commit()
        assert store.expire_scans(now=edge) == 0
        assert store.find_scan(token, now=edge + dt.timedelta(days=99)) is not None
        assert store.expire_scans(now=edge + dt.timedelta(days=100)) == 1
        assert store.find_scan(token, now=edge + dt.timedelta(days=100)) is None


def test_retention__withdrawn_share__normal_expiry_again(app):
    with app.app_context():
        org = make_org("PVO Test")
        q = app.extensions["scan_catalog"].get("herhaal")
        t0 = dt.datetime(2026, 1, 1)
        scan, token = store.start_scan(q, 90, now=t0)
        share = _share_now(scan, org, t0 + dt.timedelta(days=80))
        after = t0 + dt.timedelta(days=120)
        assert store.find_scan(token, now=after) is not None
        share.withdrawn_at = t0 + dt.timedelta(days=100)
        db.session.commit()
        assert store.find_scan(token, now=after) is None
        assert store.expire_scans(now=after) == 1
        assert db.session.scalar(select(func.count()).select_from(Share)) == 0


def test_retention__setting_is_read_and_consent_page_says_it(app, client, person):
    app.config["SHARED_RETENTION_DAYS"] = 200
    token = first_scan(person)
    with app.app_context():
        org = make_org("PVO Test")
        org_id = org.id
    page = client.get(at(client, token, f"/delen?organisatie={org_id}")).get_data(as_text=True)
    text = " ".join(page.split())
    assert "zolang u deelt, bewaren we uw scan langer dan de gewone 90 dagen" in text
    assert "tot 200 dagen na het laatste wat er met de scan gebeurde" in text
    assert "Deelt u met niemand meer? Dan geldt weer de gewone termijn: 90 dagen" in text
    # Short sentences (B1): the retention paragraph of 90 words is now a list of short ones.
    consent = text.split('id="toestemming"')[1].split("</section>")[0]
    sentences = re.split(r"[.?!:]\s", re.sub(r"<[^>]+>", " ", consent))
    assert max(len(sentence.split()) for sentence in sentences) <= 25
    with app.app_context():
        q = app.extensions["scan_catalog"].get("herhaal")
        t0 = dt.datetime(2026, 1, 1)
        scan, _ = store.start_scan(q, 90, now=t0)
        _share_now(scan, db.session.get(type(org), org_id), t0)
        # 200 days after the share, not 365.
        assert store.expire_scans(now=t0 + dt.timedelta(days=200)) == 1


def test_retention__deleting_a_shared_scan_works_at_once_and_ends_shares(app, client, person):
    token = first_scan(person)
    with app.app_context():
        _share_now(store.find_scan(token), make_org("PVO Test"), utcnow())
    response = client.post(
        at(client, token, "/verwijderen"),
        data={"csrf_token": person.csrf(at(client, token, "/verwijderen"))},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Share)) == 0
        assert db.session.scalar(select(func.count()).select_from(Scan)) == 0


# --- trends: one scan per chain --------------------------------------------------------------


def counters(app) -> dict:
    with app.app_context():
        return {
            (c.kind, c.month, c.key): (c.n, c.scored, c.score_tenths)
            for c in db.session.scalars(select(TrendCount))
            if c.n or c.scored or c.score_tenths
        }


def rebuilt(app) -> dict:
    with app.app_context():
        trends.rebuild(db.session)
    return counters(app)


def test_trends__one_scan_per_chain_and_rebuild_agrees(app, client, person, tmp_path):
    first = first_scan(person)
    other = first_scan(person, hek="ja", camera="ja")  # someone else's scan
    month = f"{utcnow():%Y-%m}"
    assert counters(app)[("scans", month, "")][0] == 2

    second = person.repeat(first)
    assert counters(app)[("scans", month, "")][0] == 2  # not submitted yet: the first counts
    person.answer(second, "fysiek", hek="ja", camera="nee")
    person.submit(second)
    incremental = counters(app)
    assert incremental[("scans", month, "")] == (2, 2, 750 + 1000)  # 75 (second) + 100 (other)
    assert ("rule", month, "hek_maken") not in incremental  # only the superseded scan had it
    assert rebuilt(app) == incremental

    third = person.repeat(second)
    person.submit(third)
    assert counters(app)[("scans", month, "")][0] == 2
    assert rebuilt(app) == counters(app)

    # Deleting the latest scan only: the one before it counts again.
    response = client.post(
        at(client, third, "/verwijderen"),
        data={"csrf_token": person.csrf(at(client, third, "/verwijderen")), "eerdere": "nee"},
    )
    assert response.status_code == 302
    assert counters(app)[("scans", month, "")] == (2, 2, 750 + 1000)
    assert rebuilt(app) == counters(app)
    with app.app_context():
        assert not store.find_scan(second).followup.superseded
    assert other


# --- deleting a chain ----------------------------------------------------------------------


def test_delete__asks_about_earlier_scans_and_deletes_them_when_asked(app, client, person):
    first = first_scan(person)
    second = person.repeat(first)
    person.submit(second)
    third = person.repeat(second)

    page = client.get(at(client, third, "/verwijderen")).get_data(as_text=True)
    assert "Er zijn nog 2 eerdere scans. Wilt u die ook verwijderen?" in page
    assert "Wilt u die ook" not in client.get(at(client, first, "/verwijderen")).get_data(
        as_text=True
    )

    response = client.post(
        at(client, third, "/verwijderen"),
        data={"csrf_token": person.csrf(at(client, third, "/verwijderen")), "eerdere": "ja"},
    )
    assert response.status_code == 302
    for token in (first, second, third):
        assert client.get(f"/scan/{token}/").status_code == 404
    assert counters(app).get(("scans", f"{utcnow():%Y-%m}", "")) is None
    assert rebuilt(app) == {}


# --- the adviser's view ----------------------------------------------------------------------


def _share_via_web(client, token: str, org_id: int):
    url = at(client, token, f"/delen?organisatie={org_id}")
    data = {"csrf_token": csrf_token(client, url), "organisation": str(org_id), "consent": "y"}
    assert client.post(at(client, token, "/delen"), data=data).status_code == 302


def test_adviser__sees_plan_and_comparison_only_when_both_shared(app, client, person, tmp_path):
    with app.app_context():
        bz, limburg = make_org("PVO Brabant-Zeeland"), make_org("PVO Limburg")
        make_user("adviseur@pvo-bz.nl", "adviser", bz)
        bz_id, limburg_id = bz.id, limburg.id
    first = first_scan(person)
    person.plan(first, "hek_maken", state="bezig", who="Piet", due="2027-03-15")
    second = person.repeat(first)
    person.answer(second, "fysiek", hek="ja", camera="nee")
    person.submit(second)

    _share_via_web(client, second, bz_id)
    _share_via_web(client, first, limburg_id)  # the first only with another organisation
    with app.app_context():
        shares = {s.organisation_id: s for s in db.session.scalars(select(Share))}
        second_share = shares[bz_id].public_id
        tags = {s.chain_tag.tag for s in shares.values()}
    assert len(tags) == 2  # the tags differ per organisation: nothing to join on

    adviser = app.test_client()
    login(adviser, "adviseur@pvo-bz.nl")
    page = adviser.get(f"/adviseur/scans/{second_share}").get_data(as_text=True)
    assert "Actieplan van de ondernemer" in page
    assert "Vergeleken met de scan" not in page  # the first is not shared with BZ

    _share_via_web(client, first, bz_id)
    with app.app_context():
        first_share = db.session.scalars(
            select(Share).where(Share.organisation_id == bz_id, Share.id != shares[bz_id].id)
        ).one()
        first_public = first_share.public_id
    page = adviser.get(f"/adviseur/scans/{second_share}").get_data(as_text=True)
    assert "Vergeleken met de scan van" in page
    assert "Totaalscore toen 50, nu 75 (+25)" in page
    assert "Tips: 1 opgelost, 0 nieuw, 1 nog open." in page
    earlier_page = adviser.get(f"/adviseur/scans/{first_public}").get_data(as_text=True)
    plan = earlier_page.split("Actieplan van de ondernemer")[1].split("</table>")[0]
    assert "Bezig" in plan and "Piet" in plan and "15 maart 2027" in plan
    assert f"/adviseur/scans/{second_share}" in earlier_page  # a newer scan was shared too
    pdf = adviser.get(f"/adviseur/scans/{second_share}/rapport.pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Uw voortgang sinds" in text


def test_retention__share_page_says_until_when_the_scan_is_kept(app, client, person):
    token = first_scan(person)
    with app.app_context():
        org_id = make_org("PVO Test").id
    _share_via_web(client, token, org_id)
    with app.app_context():
        share = db.session.scalars(select(Share)).one()
        expected = share.consented_at + dt.timedelta(days=365)
        assert retention.keep_until(share.scan) == max(
            expected, share.updated_at + dt.timedelta(days=365)
        )
        until = retention.keep_until(share.scan)
    page = " ".join(client.get(at(client, token, "/delen")).get_data(as_text=True).split())
    assert f"Als er niets meer gebeurt, is dat tot en met {dutch_date(until)}." in page


@pytest.mark.postgres
def test_trends__two_repeats_submitted_at_once__earlier_scan_subtracted_once(tmp_path):
    """Two repeats of one scan submitted at the same moment subtract the earlier scan once."""
    url = postgres_url()
    schema = f"test_{secrets.token_hex(8)}"
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sqlalchemy.text(f'CREATE SCHEMA "{schema}"'))
    try:
        app = make_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "SQLALCHEMY_ENGINE_OPTIONS": {
                    "connect_args": {"options": f"-csearch_path={schema}"}
                },
            }
        )
        app.extensions["scan_catalog"] = catalog_with(tmp_path, V1)
        with app.app_context():
            create_tables()
            q = app.extensions["scan_catalog"].get("herhaal")
            first, first_token = store.start_scan(q, 90)
            first.answers = {"hek": "nee"}
            store.submit_scan(first, q)
            tokens = [repeats.start_repeat(first, first_token, q, 90)[1] for _ in range(2)]
        barrier = threading.Barrier(2)
        errors = []

        def submit(token):
            try:
                with app.app_context():
                    scan = store.find_scan(token)
                    barrier.wait()
                    store.submit_scan(
                        scan, q, also=lambda s, t=token: repeats.supersede_previous(s, t)
                    )
            except Exception as error:  # reported below
                errors.append(error)

        threads = [threading.Thread(target=submit, args=(t,)) for t in tokens]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert errors == []
        month = f"{utcnow():%Y-%m}"
        incremental = counters(app)
        # Both repeats count (the chain forked: neither knows the other); the first once gone.
        assert incremental[("scans", month, "")][0] == 2
        assert rebuilt(app) == incremental
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    finally:
        with engine.begin() as connection:
            connection.execute(sqlalchemy.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def test_trends__deleting_a_middle_scan__chain_still_counted_once(app, client, person):
    first = first_scan(person)
    second = person.repeat(first)
    person.submit(second)
    third = person.repeat(second)
    person.submit(third)
    month = f"{utcnow():%Y-%m}"
    assert counters(app)[("scans", month, "")][0] == 1
    response = client.post(
        at(client, second, "/verwijderen"),
        data={"csrf_token": person.csrf(at(client, second, "/verwijderen")), "eerdere": "nee"},
    )
    assert response.status_code == 302
    assert counters(app)[("scans", month, "")][0] == 1  # the third still stands for the chain
    assert rebuilt(app) == counters(app)


@pytest.mark.parametrize(
    ("language", "then", "now", "said", "theme_said"),
    [
        # before: "1 punten beter" (and 1,5 points rounded), and "(+1)" beside toen 40, nu 40
        ("nl", 41.0, 42.5, "Dat is <strong>1 punt beter</strong>.", "toen 40 · nu 40</span>"),
        ("nl", 41.9, 57.1, "Dat is <strong>16 punten beter</strong>.", "toen 40 · nu 40</span>"),
        ("nl", 57.5, 56.9, "Dat is <strong>1 punt lager</strong>.", "toen 40 · nu 40</span>"),
        ("en", 41.0, 42.5, "That is <strong>1 point better</strong>.", "then 40 · now 40</span>"),
        ("en", 57.5, 40.2, "That is <strong>17 points lower</strong>.", "then 40 · now 40</span>"),
    ],
)
def test_result_page_progress__the_change_in_whole_points_and_the_right_number(
    app, language, then, now, said, theme_said
):
    theme = ThemeChange("fysiek", "Terrein", then=40.2, now=40.8)  # 0,6 up: shown as equal
    progress = Progress(dt.date(2026, 1, 1), (theme,), then, now, (), (), (), {}, ())
    with app.test_request_context("/scan/resultaat"):
        languages.use_language(language)
        html = render_template(
            "scans/_followup.html",
            f=SimpleNamespace(progress=progress, dated=False),
            result=SimpleNamespace(advice=[], red_flag=False),
            seen_by=None,
            band=lambda value, red_flag: "aandacht",
        )
    html = " ".join(html.split())
    assert said in html
    assert theme_said in html  # no "(+1)" for a change the figures do not show
