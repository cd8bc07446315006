"""/.well-known/security.txt (RFC 9116): where to report a vulnerability in this installation."""

from __future__ import annotations

import datetime as dt

from flask import current_app

from scan.platform.links import external_url
from scan.platform.models import utcnow

# RFC 9116 asks for an Expires under a year ahead; the file is made per request, so it never
# goes stale while the contact in the configuration is still right.
EXPIRES_DAYS = 180


def contact_uri(value: str) -> str:
    """Return the contact as a URI: an e-mail address becomes mailto:."""
    value = value.strip()
    if value.startswith(("mailto:", "https://", "tel:")):
        return value
    return f"mailto:{value}" if "@" in value else value


def render() -> str | None:
    """Return the security.txt text, or None when SECURITY_CONTACT is not configured."""
    contact = current_app.config.get("SECURITY_CONTACT")
    if not contact:
        return None
    expires = (utcnow() + dt.timedelta(days=EXPIRES_DAYS)).replace(microsecond=0)
    lines = [
        f"Contact: {contact_uri(contact)}",
        f"Expires: {expires.isoformat()}Z",
        "Preferred-Languages: nl, en",
        f"Canonical: {external_url('public.security_txt')}",
    ]
    return "\n".join(lines) + "\n"
