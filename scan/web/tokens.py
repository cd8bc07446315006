"""The one way a page reached by a scan link finds its scan: the live scan, or a Dutch 404."""

from __future__ import annotations

from flask import abort, current_app, make_response

from .. import scans as store
from ..models import Scan
from .errors import render_error


def scan_or_404(token: str) -> Scan:
    """Return the live scan behind a link token, or answer 404 saying why a link stops working."""
    scan = store.find_scan(token)
    if scan is None:
        days = current_app.config["SCAN_TTL_DAYS"]
        message = (
            "Deze link werkt niet (meer). Misschien is de link niet helemaal goed gekopieerd. "
            f"Of de scan is verwijderd, of hij is ouder dan {days} dagen."
        )
        abort(make_response(render_error(404, message)))
    return scan
