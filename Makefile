# veiligthuis: `make run` to try it, `make test` to test it. Both start from a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app veiligthuis
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run serve test test-postgres lint format clean chromium pdf-libs

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

run: $(STAMP) pdf-libs
	$(FLASK) init-db
	$(FLASK) import-methodiek --if-empty
	$(FLASK) seed-demo
	@echo "veiligthuis draait op http://127.0.0.1:5000 (stoppen met Ctrl+C)"
	$(FLASK) run --host 127.0.0.1 --port 5000

# As in production (docs/deployment.md): gunicorn with deploy/gunicorn.conf.py on 127.0.0.1:8000.
serve: $(STAMP) pdf-libs
	$(FLASK) init-db
	$(BIN)/gunicorn -c deploy/gunicorn.conf.py wsgi:app

# WeasyPrint (70 and later) subsets the PDFs' fonts with HarfBuzz-Subset and warns without it.
pdf-libs:
	@ldconfig -p | grep -q libharfbuzz-subset.so || { \
	  echo "HarfBuzz-Subset installeren (Debian-pakket, voor de pdf's)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libharfbuzz-subset0 >/dev/null; }

# Chromium for the browser journeys comes from Debian's packages (never a downloaded build).
chromium:
	@command -v chromium >/dev/null || { \
	  echo "Chromium installeren (Debian-pakket)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Lint first: a style, shape or type error stops the run before the suite starts.
test: lint pdf-libs chromium
	$(BIN)/python -m pytest -q

# The whole suite against a throw-away PostgreSQL 15 server (see scripts/with-postgres).
test-postgres: $(TEST_STAMP) pdf-libs chromium
	bash scripts/with-postgres $(BIN)/python -m pytest -q

# Files under 500 lines, functions under complexity 15 (radon), across the whole package.
SHAPED := veiligthuis

lint: $(TEST_STAMP)
	$(BIN)/ruff check veiligthuis tests scripts benchmarks
	$(BIN)/ruff format --check veiligthuis tests scripts benchmarks
	$(BIN)/python scripts/check_shape.py $(SHAPED)
	$(BIN)/mypy veiligthuis

format:
	$(BIN)/ruff check --fix veiligthuis tests scripts benchmarks
	$(BIN)/ruff format veiligthuis tests scripts benchmarks

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .hypothesis
