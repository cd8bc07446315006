"""Friendly Dutch error pages; a server error never shows a traceback."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: (
        "Er ging iets mis met uw verzoek",
        "Wat u stuurde, konden we niet verwerken. Er is niets opgeslagen. "
        "Ga terug en probeer het opnieuw.",
    ),
    403: ("Geen toegang", "U heeft geen toegang tot deze pagina."),
    404: (
        "Pagina niet gevonden",
        "Deze pagina bestaat niet (meer). Controleer de link, of begin op de startpagina.",
    ),
    405: ("Dat kan hier niet", "Deze pagina werkt niet op deze manier."),
    409: ("Dat kan nu niet", "Dat kan niet meer met deze scan."),
    413: ("Te veel gegevens", "U stuurde te veel gegevens tegelijk. Er is niets opgeslagen."),
    429: ("Even wachten", "U heeft het te vaak geprobeerd. Wacht een paar minuten."),
    503: ("Even niet gelukt", "Probeer het over een paar minuten opnieuw."),
    500: (
        "Er ging iets mis bij ons",
        "Dat is niet uw fout. Probeer het over een paar minuten opnieuw.",
    ),
}


def register(app: Flask) -> None:
    """Register the handlers for HTTP errors, CSRF failures and unexpected exceptions."""
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _server_error)


def render_error(status: int, message: str | None = None):
    """Render the error page for a status code."""
    title, default = MESSAGES.get(status, MESSAGES[400 if status < 500 else 500])
    return render_template(
        "error.html", status=status, title=title, message=message or default
    ), status


def _csrf_error(error: CSRFError):
    return render_error(
        400,
        "Dit formulier is verlopen of niet geldig. Er is niets opgeslagen. "
        "Laad de pagina opnieuw en probeer het nog eens.",
    )


def _http_error(error: HTTPException):
    return render_error(error.code or 500)


def _server_error(error: Exception):
    from flask import current_app

    from scan.platform.extensions import db
    from scan.platform.logs import describe

    db.session.rollback()
    current_app.logger.error("unhandled error %s", describe(error))
    return render_error(500)
