"""The caseload pages: the list of shared scans with search, filters and order, and its export.

Routes of the advisers blueprint (scan/portal/views.py); the queries are scan/portal/caseload.py.
"""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from scan.platform.caseload_models import NEXT_ACTIONS
from scan.platform.models import SHARE_STATUSES, utcnow
from scan.portal import caseload, spreadsheet
from scan.portal.auth import roles_required
from scan.portal.forms import CaseloadForm
from scan.portal.staff_sessions import fresh_login_required
from scan.portal.views import (
    ACTION_LABELS,
    bp,
    kept_args,
    page_number,
    questionnaire_titles,
    risk_labels,
    sector_titles,
)
from scan.scans.store import report_reference


def _caseload_form() -> tuple[CaseloadForm, caseload.CaseQuery, dict[int, str], bool]:
    """Read the search and filters from the address; a wrong one is left out (and said so)."""
    team = caseload.team(current_user.organisation_id)
    form = CaseloadForm(request.args)
    form.fill_choices(team, SHARE_STATUSES, sector_titles(), risk_labels())
    valid = form.validate()
    return form, form.case_query() if valid else caseload.CaseQuery(), team, valid


@bp.get("/adviseur/")
@roles_required("adviser")
def index():
    """List the scans shared with the adviser's organisation: search, filters, order, pages."""
    form, ask, team, valid = _caseload_form()
    day = caseload.today()
    found = caseload.list_cases(
        current_user.organisation_id, current_user.id, ask, day, page_number()
    )
    return render_template(
        "advisers/index.html",
        form=form,
        valid=valid,
        rows=found.items,
        found=found,
        args=kept_args(),
        sectors=questionnaire_titles(),
        risks=risk_labels(),
        statuses=SHARE_STATUSES,
        next_actions=NEXT_ACTIONS,
        activities=ACTION_LABELS,
        names=caseload.adviser_names(current_user.organisation_id),
        today=day,
        filtered=bool(kept_args()),
    )


CASELOAD_HEADER = [
    "referentie",
    "referentie_rapport",
    "gedeeld_op",
    "sector",
    "risiconiveau",
    "rode_vlag",
    "score",
    "status",
    "toegewezen_aan",
    "volgende_stap",
    "datum_volgende_stap",
    "te_laat",
    "laatste_activiteit",
    "laatste_activiteit_door",
    "laatste_activiteit_op",
    "naam",
    "bedrijf",
    "telefoon",
    "e_mail",
]


def _caseload_row(share, scan, case, labels: tuple[dict, dict, dict], day) -> list:
    """Return one export row: what the adviser sees on the list and the detail page."""
    sectors, risks, names = labels
    return [
        share.reference,
        report_reference(scan),
        f"{share.created_at:%d-%m-%Y}",
        sectors.get(scan.questionnaire_id, scan.questionnaire_id),
        risks.get(scan.risk_level, scan.risk_level or ""),
        "ja" if scan.red_flag else "nee",
        spreadsheet.decimal(scan.overall),
        SHARE_STATUSES.get(share.status, share.status),
        names.get(case.assigned_to_id, ""),
        NEXT_ACTIONS.get(case.next_action, ""),
        f"{case.next_action_on:%d-%m-%Y}" if case.next_action_on else "",
        "ja" if caseload.overdue(case, day) else "nee",
        ACTION_LABELS.get(case.last_activity, case.last_activity or ""),
        case.last_activity_by or "",
        f"{case.last_activity_at:%d-%m-%Y %H:%M}" if case.last_activity_at else "",
        share.contact_name,
        share.contact_company,
        share.contact_phone,
        share.contact_email,
    ]


@bp.get("/adviseur/scans.csv")
@roles_required("adviser")
@fresh_login_required
def caseload_csv():
    """Export the list as it is searched and filtered, as a CSV that Dutch Excel opens."""
    _, ask, _, _ = _caseload_form()
    day = caseload.today()
    rows = caseload.export_cases(current_user, ask, day)
    labels = (
        questionnaire_titles(),
        risk_labels(),
        caseload.adviser_names(current_user.organisation_id),
    )
    text = spreadsheet.csv_text(CASELOAD_HEADER, (_caseload_row(*r, labels, day) for r in rows))
    return spreadsheet.csv_response(text, f"gedeelde-scans-{utcnow():%Y%m%d}.csv")
