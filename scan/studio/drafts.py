"""No lost work in the studio: a text posted after the session ended waits for its author,
and a draft goes back to one of its earlier saves.

Where a text waits: the editor's form carries a signed note of the account and the document
(`author_note`, signed with SECRET_KEY, valid WAITING_DAYS). A text posted without a session
is kept on the server, tied to that account and that document (`WaitingText`), and shown only
to the same account in that document's editor after it logs in again. It is the branch's own
questionnaire text, no personal data; another account, even one logged in in the same
browser, never sees it. It goes when the author saves the draft or discards it, or after
WAITING_DAYS. The caller commits.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, select

from scan.platform.catalog import get_catalog
from scan.platform.draft_models import DraftRevision, WaitingText
from scan.platform.extensions import db
from scan.platform.models import QuestionnaireDocument, User
from scan.platform.stamps import utcnow
from scan.studio import documents, draft_history

WAITING_DAYS = 7
_SALT = "studio-waiting-text"


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def author_note(user: User, doc: QuestionnaireDocument) -> str:
    """Return the signed note of who edits which document, for the editor's form."""
    return _signer().dumps([user.id, doc.public_id])


def author_of(note: str, public_id: str) -> int | None:
    """Return the account id a valid note names for this document, else None."""
    try:
        user_id, note_document = _signer().loads(note, max_age=WAITING_DAYS * 86400)
    except (BadSignature, TypeError, ValueError):
        return None
    return user_id if note_document == public_id and isinstance(user_id, int) else None


def keep_waiting(user_id: int, public_id: str, text: str, revision: int | None) -> bool:
    """Keep a text posted without a session for its author; False when it cannot wait."""
    doc = db.session.scalar(select(QuestionnaireDocument).filter_by(public_id=public_id))
    user = db.session.get(User, user_id)
    if doc is None or doc.status != "draft" or user is None or not user.is_active:
        return False
    if user.role != "admin" and user.organisation_id != doc.organisation_id:
        return False
    _forget(user_id, doc.id)
    oldest = utcnow() - dt.timedelta(days=WAITING_DAYS)
    db.session.execute(delete(WaitingText).where(WaitingText.posted_at < oldest))
    db.session.add(
        WaitingText(
            user_id=user_id,
            document_id=doc.id,
            revision=doc.revision if revision is None else revision,
            source=text,
        )
    )
    db.session.commit()
    return True


def waiting_for(user: User, doc: QuestionnaireDocument) -> WaitingText | None:
    """Return the text waiting for this account in this document's editor, if any."""
    oldest = utcnow() - dt.timedelta(days=WAITING_DAYS)
    return db.session.scalar(
        select(WaitingText)
        .where(
            WaitingText.user_id == user.id,
            WaitingText.document_id == doc.id,
            WaitingText.posted_at >= oldest,
        )
        .order_by(WaitingText.id.desc())
        .limit(1)
    )


def discard_waiting(user: User, doc: QuestionnaireDocument) -> None:
    """Forget the texts waiting for this account in this document (saved or thrown away)."""
    _forget(user.id, doc.id)


def _forget(user_id: int, document_id: int) -> None:
    db.session.execute(
        delete(WaitingText).where(
            WaitingText.user_id == user_id, WaitingText.document_id == document_id
        )
    )


def earlier_saves(doc: QuestionnaireDocument) -> list[DraftRevision]:
    """Return the draft's kept saves, newest first."""
    return draft_history.earlier(doc)


def restore(
    doc: QuestionnaireDocument, revision: int, actor: User, read_revision: int | None
) -> DraftRevision | None:
    """Save an earlier save's text as the draft (a new save); None when it is not kept."""
    earlier = draft_history.find(doc, revision)
    if earlier is None:
        return None
    documents.save(doc, earlier.source, actor, get_catalog(), read_revision)
    discard_waiting(actor, doc)
    return earlier
