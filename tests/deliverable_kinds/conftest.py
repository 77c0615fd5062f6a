"""The closing-phase world of tests/outcomes: a published team whose students add deliverables."""

from __future__ import annotations

from tests.outcomes.conftest import closing as closing  # the fixtures, reused
from tests.outcomes.conftest import upload_dir as upload_dir
