"""Storage for staff security: second factors, one-time links, the mail outbox, settings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from scan.platform.extensions import db
from scan.platform.stamps import new_public_id, utcnow


class TotpSecret(db.Model):  # type: ignore[name-defined]  # as in models.py
    """An account's authenticator app (RFC 6238); the secret is sealed (scan/platform/sealing)."""

    __tablename__ = "totp_secrets"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    sealed_secret: Mapped[str] = mapped_column(String(300))
    # The 30-second time step of the last code accepted: that code and older ones are refused.
    last_step: Mapped[int | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Passkey(db.Model):  # type: ignore[name-defined]  # as in models.py
    """A WebAuthn credential (passkey or security key) registered to an account."""

    __tablename__ = "passkeys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    credential_id: Mapped[bytes] = mapped_column(LargeBinary(1024), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(2048))
    sign_count: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[dt.datetime | None]


class RecoveryCode(db.Model):  # type: ignore[name-defined]  # as in models.py
    """One of an account's single-use recovery codes, stored only as its SHA-256."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[dt.datetime | None]


class AccountLink(db.Model):  # type: ignore[name-defined]  # as in models.py
    """A one-time link by e-mail: an invitation or a password reset, stored only as a hash."""

    __tablename__ = "account_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))  # "invite" or "reset"
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]


class OutboxMail(db.Model):  # type: ignore[name-defined]  # as in models.py
    """A mail waiting to be sent (scan/platform/mail.py); its content is sealed and, once sent,
    removed."""

    __tablename__ = "outbox_mails"
    __table_args__ = (Index("ix_outbox_due", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    sealed_message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # A sender holds the mail until then; another sender may take it over after that.
    claimed_until: Mapped[dt.datetime | None]
    sent_at: Mapped[dt.datetime | None]
    gave_up_at: Mapped[dt.datetime | None]
    last_error: Mapped[str] = mapped_column(String(200), default="")


class PortalSetting(db.Model):  # type: ignore[name-defined]  # as in models.py
    """A setting the administrator changes in the browser, such as two factors for all staff."""

    __tablename__ = "portal_settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class BrowserSession(db.Model):  # type: ignore[name-defined]  # as in models.py
    """One browser's login of a staff account, so that it can be listed and ended on its own."""

    __tablename__ = "browser_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # What the (signed) session cookie holds, besides the account's session id.
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # A rough description such as "Firefox op Windows": enough to recognise one's own session.
    browser: Mapped[str] = mapped_column(String(80), default="")
