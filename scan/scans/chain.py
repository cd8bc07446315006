"""The chain of one entrepreneur's scans, known only to whoever holds a scan's link.

A repeat scan stores the earlier scan's token and the chain's secret encrypted (AES-GCM) with
a key made from its own token, which is never stored. So from a scan's link you can walk back
to every earlier scan, while the database alone (an administrator, a backup) holds nothing that
joins two scans: no id, no hash of the earlier token, no shared value in the clear. Sharing
writes a tag made from the chain's secret and the organisation, so only the advisers of an
organisation that has two scans of one chain shared with it can see that they belong together.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from scan.platform.models import Scan

MAX_LENGTH = 50  # more scans than this in one chain are not walked (a year apart: 50 years)


def _key(token: str) -> bytes:
    """Return the 256-bit key a scan's own token gives (tokens carry 192 random bits)."""
    return hashlib.sha256(b"weerbaarheidsscan/previous/" + token.encode("utf-8")).digest()


def seal(own_token: str, previous_token: str, chain_secret: str) -> str:
    """Return the earlier scan's token and the chain's secret, encrypted for own_token."""
    nonce = secrets.token_bytes(12)
    payload = json.dumps({"previous": previous_token, "chain": chain_secret}).encode("utf-8")
    sealed = AESGCM(_key(own_token)).encrypt(nonce, payload, b"previous-scan")
    return base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def _unseal(own_token: str, sealed: str) -> dict | None:
    """Return the sealed payload, or None when it does not open with this token."""
    try:
        raw = base64.urlsafe_b64decode(sealed.encode("ascii"))
        data = AESGCM(_key(own_token)).decrypt(raw[:12], raw[12:], b"previous-scan")
        return json.loads(data)
    except (ValueError, InvalidTag):
        return None


def _sealed(scan: Scan) -> str | None:
    return scan.followup.previous_sealed if scan.followup is not None else None


def previous_token(scan: Scan, token: str) -> str | None:
    """Return the token of the scan this one repeats, or None for a first scan."""
    sealed = _sealed(scan)
    payload = _unseal(token, sealed) if sealed else None
    return payload.get("previous") if payload else None


def chain_secret(scan: Scan, token: str) -> str:
    """Return the secret shared by every scan of this scan's chain (made from the first one)."""
    sealed = _sealed(scan)
    payload = _unseal(token, sealed) if sealed else None
    if payload and payload.get("chain"):
        return payload["chain"]
    return hashlib.sha256(b"weerbaarheidsscan/chain/" + token.encode("utf-8")).hexdigest()


def share_tag(secret: str, organisation_id: int) -> str:
    """Return the tag of a chain's shares with one organisation (another per organisation)."""
    data = f"{secret}/{organisation_id}".encode()
    return hashlib.sha256(b"weerbaarheidsscan/share-tag/" + data).hexdigest()


@dataclass(frozen=True)
class Link:
    """One live scan of a chain with its token."""

    scan: Scan
    token: str


def earlier(scan: Scan, token: str, find) -> list[Link]:
    """Return the live earlier scans of a chain, newest first; `find` looks a token up.

    The walk stops at a scan that is gone (deleted or expired): what came before it can no
    longer be reached, as its link was sealed in the scan that is gone.
    """
    out: list[Link] = []
    current, current_token = scan, token
    while len(out) < MAX_LENGTH:
        before = previous_token(current, current_token)
        found = find(before) if before else None
        if found is None:
            break
        out.append(Link(found, before))
        current, current_token = found, before
    return out
