"""share_cases: the caseload of a PVO (assignment, next step, last activity, search terms)

One row per active share. Existing active shares get theirs here: their organisation and date
shared, their order (red flag, new), the figures the list filters by and their search terms (both
references and the shared contact details, normalised as the app does). Withdrawn shares get
none.

Revision ID: 5e1d3a7c9b24
Revises: a7c3e9f2d514
Create Date: 2026-12-06 20:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5e1d3a7c9b24"
down_revision = "a7c3e9f2d514"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "share_cases",
        sa.Column("share_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("triage", sa.SmallInteger(), nullable=False),
        sa.Column("shared_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("sector", sa.String(length=60), nullable=True),
        sa.Column("risk_level", sa.String(length=60), nullable=True),
        sa.Column("overall", sa.Double(), nullable=True),
        sa.Column("assigned_to_id", sa.Integer(), nullable=True),
        sa.Column("next_action", sa.String(length=20), nullable=True),
        sa.Column("next_action_on", sa.Date(), nullable=True),
        sa.Column("last_activity_at", sa.DateTime(), nullable=True),
        sa.Column("last_activity_by", sa.String(length=254), nullable=True),
        sa.Column("last_activity", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(["share_id"], ["shares.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"]),
        sa.ForeignKeyConstraint(["assigned_to_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("share_id"),
    )
    op.create_index(
        "ix_share_cases_queue",
        "share_cases",
        ["organisation_id", "triage", "next_action_on", "shared_at"],
    )
    op.create_index("ix_share_cases_shared", "share_cases", ["organisation_id", "shared_at"])
    op.create_index("ix_share_cases_assigned", "share_cases", ["organisation_id", "assigned_to_id"])
    op.create_index("ix_share_cases_due", "share_cases", ["organisation_id", "next_action_on"])
    op.create_index("ix_share_cases_filter", "share_cases", ["organisation_id", "status", "sector"])
    op.create_table(
        "share_search_terms",
        sa.Column("share_id", sa.Integer(), nullable=False),
        sa.Column(
            "term",
            sa.String(length=254).with_variant(sa.String(length=254, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["share_id"], ["share_cases.share_id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"]),
        sa.PrimaryKeyConstraint("share_id", "term"),
    )
    op.create_index("ix_share_search_terms_find", "share_search_terms", ["organisation_id", "term"])
    _fill()


def _fill():
    """Give every existing share its case, computed as the app computes it."""
    from scan.scans.cases import search_terms, triage

    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT shares.id, shares.organisation_id, shares.public_id, shares.status,"
            " shares.created_at, shares.contact_name, shares.contact_company,"
            " shares.contact_phone, shares.contact_email, scans.token_hash, scans.red_flag,"
            " scans.questionnaire_id, scans.risk_level, scans.overall"
            " FROM shares JOIN scans ON scans.id = shares.scan_id"
            " WHERE shares.withdrawn_at IS NULL"
        ).columns(created_at=sa.DateTime())  # SQLite hands back text without the type
    ).mappings()
    contact = ("contact_name", "contact_company", "contact_phone", "contact_email")
    cases, terms = [], []
    for row in rows:
        cases.append(
            {
                "share_id": row["id"],
                "organisation_id": row["organisation_id"],
                "triage": triage(bool(row["red_flag"]), row["status"]),
                "shared_at": row["created_at"],
                "status": row["status"],
                "sector": row["questionnaire_id"],
                "risk_level": row["risk_level"],
                "overall": row["overall"],
            }
        )
        found_by = search_terms(row["public_id"], row["token_hash"], *(row[c] for c in contact))
        terms += [
            {"share_id": row["id"], "organisation_id": row["organisation_id"], "term": term}
            for term in sorted(found_by)
        ]
    columns = ("organisation_id", "triage", "status", "sector", "risk_level", "overall")
    case_table = sa.table(
        "share_cases",
        sa.column("share_id"),
        sa.column("shared_at", sa.DateTime()),
        *(sa.column(name) for name in columns),
    )
    term_table = sa.table(
        "share_search_terms", sa.column("share_id"), sa.column("organisation_id"), sa.column("term")
    )
    if cases:
        op.bulk_insert(case_table, cases)
        op.bulk_insert(term_table, terms)


def downgrade():
    op.drop_index("ix_share_search_terms_find", table_name="share_search_terms")
    op.drop_table("share_search_terms")
    op.drop_index("ix_share_cases_filter", table_name="share_cases")
    op.drop_index("ix_share_cases_due", table_name="share_cases")
    op.drop_index("ix_share_cases_assigned", table_name="share_cases")
    op.drop_index("ix_share_cases_shared", table_name="share_cases")
    op.drop_index("ix_share_cases_queue", table_name="share_cases")
    op.drop_table("share_cases")
