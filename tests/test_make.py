"""`make test` on a machine without Chromium: the browser pass is skipped with a one-line
notice (how to install it), unless REQUIRE_BROWSER=1 makes a missing browser a failure."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from app.config import ROOT

pytestmark = [
    pytest.mark.nodb,
    pytest.mark.skipif(shutil.which("make") is None, reason="needs make"),
]

MISSING = "/nonexistent/chromium"


def _make(target: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("REQUIRE_")}
    environment.update(env)
    return subprocess.run(
        ["make", "-s", target, f"CHROMIUM={MISSING}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_browser_pass_without_chromium_is_skipped_with_a_notice():
    done = _make("test-browser")
    assert done.returncode == 0, done.stdout + done.stderr
    notices = [line for line in done.stdout.splitlines() if line.startswith("NOTICE:")]
    assert len(notices) == 1
    assert "apt-get install chromium" in notices[0]
    assert "passed" not in done.stdout  # pytest did not run


def test_browser_pass_without_chromium_fails_when_required():
    done = _make("test-browser", REQUIRE_BROWSER="1")
    assert done.returncode != 0
    assert MISSING in done.stdout + done.stderr


def test_browser_tests_run_by_hand_without_chromium_are_skipped_not_errors():
    done = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "pytest"),
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/browser/test_shell.py",
        ],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("REQUIRE_")},
            "OM_CHROMIUM": MISSING,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert "skipped" in done.stdout
    assert "error" not in done.stdout.lower()
