"""The entrepreneur's scan: start, one page per theme, review, submit, result, resume, delete.

A scan is reached only through its unguessable token in the URL; only the token's hash is
stored. Every page rebuilds the questionnaire from the scan's pinned snapshot.
"""

from __future__ import annotations

import datetime as dt

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    get_template_attribute,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf import FlaskForm
from markupsafe import Markup

from .. import scans as store
from ..catalog import get_catalog
from ..extensions import limiter
from ..models import Scan
from ..questionnaire import AnswersError, Question, Questionnaire, UnknownQuestionnaire
from ..questionnaire.model import PRIORITY_LABELS, SPECIAL_ANSWERS
from ..scoring import answer_label, visible_questions
from . import forms
from .errors import render_error
from .links import external_url

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
MONTHS = (
    "januari februari maart april mei juni juli augustus september oktober november december"
).split()


@bp.app_template_filter("datum")
def dutch_date(value: dt.datetime | dt.date) -> str:
    """Format a date the Dutch way: 26 februari 2027."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


class ConfirmForm(FlaskForm):
    """A form with only a CSRF token: start, submit and delete buttons."""


def _load(token: str) -> tuple[Scan, Questionnaire]:
    """Return the live scan of a token and its pinned questionnaire, or answer 404."""
    found = store.load_scan(token)
    if found is None:
        days = current_app.config["SCAN_TTL_DAYS"]
        message = (
            "Deze link werkt niet (meer). Misschien is de link niet helemaal goed gekopieerd. "
            f"Of de scan is verwijderd, of hij is ouder dan {days} dagen."
        )
        abort(make_response(render_error(404, message)))
    return found


def _pages(q: Questionnaire, visible: set[str]) -> list:
    """Return the themes that have at least one visible question, in order."""
    return [t for t in q.themes if any(x.id in visible for x in q.questions_for(t.id))]


def _first_open_page(q: Questionnaire, answers: dict, visible: set[str]) -> str | None:
    """Return the id of the first theme with a visible unanswered question, if any."""
    for question in q.questions:
        if question.id in visible and question.id not in answers:
            return question.theme
    return None


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
@limiter.limit("30 per minute")
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
    pages = _pages(q, visible)
    open_page = _first_open_page(q, answers, visible)
    if scan.submitted_at:
        next_url = url_for("scans.result", token=token)
    elif open_page:
        next_url = url_for("scans.theme", token=token, theme_id=open_page)
    elif answers:
        next_url = url_for("scans.review", token=token)
    else:
        next_url = url_for("scans.theme", token=token, theme_id=pages[0].id)
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
    """Show one theme's questions; on post, check and store them and go on."""
    scan, q = _load(token)
    if scan.submitted_at and request.method == "POST":
        return render_error(409, NOT_SAVED_SUBMITTED)
    if scan.submitted_at:
        return redirect(url_for("scans.result", token=token))
    if theme_id not in q.compiled.themes:
        abort(404)
    questions = q.questions_for(theme_id)
    page_ids = {x.id for x in questions}
    answers = scan.answers or {}
    shown = visible_questions(q, answers)
    form_cls = forms.form_class(q, theme_id)
    errors: dict[str, str] = {}

    if request.method == "POST":
        if forms.tampered(questions, request.form):
            abort(400)
        form = form_cls()
        page = forms.read_page(form, questions)
        merged = {k: v for k, v in answers.items() if k not in page_ids} | page.answers
        visible = visible_questions(q, merged)
        # A question hidden before and after this post was never on the page: tampering.
        # One that was shown but is hidden now (its condition changed) is simply dropped.
        if any(qid not in visible and qid not in shown for qid in page.answers):
            abort(400)
        errors = {k: v for k, v in page.errors.items() if k in visible}
        action = request.form.get("action", "verder")
        if action == "verder":
            for question in questions:
                if question.required and question.id in visible and question.id not in merged:
                    errors.setdefault(question.id, "Beantwoord deze vraag.")
        if not errors:
            kept = {k: v for k, v in page.answers.items() if k in visible}
            try:
                store.save_answers(scan, q, kept, page_ids)
            except AnswersError:
                abort(400)
            except store.ScanSubmitted:
                return render_error(409, NOT_SAVED_SUBMITTED)
            except store.ScanBusy:
                return render_error(503, NOT_SAVED_BUSY)
            return redirect(_after_save(q, token, theme_id, action, shown, visible, kept))
        shown = visible
        data = None  # re-render what was posted, not the stored answers

        def make_form():
            return form
    else:
        if not any(x.id in shown for x in questions):
            return redirect(_neighbour(q, token, theme_id, shown, +1))
        data = forms.initial_data(questions, answers)

        def make_form():
            return form_cls(data=data)

    pages = _pages(q, shown)
    position = next((i for i, t in enumerate(pages) if t.id == theme_id), 0)
    added = set(request.args.get("nieuw", "").split(",")) & shown & page_ids
    return render_template(
        "scans/theme.html",
        q=q,
        token=token,
        theme=q.theme(theme_id),
        questions=_render_questions(q, questions, make_form, shown, errors, added, data),
        errors=[
            (forms.first_field_id(x), x.text, errors[x.id]) for x in questions if x.id in errors
        ],
        added=added,
        step=position + 1,
        steps=len(pages),
        previous_url=_neighbour(q, token, theme_id, shown, -1),
    ), (422 if errors and request.method == "POST" else 200)


# Rendered question blocks, by questionnaire fingerprint, question, state and field data: a
# theme page is mostly these blocks, and rendering form fields is the slow part of a page.
_fragments: dict[tuple, Markup] = {}
FRAGMENT_LIMIT = 20_000


def _render_questions(q, questions, make_form, shown, errors, added, data) -> list[Markup]:
    """Return the HTML of each question block, from the cache where the same block was shown."""
    digest = store.snapshot_of(q)[1]
    macro = form = None
    blocks = []
    for question in questions:
        visible, error = question.id in shown, errors.get(question.id)
        key = None
        if data is not None and error is None:
            state = tuple(_frozen(data.get(name)) for name in forms.field_names(question))
            key = (digest, question.id, visible, question.id in added, state)
        html = _fragments.get(key) if key else None
        if html is None:
            if form is None:
                form = make_form()
                macro = get_template_attribute("scans/_questions.html", "question")
            html = Markup(macro(_item(form, question, visible, error), question.id in added))
            if key:
                if len(_fragments) >= FRAGMENT_LIMIT:
                    _fragments.clear()
                _fragments[key] = html
        blocks.append(html)
    return blocks


def _frozen(value):
    return tuple(value) if isinstance(value, list) else value


def _item(form, question: Question, visible: bool, error: str | None) -> dict:
    return {
        "q": question,
        "fields": [form[name] for name in forms.field_names(question)],
        "visible": visible,
        "error": error,
        "special_values": set(SPECIAL_ANSWERS),
    }


def _neighbour(q: Questionnaire, token: str, theme_id: str, visible: set[str], step: int) -> str:
    """Return the URL of the previous (-1) or next (+1) page with visible questions."""
    order = [t.id for t in q.themes]
    pages = {t.id for t in _pages(q, visible)}
    index = order.index(theme_id) + step
    while 0 <= index < len(order):
        if order[index] in pages:
            return url_for("scans.theme", token=token, theme_id=order[index])
        index += step
    if step < 0:
        return url_for("scans.resume", token=token)
    return url_for("scans.review", token=token)


def _after_save(q, token, theme_id, action, shown, visible, kept) -> str:
    """Return where to go after a page was stored."""
    if action == "vorige":
        return _neighbour(q, token, theme_id, visible, -1)
    if action == "later":
        return url_for("scans.resume", token=token)
    # Questions that the answers just opened up, and that the entrepreneur has not seen yet,
    # are shown first. The page script says which questions were on screen; without it, the
    # page showed what the stored answers showed.
    seen = set(request.form["seen"].split(",")) if "seen" in request.form else shown
    added = [
        x.id
        for x in q.questions_for(theme_id)
        if x.id in visible and x.id not in seen and x.id not in kept
    ]
    if added:
        return (
            url_for("scans.theme", token=token, theme_id=theme_id, nieuw=",".join(added))
            + f"#vraag-{added[0]}"
        )
    return _neighbour(q, token, theme_id, visible, +1)


@bp.post("/<token>/thema/<theme_id>/zichtbaar")
def visibility(token: str, theme_id: str):
    """Tell the page script which of this page's questions the current answers show."""
    scan, q = _load(token)
    if theme_id not in q.compiled.themes:
        abort(404)
    questions = q.questions_for(theme_id)
    if forms.tampered(questions, request.form):
        abort(400)
    page_ids = {x.id for x in questions}
    form = forms.form_class(q, theme_id)(meta={"csrf": False})
    page = forms.read_page(form, questions)
    merged = {k: v for k, v in (scan.answers or {}).items() if k not in page_ids} | page.answers
    visible = visible_questions(q, merged)
    return {"visible": [x.id for x in questions if x.id in visible]}


# --- review, submit, result ----------------------------------------------------------------


def _review_context(scan: Scan, q: Questionnaire, token: str) -> dict:
    answers = scan.answers or {}
    visible = visible_questions(q, answers)
    sections = []
    missing = []
    for page in _pages(q, visible):
        rows = []
        for question in q.questions_for(page.id):
            if question.id not in visible:
                continue
            value = answers.get(question.id)
            rows.append((question, answer_label(question, value) if value is not None else None))
            if value is None and question.required:
                missing.append((page, question))
        sections.append((page, rows))
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
        band=lambda value, red_flag: _band(q, value, red_flag),
        pdf=report_available(),
    )


def _band(q: Questionnaire, value: float | None, red_flag: bool) -> str:
    """Return the colour band of a score: low (most serious level), mid or high."""
    levels = q.risk_levels
    if red_flag:
        return "low"
    if value is None:
        return "none"
    index = next((i for i, lvl in enumerate(levels) if lvl.min <= value < lvl.max), len(levels) - 1)
    return "low" if index == 0 else "high" if index == len(levels) - 1 else "mid"


def report_available() -> bool:
    """Tell whether the PDF report (scan.report.render_pdf) is part of this code base."""
    return _render_pdf() is not None


def _render_pdf():
    """Return scan.report.render_pdf, or None while the report package does not exist."""
    try:
        from ..report import render_pdf
    except ImportError:
        return None
    return render_pdf


@bp.get("/<token>/rapport.pdf")
def report(token: str):
    """Send the result as a PDF report."""
    scan, q = _load(token)
    render_pdf = _render_pdf()
    if not scan.submitted_at or render_pdf is None:
        abort(404)
    outcome = store.result_of(scan, q)
    # The start of the token's hash: it names the scan and cannot be turned back into the link.
    reference = scan.token_hash[:8].upper()
    pdf = render_pdf(
        outcome,
        q,
        reference=reference,
        answers=scan.answers or {},
        date=scan.submitted_at.date(),
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


# --- housekeeping --------------------------------------------------------------------------


@bp.cli.command("expire")
def expire_command() -> None:
    """Delete every scan whose link has expired."""
    import click

    click.echo(f"{store.expire_scans()} expired scan(s) deleted.")
