"""units and days off as the office's data: who made a unit or a calendar correction

A unit added or changed in chat (`/themdonvi`, `/donvi ... đổi tên`) and a day off or working Saturday
set in chat (`/ngaynghi`, `/ngaylam`) are the office's: a later plan load neither changes, retires nor
removes them. `source` is "file" for what a plan file loaded, "office" for what the office set in chat.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ADD COLUMN, not a rebuilt table: the unit table has the audience triggers of 0008
    op.add_column("unit", sa.Column("source", sa.String(length=16), nullable=False, server_default="file"))
    op.add_column("holiday_override", sa.Column("source", sa.String(length=16), nullable=False, server_default="file"))


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later): a rebuilt unit table would be refused, since
    # other tables' foreign keys name it
    for table in ("holiday_override", "unit"):
        with op.batch_alter_table(table, recreate="never") as batch:
            batch.drop_column("source")
