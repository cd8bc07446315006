"""Coming back to a scan: repeat it, keep an action plan, download the plan as a calendar file.

Every route finds its scan through `_current`, the one place that turns the request into the
entrepreneur's scan, found through the browser's scan session (scan/scans/tokens.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    redirect,
    request,
    url_for,
)
from flask_babel import format_date, gettext, lazy_gettext
from flask_wtf import FlaskForm
from markupsafe import Markup

from scan.platform.catalog import get_catalog
from scan.platform.errors import render_error
from scan.platform.extensions import limiter
from scan.platform.models import PLAN_STATES, Scan, Share
from scan.questionnaire import UnknownQuestionnaire
from scan.scans import actionplan, comparison, repeats, store
from scan.scans.tokens import current_scan_or_neutral, current_token, open_scan, scan_mark

BUSY = lazy_gettext(
    "Het is nu erg druk. Er is niets opgeslagen. Probeer het over een minuut opnieuw."
)

bp = Blueprint("followup", __name__, url_prefix="/scan", template_folder="templates")


class ConfirmForm(FlaskForm):
    """A form with only a CSRF token: the repeat button and the plan forms."""


def _current() -> Scan:
    """Return the live scan of this browser's scan session, or answer with the neutral page."""
    return current_scan_or_neutral()


def _submitted() -> Scan | tuple:
    scan = _current()
    if scan.submitted_at is None:
        return render_error(409, "Maak de scan eerst af. Daarna kan dit.")
    return scan


@bp.post("/opnieuw")
@limiter.limit("30 per minute")
def repeat():
    """Start a repeat of a submitted scan on today's questionnaire and show its new link."""
    scan = _submitted()
    if not isinstance(scan, Scan):
        return scan
    if not ConfirmForm().validate_on_submit():
        return render_error(400)
    try:
        latest = get_catalog().get(scan.questionnaire_id)
    except UnknownQuestionnaire:
        return render_error(
            410, "Deze scan bestaat niet meer in dezelfde vorm. Kies een scan op de startpagina."
        )
    ttl = current_app.config["SCAN_TTL_DAYS"]
    key = request.form.get("herhaling", "")
    try:
        new_scan, new_token = repeats.start_repeat(scan, current_token(), latest, ttl, key)
    except store.ScanBusy:
        return render_error(503, BUSY)
    open_scan(new_scan, new_token, new=True)
    return redirect(url_for("scans.overview"), 303)


@bp.post("/actieplan/<advice_id>")
def plan_step(advice_id: str):
    """Store one step of the action plan; answer the page script with JSON, others with a page."""
    scan = _submitted()
    if not isinstance(scan, Scan):
        return scan
    wants_json = request.accept_mimetypes.best == "application/json"
    if not ConfirmForm().validate_on_submit():
        return render_error(400)
    post = actionplan.StepPost(
        advice_id=advice_id,
        state=request.form.get("state", ""),
        who=request.form.get("who", ""),
        due=request.form.get("due", ""),
    )
    try:
        step = actionplan.save_step(scan, post)
    except store.ScanBusy:
        if wants_json:
            return {"error": str(BUSY)}, 503
        return render_error(503, BUSY)
    except actionplan.PlanError as error:
        if wants_json:
            return {"error": str(error)}, 400
        return render_error(
            400, f"{error} {gettext('Er is niets opgeslagen. Ga terug en probeer het opnieuw.')}"
        )
    if wants_json:  # what is stored now, so the page says "Opgeslagen" only when it matches
        return {
            "saved": True,
            "state": step.state if step else "",
            "who": (step.who or "") if step else "",
            "due": step.due.isoformat() if step and step.due else "",
        }
    return redirect(url_for("scans.result", opgeslagen=advice_id) + f"#plan-{advice_id}")


@bp.get("/actieplan.ics")
def plan_calendar():
    """Send the action plan's dated steps as a calendar file, made here."""
    scan = _submitted()
    if not isinstance(scan, Scan):
        return scan
    q = store.questionnaire_of(scan)
    fired = {r.rule_id for r in scan.fired_rules}
    titles = {r.id: r.advice.title for r in q.rules if r.id in fired}
    body = actionplan.calendar(current_token(), q.title, actionplan.plan_of(scan), titles)
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="actieplan.ics"'},
    )


# --- what the scan pages show -------------------------------------------------------------

# The plan states' words (PLAN_STATES in scan.platform.models), marked for the catalogs.
STATE_WORDS = (lazy_gettext("Gepland"), lazy_gettext("Bezig"), lazy_gettext("Gedaan"))


@dataclass(frozen=True)
class FollowUp:
    """What the result page shows about coming back: progress, the plan, the repeat button."""

    progress: repeats.Progress | None
    plan: dict
    previous_plan: dict
    states: dict
    form: FlaskForm
    saved: str | None
    dated: bool


def followup_for(scan: Scan) -> FollowUp:
    """Return the result page's follow-up parts for the browser's open scan."""
    plan = actionplan.plan_of(scan)
    fired = {r.rule_id for r in scan.fired_rules}
    previous = repeats.notes_of(scan).get("plan", {})
    return FollowUp(
        progress=repeats.progress_of(scan, current_token()),
        plan=plan,
        previous_plan={k: _previous_phrase(v) for k, v in previous.items()},
        states={value: gettext(label) for value, label in PLAN_STATES.items()},
        form=ConfirmForm(),
        saved=request.args.get("opgeslagen"),
        dated=any(s.due for s in plan.values() if s.advice_id in fired),
    )


def _previous_phrase(step: dict) -> str:
    """Return how an earlier plan step reads: "u had dit gepland voor maart 2027"."""
    state = step.get("state")
    due = dt.date.fromisoformat(step["due"]) if step.get("due") else None
    month = format_date(due, "MMMM y") if due else ""
    if state == "gedaan":
        return gettext("Vorige keer had u dit op ‘gedaan’ gezet.")
    if state == "bezig":
        if due:
            return gettext("Vorige keer was u hiermee bezig voor %(month)s.", month=month)
        return gettext("Vorige keer was u hiermee bezig.")
    if state == "niet_van_toepassing":
        return gettext("Vorige keer vond u dit niet van toepassing.")
    if due:
        return gettext("U had dit gepland voor %(month)s.", month=month)
    return gettext("U had dit gepland.")


def repeat_marks(scan: Scan | None, theme_id: str) -> list[Markup]:
    """Return, per question of a theme page, what a repeat says about it (empty if nothing)."""
    q = store.questionnaire_of(scan) if scan is not None else None
    notes = repeats.notes_of(scan) if scan is not None else {}
    if q is None or not notes:
        return []
    macro = current_app.jinja_env.get_template("scans/_repeat_mark.html").module.mark
    return [macro(x.id, notes) for x in q.questions_for(theme_id)]


@dataclass(frozen=True)
class AdviserView:
    """What an adviser sees of the follow-up of a shared scan."""

    plan: list  # (advice title, state label, who, due) per planned step, in advice order
    progress: repeats.Progress | None
    later: list


def adviser_followup(share: Share, result) -> AdviserView:
    """Return the action-plan state and, when shared alike, the comparison of a shared scan."""
    steps = actionplan.plan_of(share.scan)
    plan = [
        (a.title, PLAN_STATES.get(steps[a.id].state, ""), steps[a.id].who, steps[a.id].due)
        for a in result.advice
        if a.id in steps
    ]
    progress, later = repeats.shared_progress(share)
    return AdviserView(plan, progress, later)


def register(app: Flask) -> None:
    """Register the blueprint and the helpers the scan templates call."""
    app.register_blueprint(bp)
    app.add_template_global(followup_for)
    app.add_template_global(comparison.comparison_for)
    app.add_template_global(repeat_marks)
    app.add_template_global(scan_mark)
    app.add_template_global(adviser_followup)
    app.add_template_global(repeats.notes_of, "repeat_notes")
    app.add_template_global(repeats.new_request_key, "repeat_key")
