"""PVO advisers: shared scans, follow-up and trends; the audit log for administrators."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
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

from scan.platform.catalog import get_catalog
from scan.platform.extensions import db
from scan.platform.models import SHARE_STATUSES, Share, utcnow
from scan.portal import accounts, shares, trends
from scan.portal.account_labels import ACCOUNT_ACTION_LABELS
from scan.portal.auth import roles_required
from scan.portal.staff_sessions import fresh_login_required
from scan.presentation import answers_by_theme
from scan.questionnaire import Questionnaire, UnknownQuestionnaire
from scan.questionnaire.model import PRIORITY_LABELS
from scan.scans import followup_views as followup
from scan.scans import pdf_cache as report_cache
from scan.scans import repeats, store
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
    share = shares.shared_with(db.session, public_id, current_user.organisation_id)
    if share is None:
        abort(404)
    return share


def _result(share: Share) -> tuple[Questionnaire, Result]:
    q = store.questionnaire_of(share.scan)
    return q, store.result_of(share.scan, q)


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


def _choices(everything: str, options: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice("", everything)] + [SelectChoice(k, v) for k, v in options.items()]


def _page() -> int:
    return max(request.args.get("pagina", 1, type=int) or 1, 1)


@bp.get("/adviseur/")
@roles_required("adviser")
def index():
    """List the scans shared with the adviser's organisation, with filters and pages."""
    sectors, risks = sector_titles(), risk_labels()
    form = FilterForm(request.args)
    form.sector.choices = _choices("Alle sectoren", sectors)
    form.risico.choices = _choices("Alle niveaus", risks)
    form.status.choices = _choices("Alle statussen", SHARE_STATUSES)
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
    found = shares.list_shares(db.session, current_user.organisation_id, flt, _page())
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
    accounts.record(current_user, "view_scan", share.public_id)
    db.session.commit()
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
    if shares.set_status(db.session, share, current_user, form.status.data, form.visit_date.data):
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
    shares.add_note(db.session, share, current_user, form.text.data)
    flash("De notitie is opgeslagen.", "success")
    return redirect(url_for("advisers.detail", public_id=share.public_id) + "#notities")


@bp.get("/adviseur/scans/<public_id>/rapport.pdf")
@roles_required("adviser")
def pdf(public_id: str):
    """Download the scan's report, with the adviser notes when asked (?notities=1)."""
    from scan.report import render_pdf  # the report package renders; it knows nothing of Flask

    share = _shared_with_me(public_id)
    q, result = _result(share)
    with_notes = request.args.get("notities") == "1"
    notes = (
        [(f"{n.created_at:%d-%m-%Y}", n.author_email, n.text) for n in share.notes]
        if with_notes
        else None
    )
    scan = share.scan
    adviser = (share.organisation.name, current_user.email)  # on the cover: part of the key
    extras = followup.report_extras(scan, repeats.shared_progress(share)[0])
    key = report_cache.cache_key(
        store.snapshot_of(q)[1],
        scan.submitted_at,
        share.reference,
        report_cache.notes_part(notes),
        *adviser,
        followup.extras_part(extras),
    )
    data = report_cache.cached_pdf(
        scan,
        report_cache.share_variant(share.id, with_notes),
        key,
        lambda: render_pdf(
            result,
            q,
            reference=share.reference,
            answers=dict(scan.answers or {}),
            adviser_notes=notes,
            adviser=adviser,
            date=scan.submitted_at.date(),
            **extras,
        ),
    )
    accounts.record(
        current_user,
        "download_pdf",
        share.public_id,
        "met notities" if with_notes else "zonder notities",
    )
    db.session.commit()
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="weerbaarheidsscan-{share.reference}.pdf"'
    )
    return response


# --- trends ----------------------------------------------------------------------------------


def _trend_filter() -> tuple[trends.Filter, str, str, dict[str, str]]:
    """Return the filter, sector and year asked for, and the years to choose from.

    Periods are calendar years: they never overlap, so one period's figures can never be
    subtracted from another's to find a small group.
    """
    sectors = sector_titles()
    sector = request.args.get("sector", "")
    if sector and sector not in sectors:
        sector = ""
    this_year = utcnow().year
    periods = {str(y): str(y) for y in sorted({this_year, *trends.years(db.session)}, reverse=True)}
    period = request.args.get("periode", "")
    if period not in periods:
        period = str(this_year)
    year = int(period)
    flt = trends.Filter(
        sector=sector or None, since=dt.datetime(year, 1, 1), until=dt.datetime(year + 1, 1, 1)
    )
    return flt, sector, period, periods


def _labels(sector: str) -> tuple[dict[str, str], dict[str, str]]:
    """Return theme titles and rule titles of a sector's current questionnaire."""
    try:
        q = get_catalog().get(sector)
    except UnknownQuestionnaire:
        return {}, {}
    return {t.id: t.title for t in q.themes}, {r.id: r.advice.title for r in q.rules}


def _trends(flt: trends.Filter, weak_point_limit: int) -> trends.Trends:
    """Return the trends for a filter with the configured smallest group."""
    return trends.compute(
        db.session, flt, weak_point_limit=weak_point_limit, min_group=_min_group()
    )


def _min_group() -> int:
    """Return the smallest group trends show a figure for."""
    return current_app.config.get("TRENDS_MIN_GROUP", trends.MIN_GROUP)


@bp.get("/adviseur/trends")
@roles_required(*TREND_ROLES)
def trends_page():
    """Show anonymised trends per sector, theme and month, with charts."""
    flt, sector, period, periods = _trend_filter()
    data = _trends(flt, weak_point_limit=10)
    themes, rules = _labels(sector) if sector else ({}, {})
    return render_template(
        "advisers/trends.html",
        data=data,
        sector=sector,
        period=period,
        periods=periods,
        sectors=sector_titles(),
        risks=risk_labels(),
        theme_titles=themes,
        ordered_themes=sorted(data.themes, key=lambda f: _position(themes, f.key)),
        rule_titles=rules,
        min_group=_min_group(),
    )


def _position(order: dict[str, str], key: str) -> int:
    """Return where a key comes in an ordered dict (unknown keys last)."""
    return list(order).index(key) if key in order else len(order)


def _csv_cell(value: Any) -> str:
    """Return a CSV cell that a spreadsheet never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@bp.get("/adviseur/trends.csv")
@roles_required(*TREND_ROLES)
@fresh_login_required
def trends_csv():
    """Export the trend figures as CSV (hidden figures say "verborgen")."""
    flt, sector, period, _ = _trend_filter()
    data = _trends(flt, weak_point_limit=1000)
    sectors, risks = sector_titles(), risk_labels()
    themes, rules = _labels(sector) if sector else ({}, {})
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["onderdeel", "sleutel", "naam", "aantal_scans", "gemiddelde_score"])
    sections = [
        ("totaal", [data.total], {"totaal": sectors.get(sector, "Alle sectoren")}),
        ("sector", data.sectors, sectors),
        ("risiconiveau", data.risk_levels, risks),
        ("maand", data.months, {}),
        ("onderwerp", data.themes, themes),
        ("zwak_punt", data.weak_points, rules),
        ("rode_vlag", [data.red_flags], {"rode_vlag": "Scans met een rode vlag"}),
    ]
    for section, figures, names in sections:
        for fig in figures:
            writer.writerow(
                [
                    _csv_cell(v)
                    for v in (
                        section,
                        fig.key,
                        names.get(fig.key, fig.key),
                        "verborgen" if fig.suppressed else fig.n,
                        "" if fig.average is None else f"{fig.average:.1f}",
                    )
                ]
            )
    accounts.record(
        current_user, "export_trends", None, f"sector={sector or 'alle'}; periode={period}"
    )
    db.session.commit()
    name = f"trends-{sector or 'alle'}-{period}-{utcnow():%Y%m%d}.csv"
    return Response(
        "\ufeff" + out.getvalue(),  # the BOM lets Excel read the accents correctly
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# --- administration --------------------------------------------------------------------------


@bp.get("/beheer/audit")
@roles_required("admin")
def audit():
    """Show the audit log: who did what and when, newest first."""
    action = request.args.get("actie", "")
    reference = request.args.get("referentie", "").strip().lower()
    found = accounts.audit_events(action if action in ACTION_LABELS else None, reference, _page())
    args = {k: v for k, v in request.args.items() if k != "pagina" and v}
    return render_template(
        "advisers/audit.html",
        events=found.items,
        found=found,
        args=args,
        actions=ACTION_LABELS,
        action=action,
        reference=reference,
    )
