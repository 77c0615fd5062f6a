"""A side-by-side solve of the three fairness profiles on a semester's current rankings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from app.models._base import code_field, created_at_field, json_field
from app.models.enums import RunStatus


class ProfileComparison(SQLModel, table=True):
    __tablename__ = "profile_comparison"
    id: int | None = Field(default=None, primary_key=True)
    semester_id: int = Field(foreign_key="semester.id", index=True, ondelete="CASCADE")
    status: RunStatus = code_field(16, default=RunStatus.QUEUED)
    progress: int = 0
    # Per profile: the solver status and the rank histograms (overall and per programme).
    results: dict[str, Any] = json_field()
    message: str = ""
    # Who solves it (``owner``: see app/runs/recovery.py) and its time limit in seconds for
    # all three profiles together.
    parameters: dict[str, Any] = json_field()
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = created_at_field()
    finished_at: datetime | None = None
