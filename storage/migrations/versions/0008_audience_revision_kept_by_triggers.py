"""audience_revision, kept by triggers on unit, official and channel_account

Whether a unit can be reached changes only when units, officials or channel accounts do, which is
rare beside how often the office asks for a summary. A counter that every such change moves lets
the summary keep what it worked out until the counter moves. Triggers move it, in the changing
transaction, so no code path (the bot, the CLI, a second instance) can forget to.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TABLES = ("unit", "official", "channel_account")
BUMP = "UPDATE audience_revision SET revision = revision + 1 WHERE id = 1"


def upgrade() -> None:
    op.create_table(
        "audience_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute("INSERT INTO audience_revision (id, revision) VALUES (1, 0)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE FUNCTION audience_bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {BUMP}; RETURN NULL; END $$"
        )
        for table in TABLES:  # once per statement: a bulk insert moves the counter once
            op.execute(
                f"CREATE TRIGGER {table}_moves_audience AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION audience_bump()"
            )
    else:  # SQLite has row triggers only
        for table in TABLES:
            for event in ("INSERT", "UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_{event.lower()}_moves_audience AFTER {event} ON {table} BEGIN {BUMP}; END"
                )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER {table}_moves_audience ON {table}")
        op.execute("DROP FUNCTION audience_bump()")
    else:
        for table in TABLES:
            for event in ("INSERT", "UPDATE", "DELETE"):
                op.execute(f"DROP TRIGGER {table}_{event.lower()}_moves_audience")
    op.drop_table("audience_revision")
