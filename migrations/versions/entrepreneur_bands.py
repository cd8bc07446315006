"""trend counters per theme and score band (the entrepreneur's sector comparison), filled
from the submitted scans; counter keys widened to hold "theme_id/band"

Revision ID: 5e2b7a91c4d3
Revises: 5e1d3a7c9b24
Create Date: 2026-12-06 21:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5e2b7a91c4d3"
down_revision = "5e1d3a7c9b24"
branch_labels = None
depends_on = None

BANDS = 10  # as scan/portal/trend_bands.py BANDS: a band is 10 points wide, 90 to 100 the last

# Counted as scan/portal/trends.py counts (`flask --app scan trends rebuild` does the same):
# one scan per chain, so a scan superseded by its submitted repeat does not count.
FILL = """
INSERT INTO trend_counts (kind, month, questionnaire_id, key, n, scored, score_tenths)
SELECT 'band', {month}, s.questionnaire_id, t.theme_id || '/' || {band}, COUNT(*), 0, 0
FROM scans s JOIN scan_theme_scores t ON t.scan_id = s.id
WHERE s.submitted_at IS NOT NULL AND t.score IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM scan_followups f WHERE f.scan_id = s.id AND f.superseded)
GROUP BY {month}, s.questionnaire_id, t.theme_id, {band}
"""


def upgrade():
    with op.batch_alter_table("trend_counts") as batch:
        batch.alter_column("key", type_=sa.String(length=70), existing_nullable=False)
    if op.get_bind().dialect.name == "postgresql":
        month = "to_char(s.submitted_at, 'YYYY-MM')"
    else:
        month = "strftime('%Y-%m', s.submitted_at)"
    band = (
        "CASE "
        + " ".join(f"WHEN t.score < {10 * (b + 1)} THEN '{b}'" for b in range(BANDS - 1))
        + f" ELSE '{BANDS - 1}' END"
    )
    op.execute(FILL.format(month=month, band=band))


def downgrade():
    op.execute("DELETE FROM trend_counts WHERE kind = 'band'")
    with op.batch_alter_table("trend_counts") as batch:
        batch.alter_column("key", type_=sa.String(length=60), existing_nullable=False)
