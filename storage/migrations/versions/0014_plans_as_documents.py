"""plans as dated documents: a plan table, and every duty belongs to one

A plan has its number, date, issuer, the body reports go to, and validity; several are active at once.
Duties get their plan, the units they name themselves (a task given to a few units), a note, and who
gave them. Existing duties get their plan at the next plan load.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False, server_default=""),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("issuer", sa.String(length=200), nullable=False, server_default=""),
        sa.Column("report_to", sa.String(length=200), nullable=False, server_default=""),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("source", sa.String(length=16), nullable=False, server_default="file"),
        sa.Column("unit_keys", sa.JSON(), nullable=False, server_default="[]"),
        sa.Column("group_keys", sa.JSON(), nullable=False, server_default="[]"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_plan_key"), "plan", ["key"], unique=True)
    with op.batch_alter_table("duty") as batch:
        batch.add_column(sa.Column("plan_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("units", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("note", sa.String(length=1000), nullable=False, server_default=""))
        batch.add_column(sa.Column("created_by", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=True))
        batch.create_index(batch.f("ix_duty_plan_id"), ["plan_id"], unique=False)


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later): a rebuilt duty table would be refused, since
    # other tables' foreign keys name it
    with op.batch_alter_table("duty", recreate="never") as batch:
        batch.drop_index(batch.f("ix_duty_plan_id"))
        for column in ("created_at", "created_by", "note", "units", "plan_id"):
            batch.drop_column(column)
    op.drop_index(op.f("ix_plan_key"), table_name="plan")
    op.drop_table("plan")
