"""Undoing a publish or a retire: publish an earlier version again, restore a retired scan.

A published version never changes, so going back to an earlier text publishes it as the next
version (checked as any publish). Restoring a retired scan puts its newest retired version back
into service, after the same checks as a publish (the rules may have become stricter since).
Retiring a scan that other organisations' scans build on warns about them (`built_on`).
The caller commits.
"""

from __future__ import annotations

from sqlalchemy import select

from scan.platform.catalog import bump_generation
from scan.platform.extensions import db
from scan.platform.models import QuestionnaireDocument, User, utcnow
from scan.questionnaire import Catalog
from scan.studio import document_checks, document_lookups, documents
from scan.studio.document_checks import Report
from scan.studio.document_texts import set_version
from scan.studio.documents import DocumentError, actor_name
from scan.studio.publish_checks import publish_problems


def republish(
    doc: QuestionnaireDocument, actor: User | str, catalog: Catalog
) -> tuple[QuestionnaireDocument, Report]:
    """Publish an earlier version's text again, as the next version; refuse on any error."""
    if doc.status == "draft":
        raise DocumentError("a draft is published with publish, not again")
    if document_lookups.draft_of(doc.questionnaire_id) is not None:
        raise DocumentError(
            "there is an open draft; publish or change that one, so that no work is lost",
            status=409,
        )
    _check_before(doc, catalog)  # refused: no draft is left behind
    draft = documents.new_draft(doc, actor)
    draft.source = set_version(doc.source, draft.version)
    report = documents.publish(draft, actor, catalog)
    return draft, report


def _check_before(doc: QuestionnaireDocument, catalog: Catalog) -> None:
    """Check an earlier text as the next version, as publish will; raise on any error."""
    version = max(d.version for d in document_lookups.versions_of(doc.questionnaire_id)) + 1
    probe = QuestionnaireDocument(questionnaire_id=doc.questionnaire_id, version=version)
    report = document_checks.check_document(probe, set_version(doc.source, version), catalog)
    report.problems += publish_problems(report.questionnaire, report.data, probe.file_name)
    if report.errors:
        raise DocumentError("the earlier version has errors; it was not published", report.errors)


def restore(doc: QuestionnaireDocument, actor: User | str, catalog: Catalog) -> Report:
    """Put the newest retired version of a questionnaire back into service, after the checks."""
    retired = [
        d for d in document_lookups.versions_of(doc.questionnaire_id) if d.status == "retired"
    ]
    if not retired:
        raise DocumentError("nothing of this questionnaire is retired", status=409)
    newest = documents.lock_document(retired[0])
    report = document_checks.check_document(newest, newest.source, catalog)
    report.problems += publish_problems(report.questionnaire, report.data, newest.file_name)
    if report.errors:
        raise DocumentError("the retired version has errors; it was not restored", report.errors)
    newest.status = "published"
    newest.retired_by = newest.retired_at = None
    newest.published_by, newest.published_at = actor_name(actor), utcnow()
    bump_generation()
    return report


def built_on(doc: QuestionnaireDocument) -> list[QuestionnaireDocument]:
    """Return the drafts and published scans (any organisation) that extend this questionnaire."""
    questionnaire_id = doc.questionnaire_id
    return list(
        db.session.scalars(
            select(QuestionnaireDocument)
            .where(
                QuestionnaireDocument.base_id == questionnaire_id,
                QuestionnaireDocument.status.in_(("draft", "published")),
            )
            .order_by(QuestionnaireDocument.questionnaire_id, QuestionnaireDocument.version)
        )
    )
