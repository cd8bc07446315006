"""Second factors: the authenticator app (TOTP, RFC 6238), recovery codes, who must have one.

Passkeys and security keys are in scan/portal/passkeys.py. A code from the app is accepted once:
the time step of the last accepted code is stored, and that code or an older one is refused.
Recovery codes are single use and stored only as their SHA-256 (they carry 60 random bits).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

import pyotp
from sqlalchemy import delete, or_, select, update

from scan.platform.account_models import Passkey, PortalSetting, RecoveryCode, TotpSecret
from scan.platform.extensions import db
from scan.platform.models import User, utcnow
from scan.platform.sealing import Unsealable, seal, unseal

ISSUER = "Weerbaarheidsscan"
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to mix up
ALL_STAFF_SETTING = "two_factor_for_all_staff"
TOTP_WINDOW = 1  # accept the code of the previous and the next 30 seconds (clock drift)


@dataclass(frozen=True)
class Factors:
    """What second factors an account has."""

    app: bool
    passkeys: int
    recovery_codes_left: int

    @property
    def any(self) -> bool:
        return self.app or self.passkeys > 0


def factors_of(user: User) -> Factors:
    """Return the account's second factors."""
    app = db.session.get(TotpSecret, user.id) is not None
    passkeys = db.session.scalar(
        select(db.func.count()).select_from(Passkey).where(Passkey.user_id == user.id)
    )
    left = db.session.scalar(
        select(db.func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )
    return Factors(app=app, passkeys=passkeys or 0, recovery_codes_left=left or 0)


# --- who must use two factors ----------------------------------------------------------------


def required_for_all() -> bool:
    """Return whether the administrator requires two factors for all staff."""
    setting = db.session.get(PortalSetting, ALL_STAFF_SETTING)
    return setting is not None and setting.value == "1"


def set_required_for_all(required: bool) -> None:
    """Require two factors for all staff, or leave it to each organisation."""
    setting = db.session.get(PortalSetting, ALL_STAFF_SETTING)
    if setting is None:
        setting = PortalSetting(key=ALL_STAFF_SETTING, value="0")
        db.session.add(setting)
    setting.value = "1" if required else "0"


def is_required(user: User) -> bool:
    """Return whether this account must log in with a second factor."""
    organisation = user.organisation
    return required_for_all() or (organisation is not None and organisation.require_two_factor)


# --- the authenticator app -------------------------------------------------------------------


def new_app_secret() -> str:
    """Return a new random TOTP secret (160 bits, base32) for the user to add to their app."""
    return pyotp.random_base32(32)


def provisioning_uri(user: User, secret: str) -> str:
    """Return the otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def _matching_step(secret: str, code: str) -> int | None:
    """Return the time step whose code this is (within the window), else None."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(dt.datetime.now(dt.UTC))
    for step in range(now_step - TOTP_WINDOW, now_step + TOTP_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def enable_app(user: User, secret: str, code: str) -> bool:
    """Store the app's secret when the code proves the app has it; False when it does not."""
    step = _matching_step(secret, code)
    if step is None:
        return False
    db.session.merge(TotpSecret(user_id=user.id, sealed_secret=seal(secret), last_step=step))
    return True


def check_app_code(user: User, code: str) -> bool:
    """Return whether a code from the app is right and not used before; mark it used.

    The time step is stored with a conditional UPDATE (only when it is newer than the last
    one), so the same code sent twice at the same moment is still accepted only once.
    """
    row = db.session.get(TotpSecret, user.id)
    if row is None:
        return False
    try:
        secret = unseal(row.sealed_secret)
    except Unsealable:
        return False
    step = _matching_step(secret, code)
    if step is None:
        return False
    result = db.session.execute(
        update(TotpSecret)
        .where(
            TotpSecret.user_id == user.id,
            or_(TotpSecret.last_step.is_(None), TotpSecret.last_step < step),
        )
        .values(last_step=step)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def remove_app(user: User) -> None:
    """Remove the account's authenticator app."""
    db.session.execute(delete(TotpSecret).where(TotpSecret.user_id == user.id))


# --- recovery codes --------------------------------------------------------------------------


def _hash_code(code: str) -> str:
    plain = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(plain.encode("ascii", "ignore")).hexdigest()


def new_recovery_codes(user: User) -> list[str]:
    """Replace the account's recovery codes by ten new ones; return them (shown once)."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(12))
        codes.append(f"{raw[:4]}-{raw[4:8]}-{raw[8:]}")
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash_code(c)) for c in codes)
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    """Return whether this is one of the account's unused recovery codes; mark it used.

    The conditional UPDATE makes a code single use even when sent twice at the same moment.
    """
    if not 8 <= len(code.strip()) <= 40:
        return False
    result = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash_code(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def looks_like_app_code(code: str) -> bool:
    """Return whether the text typed is a six-digit code rather than a recovery code."""
    plain = "".join(code.split())
    return plain.isdigit() and len(plain) == 6


def remove_all(user: User) -> None:
    """Remove every second factor and recovery code of an account (an administrator's reset)."""
    remove_app(user)
    db.session.execute(delete(Passkey).where(Passkey.user_id == user.id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
