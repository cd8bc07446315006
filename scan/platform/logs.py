"""Logs without secrets: no scan tokens, no client addresses, no personal data or answers.

Request lines of the development server (`flask run`) and the rate limiter's messages lose
client addresses, e-mail addresses and every scan token; unhandled errors are logged by type
and stack only, because an exception's message (a database error in particular) can quote
what a person typed.
"""

from __future__ import annotations

import logging
import re
import traceback

# A scan token (32 URL-safe characters) or a share id (32 hex), wherever it stands.
SECRET_ID = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{32}(?![A-Za-z0-9_-])")
# The development server starts each line with the client's address (an IP or a host name).
CLIENT_ADDRESS = re.compile(r"^\S+ - - \[")
# IP addresses and e-mail addresses anywhere (the rate limiter logs "IP|e-mail" keys).
IPV4 = re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.])")
IPV6 = re.compile(
    r"(?<![\w:])(?:(?:[0-9A-Fa-f]{1,4}:){3,7}[0-9A-Fa-f]{1,4}|[0-9A-Fa-f:]*::[0-9A-Fa-f:]*)(?![\w:])"
)
EMAIL = re.compile(r"[^\s@|()<>\"',;]+@[^\s@|()<>\"',;]+")
MASK = "[verborgen]"
PATTERNS = (SECRET_ID, IPV6, IPV4, EMAIL)


def mask(text: str) -> str:
    """Return a log line without scan tokens, IP addresses or e-mail addresses."""
    text = CLIENT_ADDRESS.sub("- - - [", text)
    for pattern in PATTERNS:
        text = pattern.sub(MASK, text)
    return text


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
    """Put the privacy filter on the development server's, the rate limiter's and our logger."""
    for logger in (logging.getLogger("werkzeug"), logging.getLogger("flask-limiter"), app_logger):
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
