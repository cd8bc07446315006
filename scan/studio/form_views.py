"""The studio's forms for a question, an advice rule and an own referral (issue 21).

Routes of the studio blueprint (scan/studio/views.py). Each form writes the same YAML an
author would type into the draft (scan/studio/form_changes.py); the editor shows it after.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from scan.platform.inputs import database_int
from scan.portal.auth import roles_required
from scan.studio import documents, draft_pages, form_changes, form_yaml
from scan.studio.views import ROLES, bp, document_or_404, loaded_or_back


@bp.route("/<public_id>/formulier/vraag", methods=["GET", "POST"])
@roles_required(*ROLES)
def question_form(public_id: str):
    """Add a question, or change one (the base's is written to `replace:` whole)."""
    return _form_page(public_id, "vraag")


@bp.route("/<public_id>/formulier/advies", methods=["GET", "POST"])
@roles_required(*ROLES)
def rule_form(public_id: str):
    """Add an advice rule, or change one."""
    return _form_page(public_id, "advies")


@bp.route("/<public_id>/formulier/doorverwijzing", methods=["GET", "POST"])
@roles_required(*ROLES)
def referral_form(public_id: str):
    """Add an own referral, or change one."""
    return _form_page(public_id, "doorverwijzing")


def _form_page(public_id: str, kind: str):
    doc = document_or_404(public_id)
    if doc.status != "draft":
        abort(409)
    q = loaded_or_back(doc)
    editing = request.args.get("id", "")[:60]
    data = form_changes.existing(kind, q, doc, editing) if editing else None
    if editing and data is None:
        abort(404)
    form = form_changes.KINDS[kind].form(data=data)
    form.fill_choices(q)
    if request.method == "POST":
        return (
            _apply(doc, q, kind, form, editing)
            if form.validate_on_submit()
            else (_page(doc, kind, form, editing, [], 422))
        )
    form.revision.data = str(doc.revision)
    existing = [] if editing else form_changes.editable(kind, q, doc)
    return _page(doc, kind, form, editing, [], 200, existing)


def _apply(doc, q, kind: str, form, editing: str):
    item = form_changes.with_kept_settings(kind, q, form.item(q)) if editing else form.item(q)
    if editing and item["id"] != editing:
        form.id.errors.append("De code van een bestaande vraag of advies blijft gelijk.")
        return _page(doc, kind, form, editing, [], 422)
    if not editing and form_changes.taken(kind, q, item["id"]):
        form.id.errors.append("Deze code bestaat al. Kies een andere.")
        return _page(doc, kind, form, editing, [], 422)
    extra = bool(getattr(form, "always_shown", None) and form.always_shown.data)
    read = request.form.get("revision", type=database_int)
    try:
        text = form_changes.written(kind, doc.source, item, q, extra)
        outcome = form_changes.apply(doc, text, item["id"], current_user, read, set(form._fields))
    except form_yaml.TextNotReadable:
        return _page(doc, kind, form, editing, ["Uw tekst is nu niet te lezen."], 422)
    except documents.DraftConflict:
        documents.drop_changes()
        return draft_pages.conflict(doc, text)
    if not outcome.saved:
        return _page(doc, kind, form, editing, _show_problems(form, outcome.problems), 422)
    documents.record(current_user, "document_form_saved", doc)
    flash(
        f"{form_changes.KINDS[kind].noun} staat nu in uw tekst, vanaf regel {outcome.line}.", "info"
    )
    return redirect(
        url_for("studio.editor", public_id=doc.public_id, _anchor="regel-" + str(outcome.line or 1))
    )


def _show_problems(form, problems: list[tuple[str | None, str]]) -> list[str]:
    """Put each problem next to its field (the picker, when the author picked); return the rest."""
    loose = []
    for name, message in problems:
        if name is None:
            loose.append(message)
            continue
        picker = f"{name}_pick"
        if picker in form and form[picker].data and not (form[name].data or "").strip():
            name = picker
        form[name].errors = [*form[name].errors, message]
    return loose


def _page(doc, kind: str, form, editing: str, loose: list[str], status: int, existing=()):
    return render_template(
        "studio/change_form.html",
        doc=doc,
        existing=existing,
        kind=kind,
        spec=form_changes.KINDS[kind],
        form=form,
        editing=editing,
        loose=loose,
        extra=[("formulier", message) for message in loose],
    ), status
