"""Rows and indexes that keep concurrent writes correct: the login throttle's counters, and
semester codes unique whatever their case."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models.catalogue import Semester


class LoginCounter(SQLModel, table=True):
    """Login attempts per key (``account:<e-mail>`` or ``address:<ip>``) in the throttle
    window that began at ``window_start``. Counted by one atomic upsert per attempt, so
    concurrent attempts each get a number of their own (app.auth.services)."""

    __tablename__ = "login_counter"
    key: str = Field(primary_key=True, max_length=300)
    window_start: datetime
    attempts: int = 0


# `2026-s2` beside `2026-S2` is one semester twice; the database refuses it, not just the form.
SEMESTER_CODE_ANY_CASE = sa.Index(
    "uq_semester_code_lower",
    sa.func.lower(Semester.__table__.c.code),  # type: ignore[attr-defined]
    unique=True,
)
