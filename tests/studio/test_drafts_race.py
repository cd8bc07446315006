"""Two authors save one draft at the same moment, read at the same revision: exactly one
text is stored and the other author gets a conflict, never a silent overwrite. Real threads
on SQLite and PostgreSQL (issue 21)."""

from __future__ import annotations

import pytest
from conftest import make_app
from portal_factories import make_org
from race_support import slow_statements, together
from studio_samples import OVERLAY

from scan.platform.catalog import get_catalog
from scan.platform.extensions import db
from scan.platform.models import QuestionnaireDocument
from scan.studio import documents, draft_history

ROUNDS = 8


@pytest.fixture
def race_app(database):
    app = make_app(database)
    with app.app_context():
        db.create_all()
        # Both saves read the revision before either writes.
        slow_statements(db.engine, ("UPDATE QUESTIONNAIRE_DOCUMENTS",), 0.02)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _save_as(app, doc_id: int, text: str, read_revision: int):
    def job():
        with app.app_context():
            doc = db.session.get(QuestionnaireDocument, doc_id)
            try:
                documents.save(doc, text, "author", get_catalog(), read_revision)
                db.session.commit()
                return text
            except documents.DocumentError as error:
                db.session.rollback()
                return error

    return job


def test_two_saves_at_one_revision__one_stored_other_conflict(race_app):
    app = race_app
    with app.app_context():
        branch = make_org("Recron", kind="branche")
        doc, _ = documents.import_text(branch, "test", OVERLAY, get_catalog())
        db.session.commit()
        doc_id = doc.id
    for round_number in range(ROUNDS):
        with app.app_context():
            read = db.session.get(QuestionnaireDocument, doc_id).revision
        texts = [OVERLAY + f"# ronde {round_number} auteur {a}\n" for a in "AB"]
        results = together(*(_save_as(app, doc_id, t, read) for t in texts))
        stored = [r for r in results if isinstance(r, str)]
        conflicts = [r for r in results if isinstance(r, documents.DraftConflict)]
        assert len(stored) == 1 and len(conflicts) == 1, results
        with app.app_context():
            doc = db.session.get(QuestionnaireDocument, doc_id)
            assert doc.source == stored[0]
            assert doc.revision == read + 1
            assert draft_history.earlier(doc)[0].source == stored[0]
