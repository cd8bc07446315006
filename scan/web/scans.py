"""The entrepreneur's scan: start, one page per theme, review, submit, result, resume, delete.

A scan is reached only through its unguessable token in the URL; only the token's hash is
stored. Every page rebuilds the questionnaire from the scan's pinned snapshot.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf import FlaskForm

from .. import report_cache
from .. import scans as store
from ..catalog import get_catalog
from ..extensions import limiter
from ..models import Scan
from ..pages import NextStep, first_open_page, neighbour, pages
from ..presentation import answers_by_theme, band, counts_sentence
from ..questionnaire import AnswersError, Questionnaire, UnknownQuestionnaire
from ..questionnaire.model import PRIORITY_LABELS
from ..report import render_pdf
from ..scoring import visible_questions
from . import forms
from .errors import render_error
from .fragments import render_questions
from .links import external_url
from .tokens import scan_or_404

bp = Blueprint("scans", __name__, url_prefix="/scan")

NOT_SAVED_SUBMITTED = (
    "Deze scan is al verstuurd, misschien in een ander venster. Uw antwoorden op deze pagina "
    "zijn daarom niet opgeslagen: na het versturen veranderen de antwoorden niet meer. "
    "Open uw persoonlijke link om uw resultaat te zien."
)
NOT_SAVED_BUSY = (
    "Uw antwoorden zijn niet opgeslagen: de scan werd op hetzelfde moment ook ergens anders "
    "opgeslagen. Ga terug en probeer het opnieuw."
)
NOT_SUBMITTED_BUSY = (
    "De scan is niet verstuurd: hij werd op hetzelfde moment ook ergens anders opgeslagen. "
    "Ga terug en probeer het opnieuw."
)


class ConfirmForm(FlaskForm):
    """A form with only a CSRF token: start, submit and delete buttons."""


def _load(token: str) -> tuple[Scan, Questionnaire]:
    """Return the live scan of a token and its pinned questionnaire, or answer 404."""
    scan = scan_or_404(token)
    return scan, store.questionnaire_of(scan)


def _url(token: str, step: NextStep) -> str:
    """Return the URL of a step in the scan."""
    if step.kind == "resume":
        return url_for("scans.resume", token=token)
    if step.kind == "review":
        return url_for("scans.review", token=token)
    if step.added:
        url = url_for(
            "scans.theme", token=token, theme_id=step.theme_id, nieuw=",".join(step.added)
        )
        return url + f"#vraag-{step.added[0]}"
    return url_for("scans.theme", token=token, theme_id=step.theme_id)


# --- starting ----------------------------------------------------------------------------


def _questionnaire(questionnaire_id: str) -> Questionnaire:
    try:
        return get_catalog().get(questionnaire_id)
    except UnknownQuestionnaire:
        abort(404)


@bp.get("/<questionnaire_id>")
def sector(questionnaire_id: str):
    """Show what one sector scan is about, with the button that starts it."""
    q = _questionnaire(questionnaire_id)
    return render_template(
        "scans/sector.html",
        q=q,
        form=ConfirmForm(),
        ttl_days=current_app.config["SCAN_TTL_DAYS"],
    )


@bp.post("/<questionnaire_id>/start")
# The ceiling over all addresses counts only starts that the per-address limit let through.
@limiter.limit(
    lambda: current_app.config["SCAN_START_GLOBAL_LIMIT"],
    key_func=lambda: "all",
    scope="scan-start-all",
)
@limiter.limit(lambda: current_app.config["SCAN_START_LIMIT"], scope="scan-start")
def start(questionnaire_id: str):
    """Start a new scan of a sector and show its personal link."""
    q = _questionnaire(questionnaire_id)
    _, token = store.start_scan(q, current_app.config["SCAN_TTL_DAYS"])
    return redirect(url_for("scans.resume", token=token, nieuw=1))


@bp.get("/<token>/")
def resume(token: str):
    """Show the scan's personal link and where the entrepreneur left off."""
    scan, q = _load(token)
    answers = scan.answers or {}
    visible = visible_questions(q, answers)
    open_page = first_open_page(q, answers, visible)
    if scan.submitted_at:
        next_url = url_for("scans.result", token=token)
    elif open_page:
        next_url = url_for("scans.theme", token=token, theme_id=open_page)
    elif answers:
        next_url = url_for("scans.review", token=token)
    else:
        next_url = url_for("scans.theme", token=token, theme_id=pages(q, visible)[0].id)
    return render_template(
        "scans/resume.html",
        q=q,
        scan=scan,
        token=token,
        new=request.args.get("nieuw") == "1",
        link=external_url("scans.resume", token=token),
        answered=sum(1 for k in answers if k in visible),
        visible=len(visible),
        next_url=next_url,
        ttl_days=current_app.config["SCAN_TTL_DAYS"],
    )


# --- theme pages -------------------------------------------------------------------------


@bp.route("/<token>/thema/<theme_id>", methods=["GET", "POST"])
def theme(token: str, theme_id: str):
    """Show one theme's questions; on post, store them and go on, or show what to fix."""
    scan, q = _load(token)
    if scan.submitted_at and request.method == "POST":
        return render_error(409, NOT_SAVED_SUBMITTED)
    if scan.submitted_at:
        return redirect(url_for("scans.result", token=token))
    if theme_id not in q.compiled.themes:
        abort(404)
    questions = q.questions_for(theme_id)
    form_cls = forms.form_class(q, theme_id)
    errors: dict[str, str] = {}

    if request.method == "POST":
        if forms.tampered(questions, request.form):
            abort(400)
        form = form_cls()
        page = forms.read_page(form, questions)
        seen = request.form.get("seen")
        post = store.PagePost(
            theme_id,
            page.answers,
            page.errors,
            action=request.form.get("action", "verder"),
            seen=frozenset(seen.split(",")) if seen is not None else None,
        )
        try:
            saved = store.save_page(scan, q, post)
        except AnswersError:
            abort(400)
        except store.ScanSubmitted:
            return render_error(409, NOT_SAVED_SUBMITTED)
        except store.ScanBusy:
            return render_error(503, NOT_SAVED_BUSY)
        if saved.saved:
            return redirect(_url(token, saved.next))
        errors, shown = saved.errors, saved.visible
        data = None  # re-render what was posted, not the stored answers

        def make_form():
            return form
    else:
        shown = visible_questions(q, scan.answers or {})
        if not any(x.id in shown for x in questions):
            return redirect(_url(token, neighbour(q, theme_id, shown, +1)))
        data = forms.initial_data(questions, scan.answers or {})

        def make_form():
            return form_cls(data=data)

    on_pages = pages(q, shown)
    position = next((i for i, t in enumerate(on_pages) if t.id == theme_id), 0)
    added = set(request.args.get("nieuw", "").split(",")) & shown & {x.id for x in questions}
    return render_template(
        "scans/theme.html",
        q=q,
        token=token,
        theme=q.theme(theme_id),
        questions=render_questions(q, questions, make_form, shown, errors, added, data),
        errors=[
            (forms.first_field_id(x), x.text, errors[x.id]) for x in questions if x.id in errors
        ],
        added=added,
        step=position + 1,
        steps=len(on_pages),
        previous_url=_url(token, neighbour(q, theme_id, shown, -1)),
    ), (422 if errors else 200)


@bp.post("/<token>/thema/<theme_id>/zichtbaar")
def visibility(token: str, theme_id: str):
    """Tell the page script which of this page's questions the current answers show."""
    scan, q = _load(token)
    if theme_id not in q.compiled.themes:
        abort(404)
    questions = q.questions_for(theme_id)
    if forms.tampered(questions, request.form):
        abort(400)
    form = forms.form_class(q, theme_id)(meta={"csrf": False})
    page = forms.read_page(form, questions)
    visible = store.page_visibility(scan, q, theme_id, page.answers)
    return {"visible": [x.id for x in questions if x.id in visible]}


# --- review, submit, result ----------------------------------------------------------------


def _review_context(scan: Scan, q: Questionnaire, token: str) -> dict:
    sections = []
    missing = []
    for part in answers_by_theme(q, scan.answers or {}):
        if not part.rows:
            continue  # not a page: none of its questions show
        rows = [(row.question, row.label) for row in part.rows]
        missing += [(part.theme, x) for x, label in rows if label is None and x.required]
        sections.append((part.theme, rows))
    return {
        "q": q,
        "token": token,
        "sections": sections,
        "missing": missing,
        "unanswered": sum(1 for _, rows in sections for _, label in rows if label is None),
        "form": ConfirmForm(),
    }


@bp.get("/<token>/controle")
def review(token: str):
    """Show every answer before the entrepreneur submits the scan."""
    scan, q = _load(token)
    if scan.submitted_at:
        return redirect(url_for("scans.result", token=token))
    return render_template("scans/review.html", **_review_context(scan, q, token))


@bp.post("/<token>/versturen")
def submit(token: str):
    """Submit the scan: score it and store the result, then show it."""
    scan, q = _load(token)
    if not scan.submitted_at:
        context = _review_context(scan, q, token)
        if context["missing"]:
            return render_template("scans/review.html", **context, show_errors=True), 422
        try:
            store.submit_scan(scan, q)
        except store.ScanBusy:
            return render_error(503, NOT_SUBMITTED_BUSY)
    return redirect(url_for("scans.result", token=token))


@bp.get("/<token>/resultaat")
def result(token: str):
    """Show the result: level, theme scores, advice by priority and whom to call."""
    scan, q = _load(token)
    if not scan.submitted_at:
        return redirect(url_for("scans.review", token=token))
    outcome = store.result_of(scan, q)
    return render_template(
        "scans/result.html",
        q=q,
        scan=scan,
        token=token,
        result=outcome,
        priorities=PRIORITY_LABELS,
        themes={t.id: t.title for t in q.themes},
        levels=q.risk_levels,
        band=lambda value, red_flag: band(q.risk_levels, value, red_flag),
        counts=counts_sentence(outcome),
    )


@bp.get("/<token>/rapport.pdf")
def report(token: str):
    """Send the result as a PDF report."""
    scan, q = _load(token)
    if not scan.submitted_at:
        abort(404)
    # The start of the token's hash: it names the scan and cannot be turned back into the link.
    reference = scan.token_hash[:8].upper()
    key = report_cache.cache_key(store.snapshot_of(q)[1], scan.submitted_at, reference)
    pdf = report_cache.cached_pdf(
        scan,
        report_cache.SCAN_VARIANT,
        key,
        lambda: render_pdf(
            store.result_of(scan, q),
            q,
            reference=reference,
            answers=scan.answers or {},
            date=scan.submitted_at.date(),
        ),
    )
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="weerbaarheidsscan-{q.id}.pdf"'},
    )


# --- deleting ------------------------------------------------------------------------------


@bp.route("/<token>/verwijderen", methods=["GET", "POST"])
def delete(token: str):
    """Ask for confirmation, then delete the scan for good."""
    scan, q = _load(token)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        store.delete_scan(scan)
        return redirect(url_for("public.deleted"))
    return render_template("scans/delete.html", q=q, scan=scan, token=token, form=form)
