"""A document's translation rows: read them, and copy them into a new draft.

One `DocumentTranslation` per document and language holds the author's gettext text. A
published document's rows never change (the studio edits only a draft's); a new draft,
made from any version, starts with that version's translations (documents.new_draft).
The caller commits.
"""

from __future__ import annotations

from sqlalchemy import select

from scan.platform.draft_models import DocumentTranslation
from scan.platform.extensions import db
from scan.platform.models import QuestionnaireDocument


def rows_of(doc: QuestionnaireDocument) -> dict[str, DocumentTranslation]:
    """Return the document's translation rows by language."""
    if doc.id is None:
        return {}
    rows = db.session.scalars(
        select(DocumentTranslation).where(DocumentTranslation.document_id == doc.id)
    )
    return {row.language: row for row in rows}


def texts_of(doc: QuestionnaireDocument) -> dict[str, str]:
    """Return the document's translations as language -> .po text."""
    return {language: row.source for language, row in rows_of(doc).items()}


def copy_translations(source: QuestionnaireDocument, draft: QuestionnaireDocument) -> None:
    """Give a new draft the translations of the version it was made from."""
    for language, row in rows_of(source).items():
        db.session.add(
            DocumentTranslation(
                document_id=draft.id,
                language=language,
                source=row.source,
                saved_by=row.saved_by,
                saved_at=row.saved_at,
            )
        )
