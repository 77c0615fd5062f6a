# opdrachtmatch: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The PostgreSQL run of the suite; `make test` skips it with a notice when no server answers,
# unless REQUIRE_POSTGRES=1 (set by CI), which makes a missing server a failure.
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=
# The browser pass (tests/browser) drives this Chromium; `make test` skips it with a notice when
# it is missing, unless REQUIRE_BROWSER=1 (set by CI), which makes a missing browser a failure.
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test test-sqlite test-browser test-postgres lint format typecheck check migrate demo bench browsers clean audit

$(STAMP): requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.8
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements-dev.lock
	touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	$(BIN)/alembic upgrade head

demo: migrate
	$(BIN)/python -m app.demo

# Links in the demo's mails and printed logins point at the address served here.
run: export OM_BASE_URL ?= http://$(HOST):$(PORT)
run: migrate
	@$(BIN)/python -m app.demo --print-logins
	$(BIN)/uvicorn app.asgi:app --host $(HOST) --port $(PORT)

# The three passes run side by side: much of their time is waiting (servers, the browser, the
# database), so on two cores the whole takes well under their sum. Installed once, first.
test: $(STAMP)
	$(MAKE) -j3 --output-sync=target test-sqlite test-browser test-postgres

test-sqlite: $(STAMP)
	$(BIN)/pytest -n 2 -q -m "not browser" $(PYTEST_ARGS)

test-browser: $(STAMP)
	@if [ -x "$(CHROMIUM)" ]; then \
		OM_CHROMIUM="$(CHROMIUM)" $(BIN)/pytest -n 2 -q -m browser $(PYTEST_ARGS); \
	elif [ "$(REQUIRE_BROWSER)" = "1" ]; then \
		echo "Chromium is required but missing at $(CHROMIUM)"; exit 1; \
	else \
		echo "NOTICE: no Chromium at $(CHROMIUM); the browser tests were skipped (install it with: sudo apt-get install chromium)."; \
	fi

test-postgres: $(STAMP)
	@if $(BIN)/python -m tests.pg_ready "$(PG_TEST_URL)"; then \
		OM_TEST_DATABASE_URL="$(PG_TEST_URL)" $(BIN)/pytest -n 2 -q -m "not nodb and not browser" $(PYTEST_ARGS); \
	elif [ "$(REQUIRE_POSTGRES)" = "1" ]; then \
		echo "PostgreSQL is required but not reachable at $(PG_TEST_URL)"; exit 1; \
	else \
		echo "NOTICE: no PostgreSQL at $(PG_TEST_URL); the PostgreSQL run was skipped."; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(STAMP)
	$(BIN)/mypy app tests scripts $(wildcard bench)

check: lint typecheck test

# Security checks: bandit finds no medium or high issue in app/ (each `# nosec` says why);
# pip-audit checks the pinned dependencies, or says clearly that it could not (no network,
# or a mirror the vulnerability service does not know); REQUIRE_AUDIT=1 makes that fatal.
audit: $(STAMP)
	$(BIN)/bandit -q -r app -ll
	$(BIN)/python scripts/audit_dependencies.py

bench: $(STAMP)
	$(BIN)/python -m bench.matching --quick

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
