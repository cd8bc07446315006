"""Repeat scans: start one from an earlier scan, prefilled; progress then and now; the chain.

A repeat is a new scan of the same sector on today's questionnaire, with its own link. What it
started from (the earlier answers in words, which questions are new or changed, which answers
were dropped, the earlier action plan) is kept in the repeat's follow-up row, so its pages
need nothing else. The link back to the earlier scan is sealed (scan/chain.py).
"""

from __future__ import annotations

import base64
import hmac
import re
import secrets

from flask import current_app
from sqlalchemy import select

from scan.platform.extensions import db
from scan.platform.models import PlanStep, Scan, ScanFollowUp, Share, ShareChainTag
from scan.questionnaire import AnswersError, Question, Questionnaire
from scan.report.progress import Point, Progress, ThemeChange
from scan.scans import chain, trend_counters
from scan.scans import store as scans
from scan.scoring import answer_label, check_answers, check_visible

# A question is "changed" when anything but its help text or weight differs: what the
# entrepreneur reads, or how it can be answered.
_IGNORED = {"help", "weight"}
REQUEST_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")  # the repeat form's random key


def _changed(old: Question, new: Question) -> bool:
    """Tell whether a question reads or answers differently than before."""
    return old.model_dump(exclude=_IGNORED) != new.model_dump(exclude=_IGNORED)


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
    earlier: Scan,
    earlier_token: str,
    new_q: Questionnaire,
    ttl_days: int,
    request_key: str = "",
) -> tuple[Scan, str]:
    """Start a repeat of a submitted scan on today's questionnaire; return it with its token.

    Idempotent per request key (a random value in the repeat form): a double click, or the
    same form sent twice, opens the repeat the first one made. Under the earlier scan's lock,
    so the second request waits and then finds it; the repeat is stored whole in one commit.
    """
    earlier = scans.lock_scan(earlier)
    token = _repeat_token(earlier_token, request_key)
    if token is not None:
        existing = scans.find_scan(token)
        if existing is not None:
            db.session.commit()
            return existing, token
    old_q = scans.questionnaire_of(earlier)
    answers, notes = prefill(old_q, earlier.answers or {}, new_q)
    rule_ids = {r.id for r in new_q.rules}
    plan = [s for s in earlier.plan_steps if s.advice_id in rule_ids]
    notes["plan"] = {
        s.advice_id: {"state": s.state, "who": s.who, "due": s.due.isoformat() if s.due else None}
        for s in plan
    }
    scan, token = scans.new_scan(new_q, ttl_days, token=token, language=earlier.language)
    scan.answers = answers
    scan.followup = ScanFollowUp(
        previous_sealed=chain.seal(
            token, earlier_token, chain.chain_secret(earlier, earlier_token)
        ),
        repeat_notes=notes,
    )
    # The repeat starts from the earlier plan: steps still to do stay planned.
    for step in plan:
        scan.plan_steps.append(
            PlanStep(advice_id=step.advice_id, state=step.state, who=step.who, due=step.due)
        )
    db.session.commit()
    return scan, token


def _repeat_token(earlier_token: str, request_key: str) -> str | None:
    """Return the repeat's token for this request key (None without a well-formed key).

    Made with the app's SECRET_KEY from the earlier token and the form's random key: the same
    form gives the same repeat; the earlier link alone does not lead to it.
    """
    if not REQUEST_KEY.fullmatch(request_key or "") or not earlier_token:
        return None
    secret = current_app.secret_key
    key = secret if isinstance(secret, bytes) else str(secret).encode("utf-8")
    digest = hmac.new(key, f"repeat\0{earlier_token}\0{request_key}".encode(), "sha256")
    return base64.urlsafe_b64encode(digest.digest()[:24]).decode("ascii")


def new_request_key() -> str:
    """Return a fresh random key for one repeat form."""
    return secrets.token_urlsafe(16)


def earlier_scans(scan: Scan, token: str) -> list[chain.Link]:
    """Return the live earlier scans of this scan's chain, newest first."""
    return chain.earlier(scan, token, scans.find_scan)


def notes_of(scan: Scan) -> dict:
    """Return what a repeat scan started from (empty for a first scan)."""
    return (scan.followup.repeat_notes or {}) if scan.followup is not None else {}


def _superseded(scan: Scan) -> bool:
    return scan.followup is not None and scan.followup.superseded


def _mark(scan: Scan, superseded: bool) -> None:
    """Set whether trends skip a scan, reading its follow-up row afresh (it may have changed)."""
    row = db.session.scalars(
        select(ScanFollowUp)
        .where(ScanFollowUp.scan_id == scan.id)
        .execution_options(populate_existing=True)
    ).first()
    if row is None:
        row = ScanFollowUp(scan_id=scan.id)
        db.session.add(row)
    row.superseded = superseded


def supersede_previous(scan: Scan, token: str) -> None:
    """Stop counting the earlier scan in trends now that this repeat is submitted (no commit).

    The earlier scan's own row is not touched (its updated_at stays), so no time on it points
    at this scan; the flag lives in its follow-up row.
    """
    before = earlier_scans(scan, token)
    if not before or _superseded(before[0].scan):
        return
    target = before[0].scan
    # Locks the earlier scan first: two repeats submitted at once subtract it once.
    trend_counters.record_removed(db.session, [target.id])
    _mark(target, True)


def delete_with_chain(scan: Scan, token: str, with_earlier: bool) -> int:
    """Delete a scan, and its earlier scans when asked; return how many went; commit.

    When only the latest submitted scan goes, the one before it counts in trends again.
    """
    before = earlier_scans(scan, token)
    if with_earlier:
        for link in before:
            trend_counters.record_removed(db.session, [link.scan.id])
            db.session.delete(link.scan)
    elif (
        before
        and scan.submitted_at is not None
        and not _superseded(scan)  # the chain's counted scan: the one before takes its place
        and _superseded(before[0].scan)
    ):
        _mark(before[0].scan, False)
        db.session.flush()
        trend_counters.record_submitted(db.session, before[0].scan)
    scans.delete_scan(scan)
    return 1 + (len(before) if with_earlier else 0)


# --- progress ------------------------------------------------------------------------------


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
    if scan.followup is None or scan.submitted_at is None:
        return None
    return compare(scan, scans.questionnaire_of(scan), [x.scan for x in earlier_scans(scan, token)])


def shared_chain(share: Share) -> list[Share]:
    """Return the other active shares of the same chain with the same organisation.

    Only shares the entrepreneur made with this organisation carry its tag, so a repeat is
    linked to an earlier scan only when both are shared with it.
    """
    if share.chain_tag is None:
        return []
    query = (
        select(Share)
        .join(ShareChainTag, ShareChainTag.share_id == Share.id)
        .where(
            ShareChainTag.tag == share.chain_tag.tag,
            Share.organisation_id == share.organisation_id,
            Share.withdrawn_at.is_(None),
            Share.id != share.id,
        )
    )
    return [s for s in db.session.scalars(query) if s.scan.submitted_at is not None]


def shared_progress(share: Share) -> tuple[Progress | None, list[Share]]:
    """Return a shared scan's progress against earlier ones shared alike, and later shares."""
    others = shared_chain(share)
    mine = share.scan.submitted_at
    earlier_shares = sorted(
        (s for s in others if s.scan.submitted_at < mine),
        key=lambda s: s.scan.submitted_at,
        reverse=True,
    )
    later = sorted(
        (s for s in others if s.scan.submitted_at > mine), key=lambda s: s.scan.submitted_at
    )
    progress = compare(
        share.scan, scans.questionnaire_of(share.scan), [s.scan for s in earlier_shares]
    )
    return progress, later
