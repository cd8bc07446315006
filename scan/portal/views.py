"""PVO advisers: the advisers blueprint, what its view modules share, and one shared scan.

The views live by job: this module (one shared scan: its page, status, notes, assignment,
next step and PDF), `caseload_views` (the list, its search and export), `trend_views` (trends
and their export) and `admin_views` (the audit log and the accounts).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from scan.platform import audit
from scan.platform.caseload_models import NEXT_ACTIONS
from scan.platform.catalog import get_catalog
from scan.platform.models import SHARE_STATUSES, Share
from scan.portal import caseload, shares
from scan.portal.account_labels import ACCOUNT_ACTION_LABELS
from scan.portal.auth import roles_required
from scan.portal.forms import AssignForm, NextActionForm, NoteForm, StatusForm
from scan.presentation import answers_by_theme, readable
from scan.questionnaire import Questionnaire
from scan.questionnaire.values import PRIORITY_LABELS
from scan.scans import pdf_cache as report_cache
from scan.scans import repeats, store
from scan.scans.report_pdf import scan_pdf
from scan.scans.store import report_reference
from scan.scoring import Result

bp = Blueprint("advisers", __name__, template_folder="templates")

TREND_ROLES = ("adviser", "branch_admin", "admin")
ACTION_LABELS = {
    "login": "Ingelogd",
    "logout": "Uitgelogd",
    "view_scan": "Scan bekeken",
    "update_status": "Status gewijzigd",
    "add_note": "Notitie toegevoegd",
    "assign": "Toegewezen",
    "next_action": "Volgende stap gepland",
    "download_pdf": "PDF gedownload",
    "export_trends": "Trends geëxporteerd",
    "export_caseload": "Scans geëxporteerd",
    "share_created": "Scan gedeeld door ondernemer",
    "share_withdrawn": "Delen ingetrokken door ondernemer",
    "visit_started": "Bezoek gestart",
    "visit_resumed": "Bezoek hervat na opnieuw inloggen",
    "visit_ended": "Bezoek overgedragen aan ondernemer",
    "visit_refused": "Bezoek van een andere organisatie geweigerd",
    "user_created": "Account aangemaakt",
    "password_reset": "Wachtwoord opnieuw ingesteld",
    "user_deactivated": "Account uitgezet",
    "organisation_deactivated": "Organisatie uitgezet",
    "document_created": "Scan op maat begonnen",
    "document_saved": "Scan opgeslagen",
    "document_checked": "Scan gecontroleerd",
    "document_uploaded": "Scan geüpload",
    "document_downloaded": "Scan gedownload",
    "document_published": "Scan gepubliceerd",
    "document_retired": "Scan ingetrokken",
    "document_new_version": "Nieuwe versie begonnen",
    "document_rebased": "Scan op nieuwe basis gezet",
    "document_restored": "Eerdere versie van een scan teruggezet",
    "document_waiting_discarded": "Bewaarde tekst van een scan weggegooid",
    "document_form_saved": "Scan via een formulier aangepast",
    "access_refused": "Pagina geweigerd",
    "share_refused": "Scan van een andere organisatie geweigerd",
    "document_refused": "Scan op maat van een andere organisatie geweigerd",
    **ACCOUNT_ACTION_LABELS,
}


# --- helpers ---------------------------------------------------------------------------------


def questionnaire_titles() -> dict[str, str]:
    """Return the short title of every questionnaire the catalog knows, by id."""
    titles = {}
    for q in get_catalog().latest.values():
        short = q.title.removeprefix("Weerbaarheidsscan ").strip() or q.title
        titles[q.id] = short[:1].upper() + short[1:]
    return titles


def sector_titles() -> dict[str, str]:
    """Return the sectors to choose from: listed questionnaires (the example scan is not one)."""
    listed = {q.id for q in get_catalog().latest.values() if q.listed}
    return {k: v for k, v in questionnaire_titles().items() if k in listed}


def risk_labels() -> dict[str, str]:
    """Return the label of each risk level id used by the current questionnaires."""
    labels: dict[str, str] = {}
    for q in get_catalog().latest.values():
        for level in q.risk_levels:
            labels.setdefault(level.id, level.label)
    return labels


def shared_with_me(public_id: str) -> Share:
    """Return an active share of the current adviser's organisation, else 404 (never 403).

    A 404 for other organisations' shares does not even tell that the id exists.
    """
    share = shares.shared_with(public_id, current_user.organisation_id)
    if share is None:
        audit.record_refusal(current_user, "share_refused", request.endpoint or "", public_id)
        abort(404)
    return share


def page_number() -> int:
    """Return the page asked for (?pagina=), at least 1."""
    return max(request.args.get("pagina", 1, type=int) or 1, 1)


def kept_args() -> dict[str, str]:
    """Return the query arguments a pager link keeps (all filled ones but the page)."""
    return {k: v for k, v in request.args.items() if k != "pagina" and v}


def _result(share: Share) -> tuple[Questionnaire, Result]:
    q = store.questionnaire_of(share.scan)
    return q, readable(store.result_of(share.scan, q))


# --- one shared scan -------------------------------------------------------------------------


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
    forms["assign_form"].fill_choices(caseload.team(share.organisation_id))
    return forms


def _detail(share: Share, status: int = 200, **posted):
    q, result = _result(share)
    return render_template(
        "advisers/detail.html",
        share=share,
        scan=share.scan,
        case=caseload.case_of(share),
        q=q,
        result=result,
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
    shares.record_access(share, current_user, "view_scan")
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
        changed = shares.set_status(share, current_user, form.status.data, form.visit_date.data)
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
        shares.add_note(share, current_user, form.text.data)
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
    form.fill_choices(caseload.team(share.organisation_id))
    if not form.validate_on_submit():
        return _detail(share, 400, assign_form=form)
    try:
        changed = caseload.assign(share, current_user, form.adviser_id)
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
    try:
        changed = caseload.set_next_action(
            share, current_user, form.stap.data or None, form.stap_datum.data
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
    with_notes = request.args.get("notities") == "1"
    notes = (
        [(f"{n.created_at:%d-%m-%Y}", n.author_email, n.text) for n in share.notes]
        if with_notes
        else None
    )
    data = scan_pdf(
        share.scan,
        store.questionnaire_of(share.scan),
        reference=share.reference,
        variant=report_cache.share_variant(share.id, with_notes),
        progress=repeats.shared_progress(share)[0],
        adviser=(share.organisation.name, current_user.email),  # on the cover: part of the key
        adviser_notes=notes,
    )
    detail = "met notities" if with_notes else "zonder notities"
    shares.record_access(share, current_user, "download_pdf", detail)
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="weerbaarheidsscan-{share.reference}.pdf"'
    )
    return response
