"""ASGI entry point for uvicorn: ``uvicorn app.asgi:app``."""

import gc

from app.main import create_app

app = create_app()

# What exists now (modules, models, routes) lives as long as the process. Frozen, it is out
# of the cyclic garbage collector's sight: a full collection then scans only what requests
# made, not some hundred thousand objects of startup (about 90 ms each time; a tenth of the
# CPU of the API's team list; docs/benchmarks.md, "Load").
gc.collect()
gc.freeze()
