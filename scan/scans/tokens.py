"""How a browser reaches its scan: the resume link opens a scan session, pages use only that.

The token appears in one address only, the personal (resume) link. Opening it stores the scan's
token *hash* and the scan's session generation in Flask's signed session cookie (HttpOnly,
SameSite=Lax, Secure in production, gone when the browser closes) and redirects to addresses
without the token. Every later page looks the hash up again, so the session ends server-side
when the scan is deleted or expires, and when "Snel weg" raises the scan's session generation
(every session opened before stops working, on every device). The hash cannot be turned back
into the link. Right after the start, until the first page is saved, the session also marks
the token itself, so the link page can show the link to save. After that the session holds the
token only encrypted (AES-GCM, key made from the app's SECRET_KEY): the follow-up (scan/chain.py)
needs the token to open the sealed chain of earlier scans. The cookie alone does not reveal the
link; the cookie together with the server's SECRET_KEY does.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import abort, current_app, make_response, render_template, session
from flask_babel import gettext

from scan.platform import languages
from scan.platform.errors import render_error
from scan.platform.models import Scan
from scan.scans import store, visits

SCAN = "scan"  # session key: the token hash of the open scan
GENERATION = "scan_generation"  # session key: the scan's session generation when opened
NEW_LINK = "scan_link"  # session key: the token of a just-started scan, until its first save
TOKEN = "scan_sealed"  # session key: the open scan's token, encrypted, for its earlier scans
VISIT = "scan_visit"  # session key: the visit an adviser's browser holds the scan for


def _box() -> AESGCM:
    """Return the cipher that seals a token in the session, keyed by the app's SECRET_KEY."""
    secret = current_app.secret_key
    raw = secret if isinstance(secret, bytes) else str(secret).encode("utf-8")
    return AESGCM(hashlib.sha256(b"weerbaarheidsscan/session-token/" + raw).digest())


def _seal(token: str) -> str:
    """Return the token encrypted for the session cookie."""
    nonce = secrets.token_bytes(12)
    sealed = _box().encrypt(nonce, token.encode("utf-8"), b"session-token")
    return base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def scan_or_404(token: str) -> Scan:
    """Return the live scan behind a link token, or answer 404 saying why a link stops working."""
    scan = store.find_scan(token)
    if scan is not None:
        languages.use_language(scan.language)  # the personal link keeps the scan's language
    if scan is None:
        days = current_app.config["SCAN_TTL_DAYS"]
        message = gettext(
            "Deze link werkt niet (meer). Misschien is de link niet helemaal goed gekopieerd. "
            "Of de scan is verwijderd, of hij is ouder dan %(days)s dagen.",
            days=days,
        )
        abort(make_response(render_error(404, message)))
    return scan


def open_scan(scan: Scan, token: str, new: bool = False, visit: str | None = None) -> bool:
    """Make this scan the browser's open scan; return True when it replaced another one.

    `visit` (a visit's public id) marks an adviser's browser: it holds the scan only while
    that visit goes on, so the hand-over ends it whatever the cookie says (it is signed).
    """
    replaced = session.get(SCAN) not in (None, scan.token_hash)
    session.pop(NEW_LINK, None)
    session.pop(VISIT, None)
    if visit is not None:
        session[VISIT] = visit
    session[SCAN] = scan.token_hash
    session[GENERATION] = scan.session_generation or 0
    session[TOKEN] = _seal(token)
    if new:
        session[NEW_LINK] = token
    return replaced


def current_token() -> str:
    """Return the token of this browser's open scan (call after current_scan_or_neutral)."""
    try:
        raw = base64.urlsafe_b64decode(session.get(TOKEN, "").encode("ascii"))
        return _box().decrypt(raw[:12], raw[12:], b"session-token").decode("utf-8")
    except (ValueError, InvalidTag):
        return ""


def current_scan(*, lock: bool = False) -> Scan | None:
    """Return the live scan of this browser's scan session, or None (and forget a dead one).

    With lock, its row is locked for a save that follows (store.find_scan_by_hash).
    """
    token_hash = session.get(SCAN)
    if token_hash is None:
        return None
    scan = store.find_scan_by_hash(token_hash, lock=lock)
    if scan is None or (scan.session_generation or 0) != session.get(GENERATION):
        forget_scan()
        return None
    visit = session.get(VISIT)
    if visit is not None and not visits.is_open_for(scan, visit):
        forget_scan()  # the visit was handed over: the adviser's browser lets go of the scan
        return None
    chosen = languages.chosen_language()
    if chosen is not None:  # switched with the links on a scan page: the scan keeps the choice
        store.set_language(scan, chosen)
    languages.use_language(scan.language)
    return scan


def visit_id() -> str | None:
    """Return the public id of the visit this browser holds its scan for (an adviser's)."""
    return session.get(VISIT)


def current_scan_or_neutral(*, lock: bool = False) -> Scan:
    """Return the session's scan, or answer with a neutral page that asks for the personal link."""
    scan = current_scan(lock=lock)
    if scan is None:
        languages.links_to("/")  # the neutral page does not repeat the scan page's address
        abort(make_response(render_template("scans/no_session.html"), 403))
    return scan


def scan_mark() -> str | None:
    """Return an opaque mark of this browser's open scan, or None without a scan session.

    The page script (static/offline.js) files the answers it keeps without a connection under
    this mark, so it never sends them into another scan. It is a keyed hash of the token hash:
    it names the scan to this browser only and cannot be turned back into the link or the hash.
    """
    token_hash = session.get(SCAN)
    if not isinstance(token_hash, str):
        return None
    secret = current_app.secret_key
    key = secret if isinstance(secret, bytes) else str(secret).encode("utf-8")
    digest = hmac.new(key, b"weerbaarheidsscan/scan-mark/" + token_hash.encode(), "sha256")
    return digest.hexdigest()[:24]


def new_link() -> str | None:
    """Return the token of a just-started scan while its link page may still show it."""
    return session.get(NEW_LINK)


def link_saved() -> None:
    """Forget the token of a just-started scan: the entrepreneur has moved on from its link."""
    session.pop(NEW_LINK, None)


def forget_scan() -> None:
    """Drop the scan from this browser's session."""
    for key in (SCAN, GENERATION, NEW_LINK, TOKEN, VISIT):
        session.pop(key, None)


def end_scan_session() -> None:
    """End the scan session server-side (every session on the scan) and clear this session."""
    scan = current_scan()
    if scan is not None:
        store.end_sessions(scan)
    session.clear()
