# The two commands: `make run` starts Centrex, `make test` passes the tests.
# Both install what is missing first (Debian packages, the Python environment, the managed
# Asterisk root), so they work on a fresh machine.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CENTREX := $(BIN)/centrex
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test asterisk lint bench bench-reports clean

$(BIN)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@

# Front-end packages (htmx, its server-sent-events extension, Chart.js), pinned in
# package-lock.json, copied into the static files; never committed.
VENDOR := centrex/web/static/vendor
$(VENDOR)/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx-ext-sse/dist/sse.min.js \
	   node_modules/chart.js/dist/chart.umd.min.js $(VENDOR)/
	touch $@

install: $(BIN)/.installed
	scripts/install-system.sh run
	$(MAKE) --no-print-directory $(VENDOR)/.installed

install-test: $(BIN)/.installed
	scripts/install-system.sh test
	$(MAKE) --no-print-directory $(VENDOR)/.installed

asterisk: install
	$(CENTREX) asterisk build

run: asterisk
	$(CENTREX) manage migrate --noinput
	$(CENTREX) init-admin
	$(CENTREX) run --host $(HOST) --port $(PORT)

lint: $(BIN)/.installed
	$(BIN)/ruff check centrex tests bench scripts

# The database-heavy tests run a second time on a real PostgreSQL server they start.
PG_TESTS := tests/unit/test_renderers.py tests/integration/test_apply.py \
	tests/integration/test_phone_data.py tests/integration/test_groups.py \
	tests/integration/test_queues.py tests/integration/test_agents.py \
	tests/integration/test_recordings.py tests/integration/test_records.py \
	tests/integration/test_call_log.py tests/integration/test_statistics.py \
	tests/integration/test_billing.py tests/integration/test_rollup.py \
	tests/integration/test_hotdesk_records.py

test: install-test asterisk lint
	$(BIN)/pytest
	$(BIN)/python tests/run_on_postgres.py $(PG_TESTS)

bench: asterisk
	$(BIN)/python bench/apply.py
	$(BIN)/python bench/live.py

# One year of a 100-agent call center, on SQLite then on a PostgreSQL server it starts.
bench-reports: install-test
	$(BIN)/python bench/reports.py
	$(BIN)/python tests/run_on_postgres.py -- $(BIN)/python bench/reports.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache node_modules $(VENDOR)
