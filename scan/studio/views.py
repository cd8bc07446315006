"""The branch studio: branch organisations tailor, check, test, preview and publish their scans.

A branch admin reaches only its own organisation's documents (another organisation's id is a
404); an admin reaches all. Every save, check, upload, download, publish and retire is audited.
"""

from __future__ import annotations

import secrets

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from scan.platform import audit
from scan.platform.catalog import get_catalog, invalidate
from scan.platform.inputs import database_int
from scan.platform.models import QuestionnaireDocument
from scan.platform.security import CONTENT_SECURITY_POLICY
from scan.portal import accounts
from scan.portal.auth import roles_required
from scan.portal.staff_sessions import fresh_login_required
from scan.questionnaire import Questionnaire, UnknownQuestionnaire
from scan.questionnaire.changes import describe_changes
from scan.studio import documents, draft_pages, drafts, owners
from scan.studio.author_rows import message_rows, refusal
from scan.studio.examples import run_examples
from scan.studio.publish_confirm import confirm_facts
from scan.studio.translation_checks import translation_problems
from scan.studio.undo import built_on

bp = Blueprint("studio", __name__, url_prefix="/studio", template_folder="templates")

ROLES = ("branch_admin", "admin")
# Room for the largest text plus the other form fields and the multipart envelope.
REQUEST_LIMIT = documents.MAX_SOURCE_BYTES + 16 * 1024
# The editor takes a text up to four times too large, so that it comes back intact with the
# limit named instead of a bare "413" that loses it.
EDITOR_REQUEST_LIMIT = 4 * documents.MAX_SOURCE_BYTES + 16 * 1024


@bp.before_request
def _style_nonce() -> None:
    g.style_nonce = secrets.token_urlsafe(16)


@bp.after_request
def _editor_styles(response: Response) -> Response:
    """Allow the editor's own style sheet (CodeMirror) by a nonce; nothing else inline."""
    nonce = g.get("style_nonce")
    if nonce:
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
            "style-src 'self'", f"style-src 'self' 'nonce-{nonce}'"
        )
    return response


@bp.url_value_preprocessor
def _allow_document_sized_requests(endpoint, values) -> None:
    # Runs before every before_request function, so also before CSRFProtect reads the form.
    request.max_content_length = (
        EDITOR_REQUEST_LIMIT if endpoint == "studio.change" else REQUEST_LIMIT
    )


# --- helpers ---------------------------------------------------------------------------------


def _scope() -> int | None:
    """Return the organisation the current user works for (None: an admin, all of them)."""
    return None if current_user.role == "admin" else current_user.organisation_id


def document_or_404(public_id: str) -> QuestionnaireDocument:
    """Return a document of the user's organisation, else 404 (it does not say it exists)."""
    doc = documents.get_document(public_id, _scope())
    if doc is None:
        audit.record_refusal(current_user, "document_refused", request.endpoint or "")
        abort(404)
    return doc


def _checked(doc: QuestionnaireDocument, text: str | None = None) -> documents.Report:
    return documents.check_document(doc, doc.source if text is None else text, get_catalog())


def loaded_or_back(doc: QuestionnaireDocument) -> Questionnaire:
    """Return the document's questionnaire; send the author back to the editor when it fails."""
    report = _checked(doc)
    if report.questionnaire is None or report.errors:
        flash("Deze scan heeft nog fouten. Los die eerst op.", "error")
        abort(redirect(url_for("studio.editor", public_id=doc.public_id)))
    return report.questionnaire


def base_of(doc: QuestionnaireDocument) -> Questionnaire | None:
    if not doc.base_id:
        return None
    try:
        return get_catalog().get(doc.base_id, doc.base_version)
    except UnknownQuestionnaire:
        return None


def newer_base_of(doc: QuestionnaireDocument) -> tuple[Questionnaire, list[str]] | None:
    """Return the base's newest version and what changed in it, when it is newer than used."""
    if not doc.base_id or doc.base_version is None:
        return None
    newest = get_catalog().latest.get(doc.base_id)
    if newest is None or newest.version <= doc.base_version:
        return None
    old = base_of(doc)
    return newest, (describe_changes(old, newest) if old else [])


def _public_url(doc: QuestionnaireDocument) -> str:
    return url_for("scans.sector", questionnaire_id=doc.questionnaire_id, _external=True)


def _editor(doc, text: str, report=None, status: int = 200, revision=None, waiting=None):
    versions = documents.versions_of(doc.questionnaire_id)
    return render_template(
        "studio/editor.html",
        doc=doc,
        text=text,
        revision=doc.revision if revision is None else revision,
        author_note=drafts.author_note(current_user, doc),
        waiting=waiting,
        lines=max(text.count("\n") + 1, 1),
        report=report,
        problems=message_rows(report, doc.file_name, text),
        versions=versions,
        newer_base=newer_base_of(doc),
        public_url=_public_url(doc),
        published=any(v.status == "published" for v in versions),
        max_kib=documents.MAX_SOURCE_BYTES // 1024,
        translations=translation_problems(doc, report.questionnaire, get_catalog())
        if report is not None
        else [],
        # A check runs the examples too, once the text loads without errors.
        examples=run_examples(report.questionnaire)
        if report is not None and report.questionnaire is not None and not report.errors
        else None,
    ), status


# --- list and new ----------------------------------------------------------------------------


@bp.get("/")
@roles_required(*ROLES)
def index():
    """List the organisation's questionnaires with status, version, base and last change."""
    newest: dict[str, QuestionnaireDocument] = {}
    for doc in documents.documents_of(_scope()):
        newest.setdefault(doc.questionnaire_id, doc)
    rows = [(doc, newer_base_of(doc)) for doc in newest.values()]
    catalog = get_catalog()
    bases = [q for q in catalog.latest.values()]
    organisations = accounts.branch_organisations() if current_user.role == "admin" else []
    own = current_user.organisation if current_user.role != "admin" else None
    return render_template(
        "studio/index.html",
        rows=rows,
        bases=bases,
        organisations=organisations,
        own=own,
        branch_url=url_for("public.branch", slug=accounts.slug(own.name)) if own else None,
    )


@bp.post("/nieuw")
@roles_required(*ROLES)
def create():
    """Start a new tailored scan: a draft with a commented starter overlay on a base."""
    catalog = get_catalog()
    try:
        qid, _, version = request.form.get("base", "").partition("@")
        base = catalog.get(qid, int(version))
    except (UnknownQuestionnaire, ValueError):
        abort(400)
    organisation = current_user.organisation
    if current_user.role == "admin":
        organisation = owners.branch_organisation(request.form.get("owner", type=database_int))
        if organisation is None:
            abort(400)
    new_id = request.form.get("questionnaire_id", "").strip()[:80]
    try:
        doc = documents.create_draft(organisation, current_user, new_id, base, catalog)
    except documents.DocumentError as exc:
        documents.drop_changes()
        flash(f"Deze code kan niet: {refusal(exc.message)}.", "error")
        return redirect(url_for("studio.index"))
    documents.record(current_user, "document_created", doc)
    flash("Uw nieuwe scan staat klaar. Pas hem aan en druk op Controleren.", "info")
    return redirect(url_for("studio.editor", public_id=doc.public_id))


# --- editor ----------------------------------------------------------------------------------


@bp.get("/<public_id>")
@roles_required(*ROLES)
def editor(public_id: str):
    """Show the YAML of a document in the editor (read-only unless it is a draft)."""
    doc = document_or_404(public_id)
    waiting = drafts.waiting_for(current_user, doc) if doc.status == "draft" else None
    if waiting is not None:
        return _editor(doc, waiting.source, revision=waiting.revision, waiting=waiting)
    return _editor(doc, doc.source)


@bp.post("/<public_id>")
@roles_required(*ROLES)
def change(public_id: str):
    """Check the posted text; a draft's changed text is saved first (errors and all).

    The form posts the revision it was read at: a draft saved meanwhile by someone else gives
    the conflict page with both texts, never a silent overwrite.
    """
    doc = document_or_404(public_id)
    text = request.form.get("source", "").replace("\r\n", "\n")
    action = request.form.get("action", "controleren")
    if action == "opslaan" and doc.status != "draft":
        abort(409)
    if doc.status == "draft" and (action == "opslaan" or text != doc.source):
        return _save(doc, text, request.form.get("revision", type=database_int), action)
    report = _checked(doc, text)
    documents.record(current_user, "document_checked", doc)
    return _editor(doc, text, report, 200 if not report.errors else 422)


def _save(doc: QuestionnaireDocument, text: str, read_revision: int | None, action: str):
    """Save a draft's text and show the check; a conflict or a refusal keeps the text."""
    try:
        report = documents.save(doc, text, current_user, get_catalog(), read_revision)
    except documents.DraftConflict:
        documents.drop_changes()
        return draft_pages.conflict(doc, text)
    except documents.DocumentError as exc:
        documents.drop_changes()
        if exc.status == 413:
            flash(
                f"Niet opgeslagen: uw tekst is groter dan {documents.MAX_SOURCE_BYTES // 1024} KiB."
                " Hij staat hieronder nog. Maak hem korter en sla opnieuw op.",
                "error",
            )
        else:
            flash(f"Niet opgeslagen: {refusal(exc.message)}.", "error")
        report = documents.Report(None, exc.problems)
        return _editor(doc, text, report, exc.status, read_revision)
    drafts.discard_waiting(current_user, doc)
    documents.record(current_user, "document_saved", doc)
    if action != "opslaan":
        documents.record(current_user, "document_checked", doc)
    flash("Opgeslagen." if action == "opslaan" else "Opgeslagen en gecontroleerd.", "info")
    return _editor(doc, text, report, 200 if not report.errors else 422)


@bp.post("/<public_id>/upload")
@roles_required(*ROLES)
def upload(public_id: str):
    """Replace the draft with an uploaded .yaml file; refuse it whole while it has errors."""
    doc = document_or_404(public_id)
    if doc.status != "draft":
        abort(409)
    file = request.files.get("file")
    if file is None or not (file.filename or "").lower().endswith((".yaml", ".yml")):
        flash("Kies een bestand dat eindigt op .yaml.", "error")
        return redirect(url_for("studio.editor", public_id=doc.public_id))
    raw = file.read(documents.MAX_SOURCE_BYTES + 1)
    try:
        text = raw.decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError:
        text = None
    if text is None:
        flash("Dit bestand is geen gewone tekst (UTF-8). Er is niets opgeslagen.", "error")
        return redirect(url_for("studio.editor", public_id=doc.public_id))
    try:
        report = documents.upload(doc, text, current_user, get_catalog())
    except documents.DocumentError:
        documents.drop_changes()
        flash(
            "Het bestand heeft fouten. Er is niets opgeslagen. U ziet het hier, met de fouten.",
            "error",
        )
        return _editor(doc, text, _checked(doc, text), 422)
    documents.record(current_user, "document_uploaded", doc)
    flash("Het bestand is opgeslagen.", "info")
    return _editor(doc, doc.source, report)


@bp.get("/<public_id>/download")
@roles_required(*ROLES)
def download(public_id: str):
    """Send the document's YAML as a file."""
    doc = document_or_404(public_id)
    documents.record(current_user, "document_downloaded", doc)
    return Response(
        doc.source,
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{doc.file_name}"'},
    )


# --- publish, retire, new version, rebase ----------------------------------------------------


@bp.route("/<public_id>/publiceren", methods=["GET", "POST"])
@roles_required(*ROLES)
@fresh_login_required
def publish(public_id: str):
    """Ask for confirmation (naming the public address), then publish the draft."""
    doc = document_or_404(public_id)
    if doc.status != "draft":
        abort(409)
    if request.method == "GET":
        facts = confirm_facts(doc, get_catalog())
        return render_template(
            "studio/publish.html",
            doc=doc,
            facts=facts,
            report=facts.report,
            problems=message_rows(facts.report, doc.file_name, doc.source),
            public_url=_public_url(doc),
        )
    try:
        documents.publish(doc, current_user, get_catalog())
    except documents.DocumentError as exc:
        documents.drop_changes()
        flash(f"Deze scan is niet gepubliceerd: {refusal(exc.message)}.", "error")
        return _editor(doc, doc.source, confirm_facts(doc, get_catalog()).report, 422)
    documents.record(current_user, "document_published", doc)
    invalidate()
    flash(f"Gepubliceerd als versie {doc.version}. De scan staat op {_public_url(doc)}", "info")
    return redirect(url_for("studio.editor", public_id=doc.public_id))


@bp.route("/<public_id>/intrekken", methods=["GET", "POST"])
@roles_required(*ROLES)
def retire(public_id: str):
    """Ask for confirmation, then retire the scan: no new scans; started scans keep working."""
    doc = document_or_404(public_id)
    if not any(v.status == "published" for v in documents.versions_of(doc.questionnaire_id)):
        abort(409)
    if request.method == "GET":
        return render_template(
            "studio/retire.html", doc=doc, public_url=_public_url(doc), built_on=built_on(doc)
        )
    documents.retire(doc, current_user)
    documents.record(current_user, "document_retired", doc)
    invalidate()
    flash("De scan is ingetrokken. Nieuwe scans kunnen niet meer beginnen.", "info")
    return redirect(url_for("studio.editor", public_id=doc.public_id))


@bp.post("/<public_id>/nieuwe-versie")
@roles_required(*ROLES)
def new_version(public_id: str):
    """Open the draft of the next version (made from this version's text if there is none)."""
    doc = document_or_404(public_id)
    draft = documents.new_draft(doc, current_user)
    documents.record(current_user, "document_new_version", draft)
    return redirect(url_for("studio.editor", public_id=draft.public_id))


@bp.post("/<public_id>/basis-bijwerken")
@roles_required(*ROLES)
def rebase(public_id: str):
    """Make a draft that extends the base's newest version, and check it."""
    doc = document_or_404(public_id)
    newer = newer_base_of(doc)
    if newer is None:
        abort(409)
    draft = documents.rebase(doc, current_user, newer[0].version)
    documents.record(current_user, "document_rebased", draft)
    return _editor(draft, draft.source, _checked(draft))
