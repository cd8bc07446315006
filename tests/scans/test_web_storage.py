"""Scan storage and migrations, on SQLite and (with TEST_DATABASE_URL) on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import make_app
from race_support import statements_run
from sqlalchemy import func, select

from scan.platform.extensions import db
from scan.platform.models import QuestionnaireVersion, Scan, ScanFiredRule, ScanThemeScore
from scan.platform.stamps import hash_token
from scan.questionnaire import AnswersError
from scan.questionnaire.snapshots import from_snapshot, to_snapshot
from scan.scans import store
from scan.scans.page_order import NextStep
from scan.scans.store import PagePost
from scan.scoring import score


@pytest.fixture
def ctx(db_app, catalog):
    """An app context on each test database, with the session's catalog."""
    db_app.extensions["scan_catalog"] = catalog
    with db_app.app_context():
        yield db_app


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_start__the_new_scan_needs_no_read_back_and_later_commits_expire_again(ctx, catalog):
    with statements_run(db.engine) as statements:
        scan, token = store.start_scan(catalog.get("voorbeeld"), ttl_days=90)
        assert (scan.token_hash, scan.session_generation) == (hash_token(token), 0)
    assert not [s for s in statements if s.lstrip().upper().startswith("SELECT SCANS.")]
    assert db.session().expire_on_commit
    db.session.commit()
    assert "answers" not in scan.__dict__  # expired as usual: the next read is fresh


def test_start__pins_one_version_row_per_questionnaire_content(ctx, catalog):
    q = catalog.get("voorbeeld")
    first, token = store.start_scan(q, ttl_days=90)
    second, _ = store.start_scan(q, ttl_days=90)
    assert first.questionnaire_version_id == second.questionnaire_version_id
    assert count(QuestionnaireVersion) == 1
    row = db.session.get(QuestionnaireVersion, first.questionnaire_version_id)
    assert row.fingerprint == store.fingerprint(to_snapshot(q)) and len(row.fingerprint) == 64
    assert (row.questionnaire_id, row.version) == (q.id, q.version)
    assert first.token_hash == hash_token(token) and token not in first.token_hash
    store.start_scan(catalog.get("haven"), ttl_days=90)
    assert count(QuestionnaireVersion) == 2


def test_questionnaire_of__rebuilds_from_the_snapshot(ctx, catalog):
    q = catalog.get("haven")
    scan, _ = store.start_scan(q, ttl_days=90)
    store._rebuilt.clear()  # force a rebuild from the stored snapshot
    rebuilt = store.questionnaire_of(scan)
    assert rebuilt is not q and rebuilt.source == "snapshot"
    assert to_snapshot(rebuilt) == to_snapshot(q)
    assert store.questionnaire_of(scan) is rebuilt  # cached by fingerprint


def test_find_scan__unknown_malformed_expired(ctx, catalog):
    scan, token = store.start_scan(catalog.get("voorbeeld"), ttl_days=90)
    assert store.find_scan(token).id == scan.id
    assert store.find_scan("A" * 32) is None
    assert store.find_scan("' or 1=1 --") is None
    later = scan.expires_at + dt.timedelta(seconds=1)
    assert store.find_scan(token, now=later) is None


def test_save_page__replaces_a_page_and_drops_hidden_answers(ctx, catalog):
    q = catalog.get("voorbeeld")
    scan, _ = store.start_scan(q, ttl_days=90)
    store.save_page(scan, q, PagePost("fysiek", {"verhuur": "ja", "huur_contant": "contant"}))
    store.save_page(scan, q, PagePost("signalen", {"benaderd": "nee"}))
    db.session.expire_all()
    assert db.session.get(Scan, scan.id).answers == {
        "verhuur": "ja",
        "huur_contant": "contant",
        "benaderd": "nee",
    }
    store.save_page(scan, q, PagePost("fysiek", {"verhuur": "nee"}))
    db.session.expire_all()
    assert db.session.get(Scan, scan.id).answers == {"verhuur": "nee", "benaderd": "nee"}


def test_save_page__invalid_answer__nothing_stored(ctx, catalog):
    q = catalog.get("voorbeeld")
    scan, _ = store.start_scan(q, ttl_days=90)
    with pytest.raises(AnswersError):
        store.save_page(scan, q, PagePost("fysiek", {"verhuur": "misschien"}))
    db.session.rollback()
    assert db.session.get(Scan, scan.id).answers == {}


def stored_answers(scan) -> dict:
    db.session.expire_all()
    return db.session.get(Scan, scan.id).answers


def test_save_page__required_question_left_open__error_only_when_going_on(ctx, catalog):
    q = catalog.get("voorbeeld")
    scan, _ = store.start_scan(q, ttl_days=90)
    saved = store.save_page(scan, q, PagePost("fysiek", {"maatregelen": ["sloten"]}))
    assert not saved.saved and saved.next is None
    # Says what to choose, in the question's own words (its error_message).
    assert saved.errors == {"verhuur": "Kies of u ruimte verhuurt aan anderen."}
    assert stored_answers(scan) == {}
    later = store.save_page(
        scan, q, PagePost("fysiek", {"maatregelen": ["sloten"]}, action="later")
    )
    assert later.saved and later.next == NextStep("resume")
    assert stored_answers(scan) == {"maatregelen": ["sloten"]}


def test_save_page__field_errors_of_hidden_questions_are_dropped(ctx, catalog):
    q = catalog.get("voorbeeld")
    scan, _ = store.start_scan(q, ttl_days=90)
    errors = {"huur_contant": "Kies een antwoord.", "maatregelen": "Niet allebei."}
    saved = store.save_page(scan, q, PagePost("fysiek", {"verhuur": "nee"}, errors))
    assert not saved.saved and saved.errors == {"maatregelen": "Niet allebei."}
    assert "huur_contant" not in saved.visible and "verhuur" in saved.visible


def test_save_page__answer_to_a_question_hidden_before_and_after__refused(ctx, catalog):
    q = catalog.get("voorbeeld")
    scan, _ = store.start_scan(q, ttl_days=90)
    with pytest.raises(AnswersError):
        store.save_page(scan, q, PagePost("fysiek", {"verhuur": "nee", "huur_contant": "bank"}))
    db.session.rollback()
    assert stored_answers(scan) == {}


def test_save_page__question_hidden_by_this_post__dropped_not_refused(ctx, catalog):
    q = catalog.get("voorbeeld")
    scan, _ = store.start_scan(q, ttl_days=90)
    store.save_page(scan, q, PagePost("fysiek", {"verhuur": "ja", "huur_contant": "bank"}))
    saved = store.save_page(scan, q, PagePost("fysiek", {"verhuur": "nee", "huur_contant": "bank"}))
    assert saved.saved and "huur_contant" not in saved.visible
    assert stored_answers(scan) == {"verhuur": "nee"}


def test_save_page__next_step_shows_new_questions_first_then_the_next_page(ctx, catalog):
    q = catalog.get("voorbeeld")
    scan, _ = store.start_scan(q, ttl_days=90)
    # Without the page script, the page showed what the stored answers showed: not huur_contant.
    opened = store.save_page(scan, q, PagePost("fysiek", {"verhuur": "ja"}))
    assert opened.next == NextStep("theme", "fysiek", ("huur_contant",))
    # The script saw the question on screen: go on to the next page.
    seen = frozenset({"verhuur", "huur_contant", "maatregelen"})
    on = store.save_page(scan, q, PagePost("fysiek", {"verhuur": "ja"}, seen=seen))
    assert on.next == NextStep("theme", "sociaal")
    back = store.save_page(scan, q, PagePost("fysiek", {"verhuur": "ja"}, action="vorige"))
    assert back.next == NextStep("resume")
    last = store.save_page(scan, q, PagePost("signalen", {"benaderd": "nee"}))
    assert last.next == NextStep("review")
    before = store.save_page(scan, q, PagePost("signalen", {"benaderd": "nee"}, action="vorige"))
    assert before.next == NextStep("theme", "sociaal")


def test_submit_and_delete__rows_stored_then_gone(ctx, catalog):
    q = catalog.get("haven")
    answers = q.examples[0].answers
    scan, token = store.start_scan(q, ttl_days=90)
    scan.answers = answers
    result = store.submit_scan(scan, q)
    assert result == score(q, answers)
    db.session.expire_all()
    scan = store.find_scan(token)
    assert scan.overall == result.overall and scan.red_flag == result.red_flag
    assert {r.theme_id: r.score for r in scan.theme_scores} == {
        t.id: t.score for t in result.themes
    }
    assert sorted(r.rule_id for r in scan.fired_rules) == sorted(result.fired_ids())
    store.delete_scan(scan)
    assert count(Scan) == count(ScanThemeScore) == count(ScanFiredRule) == 0
    assert store.find_scan(token) is None
    assert count(QuestionnaireVersion) == 1  # the pinned version stays for other scans


def test_expire_scans__deletes_only_expired_with_their_rows(ctx, catalog):
    q = catalog.get("voorbeeld")
    old, _ = store.start_scan(q, ttl_days=90, now=dt.datetime(2020, 1, 1))
    old.answers = {"verhuur": "nee", "benaderd": "ja"}
    store.submit_scan(old, q)
    fresh, token = store.start_scan(q, ttl_days=90)
    assert count(ScanThemeScore) == len(q.themes)
    assert store.expire_scans() == 1
    assert count(Scan) == 1 and store.find_scan(token).id == fresh.id
    assert count(ScanThemeScore) == count(ScanFiredRule) == 0


def test_snapshot__survives_the_database_round_trip(ctx, catalog):
    q = catalog.get("transport")
    scan, _ = store.start_scan(q, ttl_days=1)
    db.session.expire_all()
    row = db.session.get(QuestionnaireVersion, scan.questionnaire_version_id)
    assert store.fingerprint(row.snapshot) == row.fingerprint
    assert to_snapshot(from_snapshot(row.snapshot)) == to_snapshot(q)


def test_migrations__upgrade_from_empty_matches_the_models(database):
    """`flask db upgrade` builds the schema; `flask db check` finds nothing left to migrate."""
    app = make_app(database)
    runner = app.test_cli_runner()
    upgrade = runner.invoke(args=["db", "upgrade"])
    assert upgrade.exit_code == 0, upgrade.output
    check = runner.invoke(args=["db", "check"])
    assert check.exit_code == 0, check.output
    with app.app_context():
        heads = db.session.execute(db.text("SELECT version_num FROM alembic_version")).all()
        assert len(heads) == 1
        db.session.remove()
    downgrade = runner.invoke(args=["db", "downgrade", "base"])
    assert downgrade.exit_code == 0, downgrade.output
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    assert runner.invoke(args=["db", "check"]).exit_code == 0
    with app.app_context():
        db.engine.dispose()


def test_submit__its_result_is_kept_for_the_result_page_and_the_pdfs(ctx, catalog, monkeypatch):
    q = catalog.get("voorbeeld")
    scan, _ = store.start_scan(q, ttl_days=90)
    scan.answers = dict(q.examples[0].answers)
    db.session.commit()
    scan_id = scan.id
    result = store.submit_scan(scan, q)
    monkeypatch.setattr(store, "score", lambda *a, **k: pytest.fail("scored again"))
    db.session.remove()
    again = db.session.get(Scan, scan_id)  # as the next request reads it
    assert store.result_of(again, q) is result
    assert {t.theme_id: t.score for t in again.theme_scores} == {
        t.id: t.score for t in result.themes
    }
    assert sorted(r.rule_id for r in again.fired_rules) == sorted(a.id for a in result.advice)
