"""Translations: English message ids, Dutch (default) from the catalogue in app/locale.

Every ``*.po`` file under ``app/locale/<lang>/LC_MESSAGES`` is merged into one catalogue per
language, so each feature can keep its own file. The current language lives in a context
variable set per request; templates and code call ``gettext``/``_`` alike.
"""

from __future__ import annotations

import gettext as _gettext
from contextvars import ContextVar
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from starlette.requests import HTTPConnection

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
_current: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


@lru_cache
def translations(language: str) -> _gettext.NullTranslations:
    merged = Catalog(locale=language)
    for po in sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as fh:
            for message in read_po(fh, locale=language):
                if message.id and message.string and not message.fuzzy:
                    merged[message.id] = message
    if not len(merged):
        return _gettext.NullTranslations()
    buffer = BytesIO()
    write_mo(buffer, merged)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def set_language(language: str) -> None:
    _current.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def use_request_language(request: HTTPConnection) -> None:
    """Speak the language chosen for this request (``app.auth.deps.load_user`` sets it on
    ``request.state``), or the default one when none was chosen yet."""
    set_language(getattr(request.state, "lang", DEFAULT_LANGUAGE))


def get_language() -> str:
    return _current.get()


def gettext(message: str) -> str:
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, n)


_ = gettext


def lazy(message: str) -> str:
    """Mark a message for extraction where it is translated later (e.g. module constants)."""
    return message


def nlazy(singular: str, plural: str) -> tuple[str, str]:
    """Mark a plural pair for extraction where it is translated later with ``ngettext``."""
    return (singular, plural)
