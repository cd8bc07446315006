"""The Talen tab: how far a document's translations are, editing them, and a .po file out and in.

Routes of the studio blueprint (scan/studio/views.py); the services are translation_checks.py
(figures), translation_store.py (changes) and overlay_translations.py (the domain). The
studio stays Dutch; the translated fields carry their own `lang`.
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from scan.platform.catalog import get_catalog
from scan.platform.inputs import database_int
from scan.portal.auth import roles_required
from scan.questionnaire.overlay_translations import readability_hints
from scan.studio import documents
from scan.studio import translation_checks as checks
from scan.studio import translation_store as store
from scan.studio.author_rows import refusal
from scan.studio.views import ROLES, bp, document_or_404


@bp.context_processor
def _translation_words() -> dict:
    """Name each id path in Dutch on every studio page that lists translations."""
    return {"describe": checks.describe}


def _language_or_404(language: str) -> str:
    found = store.language_or_none(language)
    if found is None:
        abort(404)
    return found


def _figures_or_back(doc):
    """Return the document's questionnaire and figures; send the author to the text on errors."""
    catalog = get_catalog()
    try:
        q = store.loaded(doc, catalog)
    except documents.DocumentError:
        flash("Deze scan heeft nog fouten. Los die eerst op; daarna kunt u vertalen.", "error")
        abort(redirect(url_for("studio.editor", public_id=doc.public_id)))
    return q, checks.figures(doc, q, catalog)


@bp.get("/<public_id>/talen")
@roles_required(*ROLES)
def languages(public_id: str):
    """Show per language how complete the translation is, what is missing and outdated."""
    doc = document_or_404(public_id)
    _, figures = _figures_or_back(doc)
    return _overview(doc, figures, [])


def _overview(doc, figures, errors, status: int = 200):
    return render_template(
        "studio/languages.html",
        doc=doc,
        figures=figures,
        errors=errors,
    ), status


def _edit_page(doc, language: str, posted=None, errors=None, status: int = 200):
    q, figures = _figures_or_back(doc)
    item = next(f for f in figures if f.language == language)
    own = checks.document_own_texts(doc, q, get_catalog())
    current = store.current_texts(doc, language)
    shown = posted if posted is not None else current
    problems = {p.path: p.message for p in item.errors if p.path}
    return render_template(
        "studio/language_edit.html",
        doc=doc,
        item=item,
        own=own,
        texts=shown,
        outdated={o.path: o for o in item.outdated},
        problems=problems,
        problem_links=[
            (f"t-{index}", f"{checks.describe(path)}: {problems[path]}")
            for index, (path, _) in enumerate(own, 1)
            if path in problems
        ],
        hints=readability_hints({p: t for p, t in shown.items() if t}, language),
        revision=store.revision_of(doc, language),
        errors=errors or [],
    ), status


@bp.get("/<public_id>/talen/<language>")
@roles_required(*ROLES)
def language_edit(public_id: str, language: str):
    """Show the Dutch texts beside their translations, one field per text."""
    return _edit_page(document_or_404(public_id), _language_or_404(language))


@bp.post("/<public_id>/talen/<language>")
@roles_required(*ROLES)
def language_save(public_id: str, language: str):
    """Save the edited translations; every text not posted stays as it was."""
    doc = document_or_404(public_id)
    language = _language_or_404(language)
    prefix = "vertaling:"
    posted = {
        key[len(prefix) :]: value.replace("\r\n", "\n")
        for key, value in request.form.items()
        if key.startswith(prefix)
    }
    confirmed = set(request.form.getlist("klopt"))
    revision = request.form.get("revision", type=database_int)
    try:
        store.save_texts(doc, language, posted, confirmed, current_user, get_catalog(), revision)
    except documents.DocumentError as exc:
        documents.drop_changes()
        conflict = isinstance(exc, documents.DraftConflict)
        message = (
            "Iemand anders heeft deze vertaling net opgeslagen. Uw teksten staan hieronder nog; "
            "kopieer wat u wilt houden en laad de pagina opnieuw."
            if conflict
            else f"Niet opgeslagen: {_why(exc)}."
        )
        return _edit_page(doc, language, posted, [("vertalingen", message)], exc.status)
    documents.record(current_user, "translation_saved", doc)
    flash("De vertaling is opgeslagen.", "info")
    return redirect(url_for("studio.language_edit", public_id=doc.public_id, language=language))


@bp.get("/<public_id>/talen/<language>/download")
@roles_required(*ROLES)
def language_download(public_id: str, language: str):
    """Send the translation as a .po file for a translator."""
    doc = document_or_404(public_id)
    language = _language_or_404(language)
    _figures_or_back(doc)
    text = store.export(doc, language, get_catalog())
    documents.record(current_user, "translation_downloaded", doc)
    name = checks.po_name(doc, language)
    return Response(
        text,
        mimetype="text/x-gettext-translation",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.post("/<public_id>/talen/<language>/upload")
@roles_required(*ROLES)
def language_upload(public_id: str, language: str):
    """Take a translator's .po file back; refuse it whole on any error, nothing lost."""
    doc = document_or_404(public_id)
    language = _language_or_404(language)
    upload = request.files.get("bestand")
    data = upload.read(store.MAX_PO_BYTES + 1) if upload else b""
    revision = request.form.get("revision", type=database_int)
    try:
        warnings = store.import_po(doc, language, data, current_user, get_catalog(), revision)
    except documents.DocumentError as exc:
        documents.drop_changes()
        _, figures = _figures_or_back(doc)
        errors = [("bestand-" + language, _located(p)) for p in exc.problems]
        errors = errors or [("bestand-" + language, f"Niet ingelezen: {_why(exc)}.")]
        return _overview(doc, figures, errors, exc.status)
    documents.record(current_user, "translation_imported", doc)
    flash(_imported_message(len(warnings)), "info")
    return redirect(url_for("studio.languages", public_id=doc.public_id))


def _why(exc: documents.DocumentError) -> str:
    """Return why a change was refused, in Dutch."""
    return exc.message if isinstance(exc, store.TranslationError) else refusal(exc.message)


def _located(problem) -> str:
    where = f"regel {problem.position.line}" if problem.position.line else "het bestand"
    what = f" ({problem.path})" if problem.path else ""
    return f"Niet ingelezen, {where}{what}: {problem.message}."


def _imported_message(gaps: int) -> str:
    if not gaps:
        return "Het bestand is ingelezen. Alle teksten zijn vertaald."
    return (
        f"Het bestand is ingelezen. {gaps} teksten zijn nog niet vertaald of verouderd; "
        "die staan hieronder gemarkeerd."
    )
