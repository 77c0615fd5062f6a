"""publication snapshot for the JSON API

Revision ID: 0002_api
Revises: 0001
Create Date: 2026-11-22 11:29:37.533592
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002_api"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "published_team",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("semester_id", sa.Integer(), nullable=False),
        sa.Column("opdracht_id", sa.Integer(), nullable=False),
        sa.Column("team_number", sa.Integer(), nullable=False),
        sa.Column("opdracht_title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("partners", sa.JSON(), nullable=False),
        sa.Column("leerkring_id", sa.Integer(), nullable=True),
        sa.Column("leerkring_name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("location", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("supervisor_id", sa.Integer(), nullable=True),
        sa.Column("supervisor_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("content_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("published_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("deleted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["opdracht_id"],
            ["opdracht.id"],
            name=op.f("fk_published_team_opdracht_id_opdracht"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["semester_id"],
            ["semester.id"],
            name=op.f("fk_published_team_semester_id_semester"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_published_team")),
        sa.UniqueConstraint(
            "semester_id",
            "opdracht_id",
            "team_number",
            name=op.f("uq_published_team_semester_id_opdracht_id_team_number"),
        ),
    )
    with op.batch_alter_table("published_team", schema=None) as batch_op:
        batch_op.create_index(
            "ix_published_team_semester_id_updated_at", ["semester_id", "updated_at"], unique=False
        )

    op.create_table(
        "published_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("semester_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("student_number", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("programme_code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("programme_name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("deleted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["semester_id"],
            ["semester.id"],
            name=op.f("fk_published_member_semester_id_semester"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["student_id"],
            ["student_profile.id"],
            name=op.f("fk_published_member_student_id_student_profile"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["published_team.id"],
            name=op.f("fk_published_member_team_id_published_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_published_member")),
        sa.UniqueConstraint(
            "semester_id", "student_id", name=op.f("uq_published_member_semester_id_student_id")
        ),
    )
    with op.batch_alter_table("published_member", schema=None) as batch_op:
        batch_op.create_index(
            "ix_published_member_semester_id_student_number",
            ["semester_id", "student_number"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_published_member_team_id"), ["team_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("published_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_published_member_team_id"))
        batch_op.drop_index("ix_published_member_semester_id_student_number")

    op.drop_table("published_member")
    with op.batch_alter_table("published_team", schema=None) as batch_op:
        batch_op.drop_index("ix_published_team_semester_id_updated_at")

    op.drop_table("published_team")
