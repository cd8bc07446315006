"""What keeps a branch author's work: earlier saves of a draft, and a text that waits for a login.

`DraftRevision` rows are the draft's history ("Eerdere versies"), at most
`scan.studio.drafts.KEPT_REVISIONS` per document. `WaitingText` holds a text posted to the
editor after the author's session had ended, tied to that account and that document, until the
same account logs in again and opens the document (scan/studio/drafts.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
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
