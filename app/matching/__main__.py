"""``python -m app.matching``: see :mod:`app.matching.cli`."""

import sys

from app.matching.cli import main

sys.exit(main())
