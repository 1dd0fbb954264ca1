"""unit_status, kept by a trigger; covering indexes for who can be reached

The office's summary asks, for every unit of an occurrence, its latest status and whether any
official can be reached. `unit_status` holds each unit's latest update per occurrence; a trigger on
`status_update` keeps it, in the inserting transaction, so no code path can forget it. A unit's
officials and a person's accounts get covering indexes (replacing the single-column ones) so that
"can anyone reach this unit?" is answered from the indexes alone, one probe per unit.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Only a newer update moves the row: two transactions may commit out of id order on PostgreSQL.
UPSERT = """
    INSERT INTO unit_status (occurrence_id, unit_id, update_id, status)
    VALUES (NEW.occurrence_id, NEW.unit_id, NEW.id, NEW.status)
    ON CONFLICT (occurrence_id, unit_id) DO UPDATE
    SET update_id = excluded.update_id, status = excluded.status
    WHERE excluded.update_id > unit_status.update_id
"""

BACKFILL = """
    INSERT INTO unit_status (occurrence_id, unit_id, update_id, status)
    SELECT occurrence_id, unit_id, id, status FROM status_update
    WHERE id IN (SELECT max(id) FROM status_update GROUP BY occurrence_id, unit_id)
"""


def upgrade() -> None:
    op.create_table(
        "unit_status",
        sa.Column("occurrence_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("update_id", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.ForeignKeyConstraint(["occurrence_id"], ["occurrence.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.ForeignKeyConstraint(["update_id"], ["status_update.id"]),
        sa.PrimaryKeyConstraint("occurrence_id", "unit_id"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_unit_status_by_status", "unit_status", ["occurrence_id", "status", "unit_id"], unique=False)
    op.execute(BACKFILL)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION unit_status_follow() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {UPSERT}; RETURN NULL; END $$"
        )
        op.execute(
            "CREATE TRIGGER status_update_moves_unit_status AFTER INSERT ON status_update "
            "FOR EACH ROW EXECUTE FUNCTION unit_status_follow()"
        )
    else:
        op.execute(f"CREATE TRIGGER status_update_moves_unit_status AFTER INSERT ON status_update BEGIN {UPSERT}; END")
    with op.batch_alter_table("official", schema=None) as batch_op:
        batch_op.drop_index("ix_official_unit_id")
        batch_op.create_index("ix_official_unit_reach", ["unit_id", "person_id", "active", "role"], unique=False)
    with op.batch_alter_table("channel_account", schema=None) as batch_op:
        batch_op.drop_index("ix_channel_account_person_id")
        batch_op.create_index("ix_channel_account_person_reach", ["person_id", "unreachable_reason"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("channel_account", schema=None) as batch_op:
        batch_op.drop_index("ix_channel_account_person_reach")
        batch_op.create_index("ix_channel_account_person_id", ["person_id"], unique=False)
    with op.batch_alter_table("official", schema=None) as batch_op:
        batch_op.drop_index("ix_official_unit_reach")
        batch_op.create_index("ix_official_unit_id", ["unit_id"], unique=False)
    op.execute(
        "DROP TRIGGER status_update_moves_unit_status"
        + (" ON status_update" if op.get_bind().dialect.name == "postgresql" else "")
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION unit_status_follow()")
    op.drop_table("unit_status")
