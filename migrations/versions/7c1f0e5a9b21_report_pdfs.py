"""report_pdfs: each submitted scan's PDF, rendered once

Revision ID: 7c1f0e5a9b21
Revises: 0c716b8722e2
Create Date: 2026-12-01 22:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7c1f0e5a9b21"
down_revision = "0c716b8722e2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report_pdfs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scan_id", sa.Integer(), nullable=False),
        sa.Column("variant", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["scan_id"], ["scans.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("scan_id", "variant"),
    )
    op.create_index("ix_report_pdfs_created_at", "report_pdfs", ["created_at"], unique=False)


def downgrade():
    op.drop_index("ix_report_pdfs_created_at", table_name="report_pdfs")
    op.drop_table("report_pdfs")
