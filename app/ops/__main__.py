"""Operations commands.

python -m app.ops backup FILE          consistent online copy of the SQLite database
python -m app.ops purge [--dry-run]    remove personal data past the retention period
python -m app.ops deliver-mail         send the outbox over SMTP
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlmodel import Session

from app.config import get_settings
from app.db import make_engine
from app.mail import deliver_pending
from app.ops.backup import BackupError, backup_sqlite
from app.ops.retention import purge


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app.ops")
    sub = parser.add_subparsers(dest="command", required=True)
    backup = sub.add_parser("backup", help="online backup of the SQLite database")
    backup.add_argument("destination", type=Path)
    prune = sub.add_parser("purge", help="purge personal data past the retention period")
    prune.add_argument("--dry-run", action="store_true", help="report only, change nothing")
    sub.add_parser("deliver-mail", help="send pending outbox messages over SMTP")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = get_settings()
    if args.command == "backup":
        try:
            size = backup_sqlite(settings.database_url, args.destination)
        except BackupError as exc:
            print(f"backup failed: {exc}", file=sys.stderr)
            return 1
        print(f"backup written to {args.destination} ({size} bytes)")
        return 0
    engine = make_engine(settings)
    with Session(engine) as session:
        if args.command == "purge":
            report = purge(
                session=session,
                months=settings.retention_months,
                dry_run=args.dry_run,
                upload_dir=settings.upload_dir,
            )
            print(("Dry run. " if args.dry_run else "") + report.describe())
        else:
            print(f"{deliver_pending(session=session, settings=settings)} message(s) sent")
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
