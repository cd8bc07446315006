"""shares: at most one active share per scan and organisation

Earlier double clicks may have stored two active shares of one scan with one organisation.
The oldest stays; the later ones get its notes and are withdrawn (contact details erased, as a
withdrawal does) before the unique index is built.

Revision ID: ceb9a4daf06a
Revises: 7c1e5a9d2b40
Create Date: 2026-12-01 21:45:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "ceb9a4daf06a"
down_revision = "7c1e5a9d2b40"
branch_labels = None
depends_on = None

ACTIVE = sa.text("withdrawn_at IS NULL")
# An active share with an older active twin (same scan, same organisation).
LATER_TWIN = """
    EXISTS (SELECT 1 FROM shares AS kept
            WHERE kept.scan_id = {d}.scan_id AND kept.organisation_id = {d}.organisation_id
              AND kept.withdrawn_at IS NULL AND kept.id < {d}.id)
"""


def upgrade():
    op.execute(
        f"""
        UPDATE notes SET share_id = (
            SELECT MIN(kept.id) FROM shares AS kept JOIN shares AS twin
              ON kept.scan_id = twin.scan_id AND kept.organisation_id = twin.organisation_id
            WHERE twin.id = notes.share_id AND kept.withdrawn_at IS NULL)
        WHERE share_id IN (
            SELECT twin.id FROM shares AS twin
            WHERE twin.withdrawn_at IS NULL AND {LATER_TWIN.format(d="twin")})
        """
    )
    op.execute(
        f"""
        UPDATE shares SET withdrawn_at = created_at, contact_name = NULL,
            contact_company = NULL, contact_phone = NULL, contact_email = NULL
        WHERE withdrawn_at IS NULL AND {LATER_TWIN.format(d="shares")}
        """
    )
    op.create_index(
        "uq_shares_active",
        "shares",
        ["scan_id", "organisation_id"],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )


def downgrade():
    op.drop_index("uq_shares_active", table_name="shares")
