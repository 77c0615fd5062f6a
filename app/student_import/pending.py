"""Keep a dry-run upload server-side so the user confirms it without uploading it again.

The confirm form carries a random token; the table holds its hash, bound to the user who ran
the dry run. Confirming deletes the row in the same statement that reads it, so a token works
once, only for that user, and only until it expires.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, col, delete

from app.errors import InvalidInput
from app.i18n import lazy
from app.models import PendingImport, User, utcnow
from app.security import new_token, token_hash

KEEP_FOR = timedelta(minutes=30)
EXPIRED = lazy("This check has expired or was already used; upload the file again.")


@dataclass(frozen=True)
class Upload:
    filename: str
    content: bytes


def keep(*, session: Session, user: User, upload: Upload) -> str:
    """Store a checked upload for ``user`` and return the token that confirms it."""
    assert user.id is not None
    now = utcnow()
    session.exec(delete(PendingImport).where(col(PendingImport.expires_at) <= now))
    token = new_token()
    session.add(
        PendingImport(
            token_hash=token_hash(token),
            user_id=user.id,
            filename=upload.filename,
            content=upload.content,
            expires_at=now + KEEP_FOR,
        )
    )
    session.commit()
    return token


def take(*, session: Session, user: User, token: str) -> Upload:
    """Consume the token in one statement; InvalidInput when it is unknown, used or expired."""
    row = session.execute(
        delete(PendingImport)
        .where(
            col(PendingImport.token_hash) == token_hash(token),
            col(PendingImport.user_id) == user.id,
            col(PendingImport.expires_at) > utcnow(),
        )
        .returning(col(PendingImport.filename), col(PendingImport.content))
    ).first()
    if row is None:
        raise InvalidInput(EXPIRED)
    return Upload(filename=row.filename, content=row.content)
