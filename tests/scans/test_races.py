"""Races on one scan with real threads, on SQLite and PostgreSQL: two tabs saving different
pages at the same moment, and a page saved while the scan is being submitted."""

from __future__ import annotations

import itertools
import re
import threading
from functools import partial

import pytest
from conftest import create_tables, make_app
from race_support import selects_from, slow_statements, statements_run, together

from scan.platform import locking
from scan.platform.catalog import get_catalog
from scan.platform.extensions import db
from scan.platform.models import Scan
from scan.platform.stamps import hash_token
from scan.scans import forms, store
from scan.scoring import score, visible_questions

SECTOR = "vastgoed"
ROUNDS = 5
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


WRITE_DELAY = 0.1  # seconds each write to a scan waits: both tabs read before either writes


@pytest.fixture
def race_app(database):
    app = make_app(database)
    with app.app_context():
        create_tables()
        slow_statements(db.engine, ("UPDATE SCANS", "INSERT INTO SCAN_"), WRITE_DELAY)

    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _page_form(q, theme_id: str, answers: dict) -> dict:
    """Return the form a browser posts for one theme page with these answers."""
    return forms.initial_data(q.questions_for(theme_id), answers)


def _new_scan(app, answers: dict) -> str:
    with app.app_context():
        q = get_catalog().get(SECTOR)
        scan, token = store.start_scan(q, ttl_days=90)
        scan.answers = dict(answers)
        db.session.commit()
    return token


def _csrf(client, token: str) -> str:
    """Open the scan in this tab through its personal link; return the CSRF token of its pages."""
    assert client.get(f"/scan/{token}/").status_code == 303
    return CSRF.search(client.get("/scan/controle").get_data(as_text=True)).group(1)


def _stored(app, token: str) -> Scan:
    with app.app_context():
        scan = db.session.scalar(db.select(Scan).filter_by(token_hash=hash_token(token)))
        db.session.expunge(scan)
        return scan


def _questionnaire(app):
    with app.app_context():
        return get_catalog().get(SECTOR)


def _two_independent_pages(q, full: dict) -> tuple[str, str, dict]:
    """Return two pages whose questions stay visible without either page's answers."""
    themes = [t.id for t in q.themes]
    for first, second in itertools.combinations(themes, 2):
        ids = {x.id for t in (first, second) for x in q.questions_for(t)}
        start = {k: v for k, v in full.items() if k not in ids}
        if ids & set(full) <= visible_questions(q, start):
            return first, second, start
    raise AssertionError("no two independent pages")


def test_two_tabs__save_different_pages_at_once__both_kept(race_app):
    q = _questionnaire(race_app)
    full = q.examples[0].answers
    first, second, start = _two_independent_pages(q, full)
    lost = 0
    for _ in range(ROUNDS):
        token = _new_scan(race_app, start)
        tabs = [race_app.test_client(), race_app.test_client()]
        posts = []
        for tab, theme in zip(tabs, (first, second), strict=True):
            data = {**_page_form(q, theme, full), "csrf_token": _csrf(tab, token)}
            data["action"] = "later"
            posts.append((tab, theme, data))
        responses = together(
            *[partial(tab.post, f"/scan/thema/{theme}", data=data) for tab, theme, data in posts]
        )
        answers = _stored(race_app, token).answers
        assert [r.status_code for r in responses] == [302, 302]  # a wait, never an error
        saved = [True, True]
        for ok, theme in zip(saved, (first, second), strict=True):
            kept = all(
                answers.get(x.id) == full.get(x.id) for x in q.questions_for(theme) if x.id in full
            )
            if ok and not kept:
                lost += 1
    assert lost == 0, f"{lost} of {ROUNDS} rounds lost a page that was reported as saved"


def _changing_page(q) -> tuple[str, dict, dict]:
    """Return a page whose answers in example 2 change the scores of example 1, and both sets."""
    one, two = q.examples[0].answers, q.examples[1].answers
    before = score(q, one, hidden="ignore")
    for theme in q.themes:
        ids = {x.id for x in q.questions_for(theme.id)}
        merged = {k: v for k, v in one.items() if k not in ids} | {
            k: v for k, v in two.items() if k in ids
        }
        if ids & set(two) <= visible_questions(q, merged) and ids & set(two) <= visible_questions(
            q, one
        ):
            after = score(q, merged, hidden="ignore")
            if [t.score for t in after.themes] != [t.score for t in before.themes]:
                return theme.id, dict(one), {k: v for k, v in two.items() if k in ids}
    raise AssertionError("no page changes the scores")


def test_save_while_submitting__scores_match_answers_and_user_told(race_app):
    q = _questionnaire(race_app)
    theme, answers, page = _changing_page(q)
    inconsistent = silently_lost = 0
    for _ in range(ROUNDS):
        token = _new_scan(race_app, answers)
        tab, other = race_app.test_client(), race_app.test_client()
        data = {**_page_form(q, theme, page), "csrf_token": _csrf(tab, token), "action": "later"}
        submit_csrf = _csrf(other, token)
        saved, submitted = together(
            partial(tab.post, f"/scan/thema/{theme}", data=data),
            partial(other.post, "/scan/versturen", data={"csrf_token": submit_csrf}),
        )
        assert submitted.status_code == 302
        scan = _stored(race_app, token)
        with race_app.app_context():
            stored = db.session.get(Scan, scan.id)
            expected = score(q, stored.answers, hidden="ignore")
            themes = {t.theme_id: t.score for t in stored.theme_scores}
            rules = {r.rule_id for r in stored.fired_rules}
            if themes != {t.id: t.score for t in expected.themes} or rules != {
                a.id for a in expected.advice
            }:
                inconsistent += 1
            kept = all(stored.answers.get(k) == v for k, v in page.items())
        told = saved.status_code == 409 and "niet opgeslagen" in saved.get_data(as_text=True)
        if not kept and not told:
            silently_lost += 1
    assert inconsistent == 0, f"{inconsistent} of {ROUNDS} rounds: scores do not match answers"
    assert silently_lost == 0, f"{silently_lost} of {ROUNDS} rounds lost a page without a word"


def test_save_after_submit__refused_clearly(race_app):
    q = _questionnaire(race_app)
    theme, answers, page = _changing_page(q)
    token = _new_scan(race_app, answers)
    tab, other = race_app.test_client(), race_app.test_client()
    data = {**_page_form(q, theme, page), "csrf_token": _csrf(tab, token), "action": "verder"}
    assert other.post("/scan/versturen", data={"csrf_token": _csrf(other, token)})
    response = tab.post(f"/scan/thema/{theme}", data=data)
    assert response.status_code == 409
    assert "niet opgeslagen" in response.get_data(as_text=True)
    assert _stored(race_app, token).answers == answers
    with race_app.app_context():
        with pytest.raises(store.ScanSubmitted):
            store.save_page(store.find_scan(token), q, store.PagePost(theme, page))


def test_scan_locked_too_long__page_not_saved_and_user_told(database, monkeypatch):
    monkeypatch.setattr(locking, "LOCK_TIMEOUT_SECONDS", 1)
    app = make_app(database)
    with app.app_context():
        create_tables()
    q = _questionnaire(app)
    theme, answers, page = _changing_page(q)
    token = _new_scan(app, answers)
    tab = app.test_client()
    data = {**_page_form(q, theme, page), "csrf_token": _csrf(tab, token), "action": "later"}
    locked, release = threading.Event(), threading.Event()

    def hold_lock():
        with app.app_context():
            store.lock_scan(store.find_scan(token))
            locked.set()
            release.wait(timeout=10)
            db.session.rollback()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        response = tab.post(f"/scan/thema/{theme}", data=data)
    finally:
        release.set()
        holder.join()
    assert response.status_code == 503
    assert "niet opgeslagen" in response.get_data(as_text=True)
    assert _stored(app, token).answers == answers
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_page_save__reads_the_scan_once_under_its_lock(race_app):
    """A save reads the scan under the lock it saves under (FOR NO KEY UPDATE on PostgreSQL),
    not once to find it and again to lock it (docs/deploy.md, CPU per request)."""
    q = _questionnaire(race_app)
    theme, answers, page = _changing_page(q)
    token = _new_scan(race_app, answers)
    tab = race_app.test_client()
    data = {**_page_form(q, theme, page), "csrf_token": _csrf(tab, token), "action": "later"}
    with race_app.app_context():
        engine = db.engine
    with statements_run(engine, selects_from("scans")) as reads:
        assert tab.post(f"/scan/thema/{theme}", data=data).status_code == 302
    assert len(reads) == 1
    if engine.dialect.name == "postgresql":
        assert "FOR NO KEY UPDATE OF scans" in reads[0]
    stored = _stored(race_app, token).answers
    assert all(stored.get(key) == value for key, value in page.items())
