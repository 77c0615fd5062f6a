"""integrity under concurrency: login throttle counters, case-insensitive semester codes

Revision ID: 0003_integrity
Revises: 0010_outcomes (re-chained on main's head when merging main; written on 0002_api)
Create Date: 2026-12-01 22:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003_integrity"
down_revision: str | None = "0005_dates"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_counter",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("window_start", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_counter")),
    )
    op.create_index("uq_semester_code_lower", "semester", [sa.text("lower(code)")], unique=True)


def downgrade() -> None:
    op.drop_index("uq_semester_code_lower", table_name="semester")
    op.drop_table("login_counter")
