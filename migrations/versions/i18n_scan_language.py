"""scans remember the language they were filled in (nl, en, pl): the scan pages, the personal
link and the PDF keep it; every scan made before is Dutch

Revision ID: 7a3c1e9d2b64
Revises: 7a3c91e5d2b8
Create Date: 2026-12-07 00:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7a3c1e9d2b64"
down_revision = "7a3c91e5d2b8"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("scans") as batch:
        batch.add_column(
            sa.Column("language", sa.String(length=5), nullable=False, server_default="nl")
        )


def downgrade():
    with op.batch_alter_table("scans") as batch:
        batch.drop_column("language")
