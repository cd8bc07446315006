"""Save and return, as GOV.UK does it: a page that confirms what is saved, and the personal
link shown again when the entrepreneur asks for it.

The link is never put in an address and never logged: it is asked for with a POST (with its
CSRF token) and answered with a page that is not cached (scan/platform/security.py). The
browser's scan session holds the token sealed (scan/scans/tokens.py) until the browser closes
or "Snel weg" ends the session; after that only the link the entrepreneur kept opens the scan.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from flask_wtf import FlaskForm

from scan.platform.errors import render_error
from scan.platform.links import external_url
from scan.scans import store
from scan.scans.tokens import current_scan_or_neutral, current_token
from scan.scoring import visible_questions

bp = Blueprint("savelink", __name__, url_prefix="/scan", template_folder="templates")

# Where "Terug" on the link page leads: a fixed set, never an address from the request.
BACK = {
    "opgeslagen": ("savelink.saved", "Terug naar ‘Uw antwoorden zijn opgeslagen’"),
    "overzicht": ("scans.overview", "Terug naar uw scan"),
    "resultaat": ("scans.result", "Terug naar uw resultaat"),
}


class LinkForm(FlaskForm):
    """The "Laat mijn link zien" button: a CSRF token only."""


@bp.get("/opgeslagen")
def saved():
    """Confirm what is saved after "Opslaan en later verder", and offer the link again."""
    scan = current_scan_or_neutral()
    q = store.reader_questionnaire(scan)
    answers = scan.answers or {}
    visible = visible_questions(q, answers)
    return render_template(
        "scans/saved.html",
        q=q,
        scan=scan,
        answered=sum(1 for k in answers if k in visible),
        visible=len(visible),
    )


@bp.post("/mijn-link")
def show():
    """Show the personal link of this browser's scan, on request (never in an address)."""
    scan = current_scan_or_neutral()
    if not LinkForm().validate_on_submit():
        return render_error(400)
    token = current_token()
    if not token:
        return render_error(
            409, "Uw link kunnen we hier niet meer laten zien. Gebruik de link die u bewaarde."
        )
    endpoint, label = BACK.get(request.form.get("terug", ""), BACK["overzicht"])
    return render_template(
        "scans/link.html",
        q=store.reader_questionnaire(scan),
        scan=scan,
        link=external_url("scans.resume", token=token),
        ttl_days=current_app.config["SCAN_TTL_DAYS"],
        back_url=url_for(endpoint),
        back_label=label,
    )
