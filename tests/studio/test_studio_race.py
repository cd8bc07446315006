"""A branch author cannot take over a shipped scan: save and publish of one document at the
same moment, with real threads on SQLite and PostgreSQL (issue 22)."""

from __future__ import annotations

import re

import pytest
from conftest import make_app
from loader_samples import QUESTIONNAIRES
from portal_factories import make_org
from race_support import slow_statements, together
from studio_samples import BROKEN, OVERLAY

from scan.platform.catalog import get_catalog, invalidate
from scan.platform.extensions import db
from scan.platform.models import QuestionnaireDocument
from scan.questionnaire.loader import SourceText, with_documents
from scan.studio import document_checks, documents

ROUNDS = 50
PUBLISH_DELAY = 0.02  # publish's write waits: an unlocked save lands between check and write
# The takeover of issue 22: the text says it is the shipped haven scan, in a newer version.
HAVEN = int(re.search(r"^version: (\d+)$", (QUESTIONNAIRES / "haven.yaml").read_text(), re.M)[1])
NEWER = HAVEN + 1
TAKEOVER = OVERLAY.replace("id: voorbeeld_recron", "id: haven").replace(
    "version: 1\n", f"version: {NEWER}\n", 1
)


@pytest.fixture
def race_app(database):
    app = make_app(database)
    with app.app_context():
        db.create_all()

        slow_statements(db.engine, ("UPDATE QUESTIONNAIRE_DOCUMENTS",), PUBLISH_DELAY)

    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _in_app(app, doc_id: int, work):
    def job():
        with app.app_context():
            try:
                doc = db.session.get(QuestionnaireDocument, doc_id)
                result = work(doc)
                db.session.commit()
                return result
            except documents.DocumentError as error:
                db.session.rollback()
                return error

    return job


def _next_draft(app, doc_id: int) -> int:
    """Return the id of a fresh draft with a valid text (the next version after a publish)."""
    with app.app_context():
        doc = db.session.get(QuestionnaireDocument, doc_id)
        if doc.status != "draft":
            doc = documents.new_draft(doc, "test")
        doc.source = documents.set_version(OVERLAY, doc.version)
        db.session.commit()
        return doc.id


@pytest.mark.slow
def test_save_and_publish_at_once__only_checked_text_published__shipped_scan_kept(race_app):
    app = race_app
    with app.app_context():
        branch = make_org("Recron", kind="branche")
        doc, _ = documents.import_text(branch, "test", OVERLAY, get_catalog())
        db.session.commit()
        doc_id = doc.id
    outcomes = {"published": 0, "saved": 0}
    for round_number in range(ROUNDS):
        doc_id = _next_draft(app, doc_id)
        bad = TAKEOVER if round_number % 2 == 0 else BROKEN

        def save(doc, bad=bad):
            text = documents.set_version(bad, doc.version)
            return documents.save(doc, text, "attacker", get_catalog())

        def publish(doc):
            return documents.publish(doc, "attacker", get_catalog())

        saved, published = together(_in_app(app, doc_id, save), _in_app(app, doc_id, publish))
        for result in (saved, published):
            assert isinstance(result, (document_checks.Report, documents.DocumentError)), result
        outcomes["saved"] += isinstance(saved, document_checks.Report)
        outcomes["published"] += isinstance(published, document_checks.Report)
    with app.app_context():
        catalog = get_catalog()
        rows = db.session.scalars(
            db.select(QuestionnaireDocument).filter_by(status="published")
        ).all()
        failing = [
            r.version for r in rows if document_checks.check_document(r, r.source, catalog).errors
        ]
        invalidate()
        served = get_catalog()
    assert outcomes["published"] > 0
    assert failing == []
    assert served.latest["haven"].title == served.get("haven", HAVEN).title
    assert not served.owners.get(("haven", served.latest["haven"].version))
    assert [p for p in served.problems if p.severity == "error"] == []


def test_save__text_with_another_id__refused_and_not_stored(app):
    with app.app_context():
        branch = make_org("Recron", kind="branche")
        doc, _ = documents.import_text(branch, "test", OVERLAY, get_catalog())
        db.session.commit()
        with pytest.raises(documents.DocumentError) as refused:
            documents.save(
                doc, TAKEOVER.replace(f"version: {NEWER}", "version: 1"), "x", get_catalog()
            )
        db.session.rollback()
        assert refused.value.problems[0].path == "id"
        assert db.session.get(QuestionnaireDocument, doc.id).source == OVERLAY


def test_catalog__stored_text_holding_another_or_shipped_id__refused(catalog):
    takeover = SourceText("voorbeeld_recron@1.yaml", TAKEOVER, "Recron", ("voorbeeld_recron", 1))
    shipped_id = SourceText(f"haven@{NEWER}.yaml", TAKEOVER, "Recron", ("haven", NEWER))
    combined = with_documents(catalog, [takeover, shipped_id])
    assert ("haven", NEWER) not in combined.versions
    assert combined.latest["haven"].version == HAVEN
    assert sum("not what this document may publish" in p.message for p in combined.problems) == 2
