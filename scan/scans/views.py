"""The entrepreneur's scan: start, one page per theme, review, submit, result, resume, delete.

A scan is reached through its unguessable token in the personal link; only the token's hash is
stored. Opening the link starts a scan session and every other page has an address without the
token (scan/scans/tokens.py). Every page rebuilds the questionnaire from the pinned snapshot.
"""

from __future__ import annotations

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
from flask_babel import lazy_gettext
from flask_wtf import FlaskForm

from scan.platform import languages
from scan.platform.catalog import get_catalog
from scan.platform.errors import render_error
from scan.platform.extensions import limiter
from scan.platform.links import external_url
from scan.platform.locking import read_without_transaction
from scan.platform.models import Scan
from scan.platform.questionnaire_languages import for_reader
from scan.presentation import answers_by_theme, required_message, summary_message
from scan.questionnaire import AnswersError, Questionnaire, UnknownQuestionnaire
from scan.scans import forms, repeats, report_pdf, store, visit_views
from scan.scans.fragments import render_questions
from scan.scans.page_order import (
    NextStep,
    first_open_page,
    neighbour,
    page_number,
    pages,
    theme_states,
)
from scan.scans.page_words import PAGE_WORDS
from scan.scans.result_page import result_context
from scan.scans.tokens import (
    current_scan_or_neutral,
    current_token,
    forget_scan,
    link_saved,
    new_link,
    open_scan,
    scan_or_404,
)
from scan.scoring import visible_questions

bp = Blueprint("scans", __name__, url_prefix="/scan", template_folder="templates")

NOT_SAVED_SUBMITTED = lazy_gettext(
    "Deze scan is al verstuurd, misschien in een ander venster. Uw antwoorden op deze pagina "
    "zijn daarom niet opgeslagen: na het versturen veranderen de antwoorden niet meer. "
    "Open uw persoonlijke link om uw resultaat te zien."
)
NOT_SAVED_BUSY = lazy_gettext(
    "Uw antwoorden zijn niet opgeslagen: de scan werd op hetzelfde moment ook ergens anders "
    "opgeslagen. Ga terug en probeer het opnieuw."
)
NOT_SUBMITTED_BUSY = lazy_gettext(
    "De scan is niet verstuurd: hij werd op hetzelfde moment ook ergens anders opgeslagen. "
    "Ga terug en probeer het opnieuw."
)


class ConfirmForm(FlaskForm):
    """A form with only a CSRF token: start, submit and delete buttons."""


BACK_TO_REVIEW = "controle"  # ?terug=controle: a page opened by "Wijzig" on the check page

# A browser has one open scan: opening another replaces it, and the entrepreneur is told so.
REPLACED = lazy_gettext(
    "U werkt nu aan de scan van deze link. Uw andere scan is niet weg: open die met zijn eigen "
    "persoonlijke link."
)
REPLACED_BY_NEW = lazy_gettext(
    "U werkt nu aan de scan die u net begon. Uw andere scan is niet weg: open die met zijn "
    "eigen persoonlijke link."
)


def _load(*, lock: bool = False, only_reads: bool = False) -> tuple[Scan, Questionnaire]:
    """Return the scan of this browser's scan session and its questionnaire, or a neutral page.

    With lock, the scan is read under the lock its save takes (raises store.ScanBusy). With
    only_reads, for a page that stores nothing, its reads run without a transaction
    (locking.read_without_transaction: two round trips fewer)."""
    if only_reads:
        read_without_transaction()
    scan = current_scan_or_neutral(lock=lock)
    return scan, store.reader_questionnaire(scan)


def _url(step: NextStep, back: str | None = None) -> str:
    """Return the URL of a step in the scan."""
    if step.kind == "resume":
        return url_for("scans.overview")
    if step.kind == "review":
        return url_for("scans.review")
    if step.added:
        url = url_for("scans.theme", theme_id=step.theme_id, nieuw=",".join(step.added), terug=back)
        return url + f"#vraag-{step.added[0]}"
    return url_for("scans.theme", theme_id=step.theme_id, terug=back)


# --- starting ----------------------------------------------------------------------------


def _questionnaire(questionnaire_id: str) -> Questionnaire:
    try:
        return get_catalog().get(questionnaire_id)
    except UnknownQuestionnaire:
        abort(404)


@bp.get("/<questionnaire_id>")
def sector(questionnaire_id: str):
    """Show what one sector scan is about, with the button that starts it."""
    q = for_reader(_questionnaire(questionnaire_id), languages.current_language())
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
    """Start a new scan of a sector, open it in this browser and show its personal link."""
    q = _questionnaire(questionnaire_id)
    scan, token = store.start_scan(
        q, current_app.config["SCAN_TTL_DAYS"], language=languages.current_language()
    )
    if open_scan(scan, token, new=True):
        flash(str(REPLACED_BY_NEW), "info")
    return redirect(url_for("scans.overview"))


@bp.get("/<token>/")
def resume(token: str):
    """Open the scan of a personal link in this browser, then go on without the token."""
    scan = scan_or_404(token)
    if open_scan(scan, token):
        flash(str(REPLACED), "info")
    return redirect(url_for("scans.overview"), 303)


def _next_url(scan: Scan, q: Questionnaire, visible: set[str], new: bool = False) -> str:
    """Return where "Ga verder" goes: the last page visited, else the first open one."""
    answers = scan.answers or {}
    if scan.submitted_at:
        return url_for("scans.result")
    if new:  # "Begin met de vragen", also of a repeat whose answers are filled in already
        return url_for("scans.theme", theme_id=pages(q, visible)[0].id)
    shown = {t.id for t in pages(q, visible)}
    if scan.last_theme in shown:
        return url_for("scans.theme", theme_id=scan.last_theme)
    if answers and scan.last_theme is None:  # went on from the last page: the check page
        return url_for("scans.review")
    open_page = first_open_page(q, answers, visible)
    if open_page:
        return url_for("scans.theme", theme_id=open_page)
    if answers:
        return url_for("scans.review")
    return url_for("scans.theme", theme_id=pages(q, visible)[0].id)


@bp.get("/overzicht")
def overview():
    """Show the themes and their state, the way on, and right after the start the link."""
    scan, q = _load(only_reads=True)
    answers = scan.answers or {}
    visible = visible_questions(q, answers)
    token = new_link()
    return render_template(
        "scans/resume.html",
        q=q,
        scan=scan,
        new=token is not None,
        link=external_url("scans.resume", token=token) if token else None,
        answered=sum(1 for k in answers if k in visible),
        visible=len(visible),
        tasks=theme_states(q, answers, visible),
        next_url=_next_url(scan, q, visible, new=token is not None),
        ttl_days=current_app.config["SCAN_TTL_DAYS"],
    )


# --- theme pages -------------------------------------------------------------------------


@bp.route("/thema/<theme_id>", methods=["GET", "POST"])
def theme(theme_id: str):
    """Show one theme's questions; on post, store them and go on, or show what to fix."""
    try:
        # A post is read under the lock its save takes: one read of the scan, not two.
        scan, q = _load(lock=request.method == "POST", only_reads=request.method == "GET")
    except store.ScanBusy:
        return _refused(503, NOT_SAVED_BUSY)
    if scan.submitted_at and request.method == "POST":
        return _refused(409, NOT_SAVED_SUBMITTED)
    if scan.submitted_at:
        return redirect(url_for("scans.result"))
    back = BACK_TO_REVIEW if request.args.get("terug") == BACK_TO_REVIEW else None
    if theme_id not in q.compiled.themes:
        abort(404)
    questions = q.questions_for(theme_id)
    form_cls = forms.form_class(q, theme_id)
    if request.method == "POST":
        return _save_theme(scan, q, theme_id, form_cls, back)
    shown = visible_questions(q, scan.answers or {})
    if not any(x.id in shown for x in questions):
        return redirect(_url(neighbour(q, theme_id, shown, +1)))
    data = forms.initial_data(questions, scan.answers or {})
    return _theme_page(q, scan, theme_id, back, lambda: form_cls(data=data), shown, {}, data)


def _save_theme(scan, q, theme_id: str, form_cls, back: str | None):
    """Save a posted theme page and go where it leads, or show it again with what to fix."""
    questions = q.questions_for(theme_id)
    if forms.tampered(questions, request.form):
        return _refused(400, None)
    form = form_cls()
    page = forms.read_page(form, questions)
    seen = request.form.get("seen")
    action = request.form.get("action", "verder")
    visit_part = visit_views.save_visit_part(theme_id, action)  # the same form, saved first
    post = store.PagePost(
        theme_id,
        page.answers,
        page.errors,
        action=visit_views.page_action(action),
        seen=frozenset(seen.split(",")) if seen is not None else None,
        queued=request.form.get(forms.QUEUED) == "1",
    )
    try:
        saved = store.save_page(scan, q, post)
    except AnswersError:
        return _refused(400, None)
    except store.ScanSubmitted:
        return _refused(409, NOT_SAVED_SUBMITTED)
    except store.ScanBusy:
        return _refused(503, NOT_SAVED_BUSY)
    if not saved.saved:  # re-render what was posted, not the stored answers
        if _wants_json():
            return {"saved": False, "errors": saved.errors}, 422
        return _theme_page(q, scan, theme_id, back, lambda: form, saved.visible, saved.errors)
    link_saved()
    if visit_part is not None and visit_part.error:  # the answers are in; show the notes again
        if _wants_json():
            return {"saved": False, "errors": {"bezoek": visit_part.error}}, 422
        return _theme_page(q, scan, theme_id, back, lambda: form, saved.visible, {})
    return _go_on(_after_save(saved.next, post, theme_id, back))


def _after_save(step: NextStep, post: store.PagePost, theme_id: str, back: str | None) -> str:
    """Return where a saved theme page leads: the check page, the saved page, or the next step."""
    if back and post.action == "verder" and not step.added:
        return url_for("scans.review") + f"#thema-{theme_id}"
    if post.action == "later":  # save and return, as GOV.UK does it
        return url_for("savelink.saved")
    if post.action == "bezoek":  # the visit's notes saved with the answers: stay here
        return url_for("scans.theme", theme_id=theme_id, terug=back) + "#bezoek"
    return _url(step, back if post.action == "verder" else None)


def _wants_json() -> bool:
    """Tell whether the page script posted (it asks for JSON and reads where to go next)."""
    return request.accept_mimetypes.best == "application/json"


def _go_on(url: str):
    """Answer a saved page: the script gets where to go next, a plain form post a redirect."""
    return {"saved": True, "next": url} if _wants_json() else redirect(url)


def _refused(status: int, message: str | None):
    """Answer a save that stored nothing: JSON for the page script, else the error page."""
    if _wants_json():
        return {"saved": False, "error": None if message is None else str(message)}, status
    if message is None:
        abort(status)
    return render_error(status, message)


def _theme_page(q, scan, theme_id, back, make_form, shown, errors, data=None):
    """Render a theme page: its questions, the error summary, and where it is in the scan."""
    questions = q.questions_for(theme_id)
    step, steps = page_number(q, shown, theme_id)
    added = set(request.args.get("nieuw", "").split(",")) & shown & {x.id for x in questions}
    return render_template(
        "scans/theme.html",
        q=q,
        scan=scan,
        theme=q.theme(theme_id),
        back=back,
        questions=render_questions(q, questions, make_form, shown, errors, added, data),
        errors=forms.summary_errors(questions, errors),
        added=added,
        step=step,
        steps=steps,
        previous_url=_url(neighbour(q, theme_id, shown, -1)),
        next_url=_url(neighbour(q, theme_id, shown, +1)),
    ), (422 if errors else 200)


@bp.post("/thema/<theme_id>/zichtbaar")
def visibility(theme_id: str):
    """Tell the page script which of this page's questions the current answers show."""
    scan, q = _load()
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


def _review_context(scan: Scan, q: Questionnaire) -> dict:
    sections = []
    missing = []
    for part in answers_by_theme(q, scan.answers or {}, words=PAGE_WORDS):
        if not part.rows:
            continue  # not a page: none of its questions show
        rows = [(row.question, row.label) for row in part.rows]
        missing += [
            (part.theme, x, summary_message(required_message(x, PAGE_WORDS), x))
            for x, label in rows
            if label is None and x.required
        ]
        sections.append((part.theme, rows))
    return {
        "q": q,
        "sections": sections,
        "missing": missing,
        "unanswered": sum(1 for _, rows in sections for _, label in rows if label is None),
        "form": ConfirmForm(),
    }


@bp.get("/controle")
def review():
    """Show every answer before the entrepreneur submits the scan."""
    scan, q = _load(only_reads=True)
    if scan.submitted_at:
        return redirect(url_for("scans.result"))
    return render_template("scans/review.html", **_review_context(scan, q))


@bp.post("/versturen")
def submit():
    """Submit the scan: score it and store the result, then show it."""
    scan, q = _load()
    if not scan.submitted_at:
        context = _review_context(scan, q)
        if context["missing"]:
            return render_template("scans/review.html", **context, show_errors=True), 422
        try:
            # Trends count one scan per chain: a repeat supersedes the scan before it.
            store.submit_scan(
                scan, q, also=lambda s: repeats.supersede_previous(s, current_token())
            )
        except store.ScanBusy:
            return render_error(503, NOT_SUBMITTED_BUSY)
        report_pdf.first_render(scan, current_token())  # the first download is quick too
    return redirect(url_for("scans.result"))


@bp.get("/resultaat")
def result():
    """Show the result: what to do first, level, theme scores, advice and whom to call."""
    scan, q = _load(only_reads=True)
    if not scan.submitted_at:
        return redirect(url_for("scans.review"))
    return render_template(
        "scans/result.html", scan=scan, **result_context(q, store.result_of(scan, q))
    )


@bp.get("/rapport.pdf")
def report():
    """Send the result as a PDF report."""
    scan, q = _load()
    if not scan.submitted_at:
        abort(404)
    pdf = report_pdf.entrepreneur_pdf(scan, q, current_token())
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="weerbaarheidsscan-{q.id}.pdf"'},
    )


# --- deleting ------------------------------------------------------------------------------


@bp.route("/verwijderen", methods=["GET", "POST"])
def delete():
    """Ask for confirmation, then delete the scan for good and end its session."""
    scan, q = _load()
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        repeats.delete_with_chain(scan, current_token(), request.form.get("eerdere") == "ja")
        forget_scan()
        return redirect(url_for("public.deleted"))
    earlier = len(repeats.earlier_scans(scan, current_token()))
    return render_template("scans/delete.html", q=q, scan=scan, form=form, earlier=earlier)
