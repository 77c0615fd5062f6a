"""Demo data: a realistic semester of the Zorgalliantie, loaded with `python -m app.demo`."""

from app.demo.build import (
    DEFAULT_SEED,
    DemoSummary,
    build_demo,
    load_demo,
    load_if_empty,
    login_lines,
    print_logins,
)
from app.demo.vocabulary import DEMO_PASSWORD, LOGINS

__all__ = [
    "DEFAULT_SEED",
    "DEMO_PASSWORD",
    "LOGINS",
    "DemoSummary",
    "build_demo",
    "load_demo",
    "load_if_empty",
    "login_lines",
    "print_logins",
]
