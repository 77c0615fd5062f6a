"""List message ids used in code and templates that the Dutch catalogue lacks.

Usage: python scripts/missing_translations.py [--po]   (--po prints stubs to paste into a .po)
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.extract import extract_from_dir

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.i18n import translations  # noqa: E402

KEYWORDS = {"_": None, "gettext": None, "lazy": None, "ngettext": (1, 2)}
METHODS = [("app/**.py", "python"), ("templates/**.html", "jinja2")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def used_messages() -> dict[str, str]:
    """Message id -> first place it is used."""
    found: dict[str, str] = {}
    for filename, _lineno, message, _comments, _ctx in _extract():
        # ngettext's (singular, plural): the catalogue keys the entry by the singular.
        ids = message[:1] if isinstance(message, tuple) else (message,)
        for msgid in ids:
            if msgid:
                found.setdefault(msgid, filename)
    return found


def _extract() -> Iterator[tuple[str, int, str | tuple[str, ...], list[str], str | None]]:
    yield from extract_from_dir(
        str(ROOT),
        METHODS,
        options_map=OPTIONS,
        keywords=KEYWORDS,
        directory_filter=lambda d: not Path(d).name.startswith((".", "var", "node_modules")),
    )


def missing(language: str = "nl") -> dict[str, str]:
    catalog = getattr(translations(language), "_catalog", {})
    # Plural entries are stored as (singular, index).
    known = {key[0] if isinstance(key, tuple) else key for key in catalog}
    return {msgid: where for msgid, where in used_messages().items() if msgid not in known}


def main() -> int:
    gaps = missing()
    for msgid, where in sorted(gaps.items(), key=lambda kv: kv[1]):
        if "--po" in sys.argv:
            escaped = msgid.replace('"', '\\"')
            print(f'#: {where}\nmsgid "{escaped}"\nmsgstr ""\n')
        else:
            print(f"{where}: {msgid}")
    return 1 if gaps else 0


if __name__ == "__main__":
    raise SystemExit(main())
