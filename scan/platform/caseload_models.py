"""A shared scan's case: who works it, what comes next, what happened last, how it is found.

Kept beside the share (one row per active share) so that the share stays the entrepreneur's
consent record and the caseload's columns and indexes live in one place. `sharing.create_share`
makes the row with the share and `withdraw_share` deletes it (both through
`scan/scans/cases.py`); `scan/portal/caseload.py` fills and changes it. It copies what the
list filters, orders and counts by (organisation, red flag and new, status, date shared,
sector, risk level, score: the scan's figures never change after submission, the status only
through `shares.set_status`), so a page of the caseload and its count read this one table and
never join thousands of shares and scans.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, SmallInteger, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from scan.platform.extensions import db
from scan.platform.models import Share

# Flask-SQLAlchemy makes its declarative base at run time: typed as Any, the models type-check.
Model: Any = db.Model

NEXT_ACTIONS = {"bellen": "Bellen", "bezoek": "Bezoek", "terugkoppeling": "Terugkoppeling"}
# The default order of the caseload: red flags first, then new, then the rest (lower first).
TRIAGE_RED_NEW, TRIAGE_RED, TRIAGE_NEW, TRIAGE_REST = 0, 1, 2, 3


class ShareCase(Model):
    """The follow-up of one share by its organisation's advisers."""

    __tablename__ = "share_cases"
    __table_args__ = (
        Index("ix_share_cases_queue", "organisation_id", "triage", "next_action_on", "shared_at"),
        Index("ix_share_cases_shared", "organisation_id", "shared_at"),
        Index("ix_share_cases_assigned", "organisation_id", "assigned_to_id"),
        Index("ix_share_cases_due", "organisation_id", "next_action_on"),
        Index("ix_share_cases_filter", "organisation_id", "status", "sector"),
    )

    share_id: Mapped[int] = mapped_column(
        ForeignKey("shares.id", ondelete="CASCADE"), primary_key=True
    )
    # A copy of the share's organisation, so the caseload's indexes start with it.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    triage: Mapped[int] = mapped_column(SmallInteger, default=TRIAGE_REST)
    # Copies of the share's and its scan's fields that the list filters and orders by.
    shared_at: Mapped[dt.datetime | None]
    status: Mapped[str | None] = mapped_column(String(20))
    sector: Mapped[str | None] = mapped_column(String(60))
    risk_level: Mapped[str | None] = mapped_column(String(60))
    overall: Mapped[float | None]
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    next_action: Mapped[str | None] = mapped_column(String(20))
    next_action_on: Mapped[dt.date | None]
    last_activity_at: Mapped[dt.datetime | None]
    last_activity_by: Mapped[str | None] = mapped_column(String(254))
    last_activity: Mapped[str | None] = mapped_column(String(40))

    share: Mapped[Share] = relationship(
        backref=backref("case", uselist=False, cascade="all, delete-orphan")
    )
    assigned_to = relationship("User")
    # Deleted by the ORM with the case: SQLite does not enforce ON DELETE CASCADE by default.
    terms: Mapped[list[ShareSearchTerm]] = relationship(cascade="all, delete-orphan")


# Byte order on PostgreSQL too (SQLite compares bytes already): a prefix is then one index range.
TERM = String(254).with_variant(String(254, collation="C"), "postgresql")


class ShareSearchTerm(Model):
    """A word a case is found by: a reference, or a contact detail from one of its words on.

    Normalised (lower case, no spaces, hyphens or dots); search finds the cases with a term
    that starts with what the adviser typed: one range of the (organisation, term) index.
    """

    __tablename__ = "share_search_terms"
    __table_args__ = (Index("ix_share_search_terms_find", "organisation_id", "term"),)

    share_id: Mapped[int] = mapped_column(
        ForeignKey("share_cases.share_id", ondelete="CASCADE"), primary_key=True
    )
    term: Mapped[str] = mapped_column(TERM, primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
