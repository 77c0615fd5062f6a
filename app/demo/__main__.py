"""`python -m app.demo`: load the demo semester into an empty database, print a summary."""

from __future__ import annotations

import argparse
import sys

import sqlalchemy as sa

from app.config import get_settings
from app.db import make_engine
from app.demo.build import DEFAULT_SEED, load_demo, print_logins


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m app.demo",
        description="Load demo data into the configured database (OM_DATABASE_URL).",
    )
    parser.add_argument(
        "--if-empty",
        action="store_true",
        help="only load when the database has no users (always the behaviour)",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument("--print-logins", action="store_true", help="print the demo logins")
    args = parser.parse_args(argv)
    engine = make_engine(get_settings())
    try:
        if not sa.inspect(engine).has_table("user"):
            print(
                "The database has no tables yet: run `alembic upgrade head` first.", file=sys.stderr
            )
            return 2
        summary = load_demo(engine, seed=args.seed)
    finally:
        engine.dispose()
    if summary is None:
        print("The database already has data; the demo was not loaded again.")
    else:
        print(summary.describe())
    if args.print_logins:
        print_logins()
    return 0


if __name__ == "__main__":
    sys.exit(main())
