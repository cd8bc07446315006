"""The staff's error pages: in the staff's layout, with the way back to their own start page.

A refused, missing or failed page in the portal or the studio shows the portal's header (with
the menu and "Uitloggen" for a logged-in account) and footer, not the entrepreneur's "Snel weg"
bar and emergency line, and offers the account's own start page (or the login page). Every
other request keeps the shared page (scan/platform/errors.py).
"""

from __future__ import annotations

from flask import Flask, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from scan.platform.errors import use_room_page
from scan.platform.extensions import db
from scan.platform.languages import DUTCH_ONLY
from scan.portal.staff_sessions import home_for

# Addresses of the staff's rooms, for an address no route matched (it has no blueprint).
STAFF_PATHS = ("/adviseur/", "/beheer/", "/studio/", "/account/")


def is_staff_request() -> bool:
    """Tell whether this request is for a page of the portal or the studio."""
    return request.blueprint in DUTCH_ONLY or request.path.startswith(STAFF_PATHS)


def staff_error_page(**context: object) -> str | None:
    """Return the error page in the staff's layout, or None for a request of another room."""
    if not is_staff_request():
        return None
    try:
        home = home_for(current_user) if current_user.is_authenticated else None
    except (DBAPIError, PoolTimeout):  # the database is away: the shared page asks nothing
        db.session.rollback()
        return None
    return render_template(
        "advisers/error.html",
        home=home or url_for("auth.login"),
        home_label="Naar uw startpagina" if home else "Naar inloggen",
        **context,
    )


def register(app: Flask) -> None:
    """Show the staff's error pages in their own layout."""
    use_room_page(app, staff_error_page)
