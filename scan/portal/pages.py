"""The adviser pages' blueprint and what its view modules share: labels, look-ups, page number.

The views live by job: `caseload_views` (the list, search and export), `case_views` (one
shared scan), `trend_views` (trends and their export) and `views` (administration).
"""

from __future__ import annotations

from flask import Blueprint, abort, request
from flask_login import current_user

from scan.platform.catalog import get_catalog
from scan.platform.extensions import db
from scan.platform.models import Share
from scan.portal import shares

bp = Blueprint("advisers", __name__, template_folder="templates")

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
}


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
    share = shares.shared_with(db.session, public_id, current_user.organisation_id)
    if share is None:
        abort(404)
    return share


def page_number() -> int:
    """Return the page asked for (?pagina=), at least 1."""
    return max(request.args.get("pagina", 1, type=int) or 1, 1)


def kept_args() -> dict[str, str]:
    """Return the query arguments a pager link keeps (all filled ones but the page)."""
    return {k: v for k, v in request.args.items() if k != "pagina" and v}
