"""scans: the last theme page visited, and a generation that ends every scan session

Revision ID: e94d2a61c0f8
Revises: 0003bae6aea9
Create Date: 2026-12-01 22:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "e94d2a61c0f8"
down_revision = "0003bae6aea9"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("scans") as batch:
        batch.add_column(sa.Column("last_theme", sa.String(length=60), nullable=True))
        batch.add_column(
            sa.Column("session_generation", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade():
    with op.batch_alter_table("scans") as batch:
        batch.drop_column("session_generation")
        batch.drop_column("last_theme")
