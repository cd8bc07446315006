"""Scan storage: start, find, save answers, submit, expire and delete scans.

A scan is pinned to the questionnaire exactly as it started (a QuestionnaireVersion row with the
snapshot and its fingerprint) and is always rebuilt from that snapshot, never from today's YAML.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.exc import IntegrityError, OperationalError

from .extensions import db
from .models import (
    QuestionnaireVersion,
    Scan,
    ScanFiredRule,
    ScanThemeScore,
    hash_token,
    new_token,
    utcnow,
)
from .questionnaire import AnswersError, Questionnaire
from .questionnaire.loader import from_snapshot, to_snapshot
from .scoring import Answer, Result, check_answers, score

# new_token() gives 24 random bytes as URL-safe base64: exactly 32 characters.
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32}$")

_lock = threading.Lock()
_snapshots: dict[int, tuple[Questionnaire, dict[str, Any], str]] = {}
_rebuilt: dict[str, Questionnaire] = {}
_results: OrderedDict[tuple, Result] = OrderedDict()
RESULT_CACHE_SIZE = 2048


def fingerprint(snapshot: Mapping[str, Any]) -> str:
    """Return the SHA-256 of a snapshot's canonical JSON: equal content, equal fingerprint."""
    text = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def snapshot_of(q: Questionnaire) -> tuple[dict[str, Any], str]:
    """Return the snapshot of a loaded questionnaire and its fingerprint (computed once)."""
    cached = _snapshots.get(id(q))
    if cached is None or cached[0] is not q:
        snapshot = to_snapshot(q)
        # Keep q itself in the entry so its id() cannot be reused by another object.
        cached = (q, snapshot, fingerprint(snapshot))
        with _lock:
            _snapshots[id(q)] = cached
            _rebuilt.setdefault(cached[2], q)
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


def start_scan(q: Questionnaire, ttl_days: int, now: dt.datetime | None = None) -> tuple[Scan, str]:
    """Create a scan pinned to this questionnaire; return it with its token (never stored)."""
    now = now or utcnow()
    version = pin_version(q)
    token = new_token()
    scan = Scan(
        token_hash=hash_token(token),
        questionnaire_version=version,
        questionnaire_id=q.id,
        answers={},
        created_at=now,
        updated_at=now,
        expires_at=now + dt.timedelta(days=ttl_days),
    )
    db.session.add(scan)
    db.session.commit()
    return scan, token


# Built once: every scan page runs this, and building a statement costs more than running it.
_BY_TOKEN = (
    select(Scan, QuestionnaireVersion.fingerprint)
    .join(QuestionnaireVersion, Scan.questionnaire_version_id == QuestionnaireVersion.id)
    .where(Scan.token_hash == bindparam("token_hash"))
)
_FINGERPRINT = select(QuestionnaireVersion.fingerprint).where(
    QuestionnaireVersion.id == bindparam("version_id")
)
_SNAPSHOT = select(QuestionnaireVersion.snapshot).where(
    QuestionnaireVersion.id == bindparam("version_id")
)


def find_scan(token: str, now: dt.datetime | None = None) -> Scan | None:
    """Return the live scan for a token, or None when the token is malformed, unknown or expired."""
    found = load_scan(token, now)
    return found[0] if found else None


def load_scan(token: str, now: dt.datetime | None = None) -> tuple[Scan, Questionnaire] | None:
    """Return the live scan for a token with its pinned questionnaire (one query), or None."""
    if not isinstance(token, str) or not TOKEN_PATTERN.match(token):
        return None
    row = db.session.execute(_BY_TOKEN, {"token_hash": hash_token(token)}).first()
    if row is None or row[0].expires_at <= (now or utcnow()):
        return None
    return row[0], questionnaire_of(row[0], row[1])


def questionnaire_of(scan: Scan, digest: str | None = None) -> Questionnaire:
    """Return the questionnaire a scan is pinned to, rebuilt from its snapshot (cached)."""
    if digest is None:
        digest = db.session.scalar(_FINGERPRINT, {"version_id": scan.questionnaire_version_id})
    q = _rebuilt.get(digest)
    if q is None:
        snapshot = db.session.scalar(_SNAPSHOT, {"version_id": scan.questionnaire_version_id})
        q = from_snapshot(snapshot)
        with _lock:
            q = _rebuilt.setdefault(digest, q)
    return q


class ScanSubmitted(Exception):
    """The scan was submitted (perhaps in another tab): its answers are final."""


class ScanBusy(Exception):
    """The scan stayed locked by another save for too long: nothing was stored."""


LOCK_TIMEOUT_SECONDS = 5


def lock_scan(scan: Scan) -> Scan:
    """End the current read, then lock the scan's row and read it afresh.

    Another request saving or submitting the same scan holds the lock until it commits; this
    waits for it (at most LOCK_TIMEOUT_SECONDS) and then sees what it stored. PostgreSQL locks
    the row (SELECT ... FOR UPDATE); SQLite locks the database for writing (BEGIN IMMEDIATE).
    Raises ScanBusy when the wait is too long.
    """
    scan_id = scan.id
    db.session.commit()  # a read transaction may not see the other request's commit
    connection = db.session.connection()
    try:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        elif connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_SECONDS}s'")
        return db.session.scalars(
            select(Scan)
            .where(Scan.id == scan_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one()
    except OperationalError as error:  # "database is locked", lock_timeout
        db.session.rollback()
        raise ScanBusy from error


def save_answers(scan: Scan, q: Questionnaire, page: Mapping[str, Answer], page_ids: set[str]):
    """Replace the answers of one page and drop answers that became hidden; commit.

    Merges with the answers as stored at this moment, under the scan's lock, so that a page
    saved at the same time in another tab is kept. Raises ScanSubmitted when the scan was
    submitted meanwhile, ScanBusy when the lock did not come, and AnswersError when the
    answers do not fit the questionnaire; nothing is stored then.
    """
    scan = lock_scan(scan)
    if scan.submitted_at is not None:
        db.session.rollback()
        raise ScanSubmitted
    merged = {k: v for k, v in (scan.answers or {}).items() if k not in page_ids}
    merged.update(page)
    try:
        clean = check_answers(q, merged, hidden="ignore")
    except AnswersError:
        db.session.rollback()
        raise
    scan.answers = {k: clean[k] for k in (qq.id for qq in q.questions) if k in clean}
    scan.updated_at = utcnow()
    db.session.commit()


def submit_scan(scan: Scan, q: Questionnaire) -> Result:
    """Score the scan, store the summary, theme scores and fired rules; commit.

    Scores the answers as stored under the scan's lock, so the stored result always matches
    the stored answers, whatever page was saved at the same moment. Raises ScanBusy.
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
    scan.theme_scores = [ScanThemeScore(theme_id=t.id, score=t.score) for t in result.themes]
    scan.fired_rules = [ScanFiredRule(rule_id=a.id, priority=a.priority) for a in result.advice]
    db.session.commit()
    return result


def result_of(scan: Scan, q: Questionnaire) -> Result:
    """Return the result of a scan's answers; a submitted scan's result is cached (it is final)."""
    if scan.submitted_at is None:
        return score(q, scan.answers or {}, hidden="ignore")
    key = (scan.token_hash, scan.submitted_at, snapshot_of(q)[1])
    result = _results.get(key)
    if result is None:
        result = score(q, scan.answers or {}, hidden="ignore")
        with _lock:
            _results[key] = result
            while len(_results) > RESULT_CACHE_SIZE:
                _results.popitem(last=False)
    return result


def delete_scan(scan: Scan) -> None:
    """Delete a scan with its scores and fired rules for good; commit."""
    db.session.delete(scan)
    db.session.commit()


def expire_scans(now: dt.datetime | None = None) -> int:
    """Delete every scan whose link has expired; return how many; commit."""
    now = now or utcnow()
    ids = list(db.session.scalars(select(Scan.id).where(Scan.expires_at <= now)))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        # Delete child rows explicitly: SQLite does not enforce ON DELETE CASCADE by default.
        db.session.execute(delete(ScanThemeScore).where(ScanThemeScore.scan_id.in_(chunk)))
        db.session.execute(delete(ScanFiredRule).where(ScanFiredRule.scan_id.in_(chunk)))
        for scan in db.session.scalars(select(Scan).where(Scan.id.in_(chunk))):
            db.session.delete(scan)
    db.session.commit()
    return len(ids)
