"""One shared scan: the detail page, its status, notes, assignment, next step and PDF."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from scan.platform.caseload_models import NEXT_ACTIONS
from scan.platform.extensions import db
from scan.platform.models import SHARE_STATUSES, Share
from scan.portal import accounts, caseload, shares
from scan.portal.adviser_report import adviser_pdf
from scan.portal.auth import roles_required
from scan.portal.forms import AssignForm, NextActionForm, NoteForm, StatusForm
from scan.portal.pages import ACTION_LABELS, bp, shared_with_me
from scan.presentation import answers_by_theme
from scan.questionnaire.model import PRIORITY_LABELS
from scan.scans import store
from scan.scans.store import report_reference


def _forms(share: Share, **posted) -> dict:
    """Return the page's forms: the posted one as it came, the others filled from the share."""
    case = caseload.case_of(share)
    forms = {
        "status_form": StatusForm(formdata=None, status=share.status, visit_date=share.visit_date),
        "note_form": NoteForm(formdata=None),
        "assign_form": AssignForm(formdata=None, adviseur=str(case.assigned_to_id or "")),
        "next_form": NextActionForm(
            formdata=None, stap=case.next_action or "", stap_datum=case.next_action_on
        ),
    }
    forms.update(posted)
    forms["assign_form"].fill_choices(caseload.team(db.session, share.organisation_id))
    return forms


def _detail(share: Share, status: int = 200, **posted):
    q = store.questionnaire_of(share.scan)
    return render_template(
        "advisers/detail.html",
        share=share,
        scan=share.scan,
        case=caseload.case_of(share),
        q=q,
        result=store.result_of(share.scan, q),
        answers=answers_by_theme(q, dict(share.scan.answers or {})),
        statuses=SHARE_STATUSES,
        priorities=PRIORITY_LABELS,
        next_actions=NEXT_ACTIONS,
        activities=ACTION_LABELS,
        report_reference=report_reference(share.scan),
        overdue=caseload.overdue(caseload.case_of(share), caseload.today()),
        **_forms(share, **posted),
    ), status


def _refused(share: Share, error: caseload.CaseError):
    """Answer a change that could not be made: 404 when the share was withdrawn meanwhile."""
    if isinstance(error, caseload.ShareGone):
        abort(404)
    flash(str(error), "error")
    return _back(share)


def _back(share: Share, anchor: str = "opvolging"):
    return redirect(url_for("advisers.detail", public_id=share.public_id) + "#" + anchor)


@bp.get("/adviseur/scans/<public_id>")
@roles_required("adviser")
def detail(public_id: str):
    """Show a shared scan: contact details, follow-up, answers, scores, advice and notes."""
    share = shared_with_me(public_id)
    accounts.record_now(current_user, "view_scan", share.public_id)
    return _detail(share)


@bp.post("/adviseur/scans/<public_id>/status")
@roles_required("adviser")
def update_status(public_id: str):
    """Change the status and the planned visit date."""
    share = shared_with_me(public_id)
    form = StatusForm()
    if not form.validate_on_submit():
        return _detail(share, 400, status_form=form)
    try:
        changed = shares.set_status(
            db.session, share, current_user, form.status.data, form.visit_date.data
        )
    except caseload.CaseError as error:
        return _refused(share, error)
    if changed:
        flash("De status is opgeslagen.", "success")
    return _back(share)


@bp.post("/adviseur/scans/<public_id>/notities")
@roles_required("adviser")
def add_note(public_id: str):
    """Add a note (with time and author) to a shared scan."""
    share = shared_with_me(public_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _detail(share, 400, note_form=form)
    try:
        shares.add_note(db.session, share, current_user, form.text.data)
    except caseload.CaseError as error:
        return _refused(share, error)
    flash("De notitie is opgeslagen.", "success")
    return _back(share, "notities")


@bp.post("/adviseur/scans/<public_id>/toewijzen")
@roles_required("adviser")
def assign(public_id: str):
    """Give the scan to a colleague of the same PVO, to oneself, or to nobody."""
    share = shared_with_me(public_id)
    form = AssignForm()
    form.fill_choices(caseload.team(db.session, share.organisation_id))
    if not form.validate_on_submit():
        return _detail(share, 400, assign_form=form)
    try:
        changed = caseload.assign(db.session, share, current_user, form.adviser_id)
    except caseload.ShareGone:
        abort(404)
    except caseload.CaseError as error:  # the colleague left the team, or a busy moment
        form.adviseur.errors = [str(error)]
        return _detail(share, 400, assign_form=form)
    if changed:
        flash("De scan is toegewezen." if form.adviser_id else "De scan is van niemand.", "success")
    return _back(share)


@bp.post("/adviseur/scans/<public_id>/volgende-stap")
@roles_required("adviser")
def next_action(public_id: str):
    """Plan the next step (bellen, bezoek, terugkoppeling) with its date, or clear it."""
    share = shared_with_me(public_id)
    form = NextActionForm()
    if not form.validate_on_submit():
        return _detail(share, 400, next_form=form)
    step = form.stap.data or None
    try:
        changed = caseload.set_next_action(
            db.session, share, current_user, step, form.stap_datum.data
        )
    except caseload.CaseError as error:
        return _refused(share, error)
    if changed:
        flash("De volgende stap is opgeslagen.", "success")
    return _back(share)


@bp.get("/adviseur/scans/<public_id>/rapport.pdf")
@roles_required("adviser")
def pdf(public_id: str):
    """Download the scan's report, with the adviser notes when asked (?notities=1)."""
    share = shared_with_me(public_id)
    data = adviser_pdf(db.session, share, current_user, request.args.get("notities") == "1")
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="weerbaarheidsscan-{share.reference}.pdf"'
    )
    return response
