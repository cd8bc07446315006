"""The catalog across processes: a publish in one app is served by another on the same database.

Also: a broken shipped file stops the start, and is never a 500 on every page.
"""

from __future__ import annotations

import logging
import threading
import time

import pytest
from conftest import QUESTIONNAIRES, create_tables, make_app
from portal_factories import make_org
from studio_samples import OVERLAY

from scan import StartupError, create_app
from scan.platform.catalog import get_catalog, invalidate
from scan.platform.extensions import db
from scan.platform.models import Organisation, QuestionnaireDocument
from scan.studio import documents

PROMISE_SECONDS = 3.0  # what the README promises: visible everywhere within a few seconds


def _publish_in(app) -> None:
    with app.app_context():
        organisation = make_org("Recron", kind="branche")
        doc, _ = documents.import_text(organisation, "test", OVERLAY, get_catalog())
        documents.publish(doc, "test", get_catalog())
        db.session.commit()
        invalidate()  # as the studio and the CLI do after a commit


def _retire_in(app) -> None:
    with app.app_context():
        doc = db.session.scalar(db.select(QuestionnaireDocument))
        documents.retire(doc, "test")
        db.session.commit()


def _status(client, path="/scan/voorbeeld_recron") -> int:
    return client.get(path).status_code


def _wait_for(client, status: int) -> float:
    start = time.monotonic()
    while time.monotonic() - start < PROMISE_SECONDS + 2:
        if _status(client) == status:
            return time.monotonic() - start
        time.sleep(0.05)
    return float("inf")


@pytest.mark.serial  # times the promise: alone, after the parallel part (make test)
def test_two_apps__publish_in_one__served_by_the_other_within_the_promise(database):
    writer = make_app(database, CATALOG_CHECK_SECONDS=1.0)
    reader = make_app(database, CATALOG_CHECK_SECONDS=1.0)
    with writer.app_context():
        create_tables()
    try:
        reader_client = reader.test_client()
        assert _status(reader_client) == 404  # the reader has built its catalog already
        _publish_in(writer)
        assert _status(writer.test_client()) == 200  # the writer at once
        assert _wait_for(reader_client, 200) <= PROMISE_SECONDS
        assert "Voorbeeldscan voor vakantieparken" in reader_client.get("/").get_data(as_text=True)
        _retire_in(writer)
        assert _wait_for(reader_client, 404) <= PROMISE_SECONDS
    finally:
        for app in (writer, reader):
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


def test_generation__concurrent_publishes__every_one_counted(database):
    app = make_app(database)
    with app.app_context():
        create_tables()
    errors = []

    def bump():
        try:
            with app.app_context():
                documents.bump_generation()
                db.session.commit()
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=bump) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        from scan.platform.models import CatalogState

        generation = db.session.scalar(db.select(CatalogState.generation))
        db.session.remove()
        db.engine.dispose()
    # SQLite may refuse a writer that waited too long; every bump that returned is counted.
    assert generation == 6 - len(errors)
    assert len(errors) <= (0 if "postgresql" in str(database) else 5)


@pytest.fixture
def broken_folder(tmp_path):
    folder = tmp_path / "q"
    folder.mkdir()
    for path in QUESTIONNAIRES.glob("*.yaml"):
        (folder / path.name).write_text(path.read_text())
    registry = (folder / "referrals.yaml").read_text()
    first = registry.index("verified_on: ") + len("verified_on: ")
    (folder / "referrals.yaml").write_text(registry[:first] + "2026-02-30" + registry[first + 10 :])
    line = registry[:first].count("\n") + 1
    return folder, f"referrals.yaml:{line}:18: error: '2026-02-30' is not a real date"


def test_broken_registry__start_up_fails_naming_file_line_column(tmp_path, broken_folder):
    folder, located = broken_folder
    with pytest.raises(StartupError) as info:
        create_app(
            {
                "SECRET_KEY": "x",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'a.sqlite'}",
                "QUESTIONNAIRE_DIR": str(folder),
            }
        )
    assert located in str(info.value)


def test_broken_registry__under_cli__pages_503_not_500_and_validate_locates(
    tmp_path, broken_folder, caplog
):
    folder, located = broken_folder
    caplog.set_level(logging.ERROR)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'a.sqlite'}",
            "QUESTIONNAIRE_DIR": str(folder),
        }
    )
    assert located in caplog.text
    client = app.test_client()
    for path in ("/", "/scan/haven", "/privacy", "/inloggen"):
        assert client.get(path).status_code == 503, path
    health = client.get("/healthz")
    assert (health.status_code, health.json["status"]) == (503, "questionnaires invalid")
    result = app.test_cli_runner().invoke(
        args=["questionnaires", "validate", str(folder / "referrals.yaml")]
    )
    assert result.exit_code == 1
    assert located in result.output


def test_create_same_id__two_threads__one_draft_no_crash(database):
    from threading import Barrier

    app = make_app(database)
    with app.app_context():
        create_tables()
        make_org("Recron", kind="branche")
    barrier, outcomes = Barrier(2), []

    def create():
        with app.app_context():
            organisation = db.session.scalar(db.select(Organisation))
            catalog = get_catalog()
            base = catalog.get("voorbeeld")
            barrier.wait()
            try:
                documents.create_draft(organisation, "test", "zelfde_code", base, catalog)
                db.session.commit()
                outcomes.append("made")
            except documents.DocumentError as exc:
                db.session.rollback()
                outcomes.append(exc.message)
            except Exception as exc:  # SQLite may refuse the second writer
                db.session.rollback()
                outcomes.append(f"database: {type(exc).__name__}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        count = db.session.scalar(db.select(db.func.count(QuestionnaireDocument.id)))
        db.session.remove()
        db.engine.dispose()
    assert count == 1
    assert sorted(outcomes) == [
        "'zelfde_code' was just made by someone else; open it in the list",
        "made",
    ]
