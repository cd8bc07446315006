"""trend counters per sector, month and theme, filled from the submitted scans

Revision ID: 7c1e5a9d2b40
Revises: e94d2a61c0f8
Create Date: 2026-12-01 21:50:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7c1e5a9d2b40"
down_revision = "e94d2a61c0f8"  # re-chained after the scan-session columns at merge
branch_labels = None
depends_on = None

# Counted as scan/trends.py counts (`flask --app scan trends rebuild` does the same).
FILL = """
INSERT INTO trend_counts (kind, month, questionnaire_id, key, n, scored, score_tenths)
SELECT 'scans', {month}, s.questionnaire_id, '', COUNT(*), COUNT(s.overall),
       COALESCE(ROUND(SUM(s.overall * 10)), 0)
FROM scans s WHERE s.submitted_at IS NOT NULL GROUP BY {month}, s.questionnaire_id
UNION ALL
SELECT 'risk', {month}, s.questionnaire_id, COALESCE(s.risk_level, ''), COUNT(*), 0, 0
FROM scans s WHERE s.submitted_at IS NOT NULL
GROUP BY {month}, s.questionnaire_id, s.risk_level
UNION ALL
SELECT 'red_flag', {month}, s.questionnaire_id, '', COUNT(*), 0, 0
FROM scans s WHERE s.submitted_at IS NOT NULL AND s.red_flag
GROUP BY {month}, s.questionnaire_id
UNION ALL
SELECT 'theme', {month}, s.questionnaire_id, t.theme_id, COUNT(*), COUNT(t.score),
       COALESCE(ROUND(SUM(t.score * 10)), 0)
FROM scans s JOIN scan_theme_scores t ON t.scan_id = s.id WHERE s.submitted_at IS NOT NULL
GROUP BY {month}, s.questionnaire_id, t.theme_id
UNION ALL
SELECT 'rule', {month}, s.questionnaire_id, r.rule_id, COUNT(*), 0, 0
FROM scans s JOIN scan_fired_rules r ON r.scan_id = s.id WHERE s.submitted_at IS NOT NULL
GROUP BY {month}, s.questionnaire_id, r.rule_id
"""


def upgrade():
    op.create_table(
        "trend_counts",
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("questionnaire_id", sa.String(length=60), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("scored", sa.Integer(), nullable=False),
        sa.Column("score_tenths", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "month", "questionnaire_id", "key"),
    )
    if op.get_bind().dialect.name == "postgresql":
        month = "to_char(s.submitted_at, 'YYYY-MM')"
    else:
        month = "strftime('%Y-%m', s.submitted_at)"
    op.execute(FILL.format(month=month))


def downgrade():
    op.drop_table("trend_counts")
