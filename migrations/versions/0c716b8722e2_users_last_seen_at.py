"""users.last_seen_at: the idle timer of a session, kept on the server

Revision ID: 0c716b8722e2
Revises: ceb9a4daf06a
Create Date: 2026-12-01 21:50:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0c716b8722e2"
down_revision = "ceb9a4daf06a"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_seen_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("last_seen_at")
