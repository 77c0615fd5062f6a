"""outcomes of a semester: deliverables, learning effects, partner evaluations

Seeds the default kinds of deliverable (configurable data: rows, not code).

Revision ID: 0010_outcomes
Revises: 0009_oidc
Create Date: 2026-12-01 22:02:37.725243
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010_outcomes"
down_revision: str | None = "0008_notices"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEFAULT_KINDS = [
    ("advies", "Advies", "Advice"),
    ("onderzoek", "Onderzoek", "Research"),
    ("product", "Product", "Product"),
    ("activiteit", "Activiteit", "Activity"),
    ("spel", "Spel", "Game"),
    ("overig", "Overig", "Other"),
]


def upgrade() -> None:
    op.create_table(
        "deliverable_kind",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("name_nl", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("name_en", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliverable_kind")),
        sa.UniqueConstraint("code", name=op.f("uq_deliverable_kind_code")),
    )
    op.create_table(
        "learning_effect",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("leerkring_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("name_nl", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("name_en", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["leerkring_id"],
            ["leerkring.id"],
            name=op.f("fk_learning_effect_leerkring_id_leerkring"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_effect")),
        sa.UniqueConstraint(
            "leerkring_id", "code", name=op.f("uq_learning_effect_leerkring_id_code")
        ),
    )
    with op.batch_alter_table("learning_effect", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_learning_effect_leerkring_id"), ["leerkring_id"], unique=False
        )

    op.create_table(
        "team_outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("published_team_id", sa.Integer(), nullable=False),
        sa.Column("semester_id", sa.Integer(), nullable=False),
        sa.Column("opdracht_id", sa.Integer(), nullable=False),
        sa.Column("usefulness", sa.Integer(), nullable=True),
        sa.Column("partner_plan", sa.String(length=16), nullable=True),
        sa.Column("follow_up", sa.Boolean(), nullable=False),
        sa.Column("partner_comment", sa.Text(), nullable=False),
        sa.Column("evaluated_by_id", sa.Integer(), nullable=True),
        sa.Column("evaluated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("wijkdocent_note", sa.Text(), nullable=False),
        sa.Column("follow_up_opdracht_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "usefulness IS NULL OR usefulness BETWEEN 1 AND 5",
            name=op.f("ck_team_outcome_usefulness"),
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"], ["user.id"], name=op.f("fk_team_outcome_confirmed_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["evaluated_by_id"], ["user.id"], name=op.f("fk_team_outcome_evaluated_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["follow_up_opdracht_id"],
            ["opdracht.id"],
            name=op.f("fk_team_outcome_follow_up_opdracht_id_opdracht"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["opdracht_id"],
            ["opdracht.id"],
            name=op.f("fk_team_outcome_opdracht_id_opdracht"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["published_team_id"],
            ["published_team.id"],
            name=op.f("fk_team_outcome_published_team_id_published_team"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["semester_id"],
            ["semester.id"],
            name=op.f("fk_team_outcome_semester_id_semester"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_outcome")),
        sa.UniqueConstraint("published_team_id", name=op.f("uq_team_outcome_published_team_id")),
    )
    with op.batch_alter_table("team_outcome", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_team_outcome_opdracht_id"), ["opdracht_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_team_outcome_semester_id"), ["semester_id"], unique=False
        )

    op.create_table(
        "deliverable",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column("kind_id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("link", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("stored_name", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("file_size", sa.Integer(), nullable=False),
        sa.Column("public_by_team", sa.Boolean(), nullable=False),
        sa.Column("public_by_partner", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user.id"], name=op.f("fk_deliverable_created_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["kind_id"],
            ["deliverable_kind.id"],
            name=op.f("fk_deliverable_kind_id_deliverable_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["outcome_id"],
            ["team_outcome.id"],
            name=op.f("fk_deliverable_outcome_id_team_outcome"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliverable")),
    )
    with op.batch_alter_table("deliverable", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deliverable_outcome_id"), ["outcome_id"], unique=False)

    op.create_table(
        "team_outcome_effect",
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column("learning_effect_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["learning_effect_id"],
            ["learning_effect.id"],
            name=op.f("fk_team_outcome_effect_learning_effect_id_learning_effect"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["outcome_id"],
            ["team_outcome.id"],
            name=op.f("fk_team_outcome_effect_outcome_id_team_outcome"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "outcome_id", "learning_effect_id", name=op.f("pk_team_outcome_effect")
        ),
    )
    op.bulk_insert(
        sa.table(
            "deliverable_kind",
            sa.column("code", sa.String),
            sa.column("name_nl", sa.String),
            sa.column("name_en", sa.String),
            sa.column("sort_order", sa.Integer),
            sa.column("active", sa.Boolean),
        ),
        [
            {"code": code, "name_nl": nl, "name_en": en, "sort_order": i, "active": True}
            for i, (code, nl, en) in enumerate(DEFAULT_KINDS)
        ],
    )


def downgrade() -> None:
    op.drop_table("team_outcome_effect")
    with op.batch_alter_table("deliverable", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deliverable_outcome_id"))

    op.drop_table("deliverable")
    with op.batch_alter_table("team_outcome", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_outcome_semester_id"))
        batch_op.drop_index(batch_op.f("ix_team_outcome_opdracht_id"))

    op.drop_table("team_outcome")
    with op.batch_alter_table("learning_effect", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learning_effect_leerkring_id"))

    op.drop_table("learning_effect")
    op.drop_table("deliverable_kind")
