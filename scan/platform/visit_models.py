"""Visits: a scan a PVO adviser fills in together with the entrepreneur, and what they noted.

A visit belongs to its scan (deleted with it). The scan stays the entrepreneur's: the visit
row only says which organisation helped, who started it, and the entrepreneur's choice at the
hand-over. What the adviser sees afterwards is a share, made only with that consent.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from scan.platform.account_models import Organisation
from scan.platform.extensions import db
from scan.platform.models import Scan
from scan.platform.stamps import new_public_id, utcnow

VISIT_KINDS = {"bezoek": "Bezoek", "papier": "Papieren scan invoeren"}


class Visit(db.Model):  # type: ignore[name-defined]  # as in models.py
    """A scan started by an adviser during a visit (or typed in afterwards from paper)."""

    __tablename__ = "visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id", ondelete="CASCADE"), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    # The e-mail is kept as text, as in the audit log, so the row survives a removed account.
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    started_by: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(10), default="bezoek")
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Set at the hand-over: from then on the adviser's browser no longer opens the scan.
    ended_at: Mapped[dt.datetime | None]
    # The entrepreneur's choice at the hand-over: True shared, False not, None not asked yet.
    consent: Mapped[bool | None]

    # backref keeps the Scan class untouched while deleting a scan still deletes its visit.
    scan: Mapped[Scan] = relationship(
        backref=backref("visit", uselist=False, cascade="all, delete-orphan")
    )
    organisation: Mapped[Organisation] = relationship()
    notes: Mapped[list[VisitNote]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="VisitNote.id"
    )

    @property
    def reference(self) -> str:
        """Return a short reference for the audit log and the adviser's page."""
        return self.public_id[:8].upper()

    @property
    def is_open(self) -> bool:
        """Tell whether the visit still goes on (not handed over yet)."""
        return self.ended_at is None


NOTE_KINDS = ("observation", "action")


class VisitNote(db.Model):  # type: ignore[name-defined]  # as in models.py
    """What the adviser saw on a theme ("observation"), or an action agreed on ("action")."""

    __tablename__ = "visit_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(12))
    text: Mapped[str] = mapped_column(Text)
    who: Mapped[str | None] = mapped_column(String(100))
    due: Mapped[dt.date | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    visit: Mapped[Visit] = relationship(back_populates="notes")
