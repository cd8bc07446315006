"""Repeat scans: start one from an earlier scan, prefilled; progress then and now; the chain.

A repeat is a new scan of the same sector on today's questionnaire, with its own link. What it
started from (the earlier answers in words, which questions are new or changed, which answers
were dropped, the earlier action plan) is kept in the repeat's `repeat_notes`, so its pages
need nothing else. The link back to the earlier scan is sealed (scan/chain.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import update

from . import chain, scans, trends
from .extensions import db
from .models import PlanStep, Scan
from .questionnaire import AnswersError, Question, Questionnaire
from .scoring import answer_label, check_answers, check_visible

# What makes a question "changed": what the entrepreneur reads and can answer.
_COMPARED = {"text", "type", "options", "good_answer", "scale", "number", "show_if"}


def _changed(old: Question, new: Question) -> bool:
    """Tell whether a question reads or answers differently than before."""
    return old.model_dump(include=_COMPARED) != new.model_dump(include=_COMPARED)


def _fits(q: Questionnaire, question_id: str, value) -> bool:
    """Tell whether an earlier answer is still a possible answer to today's question."""
    try:
        check_answers(q, {question_id: value}, hidden="ignore")
    except AnswersError:
        return False
    return True


def prefill(old_q: Questionnaire, old_answers: dict, new_q: Questionnaire) -> tuple[dict, dict]:
    """Return the answers a repeat starts with and its notes (earlier answers, new, changed...)."""
    old_ids = {x.id for x in old_q.questions}
    kept: dict = {}
    previous: dict[str, str] = {}
    changed: list[str] = []
    for question in new_q.questions:
        if question.id not in old_ids:
            continue
        before = old_q.question(question.id)
        if _changed(before, question):
            changed.append(question.id)
        value = old_answers.get(question.id)
        if value is None:
            continue
        previous[question.id] = answer_label(before, value)
        if _fits(new_q, question.id, value):
            kept[question.id] = value
    clean, _ = check_visible(new_q, kept)
    new_ids = {x.id for x in new_q.questions}
    notes = {
        "previous": previous,
        "changed": changed,
        "new": [x.id for x in new_q.questions if x.id not in old_ids],
        "dropped": [
            old_q.question(k).text for k in old_answers if k in old_ids and k not in new_ids
        ],
    }
    return clean, notes


def start_repeat(
    earlier: Scan, earlier_token: str, new_q: Questionnaire, ttl_days: int
) -> tuple[Scan, str]:
    """Start a repeat of a submitted scan on today's questionnaire; return it with its token."""
    old_q = scans.questionnaire_of(earlier)
    answers, notes = prefill(old_q, earlier.answers or {}, new_q)
    rule_ids = {r.id for r in new_q.rules}
    plan = [s for s in earlier.plan_steps if s.advice_id in rule_ids]
    notes["plan"] = {
        s.advice_id: {"state": s.state, "who": s.who, "due": s.due.isoformat() if s.due else None}
        for s in plan
    }
    scan, token = scans.start_scan(new_q, ttl_days)
    scan.answers = answers
    scan.repeat_notes = notes
    scan.previous_sealed = chain.seal(
        token, earlier_token, chain.chain_secret(earlier, earlier_token)
    )
    # The repeat starts from the earlier plan: steps still to do stay planned.
    for step in plan:
        scan.plan_steps.append(
            PlanStep(advice_id=step.advice_id, state=step.state, who=step.who, due=step.due)
        )
    db.session.commit()
    return scan, token


def earlier_scans(scan: Scan, token: str) -> list[chain.Link]:
    """Return the live earlier scans of this scan's chain, newest first."""
    return chain.earlier(scan, token, scans.find_scan)


def supersede_previous(scan: Scan, token: str) -> None:
    """Stop counting the earlier scan in trends now that this repeat is submitted (no commit).

    Its updated_at is kept as it was, so no timestamp on the earlier scan points at this one.
    """
    before = earlier_scans(scan, token)
    if not before or before[0].scan.superseded:
        return
    target = before[0].scan
    trends.record_removed(db.session, [target.id])
    db.session.execute(
        update(Scan)
        .where(Scan.id == target.id)
        .values(superseded=True, updated_at=Scan.updated_at)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(target, ["superseded"])


def delete_with_chain(scan: Scan, token: str, with_earlier: bool) -> int:
    """Delete a scan, and its earlier scans when asked; return how many went; commit.

    When only the latest submitted scan goes, the one before it counts in trends again.
    """
    before = earlier_scans(scan, token)
    if with_earlier:
        for link in before:
            trends.record_removed(db.session, [link.scan.id])
            db.session.delete(link.scan)
    elif before and scan.submitted_at is not None and before[0].scan.superseded:
        restored = before[0].scan
        db.session.execute(
            update(Scan)
            .where(Scan.id == restored.id)
            .values(superseded=False, updated_at=Scan.updated_at)
            .execution_options(synchronize_session=False)
        )
        db.session.expire(restored, ["superseded"])
        db.session.refresh(restored)
        trends.record_submitted(db.session, restored)
    scans.delete_scan(scan)
    return 1 + (len(before) if with_earlier else 0)


# --- progress ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeChange:
    """One theme's score then and now (None: no score, or the theme did not exist)."""

    id: str
    title: str
    then: float | None
    now: float | None

    @property
    def change(self) -> float | None:
        """Return now minus then, when both exist."""
        if self.then is None or self.now is None:
            return None
        return round(self.now - self.then, 1)


@dataclass(frozen=True)
class Point:
    """One submitted scan of a chain on the line over time."""

    day: dt.date
    overall: float | None


@dataclass(frozen=True)
class Progress:
    """A repeat scan against the scan before it, and the chain's line over time."""

    then_day: dt.date
    themes: tuple[ThemeChange, ...]
    overall_then: float | None
    overall_now: float | None
    new: tuple[str, ...]  # advice ids that fire now and did not before
    resolved: tuple[str, ...]  # advice ids that fired before and do not now
    standing: tuple[str, ...]  # advice ids that fire both times
    resolved_titles: dict[str, str]
    line: tuple[Point, ...]  # oldest first; shown from three scans on

    @property
    def overall_change(self) -> float | None:
        """Return the overall score now minus then, when both exist."""
        if self.overall_then is None or self.overall_now is None:
            return None
        return round(self.overall_now - self.overall_then, 1)


def compare(now_scan: Scan, now_q: Questionnaire, before: list[Scan]) -> Progress | None:
    """Return the progress of a submitted scan against the earlier ones (newest first)."""
    earlier_done = [s for s in before if s.submitted_at is not None]
    if now_scan.submitted_at is None or not earlier_done:
        return None
    then = earlier_done[0]
    then_q = scans.questionnaire_of(then)
    then_scores = {t.theme_id: t.score for t in then.theme_scores}
    now_scores = {t.theme_id: t.score for t in now_scan.theme_scores}
    themes = [
        ThemeChange(t.id, t.title, then_scores.get(t.id), now_scores.get(t.id))
        for t in now_q.themes
    ]
    themes += [
        ThemeChange(t.id, t.title, then_scores.get(t.id), None)
        for t in then_q.themes
        if t.id not in now_scores and t.id in then_scores
    ]
    fired_then = [r.rule_id for r in then.fired_rules]
    fired_now = [r.rule_id for r in now_scan.fired_rules]
    titles = {r.id: r.advice.title for r in then_q.rules}
    line = [Point(s.submitted_at.date(), s.overall) for s in reversed(earlier_done)]
    line.append(Point(now_scan.submitted_at.date(), now_scan.overall))
    return Progress(
        then_day=then.submitted_at.date(),
        themes=tuple(themes),
        overall_then=then.overall,
        overall_now=now_scan.overall,
        new=tuple(r for r in fired_now if r not in fired_then),
        resolved=tuple(r for r in fired_then if r not in fired_now),
        standing=tuple(r for r in fired_now if r in fired_then),
        resolved_titles={r: titles.get(r, r) for r in fired_then if r not in fired_now},
        line=tuple(line),
    )


def progress_of(scan: Scan, token: str) -> Progress | None:
    """Return a submitted repeat scan's progress, found through its own link."""
    if not scan.previous_sealed or scan.submitted_at is None:
        return None
    return compare(scan, scans.questionnaire_of(scan), [x.scan for x in earlier_scans(scan, token)])
