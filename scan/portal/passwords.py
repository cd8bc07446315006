"""Which passwords staff may choose (NIST SP 800-63B): long enough, not a known one.

No composition rules (no "one digit and one capital"): length and a list of common and breached
passwords, shipped with the app so that nothing is looked up elsewhere.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

from scan.questionnaire.errors import ScanError

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256  # NIST: allow at least 64; argon2 hashes any length at one cost
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")
SERVICE_WORDS = ("weerbaarheidsscan", "wachtwoord", "password", "ondermijning")


class WeakPassword(ScanError):
    """A password that may not be used; the message says why, in Dutch."""


@functools.cache
def common_passwords() -> frozenset[str]:
    """Return the shipped list of common passwords, in lower case."""
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def normalise(password: str) -> str:
    """Return the password as it is compared and counted: Unicode NFKC."""
    return unicodedata.normalize("NFKC", password)


def check_password(password: str, email: str = "") -> None:
    """Raise WeakPassword when a password is too short, too long or too easy to guess."""
    password = normalise(password)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(
            f"Kies een wachtwoord van minstens {MIN_PASSWORD_LENGTH} tekens. "
            "Een zin van een paar woorden is lang genoeg en goed te onthouden."
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPassword(f"Kies een wachtwoord van hoogstens {MAX_PASSWORD_LENGTH} tekens.")
    plain = password.lower()
    squeezed = plain.replace(" ", "")
    local_part = email.lower().split("@")[0]
    guessable = (
        plain in common_passwords()
        or squeezed in common_passwords()
        or len(set(squeezed)) <= 2
        or squeezed in (email.lower(), local_part)
        or any(squeezed in (word, word * 2, word + "123") for word in SERVICE_WORDS)
    )
    if guessable:
        raise WeakPassword(
            "Dit wachtwoord is te makkelijk te raden: het staat op een lijst van veelgebruikte "
            "wachtwoorden of lijkt op uw e-mailadres. Kies een ander wachtwoord."
        )
