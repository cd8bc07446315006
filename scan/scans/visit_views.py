"""A visit on the scan's side: the adviser's notes on a theme page, and the hand-over.

Only the browser that started the visit (an adviser's, still logged in for the visit's
organisation) reaches these pages, and only while the visit goes on. The hand-over shows the
personal link as a QR code (and on a printable handout), never in an address or a log; then
the entrepreneur chooses on the same screen whether the organisation may keep seeing the
scan, with the consent texts and form of scan/scans/sharing_views.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import segno
from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup

from scan.platform.errors import render_error
from scan.platform.links import external_url
from scan.platform.visit_models import Visit
from scan.scans import sharing as shares
from scan.scans import store, visits
from scan.scans.forms import VISIT_FIELDS
from scan.scans.sharing_views import ShareForm
from scan.scans.tokens import current_scan, current_token, forget_scan, visit_id

bp = Blueprint("visits", __name__, url_prefix="/scan/bezoek", template_folder="templates")

NEUTRAL = "scans/no_session.html"
SAVE_HERE = "bezoek"  # the theme page's "Opslaan bij dit onderwerp": save all, stay on the page
REMOVE = "weghalen-"  # and a note's id: remove that agreed action, save all, stay on the page


class ConfirmForm(FlaskForm):
    """Only the CSRF token: ending a visit without sharing, removing an action."""


def visit_here() -> Visit | None:
    """Return the open visit this browser holds its scan for, as its adviser; else None."""
    public_id = visit_id()
    if public_id is None or not current_user.is_authenticated:
        return None
    scan = current_scan()  # forgets the scan when the visit has ended
    visit = visits.visit_of(scan)
    if visit is None or not visit.is_open or visit.public_id != public_id:
        return None
    if current_user.organisation_id != visit.organisation_id:
        return None
    return visit


def _visit_or_403() -> Visit:
    """Return this browser's open visit, or answer with the neutral page (403)."""
    visit = visit_here()
    if visit is None:
        abort(make_response(render_template(NEUTRAL), 403))
    return visit


@dataclass(frozen=True)
class VisitPart:
    """The visit part of a posted theme page: what its fields show next, and why it was not
    stored (then the fields show what was typed, so nothing is lost)."""

    values: dict[str, str] = field(default_factory=dict)
    error: str | None = None


def page_action(action: str) -> str:
    """Return the page step a theme page's button asks: the visit's buttons save and stay."""
    return SAVE_HERE if action == SAVE_HERE or action.startswith(REMOVE) else action


def save_visit_part(theme_id: str, action: str) -> VisitPart | None:
    """Store the visit part posted with a theme page's answers; None without a visit here.

    The notes and the answers are one form, so saving either keeps what was typed in the
    other. The page shows the result through `g.visit_part`.
    """
    visit = visit_here()
    if visit is None or "waarneming" not in request.form:
        return None
    typed = {name: request.form.get(name, "") for name in VISIT_FIELDS}
    post = visits.ThemePost(
        theme_id, typed["waarneming"], typed["afspraak"], typed["wie"], typed["wanneer"]
    )
    try:
        note_id = action.removeprefix(REMOVE)
        if action.startswith(REMOVE) and note_id.isdigit():
            visits.remove_action(visit, int(note_id))
        visits.save_theme_notes(visit, post)
    except visits.VisitError as error:
        g.visit_part = VisitPart(typed, str(error))
    except store.ScanBusy:
        g.visit_part = VisitPart(typed, "Dat lukte nu niet. Probeer het opnieuw.")
    else:
        g.visit_part = VisitPart()
        if page_action(action) == SAVE_HERE:
            flash("Opgeslagen bij dit onderwerp.", "success")
    return g.visit_part


def qr_svg(link: str, title: str) -> Markup:
    """Return the link as an inline SVG QR code, made here (no outside service sees it)."""
    return Markup(segno.make(link, error="m").svg_inline(scale=6, title=title, border=2))


@bp.post("/thema/<theme_id>")
def theme_notes(theme_id: str):
    """Store what the adviser saw on this theme and an agreed action; back to the page."""
    visit = _visit_or_403()
    q = store.questionnaire_of(visit.scan)
    if theme_id not in q.compiled.themes or not ConfirmForm().validate_on_submit():
        abort(400)
    post = visits.ThemePost(
        theme_id,
        request.form.get("waarneming", ""),
        request.form.get("afspraak", ""),
        request.form.get("wie", ""),
        request.form.get("wanneer", ""),
    )
    try:
        visits.save_theme_notes(visit, post)
    except visits.VisitError as error:
        flash(str(error), "error")
    except store.ScanBusy:
        return render_error(503, "Dat lukte nu niet. Probeer het opnieuw.")
    else:
        flash("Opgeslagen bij dit onderwerp.", "success")
    return redirect(url_for("scans.theme", theme_id=theme_id) + "#bezoek")


@bp.post("/afspraak/<int:note_id>/verwijderen")
def remove_action(note_id: int):
    """Remove an agreed action again (a typing error); back to its theme page."""
    visit = _visit_or_403()
    note = next((n for n in visit.notes if n.id == note_id), None)
    if note is None or not ConfirmForm().validate_on_submit():
        abort(404 if note is None else 400)
    theme_id = note.theme_id
    visits.remove_action(visit, note_id)
    flash("De afspraak is weggehaald.", "success")
    return redirect(url_for("scans.theme", theme_id=theme_id) + "#bezoek")


def _handover(visit: Visit, form: ShareForm, status: int = 200):
    link = external_url("scans.resume", token=current_token())
    return render_template(
        "visits/handover.html",
        visit=visit,
        scan=visit.scan,
        q=store.questionnaire_of(visit.scan),
        qr=qr_svg(link, "QR-code met de link naar uw scan"),
        form=form,
        end_form=ConfirmForm(),
        chosen=visit.organisation,
        ttl_days=current_app.config["SCAN_TTL_DAYS"],
        shared_days=current_app.config["SHARED_RETENTION_DAYS"],
    ), status


@bp.get("/overdragen")
def handover():
    """Show the link as a QR code and let the entrepreneur choose whether the PVO may keep it."""
    visit = _visit_or_403()
    return _handover(visit, ShareForm(organisation=str(visit.organisation_id)))


@bp.get("/uitdeelblad")
def handout():
    """Show the one-page handout to print: the QR code, the link in letters, what it is."""
    visit = _visit_or_403()
    link = external_url("scans.resume", token=current_token())
    return render_template(
        "visits/handout.html",
        visit=visit,
        q=store.questionnaire_of(visit.scan),
        link=link,
        qr=qr_svg(link, "QR-code met de link naar uw scan"),
        reference=store.report_reference(visit.scan),
        ttl_days=current_app.config["SCAN_TTL_DAYS"],
    )


@bp.post("/delen")
def share():
    """The entrepreneur agrees: share the scan with the visit's PVO, as on the share page."""
    visit = _visit_or_403()
    if visit.kind == "papier":  # the entrepreneur is not there: they share from the link
        return render_error(409, "Een papieren scan deelt de ondernemer zelf, met de link.")
    if visit.scan.submitted_at is None:
        return render_error(409, "Rond de scan eerst af. Daarna kunt u hem delen.")
    form = ShareForm()
    if request.form.get("organisation") != str(visit.organisation_id):
        abort(400)
    if not form.validate_on_submit():
        return _handover(visit, form, 400)
    contact = shares.Contact(
        name=form.name.data, company=form.company.data, phone=form.phone.data, email=form.email.data
    )
    try:
        visits.share_and_end(visit, current_token(), contact)
    except visits.VisitError:  # ended by another click meanwhile: show how
        return _ended(visit)
    except store.ScanBusy:
        return render_error(503, "Dat lukte nu niet. Probeer het over een minuut opnieuw.")
    return _ended(visit)


@bp.post("/niet-delen")
def end_without_sharing():
    """The entrepreneur does not agree: the visit ends and the adviser's access with it."""
    visit = _visit_or_403()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        visits.end_without_sharing(visit)
    except store.ScanBusy:
        return render_error(503, "Dat lukte nu niet. Probeer het over een minuut opnieuw.")
    return _ended(visit)


def _ended(visit: Visit):
    """Let go of the scan in this browser and show the adviser how the visit ended."""
    forget_scan()
    return redirect(url_for("advisers.visit", public_id=visit.public_id))


def register(app: Flask) -> None:
    """Register the blueprint and the helpers the scan templates call."""
    app.register_blueprint(bp)
    app.add_template_global(visit_here)
    app.add_template_global(visits.notes_of, "visit_notes")
