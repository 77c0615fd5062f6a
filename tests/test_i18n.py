from __future__ import annotations

import pytest

from app.i18n import translations
from app.models import OpdrachtStatus, Phase, Role
from scripts.missing_translations import missing, used_messages


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
