"""Scan storage: start, find, save a page, submit, expire and delete scans.

A scan is pinned to the questionnaire exactly as it started (a QuestionnaireVersion row with the
snapshot and its fingerprint) and is always rebuilt from that snapshot, never from today's YAML.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload, undefer
from sqlalchemy.orm.attributes import set_committed_value

from scan.platform.cache import lru
from scan.platform.extensions import db
from scan.platform.locking import RowBusy, lock_row, read_locked
from scan.platform.models import (
    PlanStep,
    QuestionnaireVersion,
    Scan,
    ScanFiredRule,
    ScanFollowUp,
    ScanThemeScore,
    utcnow,
)
from scan.platform.questionnaire_languages import for_reader
from scan.platform.stamps import hash_token, new_token
from scan.questionnaire import Questionnaire
from scan.questionnaire.snapshots import from_snapshot, to_snapshot
from scan.scans import page_step, retention, trend_counters
from scan.scans.page_order import NextStep
from scan.scans.page_step import PagePost, take_page_step
from scan.scoring import Result, score

# new_token() gives 24 random bytes as URL-safe base64: exactly 32 characters.
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32}$")

# Snapshot and fingerprint of a loaded questionnaire, keyed on id(q). Safe: the entry holds q
# itself, so its id() cannot be reused while the entry lives, and a hit is checked with `is`.
# Questionnaires are immutable once loaded. The catalog holds a few dozen, so 256 is plenty.
_snapshots = lru("questionnaire-snapshots", 256)
# A questionnaire rebuilt from a pinned snapshot, keyed on the snapshot's SHA-256 fingerprint.
# Safe: equal fingerprints mean equal content, and a pinned snapshot never changes.
_rebuilt = lru("pinned-questionnaires", 256)
# A submitted scan's result, keyed on token hash, submission time and questionnaire fingerprint.
# Safe: a submitted scan's answers can no longer change, so its result is final.
_results = lru("submitted-results", 2048)


def fingerprint(snapshot: Mapping[str, Any]) -> str:
    """Return the SHA-256 of a snapshot's canonical JSON: equal content, equal fingerprint."""
    text = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def snapshot_of(q: Questionnaire) -> tuple[dict[str, Any], str]:
    """Return the snapshot of a loaded questionnaire and its fingerprint (computed once)."""
    cached = _snapshots.get(id(q))
    if cached is None or cached[0] is not q:
        snapshot = to_snapshot(q)
        cached = _snapshots.put(id(q), (q, snapshot, fingerprint(snapshot)))
        _rebuilt.get_or_make(cached[2], lambda: q)
    return cached[1], cached[2]


def pin_version(q: Questionnaire) -> QuestionnaireVersion:
    """Return the stored version row for this questionnaire, creating it the first time."""
    snapshot, digest = snapshot_of(q)
    query = select(QuestionnaireVersion).where(
        QuestionnaireVersion.questionnaire_id == q.id,
        QuestionnaireVersion.version == q.version,
        QuestionnaireVersion.fingerprint == digest,
    )
    row = db.session.scalars(query).first()
    if row is not None:
        return row
    row = QuestionnaireVersion(
        questionnaire_id=q.id,
        version=q.version,
        fingerprint=digest,
        title=q.title,
        snapshot=snapshot,
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # another worker pinned the same version at the same moment
        return db.session.scalars(query).one()
    return row


def start_scan(
    q: Questionnaire, ttl_days: int, now: dt.datetime | None = None, language: str = "nl"
) -> tuple[Scan, str]:
    """Create a scan pinned to this questionnaire; return it with its token (never stored).

    The new scan stays loaded after the commit: it holds what was just written (no other
    request knows its token yet), so opening it in the browser needs no second read."""
    scan, token = new_scan(q, ttl_days, now, language=language)
    session = db.session()
    expiring, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expiring
    return scan, token


def new_scan(
    q: Questionnaire,
    ttl_days: int,
    now: dt.datetime | None = None,
    token: str | None = None,
    language: str = "nl",
) -> tuple[Scan, str]:
    """Add a scan pinned to this questionnaire (the caller commits); return it with its token.

    language: the language the entrepreneur reads the scan in (its pages and PDF keep it)."""
    now = now or utcnow()
    version = pin_version(q)
    token = token or new_token()
    scan = Scan(
        token_hash=hash_token(token),
        questionnaire_version=version,
        questionnaire_id=q.id,
        answers={},
        created_at=now,
        updated_at=now,
        expires_at=now + dt.timedelta(days=ttl_days),
    )
    if language != "nl":  # Dutch is the column's default (older rows and schemas have no other)
        scan.language = language
    db.session.add(scan)
    return scan, token


# Built once: every scan page runs this, and building a statement costs more than running it.
# The pinned version comes along in the same query, without its (deferred) snapshot, and so
# does the follow-up row (repeat scans only): every scan page reads it for the repeat marks,
# and loading it lazily was a second query on every page (docs/deploy.md, the profile).
_BY_TOKEN = (
    select(Scan)
    .join(QuestionnaireVersion, Scan.questionnaire_version_id == QuestionnaireVersion.id)
    .options(
        contains_eager(Scan.questionnaire_version),
        joinedload(Scan.followup),
        undefer(Scan.language),
    )
    .where(Scan.token_hash == bindparam("token_hash"))
)


def find_scan(token: str, now: dt.datetime | None = None) -> Scan | None:
    """Return the live scan for a token, or None when the token is malformed, unknown or expired.

    The one token look-up: the resume link finds its scan here (one query).
    """
    if not isinstance(token, str) or not TOKEN_PATTERN.match(token):
        return None
    return find_scan_by_hash(hash_token(token), now)


# The same read for a request that goes on to change the scan (a page save): the row is
# locked as lock_scan locks it, so that the save needs no second read. FOR NO KEY UPDATE, as
# lock_row's FOR UPDATE conflicts with every other lock of the row but lets a share or visit
# row that refers to the scan be added meanwhile (a foreign key's KEY SHARE lock).
_BY_TOKEN_LOCKED = _BY_TOKEN.with_for_update(of=Scan, key_share=True).execution_options(
    populate_existing=True
)


def find_scan_by_hash(
    token_hash: str, now: dt.datetime | None = None, *, lock: bool = False
) -> Scan | None:
    """Return the live scan with this token hash, or None when unknown, or expired and unshared.

    With lock, the scan's row is locked for the rest of the transaction (locking.read_locked;
    raises ScanBusy when the lock does not come), as for a save that follows.
    """
    if not isinstance(token_hash, str) or len(token_hash) != 64:
        return None
    if lock:
        scan = read_locked(Scan, _BY_TOKEN_LOCKED, {"token_hash": token_hash})
    else:
        scan = db.session.scalars(_BY_TOKEN, {"token_hash": token_hash}).first()
    now = now or utcnow()
    if scan is None:
        return None
    if scan.expires_at <= now and not _kept(scan, now):
        return None
    return scan


def _kept(scan: Scan, now: dt.datetime) -> bool:
    """Tell whether a scan past its expiry is kept because it is shared (scan/retention.py)."""
    query = select(Scan.id).where(Scan.id == scan.id, retention.kept_while_shared(now))
    return db.session.scalar(query) is not None


def report_reference(scan: Scan) -> str:
    """Return the reference on the entrepreneur's PDF: the start of the token's hash.

    It names the scan and cannot be turned back into the link; advisers find a shared scan by it.
    """
    return scan.token_hash[:8].upper()


def new_link_for(scan: Scan) -> str:
    """Give the scan a new personal link and return its token; commit.

    The old link and every session opened with it stop working; the answers stay. For a visit
    taken up again after the adviser's login ended: its link was only in that session.
    """
    token = new_token()
    scan.token_hash = hash_token(token)
    scan.session_generation = (scan.session_generation or 0) + 1
    db.session.commit()
    return token


def end_sessions(scan: Scan) -> None:
    """Make every browser session opened on this scan stop working; commit."""
    scan.session_generation = (scan.session_generation or 0) + 1
    db.session.commit()


def reader_questionnaire(scan: Scan) -> Questionnaire:
    """Return the scan's questionnaire as its entrepreneur reads it: in the scan's language when
    that translation is complete, else in Dutch (advisers use questionnaire_of: always Dutch)."""
    return for_reader(questionnaire_of(scan), scan.language)


def set_language(scan: Scan, language: str) -> None:
    """Store the language the entrepreneur chose for this scan (its pages and PDF); commit."""
    if scan.language != language:
        scan.language = language
        db.session.commit()


def questionnaire_of(scan: Scan) -> Questionnaire:
    """Return the questionnaire a scan is pinned to, rebuilt from its snapshot (cached)."""
    version = scan.questionnaire_version
    return _rebuilt.get_or_make(version.fingerprint, lambda: from_snapshot(version.snapshot))


class ScanSubmitted(Exception):
    """The scan was submitted (perhaps in another tab): its answers are final."""


ScanBusy = RowBusy  # the scan stayed locked by another save for too long: nothing stored


def lock_scan(scan: Scan) -> Scan:
    """End the current read, then lock the scan's row and read it afresh (see lock_row).

    Another request saving or submitting the same scan holds the lock until it commits; this
    waits for it and then sees what it stored. Raises ScanBusy when the wait is too long.
    """
    return lock_row(Scan, scan.id)


@dataclass(frozen=True)
class PageSave:
    """What saving a page led to: stored or not, the errors per question, what shows, where next."""

    saved: bool
    errors: dict[str, str]
    visible: frozenset[str]
    next: NextStep | None


def save_page(scan: Scan, q: Questionnaire, post: PagePost) -> PageSave:
    """Check a posted theme page once, store it when it has no errors (commit), say where next.

    The page's answers replace the stored ones of that page; answers that became hidden are
    dropped. A required visible question left open counts as an error only when going on.
    Raises AnswersError, storing nothing, when the post cannot come from the page: an answer
    that does not fit its question, or one to a question hidden before and after this post (a
    question that was shown but is hidden now, its condition changed, is simply dropped).
    Every save of a page goes through here: the one place that reads, merges and writes a
    scan's answers, and so the place to guard concurrent saves of one scan. It holds the
    scan's lock from reading the stored answers to writing the merged ones, so a page saved
    at the same moment in another tab is kept, and raises ScanSubmitted (storing nothing)
    when the scan was submitted meanwhile, ScanBusy when the lock did not come.
    """
    scan = lock_scan(scan)
    try:
        return _save_locked(scan, q, post)
    finally:
        db.session.rollback()  # releases the lock when nothing was committed


def _save_locked(scan: Scan, q: Questionnaire, post: PagePost) -> PageSave:
    """Do save_page's work while holding the scan's lock."""
    if scan.submitted_at is not None:
        raise ScanSubmitted
    step = take_page_step(q, scan.answers or {}, post)  # raises AnswersError
    if step.errors:
        return PageSave(False, step.errors, step.visible, None)
    # Where "Ga verder" on the resume page leads: the page the entrepreneur was going to, this
    # page after "later", and no page once the last one is done (then the check page).
    last_theme = {"theme": step.next.theme_id, "resume": post.theme_id}.get(step.next.kind)
    values = {"new_answers": step.answers, "new_last_theme": last_theme, "now": utcnow()}
    db.session.execute(_SAVE_PAGE, {"scan_id": scan.id, **values})
    db.session.commit()  # expires the scan: a later read sees the stored row
    return PageSave(True, {}, step.visible, step.next)


# Storing a page is one statement on the locked row: the ORM's flush of the same change cost
# more than the rest of the save (docs/deploy.md, CPU per request).
_SCANS = Scan.__table__
_SAVE_PAGE = (
    update(_SCANS)
    .where(_SCANS.c.id == bindparam("scan_id"))
    .values(
        answers=bindparam("new_answers", type_=_SCANS.c.answers.type),
        last_theme=bindparam("new_last_theme", type_=_SCANS.c.last_theme.type),
        updated_at=bindparam("now", type_=_SCANS.c.updated_at.type),
    )
)


def page_visibility(scan: Scan, q: Questionnaire, theme_id: str, answers: Mapping) -> set[str]:
    """Return which of a page's questions show when its answers replace the stored ones."""
    return page_step.page_visibility(q, scan.answers or {}, theme_id, answers)


def submit_scan(scan: Scan, q: Questionnaire, also: Callable[[Scan], None] | None = None) -> Result:
    """Score the scan, store the summary, theme scores and fired rules; commit.

    Scores the answers as stored under the scan's lock, so the stored result always matches
    the stored answers, whatever page was saved at the same moment. Raises ScanBusy.
    `also` runs in the same transaction, just before the commit (a repeat supersedes the scan
    before it in trends).
    """
    scan = lock_scan(scan)
    if scan.submitted_at is not None:  # submitted a moment ago, e.g. a double click
        db.session.rollback()
        return result_of(scan, q)
    result = score(q, scan.answers or {}, hidden="ignore")
    now = utcnow()
    scan.submitted_at = now
    scan.updated_at = now
    scan.overall = result.overall
    scan.risk_level = result.risk.id if result.risk else None
    scan.red_flag = result.red_flag
    # Only submitting writes these rows, and this scan was not submitted: they are empty, so
    # they are set without first loading them (two queries fewer).
    set_committed_value(scan, "theme_scores", [])
    set_committed_value(scan, "fired_rules", [])
    scan.theme_scores = [ScanThemeScore(theme_id=t.id, score=t.score) for t in result.themes]
    scan.fired_rules = [ScanFiredRule(rule_id=a.id, priority=a.priority) for a in result.advice]
    trend_counters.record_submitted(db.session, scan)
    if also is not None:
        also(scan)
    key = _result_key(scan, q)  # before the commit, which expires the scan's attributes
    db.session.commit()
    # The result page, the PDF rendered ahead and the download read this result, not a new one.
    return _results.put(key, result)


def result_of(scan: Scan, q: Questionnaire) -> Result:
    """Return the result of a scan's answers; a submitted scan's result is cached (it is final)."""
    if scan.submitted_at is None:
        return score(q, scan.answers or {}, hidden="ignore")
    return _results.get_or_make(
        _result_key(scan, q), lambda: score(q, scan.answers or {}, hidden="ignore")
    )


def _result_key(scan: Scan, q: Questionnaire) -> tuple[str, dt.datetime | None, str]:
    """Return the key of a submitted scan's result: token hash, submission time, questionnaire."""
    return (scan.token_hash, scan.submitted_at, snapshot_of(q)[1])


def delete_scan(scan: Scan) -> None:
    """Delete a scan with its scores and fired rules for good; commit."""
    trend_counters.record_removed(db.session, [scan.id])
    db.session.delete(scan)
    db.session.commit()


def expire_scans(now: dt.datetime | None = None, shared_days: int | None = None) -> int:
    """Delete every scan whose link has expired and that is not kept while shared; commit.

    Return how many went. A shared scan stays until shared_days (SHARED_RETENTION_DAYS)
    after the last activity on it; see scan/retention.py.
    """
    now = now or utcnow()
    query = select(Scan.id).where(retention.expired(now, shared_days))
    ids = list(db.session.scalars(query))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        trend_counters.record_removed(db.session, chunk)
        # Delete child rows explicitly: SQLite does not enforce ON DELETE CASCADE by default.
        db.session.execute(delete(ScanThemeScore).where(ScanThemeScore.scan_id.in_(chunk)))
        db.session.execute(delete(ScanFiredRule).where(ScanFiredRule.scan_id.in_(chunk)))
        db.session.execute(delete(PlanStep).where(PlanStep.scan_id.in_(chunk)))
        db.session.execute(delete(ScanFollowUp).where(ScanFollowUp.scan_id.in_(chunk)))
        for scan in db.session.scalars(select(Scan).where(Scan.id.in_(chunk))):
            db.session.delete(scan)
    db.session.commit()
    return len(ids)
