"""One step through a scan's pages: merge a posted page, check it, and say where to go next.

The entrepreneur's scan (store.save_page, which stores the outcome) and the studio's trial run
(scan/studio/preview_views.py, which stores nothing) both take their steps here, so the trial
run walks the pages exactly as the real scan does. No Flask, no database.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from scan.presentation import required_message
from scan.questionnaire import AnswersError, Problem, Questionnaire
from scan.questionnaire.values import Answer
from scan.scans.page_order import NextStep, neighbour
from scan.scans.page_words import PAGE_WORDS
from scan.scoring import check_visible, visible_questions


@dataclass(frozen=True)
class PagePost:
    """A posted theme page as read from its form: answers, field errors, button, what was shown.

    `seen` is the set of question ids the page script had on screen; None without the script.
    `queued` marks a page the browser kept while it had no connection and sends now (see
    static/offline.js): it was filled in against answers the server may not have had then, so
    an answer to a question hidden now is dropped rather than refused, and a required question
    left open is not an error (the check page lists it before submitting).
    """

    theme_id: str
    answers: Mapping[str, Answer]
    errors: Mapping[str, str] = field(default_factory=dict)
    action: str = "verder"  # "verder" (next), "vorige" (previous) or "later" (save and stop)
    seen: frozenset[str] | None = None
    queued: bool = False


@dataclass(frozen=True)
class PageStep:
    """Where a posted page leads.

    With errors: `merged` (the answers with this page's posted ones, to show again), the errors
    per question and no next step. Without: `answers` (the visible answers, checked and in
    questionnaire order: what to keep) and the next step.
    """

    merged: dict[str, Any]
    answers: dict[str, Answer]
    visible: frozenset[str]
    errors: dict[str, str]
    next: NextStep | None


def merge_page(stored: Mapping, questions: list, page: Mapping) -> dict[str, Any]:
    """Return the stored answers with one page's answers replaced by the posted ones."""
    page_ids = {x.id for x in questions}
    return {k: v for k, v in stored.items() if k not in page_ids} | dict(page)


def page_visibility(
    q: Questionnaire, stored: Mapping[str, Any], theme_id: str, answers: Mapping[str, Any]
) -> set[str]:
    """Return which of a page's questions show when its answers replace the stored ones.

    What the page script asks while the answers change, for the scan and the trial run alike.
    """
    questions = q.questions_for(theme_id)
    visible = visible_questions(q, merge_page(stored, questions, answers))
    return {x.id for x in questions if x.id in visible}


def take_page_step(q: Questionnaire, stored: Mapping[str, Any], post: PagePost) -> PageStep:
    """Check a posted page against the answers so far; return what to keep and where next.

    The page's answers replace the earlier ones of that page; answers that became hidden are
    dropped. A required visible question left open counts as an error only when going on.
    Raises AnswersError when the post cannot come from the page: an answer that does not fit
    its question, or one to a question hidden before and after this post (a question that was
    shown but is hidden now, its condition changed, is simply dropped).
    """
    questions = q.questions_for(post.theme_id)
    merged = merge_page(stored, questions, post.answers)
    clean, visible = check_visible(q, merged)  # the page's one check
    hidden = [k for k in post.answers if k not in visible]
    shown: set[str] | None = None
    if hidden and not post.queued:
        shown = visible_questions(q, stored)
        tampered = [k for k in hidden if k not in shown]
        if tampered:
            raise AnswersError(
                Problem("hidden before and after this post", path=k) for k in tampered
            )
    errors = {k: v for k, v in post.errors.items() if k in visible}
    if post.action == "verder" and not post.queued:
        for question in questions:
            if question.required and question.id in visible and question.id not in merged:
                errors.setdefault(question.id, required_message(question, PAGE_WORDS))
    if errors:
        return PageStep(merged, {}, frozenset(visible), errors, None)
    answers = {k: clean[k] for k in (x.id for x in q.questions) if k in clean}
    if post.action == "vorige":
        step = neighbour(q, post.theme_id, visible, -1)
    elif post.action == "later":
        step = NextStep("resume")
    else:
        # Questions that the answers just opened up, and that the entrepreneur has not seen
        # yet, are shown first. Without the page script, the page showed what the earlier
        # answers showed.
        seen: Collection[str]
        if post.seen is not None:
            seen = post.seen
        else:
            seen = shown if shown is not None else visible_questions(q, stored)
        added = tuple(
            x.id
            for x in questions
            if x.id in visible and x.id not in seen and x.id not in post.answers
        )
        if added:
            step = NextStep("theme", post.theme_id, added)
        else:
            step = neighbour(q, post.theme_id, visible, +1)
    return PageStep(merged, answers, frozenset(visible), {}, step)
