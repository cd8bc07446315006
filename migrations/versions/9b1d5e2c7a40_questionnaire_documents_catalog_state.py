"""questionnaire documents (branch studio) and the catalog generation

Revision ID: 9b1d5e2c7a40
Revises: b4d7e2f1a936
Create Date: 2026-12-01 21:50:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "9b1d5e2c7a40"
down_revision = "b4d7e2f1a936"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "questionnaire_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("questionnaire_id", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("base_id", sa.String(length=60), nullable=True),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("saved_by", sa.String(length=254), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.Column("published_by", sa.String(length=254), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("retired_by", sa.String(length=254), nullable=True),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("public_id"),
        sa.UniqueConstraint("questionnaire_id", "version"),
    )
    with op.batch_alter_table("questionnaire_documents", schema=None) as batch_op:
        batch_op.create_index(
            "ix_documents_org", ["organisation_id", "questionnaire_id"], unique=False
        )
        batch_op.create_index("ix_documents_status", ["status"], unique=False)
    op.create_table(
        "catalog_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute("INSERT INTO catalog_state (id, generation) VALUES (1, 0)")


def downgrade():
    op.drop_table("catalog_state")
    with op.batch_alter_table("questionnaire_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_documents_status")
        batch_op.drop_index("ix_documents_org")
    op.drop_table("questionnaire_documents")
