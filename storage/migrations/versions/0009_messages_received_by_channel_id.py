"""received_message: the ids of messages a channel delivered, so a repeat is handled once

Zalo's getUpdates has no offset and a webhook may be called again; the bot kept the ids it had seen
in memory only, so a restart forgot them.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from storage.types import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "received_message",
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("message_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("channel", "message_id"),
    )
    op.create_index(op.f("ix_received_message_at"), "received_message", ["at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_received_message_at"), table_name="received_message")
    op.drop_table("received_message")
