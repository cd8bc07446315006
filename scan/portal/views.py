"""PVO advisers: shared scans, follow-up and trends; the audit log for administrators."""

from __future__ import annotations

import datetime as dt

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, Form, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from scan.platform import audit
from scan.platform.catalog import get_catalog
from scan.platform.inputs import database_int
from scan.platform.models import SHARE_STATUSES, Share
from scan.portal import shares
from scan.portal.account_labels import ACCOUNT_ACTION_LABELS
from scan.portal.auth import roles_required
from scan.presentation import answers_by_theme, readable
from scan.questionnaire import Questionnaire
from scan.questionnaire.values import PRIORITY_LABELS
from scan.scans import pdf_cache as report_cache
from scan.scans import repeats, store
from scan.scans.report_pdf import scan_pdf
from scan.scoring import Result

bp = Blueprint("advisers", __name__, template_folder="templates")

TREND_ROLES = ("adviser", "branch_admin", "admin")
ACTION_LABELS = {
    "login": "Ingelogd",
    "logout": "Uitgelogd",
    "view_scan": "Scan bekeken",
    "update_status": "Status gewijzigd",
    "add_note": "Notitie toegevoegd",
    "download_pdf": "PDF gedownload",
    "export_trends": "Trends geëxporteerd",
    "share_created": "Scan gedeeld door ondernemer",
    "share_withdrawn": "Delen ingetrokken door ondernemer",
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
    "access_refused": "Pagina geweigerd",
    "share_refused": "Scan van een andere organisatie geweigerd",
    "document_refused": "Scan op maat van een andere organisatie geweigerd",
    **ACCOUNT_ACTION_LABELS,
}


# --- helpers ---------------------------------------------------------------------------------


def sector_titles() -> dict[str, str]:
    """Return the title of every sector scan the catalog knows, by questionnaire id."""
    titles = {}
    for q in get_catalog().latest.values():
        short = q.title.removeprefix("Weerbaarheidsscan ").strip() or q.title
        titles[q.id] = short[:1].upper() + short[1:]
    return titles


def risk_labels() -> dict[str, str]:
    """Return the label of each risk level id used by the current questionnaires."""
    labels: dict[str, str] = {}
    for q in get_catalog().latest.values():
        for level in q.risk_levels:
            labels.setdefault(level.id, level.label)
    return labels


def _shared_with_me(public_id: str) -> Share:
    """Return an active share of the current adviser's organisation, else 404 (never 403).

    A 404 for other organisations' shares does not even tell that the id exists.
    """
    share = shares.shared_with(public_id, current_user.organisation_id)
    if share is None:
        audit.record_refusal(current_user, "share_refused", request.endpoint or "", public_id)
        abort(404)
    return share


def _result(share: Share) -> tuple[Questionnaire, Result]:
    q = store.questionnaire_of(share.scan)
    return q, readable(store.result_of(share.scan, q))


# --- forms -----------------------------------------------------------------------------------


def plausible_date(form, field) -> None:
    """Refuse dates outside 2000-2100: typing errors, and the year 9999 breaks date arithmetic."""
    if field.data is not None and not dt.date(2000, 1, 1) <= field.data <= dt.date(2100, 12, 31):
        raise ValidationError("Vul een datum in tussen 2000 en 2100.")


class FilterForm(Form):
    """Filters for the list of shared scans (a GET form: no CSRF needed, nothing changes)."""

    sector = SelectField("Sector", validators=[Optional()])
    risico = SelectField("Risiconiveau", validators=[Optional()])
    status = SelectField("Status", validators=[Optional()])
    van = DateField("Gedeeld vanaf", validators=[Optional(), plausible_date])
    tot = DateField("Gedeeld t/m", validators=[Optional(), plausible_date])


class StatusForm(FlaskForm):
    """Status and planned visit of a shared scan."""

    status = SelectField("Status", choices=[SelectChoice(k, v) for k, v in SHARE_STATUSES.items()])
    visit_date = DateField("Datum bezoek", validators=[Optional(), plausible_date])

    def validate(self, extra_validators=None) -> bool:
        """Validate the fields, and require a date when a visit is planned."""
        if not super().validate(extra_validators):
            return False
        if self.status.data == "bezoek_gepland" and not self.visit_date.data:
            self.visit_date.errors = [*self.visit_date.errors, "Vul de datum van het bezoek in."]
            return False
        return True


class NoteForm(FlaskForm):
    """A new note."""

    text = TextAreaField(
        "Nieuwe notitie",
        validators=[
            DataRequired("Schrijf eerst een notitie."),
            Length(max=5000, message="Een notitie is hoogstens 5000 tekens."),
        ],
    )


# --- shared scans ----------------------------------------------------------------------------


def select_choices(everything: str, options: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice("", everything)] + [SelectChoice(k, v) for k, v in options.items()]


def page_number() -> int:
    return max(request.args.get("pagina", 1, type=database_int) or 1, 1)


@bp.get("/adviseur/")
@roles_required("adviser")
def index():
    """List the scans shared with the adviser's organisation, with filters and pages."""
    sectors, risks = sector_titles(), risk_labels()
    form = FilterForm(request.args)
    form.sector.choices = select_choices("Alle sectoren", sectors)
    form.risico.choices = select_choices("Alle niveaus", risks)
    form.status.choices = select_choices("Alle statussen", SHARE_STATUSES)
    valid = form.validate()
    flt = (
        shares.ShareFilter(
            sector=form.sector.data or None,
            risk_level=form.risico.data or None,
            status=form.status.data or None,
            since=form.van.data,
            until=form.tot.data,
        )
        if valid
        else shares.ShareFilter()
    )
    found = shares.list_shares(current_user.organisation_id, flt, page_number())
    args = {k: v for k, v in request.args.items() if k != "pagina" and v}
    return render_template(
        "advisers/index.html",
        form=form,
        valid=valid,
        rows=found.items,
        found=found,
        args=args,
        sectors=sectors,
        risks=risks,
        statuses=SHARE_STATUSES,
        filtered=bool(args),
    )


def _detail(share: Share, status_form: StatusForm, note_form: NoteForm, status: int = 200):
    q, result = _result(share)
    return render_template(
        "advisers/detail.html",
        share=share,
        scan=share.scan,
        q=q,
        result=result,
        answers=answers_by_theme(q, dict(share.scan.answers or {})),
        status_form=status_form,
        note_form=note_form,
        statuses=SHARE_STATUSES,
        priorities=PRIORITY_LABELS,
    ), status


@bp.get("/adviseur/scans/<public_id>")
@roles_required("adviser")
def detail(public_id: str):
    """Show a shared scan: contact details, answers, scores, advice, notes and follow-up."""
    share = _shared_with_me(public_id)
    shares.record_access(share, current_user, "view_scan")
    status_form = StatusForm(status=share.status, visit_date=share.visit_date)
    return _detail(share, status_form, NoteForm(formdata=None))


@bp.post("/adviseur/scans/<public_id>/status")
@roles_required("adviser")
def update_status(public_id: str):
    """Change the status and the planned visit date."""
    share = _shared_with_me(public_id)
    form = StatusForm()
    if not form.validate_on_submit():
        return _detail(share, form, NoteForm(formdata=None), status=400)
    if shares.set_status(share, current_user, form.status.data, form.visit_date.data):
        flash("De status is opgeslagen.", "success")
    return redirect(url_for("advisers.detail", public_id=share.public_id))


@bp.post("/adviseur/scans/<public_id>/notities")
@roles_required("adviser")
def add_note(public_id: str):
    """Add a note (with time and author) to a shared scan."""
    share = _shared_with_me(public_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _detail(
            share, StatusForm(status=share.status, visit_date=share.visit_date), form, status=400
        )
    shares.add_note(share, current_user, form.text.data)
    flash("De notitie is opgeslagen.", "success")
    return redirect(url_for("advisers.detail", public_id=share.public_id) + "#notities")


@bp.get("/adviseur/scans/<public_id>/rapport.pdf")
@roles_required("adviser")
def pdf(public_id: str):
    """Download the scan's report, with the adviser notes when asked (?notities=1)."""
    share = _shared_with_me(public_id)
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
