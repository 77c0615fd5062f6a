"""profile comparison: who solves it and its time limit, to find one whose worker died

Revision ID: 0013_comparison_owner
Revises: 0012_match_settings
Create Date: 2026-12-02 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_comparison_owner"
down_revision: str | None = "0012_match_settings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("profile_comparison", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("parameters", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )


def downgrade() -> None:
    with op.batch_alter_table("profile_comparison", schema=None) as batch_op:
        batch_op.drop_column("parameters")
