"""plans and units that end: the issuer's end, a carry-over, and why a report was closed

A plan is in force from its start to the earlier of its own end and its issuer's end (`issuer_until`),
unless the office carried it over to a successor body by decision (`carried_to`, `/kehoach <n> chuyển
cho <cơ quan>`). When a plan or a unit ends, its unsent reports are closed ("closed" in status_update)
with the reason kept in `reason`: "plan_ended", "unit_ended" or "merged" (the successor's name in the
note); a report the office closed with `/dong` has none.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ADD COLUMN, not rebuilt tables: status_update has the unit_status trigger of 0007
    op.add_column("plan", sa.Column("issuer_until", sa.Date(), nullable=True))
    op.add_column("plan", sa.Column("carried_to", sa.String(length=200), nullable=False, server_default=""))
    op.add_column("status_update", sa.Column("reason", sa.String(length=24), nullable=False, server_default=""))


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later): other tables' foreign keys name these tables
    with op.batch_alter_table("status_update", recreate="never") as batch:
        batch.drop_column("reason")
    with op.batch_alter_table("plan", recreate="never") as batch:
        batch.drop_column("carried_to")
        batch.drop_column("issuer_until")
