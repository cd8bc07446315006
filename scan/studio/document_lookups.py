"""Finding questionnaire documents: an organisation's, by public id, by questionnaire id.

Reading only; the changes are in scan/studio/documents.py, the checks in document_checks.py.
"""

from __future__ import annotations

from sqlalchemy import func, select

from scan.platform.extensions import db
from scan.platform.models import QuestionnaireDocument


def documents_of(organisation_id: int | None) -> list[QuestionnaireDocument]:
    """Return the documents of one organisation (every organisation for None), newest first."""
    query = select(QuestionnaireDocument).order_by(
        QuestionnaireDocument.questionnaire_id, QuestionnaireDocument.version.desc()
    )
    if organisation_id is not None:
        query = query.where(QuestionnaireDocument.organisation_id == organisation_id)
    return list(db.session.scalars(query))


def get_document(public_id: str, organisation_id: int | None) -> QuestionnaireDocument | None:
    """Return a document by public id, only within the organisation (any for None)."""
    query = select(QuestionnaireDocument).where(QuestionnaireDocument.public_id == public_id)
    if organisation_id is not None:
        query = query.where(QuestionnaireDocument.organisation_id == organisation_id)
    return db.session.scalar(query)


def versions_of(questionnaire_id: str) -> list[QuestionnaireDocument]:
    """Return every version of a questionnaire id, newest first."""
    query = (
        select(QuestionnaireDocument)
        .where(QuestionnaireDocument.questionnaire_id == questionnaire_id)
        .order_by(QuestionnaireDocument.version.desc())
    )
    return list(db.session.scalars(query))


def find(questionnaire_id: str, version: int | None = None) -> QuestionnaireDocument | None:
    """Return one version of a questionnaire id (the newest published one for None)."""
    query = select(QuestionnaireDocument).where(
        QuestionnaireDocument.questionnaire_id == questionnaire_id
    )
    if version is None:
        query = query.where(QuestionnaireDocument.status == "published")
    else:
        query = query.where(QuestionnaireDocument.version == version)
    return db.session.scalar(query.order_by(QuestionnaireDocument.version.desc()).limit(1))


def draft_of(questionnaire_id: str) -> QuestionnaireDocument | None:
    """Return the open draft of a questionnaire id, if there is one."""
    return db.session.scalar(
        select(QuestionnaireDocument).where(
            QuestionnaireDocument.questionnaire_id == questionnaire_id,
            QuestionnaireDocument.status == "draft",
        )
    )


def published_of(organisation_id: int) -> list[QuestionnaireDocument]:
    """Return the newest published version of each of an organisation's questionnaires."""
    newest = (
        select(QuestionnaireDocument.questionnaire_id, func.max(QuestionnaireDocument.version))
        .where(
            QuestionnaireDocument.organisation_id == organisation_id,
            QuestionnaireDocument.status == "published",
        )
        .group_by(QuestionnaireDocument.questionnaire_id)
    )
    keys = set(db.session.execute(newest).all())
    return [
        d
        for d in documents_of(organisation_id)
        if d.status == "published" and (d.questionnaire_id, d.version) in keys
    ]
