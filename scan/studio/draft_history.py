"""A draft's earlier saves ("Eerdere versies"): every stored text is kept, the newest
KEPT_REVISIONS per document, so an author can go back to any of them.

Called by `documents._store` under the document's row lock, in the caller's transaction; it
also raises the document's revision number, which the editor posts back (optimistic locking).
"""

from __future__ import annotations

from sqlalchemy import delete, select

from scan.platform.draft_models import DraftRevision
from scan.platform.extensions import db
from scan.platform.models import QuestionnaireDocument
from scan.platform.stamps import utcnow

KEPT_REVISIONS = 30


def keep(doc: QuestionnaireDocument, text: str, saved_by: str) -> None:
    """Raise the document's revision and keep the new text; on the first save also the old one."""
    doc.revision = (doc.revision or 0) + 1
    if doc.id is None:  # a new row (an import): its history starts with its next save
        return
    if not db.session.scalar(select(DraftRevision.id).filter_by(document_id=doc.id).limit(1)):
        db.session.add(
            DraftRevision(
                document_id=doc.id,
                revision=doc.revision - 1,
                source=doc.source,
                saved_by=doc.saved_by,
                saved_at=doc.saved_at,
            )
        )
    db.session.add(
        DraftRevision(
            document_id=doc.id,
            revision=doc.revision,
            source=text,
            saved_by=saved_by,
            saved_at=utcnow(),
        )
    )
    db.session.execute(
        delete(DraftRevision).where(
            DraftRevision.document_id == doc.id,
            DraftRevision.revision <= doc.revision - KEPT_REVISIONS,
        )
    )


def earlier(doc: QuestionnaireDocument) -> list[DraftRevision]:
    """Return the document's kept saves, newest first."""
    return list(
        db.session.scalars(
            select(DraftRevision)
            .filter_by(document_id=doc.id)
            .order_by(DraftRevision.revision.desc())
        )
    )


def find(doc: QuestionnaireDocument, revision: int) -> DraftRevision | None:
    """Return one kept save of the document, else None."""
    return db.session.scalar(select(DraftRevision).filter_by(document_id=doc.id, revision=revision))
