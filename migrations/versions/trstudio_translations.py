"""a branch document's translations: one .po text per document and language (en, pl), with a
revision number for optimistic locking, published together with the document's Dutch text

Revision ID: 3b8e5d1c7f42
Revises: 7f3c2d9e1a05
Create Date: 2026-12-07 02:45:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3b8e5d1c7f42"
down_revision = "7f3c2d9e1a05"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "document_translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("saved_by", sa.String(length=254), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["questionnaire_documents.id"], ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "language", name="uq_document_translations_language"),
    )


def downgrade():
    op.drop_table("document_translations")
