"""Where a login or a confirmation may send the browser next: only paths on this site.

Its own module, so that the login (auth.py) and the login steps (staff_sessions.py) both read
it without importing each other.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

# A path on this site as our own links spell it: no scheme, no host, no backslash, no space.
SAFE_NEXT = re.compile(r"/(?![/\\])[A-Za-z0-9\-._~/?=&%+]*")


def safe_next(target: str | None) -> str | None:
    """Return target if it is a path on this site, else None (no open redirects).

    Browsers read //host, /\\host and their percent-encoded forms as another site, so the
    target must look like one of our paths both as sent and after decoding it again and again.
    """
    if not target or not SAFE_NEXT.fullmatch(target):
        return None
    decoded = target
    for _ in range(3):
        decoded = unquote(decoded)
    if not decoded.isascii() or not decoded.isprintable() or "\\" in decoded:
        return None
    if decoded.startswith("//") or " " in decoded or urlsplit(decoded).netloc:
        return None
    return target
