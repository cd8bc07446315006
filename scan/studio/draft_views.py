"""No lost work: a text posted after the session ended, earlier saves, a too large request.

Routes and handlers of the studio blueprint (scan/studio/views.py); the services are in
drafts.py. A POST to the editor without a session (ended by the idle clock, by a logout in
another tab, or its form token gone) keeps its text for the same account when the form's
signed author note is valid, and sends the author to the login page; after logging in, the
document's editor shows the text again.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import RequestEntityTooLarge

from scan.platform.errors import render_error
from scan.platform.inputs import database_int
from scan.portal.auth import roles_required
from scan.studio import document_checks, documents, drafts
from scan.studio.author_rows import refusal
from scan.studio.views import EDITOR_REQUEST_LIMIT, ROLES, bp, document_or_404


def _keep_for_login():
    """Keep a posted editor text for its author and send them to log in; None if it cannot."""
    public_id = (request.view_args or {}).get("public_id", "")
    text = request.form.get("source")
    author = drafts.author_of(request.form.get("author", ""), public_id)
    if text is None or author is None:
        return None
    revision = request.form.get("revision", type=database_int)
    if not drafts.keep_waiting(author, public_id, text.replace("\r\n", "\n"), revision):
        return None
    editor_url = url_for("studio.editor", public_id=public_id)
    if current_user.is_authenticated:
        return redirect(editor_url)
    flash(
        "U was niet meer ingelogd. Uw tekst is nog niet in de scan opgeslagen, maar wij houden "
        "hem voor u vast. Log opnieuw in: dan staat hij weer in de editor.",
        "info",
    )
    return redirect(url_for("auth.login", next=editor_url))


@bp.before_request
def _text_without_session():
    if request.endpoint == "studio.change" and not current_user.is_authenticated:
        return _keep_for_login()
    return None


@bp.errorhandler(CSRFError)
def _form_token_gone(error: CSRFError):
    kept = _keep_for_login() if request.endpoint == "studio.change" else None
    return kept or render_error(
        400,
        "Dit formulier is verlopen of niet geldig. Er is niets opgeslagen. "
        "Laad de pagina opnieuw en probeer het nog eens.",
    )


@bp.errorhandler(RequestEntityTooLarge)
def _request_too_large(error: RequestEntityTooLarge):
    most = document_checks.MAX_SOURCE_BYTES // 1024
    if request.endpoint != "studio.change":
        return render_error(413, f"Dit bestand is groter dan {most} KiB. Er is niets opgeslagen.")
    return render_error(
        413,
        f"Uw tekst is veel groter dan de {most} KiB die een scan mag hebben (meer dan "
        f"{EDITOR_REQUEST_LIMIT // 1024} KiB). Er is niets opgeslagen. Ga terug met de knop "
        "Terug van uw browser: daar staat uw tekst nog.",
    )


@bp.get("/<public_id>/eerdere-versies")
@roles_required(*ROLES)
def earlier_saves(public_id: str):
    """List the draft's earlier saves, each with its text and a button to restore it."""
    doc = document_or_404(public_id)
    saves = drafts.earlier_saves(doc)
    return render_template("studio/earlier_saves.html", doc=doc, saves=saves)


@bp.post("/<public_id>/eerdere-versies/<int:revision>")
@roles_required(*ROLES)
def restore_save(public_id: str, revision: int):
    """Make an earlier save the draft's text again (itself a new save, kept in the list)."""
    doc = document_or_404(public_id)
    if doc.status != "draft":
        abort(409)
    try:
        restored = drafts.restore(
            doc, revision, current_user, request.form.get("revision", type=database_int)
        )
    except documents.DocumentError as exc:
        documents.drop_changes()
        flash(f"Niet teruggezet: {refusal(exc.message)}.", "error")
        return redirect(url_for("studio.earlier_saves", public_id=doc.public_id))
    if restored is None:
        abort(404)
    documents.record(current_user, "document_restored", doc)
    flash(f"De tekst van {restored.saved_at:%d-%m-%Y %H:%M} staat weer in de editor.", "info")
    return redirect(url_for("studio.editor", public_id=doc.public_id))


@bp.post("/<public_id>/bewaarde-tekst-weg")
@roles_required(*ROLES)
def discard_waiting(public_id: str):
    """Throw away the text that waited for this account: the editor shows the draft again."""
    doc = document_or_404(public_id)
    drafts.discard_waiting(current_user, doc)
    documents.record(current_user, "document_waiting_discarded", doc)
    flash("De bewaarde tekst is weggegooid. Dit is de opgeslagen tekst.", "info")
    return redirect(url_for("studio.editor", public_id=doc.public_id))
