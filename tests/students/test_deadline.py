from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.i18n import set_language
from app.students.deadline import time_left

pytestmark = pytest.mark.nodb
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("delta", "dutch"),
    [
        (timedelta(days=3, hours=4, minutes=30), "nog 3 dagen en 4 uur"),
        (timedelta(days=1), "nog 1 dag"),
        (timedelta(hours=1, minutes=1), "nog 1 uur en 1 minuut"),
        (timedelta(hours=5), "nog 5 uur"),
        (timedelta(minutes=42, seconds=10), "nog 42 minuten"),
        (timedelta(seconds=20), "nog 1 minuut"),
    ],
)
def test_time_left_in_dutch(delta: timedelta, dutch: str):
    set_language("nl")
    assert time_left(NOW + delta, NOW) == dutch


def test_time_left_in_english():
    set_language("en")
    try:
        assert time_left(NOW + timedelta(days=2, hours=1), NOW) == "2 days and 1 hour left"
    finally:
        set_language("nl")


def test_no_time_left_once_passed_or_without_deadline():
    assert time_left(NOW - timedelta(seconds=1), NOW) == ""
    assert time_left(None, NOW) == ""
