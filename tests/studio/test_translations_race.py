"""Two authors save one draft's English translation at the same moment, read at the same
revision: exactly one is stored and the other gets a conflict, never a silent overwrite. Real
threads on SQLite and PostgreSQL (issue 27, as the draft text in issue 21)."""

from __future__ import annotations

import pytest
from conftest import make_app
from portal_factories import make_org, make_user
from race_support import slow_statements, together
from studio_samples import OVERLAY

from scan.platform.catalog import get_catalog
from scan.platform.extensions import db
from scan.platform.models import QuestionnaireDocument, User
from scan.studio import documents, translation_store
from scan.studio.translation_rows import texts_of

ROUNDS = 5
QUESTION = "question:sleutelbeheer.text"


@pytest.fixture
def race_app(database):
    app = make_app(database)
    with app.app_context():
        db.create_all()
        # Both saves read the revision before either writes.
        slow_statements(db.engine, ("UPDATE DOCUMENT_TRANSLATIONS", "INSERT INTO DOCUMENT_"), 0.02)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _save_as(app, doc_id: int, text: str, read_revision: int):
    def job():
        with app.app_context():
            doc = db.session.get(QuestionnaireDocument, doc_id)
            author = db.session.scalar(db.select(User))
            try:
                translation_store.save_texts(
                    doc, "en", {QUESTION: text}, set(), author, get_catalog(), read_revision
                )
                db.session.commit()
                return text
            except documents.DocumentError as error:
                db.session.rollback()
                return error

    return job


def test_two_translation_saves_at_one_revision__one_stored_other_conflict(race_app):
    app = race_app
    with app.app_context():
        branch = make_org("Recron", kind="branche")
        make_user("branche@recron.nl", "branch_admin", branch)
        doc, _ = documents.import_text(branch, "test", OVERLAY, get_catalog())
        db.session.commit()
        doc_id = doc.id
    for round_number in range(ROUNDS):
        with app.app_context():
            read = translation_store.revision_of(
                db.session.get(QuestionnaireDocument, doc_id), "en"
            )
        texts = [f"Do you know who has a key? (round {round_number}, {a})" for a in "AB"]
        results = together(*(_save_as(app, doc_id, t, read) for t in texts))
        stored = [r for r in results if isinstance(r, str)]
        conflicts = [r for r in results if isinstance(r, documents.DraftConflict)]
        assert len(stored) == 1 and len(conflicts) == 1, results
        with app.app_context():
            doc = db.session.get(QuestionnaireDocument, doc_id)
            assert translation_store.revision_of(doc, "en") == read + 1
            assert stored[0] in texts_of(doc)["en"]
