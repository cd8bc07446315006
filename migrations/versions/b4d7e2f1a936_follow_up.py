"""follow-up: repeat scans (sealed link, notes, superseded), action plan, share chain tag

Revision ID: b4d7e2f1a936
Revises: ceb9a4daf06a
Create Date: 2026-12-01 22:45:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b4d7e2f1a936"
down_revision = "ceb9a4daf06a"
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
    with op.batch_alter_table("shares") as batch:
        batch.add_column(sa.Column("chain_tag", sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table("shares") as batch:
        batch.drop_column("chain_tag")
    op.drop_table("plan_steps")
    op.drop_table("scan_followups")
