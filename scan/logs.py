"""Logs without secrets: no scan tokens, no client addresses, no personal data or answers.

Request lines of the development server (`flask run`) lose the client address and every scan
token; unhandled errors are logged by type and stack only, because an exception's message
(a database error in particular) can quote what a person typed.
"""

from __future__ import annotations

import logging
import re
import traceback

# A scan token (32 URL-safe characters) or a share id (32 hex), wherever it stands.
SECRET_ID = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{32}(?![A-Za-z0-9_-])")
# The development server starts each line with the client's address.
CLIENT_ADDRESS = re.compile(r"^\S+ - - \[")
MASK = "[verborgen]"


def mask(text: str) -> str:
    """Return a log line without scan tokens or a leading client address."""
    return SECRET_ID.sub(MASK, CLIENT_ADDRESS.sub("- - - [", text))


class PrivacyFilter(logging.Filter):
    """Rewrite every record so that its message carries no token and no client address."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


PRIVACY_FILTER = PrivacyFilter()


def install(app_logger: logging.Logger) -> None:
    """Put the privacy filter on the development server's logger and the app's own."""
    for logger in (logging.getLogger("werkzeug"), app_logger):
        logger.addFilter(PRIVACY_FILTER)  # added once: the same filter is never added twice


def describe(error: BaseException) -> str:
    """Return an error's types (with causes) and stack, leaving out every message."""
    names, seen, current = [], set(), error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        names.append(f"{type(current).__module__}.{type(current).__qualname__}")
        current = current.__cause__ or current.__context__
    stack = "".join(traceback.format_tb(error.__traceback__))
    return " <- ".join(names) + " (message left out: it may quote personal data)\n" + stack
