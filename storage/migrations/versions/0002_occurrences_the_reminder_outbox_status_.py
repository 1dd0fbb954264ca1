"""occurrences, the reminder outbox, status updates, reminder ladders

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "occurrence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("duty_id", sa.Integer(), nullable=False),
        sa.Column("nominal", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("inclusive", sa.Boolean(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["duty_id"],
            ["duty.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("duty_id", "nominal", name="uq_occurrence_duty_nominal"),
    )
    with op.batch_alter_table("occurrence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_occurrence_duty_id"), ["duty_id"], unique=False)

    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurrence_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("step", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("audience", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("due_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("next_attempt_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("sent_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("message_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["channel_account.id"],
        ),
        sa.ForeignKeyConstraint(
            ["occurrence_id"],
            ["occurrence.id"],
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("occurrence_id", "unit_id", "account_id", "step", name="uq_reminder_once"),
    )
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reminder_next_attempt_at"), ["next_attempt_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_reminder_occurrence_id"), ["occurrence_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reminder_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_reminder_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "status_update",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurrence_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=True),
        sa.Column("expected_date", sa.Date(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("raw_text", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("by_office", sa.Boolean(), nullable=False),
        sa.Column("reminder_id", sa.Integer(), nullable=True),
        sa.Column("at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["occurrence_id"],
            ["occurrence.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["reminder_id"],
            ["reminder.id"],
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("status_update", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_status_update_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_status_update_occurrence_id"), ["occurrence_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_status_update_unit_id"), ["unit_id"], unique=False)

    with op.batch_alter_table("duty", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ladder", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(
            sa.Column("remind_at", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False, server_default="08:00")
        )


def downgrade() -> None:
    with op.batch_alter_table("duty", schema=None) as batch_op:
        batch_op.drop_column("remind_at")
        batch_op.drop_column("ladder")

    with op.batch_alter_table("status_update", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_status_update_unit_id"))
        batch_op.drop_index(batch_op.f("ix_status_update_occurrence_id"))
        batch_op.drop_index(batch_op.f("ix_status_update_at"))

    op.drop_table("status_update")
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_unit_id"))
        batch_op.drop_index(batch_op.f("ix_reminder_status"))
        batch_op.drop_index(batch_op.f("ix_reminder_occurrence_id"))
        batch_op.drop_index(batch_op.f("ix_reminder_next_attempt_at"))
        batch_op.drop_index(batch_op.f("ix_reminder_account_id"))

    op.drop_table("reminder")
    with op.batch_alter_table("occurrence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_occurrence_duty_id"))

    op.drop_table("occurrence")
