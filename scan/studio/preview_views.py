"""The studio's trial run, example answer sets and changes against the base questionnaire.

Routes of the studio blueprint (scan/studio/views.py); nothing here is stored.
"""

from __future__ import annotations

import json
from typing import Any

from flask import (
    Response,
    abort,
    get_template_attribute,
    render_template,
    request,
)
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from scan.portal.auth import roles_required
from scan.questionnaire import AnswersError, Questionnaire
from scan.questionnaire.acute import describe as describe_acute
from scan.questionnaire.author_context import example_failure
from scan.questionnaire.changes import describe_changes
from scan.questionnaire.values import SPECIAL_ANSWERS
from scan.report import render_pdf
from scan.scans import forms
from scan.scans.page_order import neighbour, page_number
from scan.scans.page_step import PagePost, page_visibility, take_page_step
from scan.scans.result_page import result_context
from scan.scoring import check_answers, score, visible_questions
from scan.studio.examples import run_examples
from scan.studio.views import ROLES, base_of, bp, document_or_404, loaded_or_back, newer_base_of

# The PDF of a trial run says so on its cover and last page, where a real scan has its reference.
PREVIEW_REFERENCE = "PROEFRIT (niet opgeslagen)"


@bp.get("/<public_id>/voorbeelden")
@roles_required(*ROLES)
def examples(public_id: str):
    """Run the document's example answer sets: pass or fail, and what differed."""
    doc = document_or_404(public_id)
    q = loaded_or_back(doc)
    return render_template(
        "studio/examples.html",
        doc=doc,
        q=q,
        outcomes=run_examples(q),
        in_dutch=example_failure,
    )


@bp.get("/<public_id>/wijzigingen")
@roles_required(*ROLES)
def changes(public_id: str):
    """Say in words what the document changes against its base."""
    doc = document_or_404(public_id)
    q = loaded_or_back(doc)
    base = base_of(doc)
    return render_template(
        "studio/changes.html",
        doc=doc,
        q=q,
        base=base,
        changes=describe_changes(base, q) if base else [],
        acute=describe_acute(q),
        newer_base=newer_base_of(doc),
    )


@bp.route("/<public_id>/proef", methods=["GET", "POST"])
@roles_required(*ROLES)
def preview(public_id: str):
    """Walk the questionnaire as an entrepreneur would, page by page; nothing is stored."""
    doc = document_or_404(public_id)
    q = loaded_or_back(doc)
    if request.method == "GET":
        return _preview_page(doc, q, q.themes[0].id, {}, {})
    answers = _posted_answers(q)
    theme_id, page = _posted_page(q)
    seen = request.form.get("seen")
    post = PagePost(
        theme_id,
        page.answers,
        page.errors,
        action=request.form.get("action", "verder"),
        seen=frozenset(seen.split(",")) if seen is not None else None,
    )
    try:
        step = take_page_step(q, answers, post)  # the scan's own page step
    except AnswersError:
        abort(400)
    if step.next is None:
        return _preview_page(doc, q, theme_id, step.merged, step.errors)
    going = step.next
    if post.action == "later":  # nothing to save and resume in a trial run: it goes on
        going = neighbour(q, theme_id, set(step.visible), +1)
    if going.kind == "review":
        return _preview_result(doc, q, step.answers)
    # "resume" also comes from going back on the first page: the trial run stays there.
    going_to = going.theme_id if going.kind == "theme" else theme_id
    return _preview_page(doc, q, going_to, step.answers, {}, added=going.added)


@bp.post("/<public_id>/proef/zichtbaar")
@roles_required(*ROLES)
def preview_visibility(public_id: str):
    """Tell the page script which questions the trial run's answers show (the scan's own rule)."""
    doc = document_or_404(public_id)
    q = loaded_or_back(doc)
    answers = _posted_answers(q)
    theme_id, page = _posted_page(q)
    visible = page_visibility(q, answers, theme_id, page.answers)
    return {"visible": [x.id for x in q.questions_for(theme_id) if x.id in visible]}


@bp.post("/<public_id>/proef/rapport.pdf")
@roles_required(*ROLES)
def preview_pdf(public_id: str):
    """Send the trial run's PDF: the member's report, marked as a trial run; nothing stored."""
    doc = document_or_404(public_id)
    q = loaded_or_back(doc)
    answers = _posted_answers(q)
    pdf = render_pdf(score(q, answers, hidden="ignore"), q, reference=PREVIEW_REFERENCE)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="proefrit-{q.id}.pdf"'},
    )


def _posted_page(q: Questionnaire) -> tuple[str, Any]:
    """Return the posted page's theme and its answers as read by the scan's own page form."""
    theme_id = request.form.get("page", "")
    if theme_id not in q.compiled.themes:
        abort(400)
    questions = q.questions_for(theme_id)
    posted = MultiDict(
        (k, v) for k, v in request.form.items(multi=True) if k not in ("answers", "page")
    )
    if forms.tampered(questions, posted):
        abort(400)
    form = forms.form_class(q, theme_id)(formdata=posted, meta={"csrf": False})
    return theme_id, forms.read_page(form, questions)


def _posted_answers(q: Questionnaire) -> dict[str, Any]:
    """Return the answers carried along in the preview's hidden field (checked, never stored)."""
    try:
        answers = json.loads(request.form.get("answers") or "{}")
        if not isinstance(answers, dict):
            raise ValueError
        check_answers(q, answers, hidden="ignore")
    except (ValueError, RecursionError, AnswersError):
        abort(400)
    return answers


def _preview_page(doc, q, theme_id, answers, errors, added=()):
    questions = q.questions_for(theme_id)
    shown = visible_questions(q, answers)
    data = forms.initial_data(questions, answers)
    form = forms.form_class(q, theme_id)(data=data, meta={"csrf": False})
    macro = get_template_attribute("scans/_questions.html", "question")
    blocks = [
        Markup(
            macro(
                {
                    "q": question,
                    "fields": [form[name] for name in forms.field_names(question)],
                    "visible": question.id in shown,
                    "error": errors.get(question.id),
                    "special_values": set(SPECIAL_ANSWERS),
                },
                False,
            )
        )
        for question in questions
    ]
    step, steps = page_number(q, shown, theme_id)
    return render_template(
        "studio/preview.html",
        doc=doc,
        q=q,
        theme=q.theme(theme_id),
        questions=blocks,
        errors=forms.summary_errors(questions, errors),
        answers=json.dumps(answers, ensure_ascii=False),
        step=step,
        steps=steps,
        added=added,
    ), (422 if errors else 200)


def _preview_result(doc, q, answers):
    context = result_context(q, score(q, answers, hidden="ignore"))
    return render_template(
        "studio/preview_result.html",
        doc=doc,
        answers=json.dumps(answers, ensure_ascii=False),
        **context,
    )
