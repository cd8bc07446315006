"""The PDF report of a scan: scores, advice, an action plan and whom to call (reportlab)."""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Mapping, Sequence
from typing import Any

from scan.presentation import readable
from scan.questionnaire.errors import AnswersError
from scan.questionnaire.model import Questionnaire
from scan.report import first_page, followup, sections
from scan.report import wording as texts
from scan.report.document import ReportDoc
from scan.report.language import _, speaking
from scan.report.progress import Progress
from scan.report.styles import styles
from scan.report.typesetting import FONT_LOCK, plain
from scan.report.visit import VisitReport
from scan.scoring import Result, check_answers

__all__ = ["REPORT_VERSION", "render_pdf"]

# Bump whenever the layout or the texts of the report change: stored PDFs are rendered again.
REPORT_VERSION = 5


def _one_at_a_time(render):
    """Run a renderer under the process's font lock (see typesetting.FONT_LOCK)."""

    @functools.wraps(render)
    def locked(*args, **kwargs):
        with FONT_LOCK:
            return render(*args, **kwargs)

    return locked


@_one_at_a_time
def render_pdf(
    result: Result,
    questionnaire: Questionnaire,
    *,
    reference: str,
    answers: dict | None = None,
    adviser_notes: list[tuple[str, str, str]] | None = None,
    adviser: tuple[str, str] | None = None,
    date: dt.date | None = None,
    plan: Mapping[str, tuple[str, str, str]] | None = None,
    progress: Progress | None = None,
    comparison: Sequence[tuple[str, str]] = (),
    visit: VisitReport | None = None,
    language: str = "nl",
) -> bytes:
    """Render a scan's result as a PDF report and return its bytes.

    `reference` is a short code without personal data (e.g. the start of a hash); `answers`
    (the raw answers) adds the answers that need attention per theme; `adviser_notes` adds a
    section "Notities van de adviseur" of (date, author, text); `adviser` (organisation, contact)
    fills the cover's adviser box when the scan is shared; `date` defaults to today;
    `plan` (advice id -> state, who, when) fills the action plan table; `progress` (a repeat
    scan against the one before) adds "Uw voortgang" after the summary; `comparison` (theme
    title, place in words) adds "Vergeleken met andere ondernemers in uw sector"; `visit` (a
    scan filled in with an adviser) adds their observations per theme and the agreed actions;
    `language` (nl, en, pl) sets the language of the fixed texts (pass the questionnaire
    translated too).
    """
    with speaking(language):
        return _render(
            result,
            questionnaire,
            reference=reference,
            answers=answers,
            adviser_notes=adviser_notes,
            adviser=adviser,
            date=date,
            plan=plan,
            progress=progress,
            comparison=comparison,
            visit=visit,
        )


def _render(
    result: Result,
    questionnaire: Questionnaire,
    *,
    reference: str,
    answers: dict | None,
    adviser_notes: list[tuple[str, str, str]] | None,
    adviser: tuple[str, str] | None,
    date: dt.date | None,
    plan: Mapping[str, tuple[str, str, str]] | None,
    progress: Progress | None,
    comparison: Sequence[tuple[str, str]],
    visit: VisitReport | None,
) -> bytes:
    """Render the report in the current language (see render_pdf)."""
    if (result.questionnaire_id, result.version) != (questionnaire.id, questionnaire.version):
        raise ValueError(
            f"result is for {result.questionnaire_id}@{result.version}, not for {questionnaire.key}"
        )
    fired, result = result.advice, readable(result)
    ctx = sections.Context(
        result=result,
        q=questionnaire,
        reference=plain(reference, 40),
        day=date or dt.date.today(),
        answers=_clean_answers(questionnaire, answers),
        notes=adviser_notes,
        st=styles(),
        adviser=(plain(adviser[0], 200), plain(adviser[1], 254)) if adviser else None,
        plan=plan,
        visit=visit,
    )
    # Page 1 says what the result page's first screen says; a red flag keeps its own page.
    week = first_page.week_block(result, questionnaire, sections.outcome_label(ctx), ctx.st)
    story = sections.cover(ctx, week)
    if not week:
        story += sections.this_week(ctx)
    story += sections.summary(ctx) + first_page.comparison_block(comparison, ctx.st)
    if progress is not None:
        # In the report's language: every rule of its questionnaire, and every one that fired
        # (merged or not); rules gone since the earlier scan keep the title they had then.
        titles = {r.id: r.advice.title for r in questionnaire.rules}
        titles |= {a.id: a.title for a in fired}
        themes = {t.id: t.title for t in questionnaire.themes}
        story += followup.progress_section(progress, titles, themes, ctx.st)
    story += sections.themes(ctx)
    story += sections.action_plan(ctx) + followup.repeat_note(ctx.st)
    if adviser_notes:
        story += sections.adviser_notes(ctx)
    story += sections.help_page(ctx) + sections.how_it_works(ctx)

    buffer = io.BytesIO()
    title = plain(result.title, 200)
    doc = ReportDoc(
        buffer,
        footer=f"{title} \u00b7 " + _("referentie {reference}").format(reference=ctx.reference),
        cover_help=_(texts.COVER_HELP),
        title=_("{title}: uw resultaat").format(title=title),
        subject=_("Uitkomst, advies en actieplan ({sector})").format(
            sector=plain(result.sector, 200)
        ),
        author="Weerbaarheidsscan",
        creator="Weerbaarheidsscan",
        keywords=["weerbaarheid", "ondermijning", "actieplan", plain(result.sector, 200)],
    )
    doc.build(story)
    return buffer.getvalue()


def _clean_answers(q: Questionnaire, answers: Mapping[str, Any] | None) -> dict | None:
    """Return the answers as scoring sees them (visible, normalised), or None if unusable."""
    if answers is None:
        return None
    try:
        return check_answers(q, answers, hidden="ignore")
    except AnswersError:
        # The result was scored already; without usable answers we fall back to the triggers.
        return None
