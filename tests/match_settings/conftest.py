"""The runs tests' small semester and inline worker, for the comparison and the run pages."""

from tests.runs.conftest import deferred, inline, world

__all__ = ["deferred", "inline", "world"]
