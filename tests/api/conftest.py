from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    """A machine client: no cookies, no CSRF header."""
    with TestClient(app, follow_redirects=False) as c:
        yield c
