"""Times and random ids as the database stores them: UTC now, scan tokens and their hashes,
public ids. models.py uses them as column defaults; services use them when they write."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets


def utcnow() -> dt.datetime:
    """Return the current time in UTC (naive, as stored)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def hash_token(token: str) -> str:
    """Return the SHA-256 of a scan token; only the hash is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """Return a new unguessable scan token (192 bits)."""
    return secrets.token_urlsafe(24)


def new_public_id() -> str:
    """Return a random public id (128 bits, hex) for URLs that must not be guessable."""
    return secrets.token_hex(16)
