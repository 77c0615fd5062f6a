"""Queries about semesters shared by several features."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.models import Phase, Semester


def current_semester(session: Session) -> Semester | None:
    """The semester people are working on: the newest open one, else the newest of all."""
    open_phases = [p.value for p in Phase if p not in (Phase.CONCEPT, Phase.CLOSED)]
    stmt = select(Semester).order_by(col(Semester.code).desc())
    newest_open = session.exec(stmt.where(col(Semester.phase).in_(open_phases))).first()
    return newest_open or session.exec(stmt).first()
