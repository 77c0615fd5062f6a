"""List message ids used in code and templates that a catalogue lacks.

Dutch needs every id, and both plural forms of every ``ngettext``/``nlazy`` pair. English ids
are their own English text, so English only needs the key-style ids (``phase:intake``) and the
entries written in its catalogue files. ``tests/test_i18n.py`` runs this for both languages.

Usage: python scripts/missing_translations.py [--po] [--lang nl|en]
(--po prints stubs to paste into a .po)
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path

from babel.messages.extract import extract_from_dir

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.i18n import translations  # noqa: E402

KEYWORDS = {"_": None, "gettext": None, "lazy": None, "ngettext": (1, 2), "nlazy": (1, 2)}
KEY_STYLE = re.compile(r"^[a-z_]+:[a-z_]+$")
METHODS = [("app/**.py", "python"), ("templates/**.html", "jinja2")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def used_messages() -> dict[str, str]:
    """Message id -> first place it is used (a plural pair by its singular)."""
    found: dict[str, str] = {}
    for filename, _lineno, message, _comments, _ctx in _extract():
        # ngettext's (singular, plural): the catalogue keys the entry by the singular.
        ids = message[:1] if isinstance(message, tuple) else (message,)
        for msgid in ids:
            if msgid:
                found.setdefault(msgid, filename)
    return found


def used_plurals() -> dict[str, str]:
    """Singular id of each plural pair -> first place it is used."""
    found: dict[str, str] = {}
    for filename, _lineno, message, _comments, _ctx in _extract():
        if isinstance(message, tuple) and message[0]:
            found.setdefault(message[0], filename)
    return found


@lru_cache
def _extract() -> tuple[tuple[str, int, str | tuple[str, ...], list[str], str | None], ...]:
    return tuple(
        extract_from_dir(
            str(ROOT),
            METHODS,
            options_map=OPTIONS,
            keywords=KEYWORDS,
            directory_filter=lambda d: not Path(d).name.startswith((".", "var", "node_modules")),
        )
    )


def key_ids() -> dict[str, str]:
    """Key-style ids built from enum values at run time (``_("phase:" + phase)``), so never
    extracted: both languages need them."""
    from app.models import OpdrachtStatus, Phase, Role, RunStatus, TeamStatus

    keys = {str(r): "app/models/enums.py" for r in Role}
    for prefix, enum in (
        ("phase", Phase),
        ("status", OpdrachtStatus),
        ("run", RunStatus),
        ("team", TeamStatus),
    ):
        keys |= {f"{prefix}:{v}": "app/models/enums.py" for v in enum}
    return keys


def missing(language: str = "nl") -> dict[str, str]:
    """Ids used in code or templates that ``language`` cannot translate -> where they are used."""
    known = getattr(translations(language), "_catalog", {})
    plurals = used_plurals()
    gaps = {
        msgid: where
        for msgid, where in used_messages().items()
        if msgid not in plurals
        and msgid not in known
        and (language == "nl" or KEY_STYLE.match(msgid))
    }
    gaps |= {key: where for key, where in key_ids().items() if key not in known}
    if language == "nl":
        gaps |= {
            msgid: where
            for msgid, where in plurals.items()
            if (msgid, 0) not in known or (msgid, 1) not in known
        }
    return gaps


def main() -> int:
    language = sys.argv[sys.argv.index("--lang") + 1] if "--lang" in sys.argv else "nl"
    gaps = missing(language)
    for msgid, where in sorted(gaps.items(), key=lambda kv: kv[1]):
        if "--po" in sys.argv:
            escaped = msgid.replace('"', '\\"')
            print(f'#: {where}\nmsgid "{escaped}"\nmsgstr ""\n')
        else:
            print(f"{where}: {msgid}")
    return 1 if gaps else 0


if __name__ == "__main__":
    raise SystemExit(main())
