"""Changes staff make to their own account: factors, recovery codes, password.

Each change is audited (without secrets), mailed to the account as a notice, and committed;
the functions return where the browser goes next.
"""

from __future__ import annotations

import json

from flask import flash, session, url_for

from scan.platform import audit
from scan.platform.extensions import db
from scan.platform.models import User
from scan.platform.sealing import Unsealable, seal, unseal
from scan.portal import accounts, notices, passkeys, staff_sessions, twofactor

NEW_CODES = "new_recovery_codes"


def _keep_codes_for_once(codes: list[str]) -> None:
    """Keep new recovery codes, sealed, for the one page that shows them."""
    session[NEW_CODES] = seal(json.dumps(codes))


def take_codes() -> list[str]:
    """Return the new recovery codes to show, once; [] when there are none."""
    try:
        return json.loads(unseal(session.pop(NEW_CODES, "")))
    except (Unsealable, ValueError):
        return []


def factor_added(user: User, action: str, what: str) -> str:
    """Audit and announce a new factor; the first one also gets ten recovery codes."""
    audit.record(user, action)
    notices.security_change(user, f"{what} is toegevoegd als tweede stap.")
    first = twofactor.factors_of(user).recovery_codes_left == 0
    if first:
        _keep_codes_for_once(twofactor.new_recovery_codes(user))
        audit.record(user, "recovery_codes_new")
    db.session.commit()
    staff_sessions.setup_done()
    flash(f"{what} is toegevoegd.", "success")
    return url_for("security.codes_page") if first else url_for("security.overview")


def remove_factor(user: User, kind: str, passkey_id: int | None = None) -> str:
    """Remove the app or a passkey; never the last factor when two factors are required."""
    factors = twofactor.factors_of(user)
    if twofactor.is_required(user) and factors.app + factors.passkeys <= 1:
        flash("Dit is uw laatste tweede stap. Voeg eerst een andere toe.", "error")
        return url_for("security.overview")
    if kind == "app":
        twofactor.remove_app(user)
        action, what = "app_removed", "De app voor codes"
    elif passkeys.remove(user, passkey_id or 0):
        action, what = "passkey_removed", "Een passkey"
    else:
        return url_for("security.overview")
    db.session.flush()
    if not twofactor.factors_of(user).any:
        twofactor.remove_all(user)  # recovery codes without a factor would be a way around it
    audit.record(user, action)
    notices.security_change(user, f"{what} is verwijderd als tweede stap.")
    db.session.commit()
    flash(f"{what} is verwijderd.", "success")
    return url_for("security.overview")


def new_codes(user: User) -> str:
    """Replace the recovery codes by ten new ones and show them once."""
    _keep_codes_for_once(twofactor.new_recovery_codes(user))
    audit.record(user, "recovery_codes_new")
    notices.security_change(user, "Er zijn nieuwe herstelcodes gemaakt. De oude werken niet meer.")
    db.session.commit()
    return url_for("security.codes_page")


def change_password(user: User, current: str, new: str) -> str | None:
    """Set a new password after checking the current one; return a Dutch problem, or None.

    Every other session of the account ends; this browser stays logged in.
    """
    if accounts.authenticate(user.email, current) is None:
        db.session.rollback()
        return "Uw huidige wachtwoord klopt niet."
    try:
        accounts.set_password(user, new)
    except accounts.AccountError as error:
        db.session.rollback()
        return str(error)
    audit.record(user, "password_changed")
    notices.security_change(user, "Uw wachtwoord is gewijzigd.")
    db.session.commit()
    staff_sessions.relogin(user)
    return None
