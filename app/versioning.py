"""Optimistic concurrency as a conditional write.

Rows two people may edit carry ``version``; a form sends back the version it showed. The
change is accepted only by one statement that matches that version::

    UPDATE opdracht SET version = version + 1, ... WHERE id = :id AND version = :seen

Zero rows means someone else saved first: the caller answers with a Conflict and writes
nothing. One row means the row is now locked by this transaction until it commits, so the
rest of the change (audit, link rows) cannot interleave with another save. Comparing the
version in Python and then writing would let two requests that read the same version both
write (PostgreSQL's READ COMMITTED; SQLite's single writer hides it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, SQLModel


def seen_version(value: object) -> int | None:
    """The version a form sent, or None when it is not a plain ASCII number."""
    if isinstance(value, int):
        return value
    text = str(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def claim(
    session: Session,
    obj: SQLModel,
    *,
    version: object = None,
    expect: Mapping[str, Any] | None = None,
    **values: Any,
) -> bool:
    """Write ``values`` and a new version to ``obj``'s row only if it still has ``version``
    (the one the form showed) and the columns in ``expect``; one statement.

    True: the row is written and locked until commit, and ``obj`` carries the new values.
    False: another transaction changed it first; nothing was written, and ``obj`` is
    expired, so reading it shows what is saved now. The caller raises a Conflict (no
    rollback needed: nothing is committed after it; and a rollback would expire the
    request's user that the error page still shows).
    """
    model: Any = type(obj)
    conditions = [model.id == obj.id]  # type: ignore[attr-defined]
    if version is not None:
        seen = seen_version(version)
        if seen is None:
            return False
        conditions.append(model.version == seen)
    conditions.extend(getattr(model, name) == value for name, value in (expect or {}).items())
    stmt = (
        update(model)
        .where(*conditions)
        .values(version=model.version + 1, **values)
        .execution_options(synchronize_session="fetch")
    )
    if session.execute(stmt).rowcount == 1:  # type: ignore[attr-defined]
        return True
    session.expire(obj)  # the next read shows what the other transaction saved
    return False
