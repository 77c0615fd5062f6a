"""pip-audit over requirements.lock, saying clearly when it could not check anything.

Exit 1 when a pinned package has a known vulnerability. When the vulnerability service
cannot be reached, or knows none of the pinned versions (a private mirror, no network), the
audit did not happen: that is printed as a NOTICE and exits 0, unless REQUIRE_AUDIT=1 (then
it is a failure too).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"


def _pip_audit() -> tuple[dict[str, object] | None, str]:
    tool = Path(sys.executable).with_name("pip-audit")
    cmd = [str(tool), "-r", str(LOCK), "--disable-pip", "--no-deps", "--progress-spinner", "off"]
    proc = subprocess.run(  # noqa: S603 - a fixed command line
        [*cmd, "--format", "json"], capture_output=True, text=True, timeout=900, check=False
    )
    try:
        return json.loads(proc.stdout), proc.stderr
    except ValueError:
        return None, proc.stderr


def _not_audited(reason: str) -> int:
    print(f"NOTICE: pip-audit could not check requirements.lock: {reason}")
    print("NOTICE: no vulnerability audit of the dependencies happened in this run.")
    return 1 if os.environ.get("REQUIRE_AUDIT") == "1" else 0


def main() -> int:
    report, stderr = _pip_audit()
    if report is None:
        last = (stderr.strip().splitlines() or ["no output"])[-1]
        return _not_audited(f"the vulnerability service did not answer ({last[:200]})")
    deps = [d for d in report.get("dependencies", []) if isinstance(d, dict)]  # type: ignore[attr-defined]
    vulnerable = [d for d in deps if d.get("vulns")]
    skipped = [d for d in deps if d.get("skip_reason")]
    for dep in vulnerable:
        ids = ", ".join(str(v.get("id")) for v in dep["vulns"])
        print(f"VULNERABLE: {dep['name']} {dep['version']}: {ids}")
    if vulnerable:
        return 1
    if deps and len(skipped) == len(deps):
        return _not_audited(f"the service knows none of the {len(deps)} pinned versions")
    if skipped:
        names = ", ".join(str(d["name"]) for d in skipped)
        print(f"NOTICE: pip-audit skipped {len(skipped)} packages it does not know: {names}")
    print(f"pip-audit: no known vulnerabilities in {len(deps) - len(skipped)} packages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
