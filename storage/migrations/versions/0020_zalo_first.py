"""Zalo first: admin is a person's role; a one-time link may carry a file or an upload

An admin made with a code (`/dangky`) is a person, whatever channel they write from: `admin.person_id`.
A link of the web page is a sign-in (`/web`), a file to download once (a channel without files, such
as Zalo), a chart to show as a photo, or the plan sheet's upload page: `web_link.purpose`, and the
command it answers (`web_link.command`), run as the account that asked when the link is opened.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-08
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("admin") as batch:
        batch.add_column(sa.Column("person_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_admin_person", "person", ["person_id"], ["id"])
        batch.create_index("ix_admin_person_id", ["person_id"])
    with op.batch_alter_table("web_link") as batch:
        batch.add_column(
            sa.Column("purpose", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False, server_default="sign_in")
        )
        batch.add_column(sa.Column("command", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True))
        batch.add_column(sa.Column("part", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("web_link") as batch:
        batch.drop_column("part")
        batch.drop_column("command")
        batch.drop_column("purpose")
    with op.batch_alter_table("admin") as batch:
        batch.drop_index("ix_admin_person_id")
        batch.drop_constraint("fk_admin_person", type_="foreignkey")
        batch.drop_column("person_id")
