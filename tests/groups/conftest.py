"""Fixtures of the group tests."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from tests.runs.conftest import World, build_world


@pytest.fixture
def world_(session: Session) -> World:
    """The runs tests' small semester in the matching phase."""
    return build_world(session)
