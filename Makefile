# Plainleaf: `make` sets up and runs the main job; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SYSTEM_STAMP := $(VENV)/.system-packages
# Debian packages: gettext (msgfmt/msgcat, used by the tests to prove our PO files are GNU-exact).
DEBIAN_PACKAGES := gettext

.PHONY: all setup test bench lint format clean

all: setup
	$(BIN)/plainleaf all

setup: $(STAMP) $(SYSTEM_STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

$(SYSTEM_STAMP): Makefile
	@missing=""; for tool in msgfmt:gettext; do \
	  command -v $${tool%%:*} >/dev/null 2>&1 || missing="$$missing $${tool##*:}"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "missing Debian packages:$$missing; install them with: sudo apt-get install$$missing" >&2; exit 1; \
	  fi; \
	fi
	@mkdir -p $(VENV) && touch $@

test: setup
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python tests/bench.py

lint: setup
	$(BIN)/ruff check pipeline tests
	$(BIN)/ruff format --check pipeline tests
	$(BIN)/mypy

format: setup
	$(BIN)/ruff format pipeline tests
	$(BIN)/ruff check --fix pipeline tests

clean:
	rm -rf output/* .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
