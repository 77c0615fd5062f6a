"""match settings: the fewest choices of a ranking, and the profile comparison

Revision ID: 0012_match_settings
Revises: 0003_integrity
Create Date: 2026-12-02 01:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0012_match_settings"
down_revision: str | None = "0011_groups"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE on both databases: a batch rebuild of the semester table on SQLite
    # would drop its index on lower(code).
    op.add_column("semester", sa.Column("min_ranking_length", sa.Integer(), nullable=True))
    op.create_table(
        "profile_comparison",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("semester_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("message", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("finished_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user.id"], name=op.f("fk_profile_comparison_created_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["semester_id"],
            ["semester.id"],
            name=op.f("fk_profile_comparison_semester_id_semester"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile_comparison")),
    )
    with op.batch_alter_table("profile_comparison", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_profile_comparison_semester_id"), ["semester_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("profile_comparison", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_profile_comparison_semester_id"))
    op.drop_table("profile_comparison")
    op.drop_column("semester", "min_ranking_length")
