"""Storage: questionnaire versions pinned by scans, scans with their answers and results."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

# Organisation and User live with the other account tables; imported here for the relationships
# below and for the code that imports them from this module.
from scan.platform.account_models import (  # noqa: F401
    ORGANISATION_KINDS,
    ROLES,
    Organisation,
    User,
)
from scan.platform.extensions import db
from scan.platform.stamps import new_public_id, utcnow


class QuestionnaireVersion(db.Model):
    """A questionnaire exactly as a scan started with it, so later YAML edits never touch it."""

    __tablename__ = "questionnaire_versions"
    __table_args__ = (UniqueConstraint("questionnaire_id", "version", "fingerprint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(String(60), index=True)
    version: Mapped[int]
    fingerprint: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    # Deferred: pages need only the fingerprint; the snapshot loads when a rebuild needs it.
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Scan(db.Model):
    """One entrepreneur's scan: answers, progress and (once submitted) the result summary.

    No personal data and no IP address is stored here.
    """

    __tablename__ = "scans"
    # A column with only a server default (language) is not fetched back after an insert: the
    # app always sets it, and a row written by an older schema's code simply lacks it.
    __mapper_args__ = {"eager_defaults": False}
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
    # The theme page the entrepreneur last saved: "Ga verder" on the resume page goes there.
    last_theme: Mapped[str | None] = mapped_column(String(60))
    # Raised by "Snel weg": every browser session opened before on this scan stops working.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    # The language the scan is filled in (scan/platform/languages.py): its pages, its personal
    # link and its PDF keep it; the entrepreneur can switch. Advisers always read Dutch.
    # Deferred, so that code written for an older schema (the migration tests) can still load a
    # scan; the scan pages load it in their one query (store._BY_TOKEN).
    language: Mapped[str] = mapped_column(String(5), server_default="nl", deferred=True)

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


# --- Advisers: shares, notes, audit trail (organisations and accounts: account_models.py) ----

SHARE_STATUSES = {
    "nieuw": "Nieuw",
    "in_behandeling": "In behandeling",
    "bezoek_gepland": "Bezoek gepland",
    "afgerond": "Afgerond",
}


ACTIVE_SHARE = text("withdrawn_at IS NULL")


class Share(db.Model):
    """An entrepreneur's consent to show one scan to one organisation's advisers."""

    __tablename__ = "shares"
    __table_args__ = (
        Index("ix_shares_org_list", "organisation_id", "withdrawn_at", "created_at"),
        Index("ix_shares_org_status", "organisation_id", "status"),
        # One active share per scan and organisation: a double-clicked share cannot make two.
        Index(
            "uq_shares_active",
            "scan_id",
            "organisation_id",
            unique=True,
            sqlite_where=ACTIVE_SHARE,
            postgresql_where=ACTIVE_SHARE,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    consent_version: Mapped[str] = mapped_column(String(20))
    consented_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_company: Mapped[str | None] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(20), default="nieuw")
    visit_date: Mapped[dt.date | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    withdrawn_at: Mapped[dt.datetime | None]

    # backref keeps the Scan class untouched while deleting a scan still deletes its shares.
    scan: Mapped[Scan] = relationship(backref=backref("shares", cascade="all, delete-orphan"))
    organisation: Mapped[Organisation] = relationship()
    notes: Mapped[list[Note]] = relationship(
        back_populates="share", cascade="all, delete-orphan", order_by="Note.created_at"
    )

    @property
    def reference(self) -> str:
        """Return a short reference for the entrepreneur and adviser to mention to each other."""
        return self.public_id[:8].upper()

    @property
    def has_contact(self) -> bool:
        """Return whether the entrepreneur left any contact detail."""
        return any(
            (self.contact_name, self.contact_company, self.contact_phone, self.contact_email)
        )


class Note(db.Model):
    """An adviser's note on a shared scan."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    share_id: Mapped[int] = mapped_column(ForeignKey("shares.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author_email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    text: Mapped[str] = mapped_column(Text)

    share: Mapped[Share] = relationship(back_populates="notes")


class AuditEvent(db.Model):
    """Who did what when: every view of a shared scan and every change, readable by admins."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # The e-mail is kept as text so the trail survives when an account is removed.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(40), index=True)
    share_public_id: Mapped[str | None] = mapped_column(String(32), index=True)
    detail: Mapped[str] = mapped_column(String(500), default="")


# --- Follow-up: the action plan of a submitted scan ---------------------------------------

# The states' words are translated where a page shows them (scan/scans/followup_views.py).
PLAN_STATES = {
    "gepland": "Gepland",
    "bezig": "Bezig",
    "gedaan": "Gedaan",
    "niet_van_toepassing": "Niet van toepassing",
}


class ScanFollowUp(db.Model):
    """A scan's place in a chain of repeats; only repeats and superseded scans have one."""

    __tablename__ = "scan_followups"

    scan_id: Mapped[int] = mapped_column(
        ForeignKey("scans.id", ondelete="CASCADE"), primary_key=True
    )
    # A repeat scan: the earlier scan's link and the chain's secret, encrypted with a key made
    # from this scan's own token (scan/chain.py), so only its link holder can follow the chain.
    previous_sealed: Mapped[str | None] = mapped_column(Text)
    # What a repeat started from, for this scan's own pages: earlier answers in words, new,
    # changed and dropped questions, and the earlier action plan (scan/repeats.py).
    repeat_notes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # A later scan of the same chain was submitted: trends count only the latest one.
    superseded: Mapped[bool] = mapped_column(default=False)

    # backref keeps the Scan class untouched while deleting a scan still deletes this row.
    scan: Mapped[Scan] = relationship(
        backref=backref("followup", uselist=False, cascade="all, delete-orphan")
    )


class ShareChainTag(db.Model):
    """A share's chain tag: equal for the shares of one chain's scans with one organisation.

    Different for every other organisation (scan/chain.py), so advisers see that two shared
    scans belong together only when the entrepreneur shared both with their organisation.
    """

    __tablename__ = "share_chain_tags"

    share_id: Mapped[int] = mapped_column(
        ForeignKey("shares.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(64), index=True)

    # backref keeps the Share class untouched while deleting a share still deletes its tag.
    share: Mapped[Share] = relationship(
        backref=backref("chain_tag", uselist=False, cascade="all, delete-orphan")
    )


class PlanStep(db.Model):
    """The entrepreneur's plan for one piece of advice of a scan: state, who and when."""

    __tablename__ = "plan_steps"

    scan_id: Mapped[int] = mapped_column(
        ForeignKey("scans.id", ondelete="CASCADE"), primary_key=True
    )
    advice_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    state: Mapped[str] = mapped_column(String(20))
    who: Mapped[str | None] = mapped_column(String(100))
    due: Mapped[dt.date | None]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    # backref keeps the Scan class small while deleting a scan still deletes its plan.
    scan: Mapped[Scan] = relationship(backref=backref("plan_steps", cascade="all, delete-orphan"))


class ReportPdf(db.Model):
    """A submitted scan's rendered PDF, kept so that it is rendered once (scans/pdf_cache.py)."""

    __tablename__ = "report_pdfs"
    __table_args__ = (UniqueConstraint("scan_id", "variant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id", ondelete="CASCADE"))
    # "scan": the entrepreneur's; "share-<id>" and "share-<id>-notes": an adviser's.
    variant: Mapped[str] = mapped_column(String(40))
    # SHA-256 of everything the PDF depends on; another key means render again.
    key: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)

    # backref keeps the Scan class untouched while deleting a scan still deletes its PDFs.
    scan: Mapped[Scan] = relationship(backref=backref("report_pdfs", cascade="all, delete-orphan"))


# Trends group submitted scans by sector and month and read risk level, overall score and red
# flag; these indexes cover those queries (one sector, or all sectors in a period) so they
# never read the wide answers column, and the third lets theme averages skip the table.
Index(
    "ix_scans_trends",
    Scan.questionnaire_id,
    Scan.submitted_at,
    Scan.risk_level,
    Scan.overall,
    Scan.red_flag,
)
Index(
    "ix_scans_trends_period",
    Scan.submitted_at,
    Scan.questionnaire_id,
    Scan.risk_level,
    Scan.overall,
    Scan.red_flag,
)
Index(
    "ix_theme_scores_cover", ScanThemeScore.scan_id, ScanThemeScore.theme_id, ScanThemeScore.score
)


class TrendCount(db.Model):
    """A trend counter: per kind, submission month, sector and key, how many scans and scores.

    kind "scans" (key ""): scans, scans with an overall score, the sum of those scores;
    "risk" (key = risk level, "" for none), "red_flag" (key ""), "rule" (key = rule id),
    "band" (key = theme id/score band of 10 points, see scan/portal/trend_bands.py):
    scans; "theme" (key = theme id): scans, scans with a theme score, the sum of those scores.
    Sums are kept in tenths (scores have one decimal), so adding and subtracting stays exact.
    scan/scans/trend_counters.py keeps them up to date; `flask --app scan trends rebuild`
    recounts them.
    """

    __tablename__ = "trend_counts"

    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    key: Mapped[str] = mapped_column(String(70), primary_key=True)  # "theme_id/band" fits
    n: Mapped[int] = mapped_column(default=0)
    scored: Mapped[int] = mapped_column(default=0)
    score_tenths: Mapped[int] = mapped_column(BigInteger, default=0)


# --- Questionnaire documents: branch organisations' tailored scans --------------------------

DOCUMENT_STATUSES = {"draft": "Concept", "published": "Gepubliceerd", "retired": "Ingetrokken"}


class QuestionnaireDocument(db.Model):
    """One version of an organisation's questionnaire as YAML text: a draft, published or retired.

    A published row never changes its source; editing it makes a new draft with the next
    version number, and publishing that draft makes it the newest version.
    """

    __tablename__ = "questionnaire_documents"
    __table_args__ = (
        UniqueConstraint("questionnaire_id", "version"),
        Index("ix_documents_org", "organisation_id", "questionnaire_id"),
        Index("ix_documents_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    questionnaire_id: Mapped[str] = mapped_column(String(60))
    version: Mapped[int]
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    source: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(String(300), default="")
    base_id: Mapped[str | None] = mapped_column(String(60))
    base_version: Mapped[int | None]
    saved_by: Mapped[str] = mapped_column(String(254))
    saved_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    published_by: Mapped[str | None] = mapped_column(String(254))
    published_at: Mapped[dt.datetime | None]
    retired_by: Mapped[str | None] = mapped_column(String(254))
    retired_at: Mapped[dt.datetime | None]
    # Raised by every save: the editor posts the number it read, so a save over another
    # author's newer text is a conflict, never a silent overwrite (scan/studio/drafts.py).
    revision: Mapped[int] = mapped_column(default=0, server_default="0")

    organisation: Mapped[Organisation] = relationship()

    @property
    def status_label(self) -> str:
        """Return the status in Dutch."""
        return DOCUMENT_STATUSES.get(self.status, self.status)

    @property
    def file_name(self) -> str:
        """Return the name positions in messages and downloads use: <id>@<version>.yaml."""
        return f"{self.questionnaire_id}@{self.version}.yaml"


class CatalogState(db.Model):
    """One row whose generation goes up with every publish or retire, so workers reload."""

    __tablename__ = "catalog_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(default=0)
