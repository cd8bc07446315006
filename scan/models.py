"""Storage: questionnaire versions pinned by scans, scans with their answers and results."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db


def utcnow() -> dt.datetime:
    """Return the current time in UTC (naive, as stored)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def hash_token(token: str) -> str:
    """Return the SHA-256 of a scan token; only the hash is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """Return a new unguessable scan token (192 bits)."""
    return secrets.token_urlsafe(24)


class QuestionnaireVersion(db.Model):
    """A questionnaire exactly as a scan started with it, so later YAML edits never touch it."""

    __tablename__ = "questionnaire_versions"
    __table_args__ = (UniqueConstraint("questionnaire_id", "version", "fingerprint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(String(60), index=True)
    version: Mapped[int]
    fingerprint: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Scan(db.Model):
    """One entrepreneur's scan: answers, progress and (once submitted) the result summary.

    No personal data and no IP address is stored here.
    """

    __tablename__ = "scans"
    __table_args__ = (
        Index("ix_scans_sector_submitted", "questionnaire_id", "submitted_at"),
        Index("ix_scans_expires_at", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    questionnaire_version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_versions.id"))
    questionnaire_id: Mapped[str] = mapped_column(String(60))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    expires_at: Mapped[dt.datetime]
    submitted_at: Mapped[dt.datetime | None]
    overall: Mapped[float | None]
    risk_level: Mapped[str | None] = mapped_column(String(60))
    red_flag: Mapped[bool] = mapped_column(default=False)

    questionnaire_version: Mapped[QuestionnaireVersion] = relationship()
    theme_scores: Mapped[list[ScanThemeScore]] = relationship(
        back_populates="scan", cascade="all, delete-orphan"
    )
    fired_rules: Mapped[list[ScanFiredRule]] = relationship(
        back_populates="scan", cascade="all, delete-orphan"
    )


class ScanThemeScore(db.Model):
    """A submitted scan's score per theme, kept as rows so trends are plain SQL aggregates."""

    __tablename__ = "scan_theme_scores"
    __table_args__ = (Index("ix_theme_scores_theme", "theme_id", "scan_id"),)

    scan_id: Mapped[int] = mapped_column(
        ForeignKey("scans.id", ondelete="CASCADE"), primary_key=True
    )
    theme_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    score: Mapped[float | None]

    scan: Mapped[Scan] = relationship(back_populates="theme_scores")


class ScanFiredRule(db.Model):
    """A rule that fired for a submitted scan (the weak points in trends)."""

    __tablename__ = "scan_fired_rules"
    __table_args__ = (Index("ix_fired_rules_rule", "rule_id", "scan_id"),)

    scan_id: Mapped[int] = mapped_column(
        ForeignKey("scans.id", ondelete="CASCADE"), primary_key=True
    )
    rule_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    priority: Mapped[str] = mapped_column(String(10))

    scan: Mapped[Scan] = relationship(back_populates="fired_rules")
