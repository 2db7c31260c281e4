# PLN Kit: `make site` builds the site, `make test` runs every test. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP_QUIET := --quiet --disable-pip-version-check
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve test lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the project's requirements change; a second run is instant and silent.
$(STAMP): pyproject.toml | $(BIN)/python
	@echo "Installing PLN Kit and its tools into $(VENV) (first run only)..."
	@$(BIN)/python -m pip install $(PIP_QUIET) --upgrade pip 2>&1 | grep -v "is ignored" || true
	@$(BIN)/python -m pip install $(PIP_QUIET) -e '.[dev]' 2>&1 | grep -v "is ignored" || true
	@$(BIN)/python -c "import plnkit, mkdocs, material" || { echo "install failed"; exit 1; }
	@touch $(STAMP)

site: $(STAMP)
	$(BIN)/mkdocs build --strict --site-dir site

serve: $(STAMP)
	$(BIN)/mkdocs serve

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf site .cache/plnkit

# --- Benchmarks (issue 8): PLN Kit vs its peers and the floor; peers install into .bench/ ---
.PHONY: bench bench-quick

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

bench-quick: $(STAMP)
	$(BIN)/python scripts/bench.py --quick
