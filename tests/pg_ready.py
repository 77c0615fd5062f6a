"""Exit 0 when the PostgreSQL server in argv[1] answers, 1 otherwise (used by the Makefile)."""

from __future__ import annotations

import sys

import sqlalchemy as sa


def main(url: str) -> int:
    engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as exc:
        print(f"PostgreSQL not reachable: {exc.orig}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
