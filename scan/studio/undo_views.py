"""Undo in the studio: publish an earlier version again, restore a retired scan."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from scan.platform.catalog import get_catalog, invalidate
from scan.platform.models import QuestionnaireDocument
from scan.portal.auth import roles_required
from scan.portal.staff_sessions import fresh_login_required
from scan.studio import documents, undo
from scan.studio.author_rows import refusal
from scan.studio.views import ROLES, bp, document_or_404


@bp.post("/<public_id>/opnieuw-publiceren")
@roles_required(*ROLES)
@fresh_login_required
def republish(public_id: str):
    """Publish this earlier version's text again, as the next version (after every check)."""
    doc = document_or_404(public_id)
    try:
        new, _ = undo.republish(doc, current_user, get_catalog())
    except documents.DocumentError as exc:
        return _refused(doc, "Niet opnieuw gepubliceerd", exc)
    return _done(
        new,
        "document_republished",
        f"De tekst van versie {doc.version} is opnieuw gepubliceerd, als versie {new.version}.",
    )


@bp.post("/<public_id>/terugzetten")
@roles_required(*ROLES)
@fresh_login_required
def restore(public_id: str):
    """Put a retired scan back: members can start it again (after every check)."""
    doc = document_or_404(public_id)
    try:
        undo.restore(doc, current_user, get_catalog())
    except documents.DocumentError as exc:
        return _refused(doc, "Niet teruggezet", exc)
    return _done(
        doc, "document_restored", "De scan is teruggezet. Ondernemers kunnen hem weer beginnen."
    )


def _refused(doc: QuestionnaireDocument, what: str, exc: documents.DocumentError):
    documents.drop_changes()
    flash(f"{what}: {refusal(exc.message)}.", "error")
    return redirect(url_for("studio.editor", public_id=doc.public_id))


def _done(doc: QuestionnaireDocument, action: str, message: str):
    """Audit and commit the change, let the catalog reload, and show the document."""
    documents.record(current_user, action, doc)
    invalidate()
    flash(message, "info")
    return redirect(url_for("studio.editor", public_id=doc.public_id))
