"""Logs without secrets: no scan tokens, no client addresses, no personal data or answers.

Request lines of the development server (`flask run`) and the rate limiter's messages lose
client addresses, e-mail addresses and every scan token; unhandled errors are logged by type
and stack only, because an exception's message (a database error in particular) can quote
what a person typed.

No logged value can forge a line: control characters (line breaks, ESC, NUL, ...) in every
value are written as escapes (\\n, \\x1b, \\x00), in our log, the development server's, the
rate limiter's and gunicorn's error and access logs. Only text the program made itself
(`CodeText`: a stack trace, the report on the shipped files) keeps its line breaks.
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
# C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


class CodeText(str):
    """Text the program made itself (a stack trace, a report): logged with its line breaks."""


def escape_controls(text: str) -> str:
    """Return the text with every control character written as a visible escape."""
    return CONTROL.sub(lambda m: _NAMED.get(m.group(), f"\\x{ord(m.group()):02x}"), text)


def _clean(value):
    """Return a logged value as a string without control characters (numbers kept as is)."""
    if isinstance(value, CodeText | int | float) or value is None:
        return value
    return escape_controls(str(value))


def mask(text: str) -> str:
    """Return a log line without scan tokens, IP addresses or e-mail addresses."""
    text = CLIENT_ADDRESS.sub("- - - [", text)
    for pattern in PATTERNS:
        text = pattern.sub(MASK, text)
    return text


class PrivacyFilter(logging.Filter):
    """Rewrite every record: no token, no client address, no control character in a value."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_clean(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _clean(v) for k, v in record.args.items()}
        if not record.args and not isinstance(record.msg, CodeText):
            record.msg = _clean(record.msg)
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


PRIVACY_FILTER = PrivacyFilter()


LOGGERS = ("werkzeug", "flask-limiter", "gunicorn.error", "gunicorn.access")


def install(app_logger: logging.Logger) -> None:
    """Put the privacy filter on the servers', the rate limiter's and our logger."""
    for logger in (*map(logging.getLogger, LOGGERS), app_logger):
        logger.addFilter(PRIVACY_FILTER)  # added once: the same filter is never added twice


def describe(error: BaseException) -> str:
    """Return an error's types (with causes) and stack, leaving out every message."""
    names, seen, current = [], set(), error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        names.append(f"{type(current).__module__}.{type(current).__qualname__}")
        current = current.__cause__ or current.__context__
    stack = "".join(traceback.format_tb(error.__traceback__))
    return CodeText(
        " <- ".join(names) + " (message left out: it may quote personal data)\n" + stack
    )
