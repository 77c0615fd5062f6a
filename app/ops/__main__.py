"""Operations commands.

python -m app.ops backup FILE          consistent online copy of the SQLite database
python -m app.ops purge [--dry-run]    remove personal data past the retention period
python -m app.ops deliver [--loop N]   send the outbox over SMTP (every N seconds with --loop)
python -m app.ops remind               scheduled ranking reminders (cron, e.g. every 15 minutes)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from sqlmodel import Session

from app.config import Settings, get_settings
from app.db import make_engine
from app.mail import deliver_pending
from app.notifications.reminders import scheduled
from app.ops.backup import BackupError, backup_sqlite
from app.ops.retention import purge


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app.ops")
    sub = parser.add_subparsers(dest="command", required=True)
    backup = sub.add_parser("backup", help="online backup of the SQLite database")
    backup.add_argument("destination", type=Path)
    prune = sub.add_parser("purge", help="purge personal data past the retention period")
    prune.add_argument("--dry-run", action="store_true", help="report only, change nothing")
    deliver = sub.add_parser(
        "deliver", aliases=["deliver-mail"], help="send due outbox messages over SMTP"
    )
    deliver.add_argument("--loop", type=float, default=0, metavar="SECONDS", help="keep going")
    sub.add_parser("remind", help="send the scheduled ranking reminders that are due")
    return parser


def _deliver(session: Session, settings: Settings, loop: float) -> None:
    if not settings.smtp_host:
        print("OM_SMTP_HOST is not set: the mail stays in the outbox (see /admin/outbox)")
        return
    while True:
        print(f"{deliver_pending(session=session, settings=settings)} message(s) sent", flush=True)
        if not loop:
            return
        time.sleep(loop)


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
        elif args.command == "remind":
            print(f"{scheduled(session=session)} reminder(s) queued")
        else:
            _deliver(session, settings, args.loop)
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
