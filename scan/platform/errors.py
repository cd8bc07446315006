"""Friendly Dutch error pages; a server error never shows a traceback.

The database out of reach (restarting, failing over, too many connections) answers 503, and
says whether what the person just sent was stored: the request's own commit decides
(`g.committed`, set by the session's after_commit event), so the sentence is always true.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app, g, has_request_context, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

# Each text is translated when a page shows it (lazy_gettext), in the page's language.
MESSAGES = {
    400: (
        _l("Er ging iets mis met uw verzoek"),
        _l(
            "Wat u stuurde, konden we niet verwerken. Er is niets opgeslagen. "
            "Ga terug en probeer het opnieuw."
        ),
    ),
    403: (_l("Geen toegang"), _l("U heeft geen toegang tot deze pagina.")),
    404: (
        _l("Pagina niet gevonden"),
        _l("Deze pagina bestaat niet (meer). Controleer de link, of begin op de startpagina."),
    ),
    405: (_l("Dat kan hier niet"), _l("Deze pagina werkt niet op deze manier.")),
    409: (_l("Dat kan nu niet"), _l("Dat kan niet meer met deze scan.")),
    413: (
        _l("Te veel gegevens"),
        _l("U stuurde te veel gegevens tegelijk. Er is niets opgeslagen."),
    ),
    429: (
        _l("Even wachten"),
        _l(
            "U heeft het te vaak geprobeerd. Wacht een paar minuten en probeer het dan opnieuw. "
            "Wat u eerder opsloeg, blijft bewaard. Wat u net verstuurde, is niet opgeslagen."
        ),
    ),
    503: (_l("Even niet gelukt"), _l("Probeer het over een paar minuten opnieuw.")),
    500: (
        _l("Er ging iets mis bij ons"),
        _l("Dat is niet uw fout. Probeer het over een paar minuten opnieuw."),
    ),
}


# What a server error did to the answers: known from whether this request committed.
SAVED_BEFORE_ERROR = _l("Wat u net verstuurde, is wel opgeslagen.")
NOT_SAVED = _l("Wat u net verstuurde, is niet opgeslagen. Wat u eerder opsloeg, blijft bewaard.")
NOTHING_CHANGED = _l("Aan uw antwoorden is niets veranderd.")


# Buttons that post to an address of their own, and the page they are on.
POSTED_FROM = {"/scan/opnieuw": "/scan/resultaat", "/scan/versturen": "/scan/controle"}


DATABASE_AWAY = _l(
    "De website kan even niet bij zijn gegevens. Probeer het over een minuut opnieuw."
)
NOT_STORED = _l("Wat u net stuurde, is niet opgeslagen. Wat u eerder opsloeg, is bewaard.")
STORED = _l("Wat u net stuurde, is wel opgeslagen.")
CSRF_EXPIRED = _l(
    "Dit formulier is verlopen of niet geldig. Er is niets opgeslagen. "
    "Laad de pagina opnieuw en probeer het nog eens."
)
MAINTENANCE = _l("We zijn bezig met onderhoud. Probeer het later opnieuw.")


# A room's own error page: called with status, title, message and back; returns the page, or
# None where the request is not the room's (then the shared page shows).
RoomPage = Callable[..., str | None]


def use_room_page(app: Flask, page: RoomPage) -> None:
    """Let a room show its error pages in its own layout (the staff's rooms, see
    scan/portal/error_pages.py); the shared page stays for every other request."""
    app.extensions.setdefault("room_error_pages", []).append(page)


def register(app: Flask) -> None:
    """Register the handlers for HTTP errors, CSRF failures and unexpected exceptions."""
    from scan.platform.extensions import db

    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(DBAPIError, _database_away)
    app.register_error_handler(PoolTimeout, _database_away)
    app.register_error_handler(Exception, _server_error)
    if not event.contains(db.session, "after_commit", _note_commit):
        event.listen(db.session, "after_commit", _note_commit)


def _note_commit(session) -> None:
    """Remember that this request stored something, for the error pages."""
    if has_request_context():
        g.committed = True


def _database_away(error: Exception):
    """Answer 503 when the database cannot be reached; other database errors stay a 500."""
    if (
        isinstance(error, DBAPIError)
        and not error.connection_invalidated
        and not _unreachable(error)
    ):
        return _server_error(error)
    from scan.platform.extensions import db

    db.session.rollback()
    current_app.logger.warning("database unreachable: %s", type(error).__name__)
    sent = request.method not in ("GET", "HEAD", "OPTIONS")
    told = f"{DATABASE_AWAY} {STORED if g.get('committed') else NOT_STORED}" if sent else None
    return render_error(503, told or DATABASE_AWAY)


def _unreachable(error: DBAPIError) -> bool:
    """Tell whether a driver error means the server is gone (not a bad statement)."""
    from sqlalchemy.exc import InterfaceError, OperationalError

    if not isinstance(error, OperationalError | InterfaceError):
        return False
    text = str(error.orig).lower()
    return any(
        words in text
        for words in (
            "connection",
            "server closed",
            "terminating",
            "shutting down",
            "starting up",
            "recovery",
            "could not connect",
            "too many clients",
            "database is locked",
        )
    )


def _way_back() -> str | None:
    """Return this app's address of the page the visitor was on (a form posts to its own page;
    a start posts to the sector page), or None. Never an address from elsewhere."""
    path = request.path
    if request.method != "GET":
        path = POSTED_FROM.get(path, path.removesuffix("/start"))
    if not path.startswith("/") or path.startswith("//"):
        return None
    return path


def render_error(status: int, message: object | None = None):
    """Render the error page for a status code."""
    title, default = MESSAGES.get(status, MESSAGES[400 if status < 500 else 500])
    back = _way_back() if status == 429 and has_request_context() else None
    context = {"status": status, "title": title, "message": message or default, "back": back}
    for room_page in current_app.extensions.get("room_error_pages", ()):
        page = room_page(**context)
        if page is not None:
            return page, status
    return render_template("error.html", **context), status


def _csrf_error(error: CSRFError):
    return render_error(400, str(CSRF_EXPIRED))


def _http_error(error: HTTPException):
    return render_error(error.code or 500)


def _server_error(error: Exception):
    from scan.platform.extensions import db
    from scan.platform.logs import describe

    db.session.rollback()
    current_app.logger.error("unhandled error %s", describe(error))
    title, default = MESSAGES[500]
    if g.get("committed"):
        kept = SAVED_BEFORE_ERROR
    elif request.method in ("GET", "HEAD"):
        kept = NOTHING_CHANGED
    else:
        kept = NOT_SAVED
    return render_error(500, f"{default} {kept}")
