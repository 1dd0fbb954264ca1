"""duty.follower_id: the office's staff member who follows a duty ("chuyên viên theo dõi")

That person, not every admin, gets the duty's escalations and its lines in the digests (issue 25).
No foreign key, as duty.plan_id: SQLite's downgrade rebuilds the table.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("duty") as batch:
        batch.add_column(sa.Column("follower_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    # SQLite drops the column in place (3.35+): rebuilding the table is refused, other tables' keys point at it
    with op.batch_alter_table("duty", recreate="never") as batch:
        batch.drop_column("follower_id")
