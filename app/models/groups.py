"""Students who want to work together: a group per semester, joined with its code."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models._base import created_at_field


class StudentGroup(SQLModel, table=True):
    """A group of students of one semester. ``size`` counts the members: joins and leaves
    change it with one conditional UPDATE (the row is the lock), never a count in Python.
    A dissolved group keeps its row (code, reason) and loses its members."""

    __tablename__ = "student_group"
    __table_args__ = (sa.UniqueConstraint("semester_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    semester_id: int = Field(foreign_key="semester.id", index=True, ondelete="CASCADE")
    code: str = Field(max_length=16)
    size: int = 0
    created_by_id: int | None = Field(
        default=None, foreign_key="student_profile.id", ondelete="SET NULL"
    )
    created_at: datetime = created_at_field()
    dissolved_at: datetime | None = None
    dissolved_reason: str = Field(default="", max_length=500)
    dissolved_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    version: int = 1


class GroupMember(SQLModel, table=True):
    """A student in a group; joining with the code is the student's confirmation. A student is
    in at most one group per semester (the unique key on semester and student)."""

    __tablename__ = "group_member"
    __table_args__ = (sa.UniqueConstraint("semester_id", "student_id"),)
    group_id: int = Field(foreign_key="student_group.id", primary_key=True, ondelete="CASCADE")
    student_id: int = Field(foreign_key="student_profile.id", primary_key=True, ondelete="CASCADE")
    semester_id: int = Field(foreign_key="semester.id", ondelete="CASCADE")
    joined_at: datetime = created_at_field()
