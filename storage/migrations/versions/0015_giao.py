"""task drafts and the documents given with a task (/giao)

A task the office gives in one message is kept as a draft until ✅ or ❌ (once, for a day), so a tap
after a restart still finds it and two taps give one task; a photo or PDF sent with it is kept by the
channel's file id.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "task_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asked_by", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("units", sa.JSON(), nullable=False),
        sa.Column("rule", sa.JSON(), nullable=False),
        sa.Column("words", sa.String(length=1000), nullable=False, server_default=""),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decision", sa.String(length=16), nullable=True),
        sa.Column("used_by", sa.String(length=64), nullable=True),
        sa.Column("duty_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_task_draft_asked_by"), "task_draft", ["asked_by"], unique=False)
    op.create_table(
        "duty_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("duty_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("file_id", sa.String(length=300), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False, server_default=""),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.Column("at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["draft_id"], ["task_draft.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_duty_document_draft_id"), "duty_document", ["draft_id"], unique=False)
    op.create_index(op.f("ix_duty_document_duty_id"), "duty_document", ["duty_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_duty_document_duty_id"), table_name="duty_document")
    op.drop_index(op.f("ix_duty_document_draft_id"), table_name="duty_document")
    op.drop_table("duty_document")
    op.drop_index(op.f("ix_task_draft_asked_by"), table_name="task_draft")
    op.drop_table("task_draft")
