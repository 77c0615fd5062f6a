from __future__ import annotations

import re
from gettext import NullTranslations

import pytest
from babel.messages.pofile import read_po

from app.i18n import LOCALE_DIR, translations
from app.models import OpdrachtStatus, Phase, Role
from scripts import missing_translations
from scripts.missing_translations import missing, used_messages, used_plurals


def test_extraction_finds_messages():
    assert "Log in" in used_messages()


def test_every_message_has_a_dutch_translation():
    assert missing("nl") == {}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_enum_values_shown_to_users_are_in_both_catalogues(language: str):
    catalogue = getattr(translations(language), "_catalog", {})
    keys = [str(r) for r in Role]
    keys += [f"phase:{p}" for p in Phase] + [f"status:{s}" for s in OpdrachtStatus]
    assert [k for k in keys if k not in catalogue] == []


def _dutch_strings() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for po in sorted((LOCALE_DIR / "nl" / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as fh:
            for message in read_po(fh, locale="nl"):
                strings = message.string
                if isinstance(strings, str) or strings is None:
                    strings = [strings or ""]
                found += [(po.name, str(s)) for s in strings if s]
    return found


def test_dutch_addresses_the_user_as_je_never_u():
    """docs/conventions.md: one form of address in the whole UI, the informal "je"."""
    formal = re.compile(r"\b(u|uw|uzelf)\b", re.IGNORECASE)
    assert [(name, s) for name, s in _dutch_strings() if formal.search(s)] == []


def test_key_style_ids_have_an_english_translation():
    assert missing("en") == {}


def test_every_plural_has_both_dutch_forms():
    plurals = used_plurals()
    assert "%(num)d day" in plurals
    nl = translations("nl")
    assert nl.ngettext("%(num)d day", "%(num)d days", 1) == "%(num)d dag"
    assert nl.ngettext("%(num)d day", "%(num)d days", 3) == "%(num)d dagen"


def test_the_check_fails_on_an_untranslated_string_in_either_language(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setattr(missing_translations, "translations", lambda _lang: NullTranslations())
    assert "Log in" in missing("nl")
    assert "%(num)d day" in missing("nl")  # a plural without its forms
    assert "phase:intake" in missing("en")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_catalogue_entry_is_left_empty_or_fuzzy(language: str):
    empty = []
    for po in sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as fh:
            for message in read_po(fh, locale=language):
                strings = message.string
                if isinstance(strings, str) or strings is None:
                    strings = [strings or ""]
                if message.id and (message.fuzzy or not all(strings)):
                    empty.append((po.name, message.id))
    assert empty == []
