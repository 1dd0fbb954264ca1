"""occurrence: the day to aim for and the legal last day, where there was one "last day"

`last_day` held the last working day before the deadline: the day to aim for. It is renamed, and the
legal last day (Bộ luật Dân sự Art. 148) is added beside it. Rows written before start with the same
day in both; the planner writes the right legal last day the next time it looks at the occurrence.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # RENAME COLUMN is plain SQL on both databases (SQLite 3.25+); a batch copy of the table would
    # have to drop a table that other tables' foreign keys point at.
    op.execute("ALTER TABLE occurrence RENAME COLUMN last_day TO aim_day")
    # NOT NULL needs a default on SQLite's ADD COLUMN; every row is given its real value at once.
    op.add_column("occurrence", sa.Column("legal_last_day", sa.Date(), nullable=False, server_default="1970-01-01"))
    op.execute("UPDATE occurrence SET legal_last_day = aim_day")
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("occurrence", "legal_last_day", server_default=None)


def downgrade() -> None:
    op.drop_column("occurrence", "legal_last_day")
    op.execute("ALTER TABLE occurrence RENAME COLUMN aim_day TO last_day")
