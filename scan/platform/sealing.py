"""Sealing small secrets at rest (authenticator secrets, queued mails) with the app's key.

A copy of the database alone then reveals neither an authenticator secret nor an invitation
link waiting in the outbox. Changing SECRET_KEY makes sealed values unreadable: authenticator
apps must then be set up again, and unsent mails are dropped.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app


class Unsealable(ValueError):
    """A sealed value that this key cannot open (another key, or changed)."""


def _fernet() -> Fernet:
    secret = current_app.config["SECRET_KEY"].encode("utf-8")
    key = hashlib.sha256(b"weerbaarheidsscan seal v1\x00" + secret).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(text: str) -> str:
    """Return text encrypted and authenticated with a key made from SECRET_KEY."""
    return _fernet().encrypt(text.encode("utf-8")).decode("ascii")


def unseal(sealed: str) -> str:
    """Return the text of a sealed value; raise Unsealable when it cannot be opened."""
    try:
        return _fernet().decrypt(sealed.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError) as error:
        raise Unsealable("sealed with another key, or changed") from error
