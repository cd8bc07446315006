"""follow-up: repeat scans (sealed link, notes, superseded), action plan, share chain tags

Revision ID: b4d7e2f1a936
Revises: 7c1f0e5a9b21
Create Date: 2026-12-01 22:45:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b4d7e2f1a936"
down_revision = "7c1f0e5a9b21"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "scan_followups",
        sa.Column("scan_id", sa.Integer(), nullable=False),
        sa.Column("previous_sealed", sa.Text(), nullable=True),
        sa.Column("repeat_notes", sa.JSON(), nullable=True),
        sa.Column("superseded", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["scan_id"], ["scans.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("scan_id"),
    )
    op.create_table(
        "plan_steps",
        sa.Column("scan_id", sa.Integer(), nullable=False),
        sa.Column("advice_id", sa.String(length=60), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("who", sa.String(length=100), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["scan_id"], ["scans.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("scan_id", "advice_id"),
    )
    op.create_table(
        "share_chain_tags",
        sa.Column("share_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["share_id"], ["shares.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("share_id"),
    )
    op.create_index("ix_share_chain_tags_tag", "share_chain_tags", ["tag"])


def downgrade():
    op.drop_index("ix_share_chain_tags_tag", table_name="share_chain_tags")
    op.drop_table("share_chain_tags")
    op.drop_table("plan_steps")
    op.drop_table("scan_followups")
