"""studio drafts lose no work: a revision number on each document (optimistic locking), the
draft's earlier saves, and texts that wait for their author to log in again

Revision ID: 7f3c2d9e1a05
Revises: 7a3c1e9d2b64
Create Date: 2026-12-06 23:50:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7f3c2d9e1a05"
down_revision = "7a3c1e9d2b64"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("questionnaire_documents") as batch:
        batch.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "draft_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("saved_by", sa.String(length=254), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["questionnaire_documents.id"], ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_draft_revisions_document", "draft_revisions", ["document_id", "revision"])
    op.create_table(
        "waiting_texts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("posted_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["document_id"], ["questionnaire_documents.id"], ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_waiting_texts_owner", "waiting_texts", ["user_id", "document_id"])


def downgrade():
    op.drop_index("ix_waiting_texts_owner", table_name="waiting_texts")
    op.drop_table("waiting_texts")
    op.drop_index("ix_draft_revisions_document", table_name="draft_revisions")
    op.drop_table("draft_revisions")
    with op.batch_alter_table("questionnaire_documents") as batch:
        batch.drop_column("revision")
