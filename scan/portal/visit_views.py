"""Visits as the adviser starts them: "Bezoek starten" and how a visit ended.

Starting opens the new scan in the adviser's browser for the visit (scan/scans/tokens.py);
the scan's own pages follow, with the visit's parts (scan/scans/visit_views.py). After the
hand-over the adviser sees the scan only when the entrepreneur shared it.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms import RadioField, SelectChoice, SelectField
from wtforms.validators import DataRequired

from scan.platform import audit
from scan.platform.catalog import get_catalog
from scan.platform.visit_models import VISIT_KINDS
from scan.portal.auth import roles_required
from scan.portal.forms import DutchForm
from scan.portal.views import bp
from scan.questionnaire import UnknownQuestionnaire
from scan.scans import visits
from scan.scans.tokens import open_scan


class VisitStartForm(DutchForm):
    """Which questionnaire, and a visit now or a paper scan typed in afterwards."""

    vragenlijst = SelectField(
        "Welke scan vult u in?", validators=[DataRequired("Kies een scan.")], choices=[]
    )
    soort = RadioField(
        "Wat doet u?",
        choices=[
            SelectChoice("bezoek", "Nu samen invullen, tijdens het bezoek"),
            SelectChoice("papier", "Een papieren scan invoeren, na het bezoek"),
        ],
        default="bezoek",
        validators=[DataRequired("Kies wat u doet.")],
    )


def questionnaire_choices() -> list[SelectChoice]:
    """Return every published questionnaire to start: the shipped sectors and branch versions."""
    listed = [q for q in get_catalog().latest.values() if q.listed]
    return [SelectChoice(q.id, q.title) for q in sorted(listed, key=lambda q: q.title.lower())]


@bp.route("/adviseur/bezoek", methods=["GET", "POST"])
@roles_required("adviser")
def start_visit():
    """Choose a questionnaire and start it as a visit (or a paper scan); open it here."""
    form = VisitStartForm()
    form.vragenlijst.choices = questionnaire_choices()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template(
            "advisers/visit_start.html",
            form=form,
            kinds=VISIT_KINDS,
            open_visits=visits.open_visits_of(current_user),
        ), status
    try:
        q = get_catalog().get(form.vragenlijst.data)
        visit, scan, token = visits.start_visit(
            q, current_user, form.soort.data, current_app.config["SCAN_TTL_DAYS"]
        )
    except (UnknownQuestionnaire, visits.VisitError) as error:
        flash(str(error) if isinstance(error, visits.VisitError) else "Kies een scan.", "error")
        return redirect(url_for("advisers.start_visit"))
    open_scan(scan, token, visit=visit.public_id)
    return redirect(url_for("scans.overview"))


class ResumeForm(DutchForm):
    """Only the CSRF token: taking up an open visit again."""


@bp.post("/adviseur/bezoeken/<public_id>/verder")
@roles_required("adviser")
def resume_visit(public_id: str):
    """Take up an open visit of this adviser after logging in again; open its scan here."""
    if visits.organisation_visit(public_id, current_user.organisation_id) is None:
        audit.record_refusal(current_user, "visit_refused", "advisers.resume_visit")
        abort(404)
    if not ResumeForm().validate_on_submit():
        abort(400)
    try:
        visit, scan, token = visits.resume_visit(public_id, current_user)
    except visits.VisitError as error:
        flash(str(error), "error")
        return redirect(url_for("advisers.start_visit"))
    open_scan(scan, token, visit=visit.public_id)
    flash(
        "U gaat verder met het bezoek. De antwoorden en notities zijn bewaard. De scan heeft "
        "een nieuwe link: druk het blad met de QR-code opnieuw af als u het al had afgedrukt.",
        "info",
    )
    return redirect(url_for("scans.overview"))


@bp.get("/adviseur/bezoeken/<public_id>")
@roles_required("adviser")
def visit(public_id: str):
    """Show how a visit of the adviser's organisation ended; others' visits are 404."""
    found = visits.organisation_visit(public_id, current_user.organisation_id)
    if found is None:
        audit.record_refusal(current_user, "visit_refused", "advisers.visit")
        abort(404)
    return render_template(
        "advisers/visit.html", visit=found, share=visits.share_of(found), kinds=VISIT_KINDS
    )
