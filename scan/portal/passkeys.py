"""Passkeys and security keys (WebAuthn, with py_webauthn) as a second factor.

The relying party is this site: its id is the host of PUBLIC_BASE_URL (or of the request in
development), and a browser only answers for that origin. The challenge lives in the signed
session cookie for one ceremony and is removed when it is used.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from flask import session
from sqlalchemy import select
from webauthn import (
    base64url_to_bytes,
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidRegistrationResponse
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from scan.platform.account_models import Passkey
from scan.platform.extensions import db
from scan.platform.links import public_base
from scan.platform.models import User, utcnow

RP_NAME = "Weerbaarheidsscan"
CHALLENGE_KEY = "webauthn_challenge"
MAX_NAME = 100


class PasskeyError(ValueError):
    """A passkey answer that is not valid for this account and this challenge."""


def _origin() -> str:
    """Return this site's origin: from PUBLIC_BASE_URL, never from a Host header in production."""
    parts = urlsplit(public_base())
    return f"{parts.scheme}://{parts.netloc}"


def _rp_id() -> str:
    return urlsplit(_origin()).hostname or "localhost"


def passkeys_of(user: User) -> list[Passkey]:
    """Return the account's passkeys, oldest first."""
    query = select(Passkey).where(Passkey.user_id == user.id).order_by(Passkey.id)
    return list(db.session.scalars(query))


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    return [PublicKeyCredentialDescriptor(id=p.credential_id) for p in passkeys_of(user)]


def registration_options(user: User) -> str:
    """Return the JSON options for adding a passkey, keeping the challenge in the session."""
    options = generate_registration_options(
        rp_id=_rp_id(),
        rp_name=RP_NAME,
        user_name=user.email,
        user_id=user.public_id.encode("ascii"),
        user_display_name=user.email,
        exclude_credentials=_descriptors(user),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
    )
    session[CHALLENGE_KEY] = options.challenge.hex()
    return options_to_json(options)


def _take_challenge() -> bytes:
    challenge = session.pop(CHALLENGE_KEY, None)
    if not challenge:
        raise PasskeyError("no challenge in this session")
    return bytes.fromhex(challenge)


def register(user: User, credential: dict, name: str) -> Passkey:
    """Verify the browser's answer and store the new passkey; raise PasskeyError if invalid."""
    try:
        verified = verify_registration_response(
            credential=json.dumps(credential),
            expected_challenge=_take_challenge(),
            expected_rp_id=_rp_id(),
            expected_origin=_origin(),
        )
    except (InvalidRegistrationResponse, ValueError, TypeError, KeyError) as error:
        raise PasskeyError("registration not valid") from error
    passkey = Passkey(
        user_id=user.id,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        name=(name.strip() or "Passkey")[:MAX_NAME],
    )
    db.session.add(passkey)
    return passkey


def authentication_options(user: User) -> str:
    """Return the JSON options for logging in with one of the account's passkeys."""
    options = generate_authentication_options(
        rp_id=_rp_id(),
        allow_credentials=_descriptors(user),
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    session[CHALLENGE_KEY] = options.challenge.hex()
    return options_to_json(options)


def authenticate(user: User, credential: dict) -> Passkey:
    """Verify a login answer from one of the account's passkeys; raise PasskeyError if not."""
    try:
        raw_id = base64url_to_bytes(str(credential.get("rawId", "")))
    except (ValueError, TypeError) as error:
        raise PasskeyError("credential id not readable") from error
    passkey = db.session.scalar(
        select(Passkey).where(Passkey.user_id == user.id, Passkey.credential_id == raw_id)
    )
    if passkey is None:
        session.pop(CHALLENGE_KEY, None)
        raise PasskeyError("not a passkey of this account")
    try:
        verified = verify_authentication_response(
            credential=json.dumps(credential),
            expected_challenge=_take_challenge(),
            expected_rp_id=_rp_id(),
            expected_origin=_origin(),
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
        )
    except (InvalidAuthenticationResponse, ValueError, TypeError, KeyError) as error:
        raise PasskeyError("authentication not valid") from error
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = utcnow()
    return passkey


def remove(user: User, passkey_id: int) -> bool:
    """Remove one of the account's passkeys; False when it has no such passkey."""
    passkey = db.session.get(Passkey, passkey_id)
    if passkey is None or passkey.user_id != user.id:
        return False
    db.session.delete(passkey)
    return True
