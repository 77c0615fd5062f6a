"""Copy the README's screenshots from the last browser test run into docs/screenshots/.

    make test   # or: pytest tests/browser
    python -m tests.browser.screenshots

The browser tests save a viewport-sized copy (not the full page, to keep the files small)
of the shots named here in test-output/screenshots/readme/.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "test-output" / "screenshots" / "readme"
TARGET = ROOT / "docs" / "screenshots"
MAX_BYTES = 300_000

# test screenshot name -> file name in docs/screenshots (the README shows them in this order)
README_SHOTS = {
    "journey-07-student-ranked-by-dragging": "student-ranking.png",
    "phone-student-ranking": "student-ranking-phone.png",
    "journey-14-student-team": "student-team.png",
    "journey-02-partner-form-with-errors": "partner-opdracht-form.png",
    "journey-04-wijkdocent-review-queue": "wijkdocent-review.png",
    "journey-10-wijkdocent-run-result": "wijkdocent-run.png",
    "journey-11-wijkdocent-move-checked": "wijkdocent-adjust.png",
    "journey-13-admin-published": "beheerder-publish.png",
}


def main() -> int:
    missing = [name for name in README_SHOTS if not (SOURCE / f"{name}.png").exists()]
    if missing:
        print(f"Run the browser tests first; missing in {SOURCE}: {', '.join(missing)}")
        return 1
    TARGET.mkdir(parents=True, exist_ok=True)
    for name, target in README_SHOTS.items():
        source = SOURCE / f"{name}.png"
        size = source.stat().st_size
        if size > MAX_BYTES:
            print(f"{source.name} has {size} bytes, more than {MAX_BYTES}")
            return 1
        shutil.copyfile(source, TARGET / target)
        print(f"docs/screenshots/{target} ({size // 1000} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
