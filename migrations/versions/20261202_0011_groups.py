"""student groups: students who want to work together, and the semester's maximum group size

Revision ID: 0011_groups
Revises: 0003_integrity
Create Date: 2026-12-02 01:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011_groups"
down_revision: str | None = "0003_integrity"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "semester",
        sa.Column("max_group_size", sa.Integer(), nullable=False, server_default="3"),
    )
    op.create_table(
        "student_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("semester_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("dissolved_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("dissolved_reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("dissolved_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["semester_id"],
            ["semester.id"],
            name=op.f("fk_student_group_semester_id_semester"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["student_profile.id"],
            name=op.f("fk_student_group_created_by_id_student_profile"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["dissolved_by_id"],
            ["user.id"],
            name=op.f("fk_student_group_dissolved_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_student_group")),
        sa.UniqueConstraint("semester_id", "code", name=op.f("uq_student_group_semester_id_code")),
    )
    op.create_index(
        op.f("ix_student_group_semester_id"), "student_group", ["semester_id"], unique=False
    )
    op.create_table(
        "group_member",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("semester_id", sa.Integer(), nullable=False),
        sa.Column("joined_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["student_group.id"],
            name=op.f("fk_group_member_group_id_student_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["student_id"],
            ["student_profile.id"],
            name=op.f("fk_group_member_student_id_student_profile"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["semester_id"],
            ["semester.id"],
            name=op.f("fk_group_member_semester_id_semester"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("group_id", "student_id", name=op.f("pk_group_member")),
        sa.UniqueConstraint(
            "semester_id", "student_id", name=op.f("uq_group_member_semester_id_student_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("group_member")
    op.drop_index(op.f("ix_student_group_semester_id"), table_name="student_group")
    op.drop_table("student_group")
    # SQLite rebuilds the semester table to drop a column; the expression index on lower(code)
    # does not survive the rebuild, so it is dropped first and made again afterwards.
    op.drop_index("uq_semester_code_lower", table_name="semester")
    with op.batch_alter_table("semester", schema=None) as batch_op:
        batch_op.drop_column("max_group_size")
    op.create_index("uq_semester_code_lower", "semester", [sa.text("lower(code)")], unique=True)
