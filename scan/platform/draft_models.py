"""What keeps a branch author's work: earlier saves of a draft, and a text that waits for a login.

`DraftRevision` rows are the draft's history ("Eerdere versies"), at most
`scan.studio.drafts.KEPT_REVISIONS` per document. `WaitingText` holds a text posted to the
editor after the author's session had ended, tied to that account and that document, until the
same account logs in again and opens the document (scan/studio/drafts.py).
`DocumentTranslation` holds a document's translation per language (en, pl).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from scan.platform.extensions import db
from scan.platform.stamps import utcnow

# Flask-SQLAlchemy makes its declarative base at run time: typed as Any, the models type-check.
Model: Any = db.Model


class DraftRevision(Model):
    """One saved text of a draft, newest the highest number."""

    __tablename__ = "draft_revisions"
    __table_args__ = (Index("ix_draft_revisions_document", "document_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_documents.id", ondelete="CASCADE")
    )
    revision: Mapped[int]
    source: Mapped[str] = mapped_column(Text)
    saved_by: Mapped[str] = mapped_column(String(254))
    saved_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class WaitingText(Model):
    """A text posted to a document after the session ended, kept for that account only."""

    __tablename__ = "waiting_texts"
    __table_args__ = (Index("ix_waiting_texts_owner", "user_id", "document_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    document_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_documents.id", ondelete="CASCADE")
    )
    revision: Mapped[int]
    source: Mapped[str] = mapped_column(Text)
    posted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class DocumentTranslation(Model):
    """A document's translation in one language: gettext .po text keyed on id paths.

    Only the texts the author wrote (the overlay's own items) are in it; inherited texts read
    the base's shipped translation. A draft's rows change under the document's row lock with
    their own revision (optimistic locking, as the text's); a published document's never
    change, and a new draft starts with a copy (scan/studio/translation_store.py).
    """

    __tablename__ = "document_translations"
    __table_args__ = (
        UniqueConstraint("document_id", "language", name="uq_document_translations_language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_documents.id", ondelete="CASCADE")
    )
    language: Mapped[str] = mapped_column(String(5))
    source: Mapped[str] = mapped_column(Text)
    revision: Mapped[int] = mapped_column(default=0, server_default="0")
    saved_by: Mapped[str] = mapped_column(String(254))
    saved_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
