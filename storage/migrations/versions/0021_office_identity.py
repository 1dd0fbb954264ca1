"""office_identity: the office as its letters, workbooks and tasks name it, one row

Six NHACVIEC_LETTER_* settings and the plan file's issuer were the office's identity, changed by a
restart; an office whose body ended (the thị xã on 30/06/2025) could not name its new one. The row is
seeded once from the settings at the first start; `/vanphong` and the web page change it.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-08
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

_TEXTS = (
    ("parent", 200),
    ("agency", 200),
    ("place", 100),
    ("number_code", 32),
    ("signer_authority", 100),
    ("signer_title", 100),
    ("signer_name", 100),
    ("report_to", 200),
    ("filed", 100),
)


def upgrade() -> None:
    op.create_table(
        "office_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        *(sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=False) for name, length in _TEXTS),
        sa.Column("changed_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("office_identity")
