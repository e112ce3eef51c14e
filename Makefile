# Plainleaf: `make` sets up and runs the main job; `make test` runs the tests.
SHELL  := /bin/bash
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The packages are installed again only when what pip installs changes: the stamp's name carries a digest of
# [project] and [build-system] of pyproject.toml, so editing [tool.plainleaf] (locales, targets) reinstalls nothing.
DEPS_DIGEST := $(shell $(PYTHON) -c 'import hashlib, json, tomllib; d = tomllib.load(open("pyproject.toml", "rb")); print(hashlib.sha256(json.dumps([d.get("project"), d.get("build-system")], sort_keys=True, default=str).encode()).hexdigest()[:16])' 2>/dev/null || echo changed)
STAMP  := $(VENV)/.installed-$(DEPS_DIGEST)
SYSTEM_STAMP := $(VENV)/.system-packages
# Debian packages the project needs, each found by a file it installs: GNU gettext (the tests hold
# our PO files to msgcat), Pango (WeasyPrint), HarfBuzz subsetting (small embedded fonts), Noto fonts
# for Vietnamese, Arabic and CJK, poppler-utils (pdftoppm, to look at pages), Chromium and Node.js
# (axe-core's WCAG checks of the web pages in the audit), liblouis and its tables (the braille edition; lou_translate
# checks it in the tests), EPUBCheck (validates the EPUB edition in the audit; it brings Java) and the JDK's
# compiler, which lets Java run pipeline/audit/EpubCheckBatch.java: every book in one JVM (7.8 s for 18 books here,
# against 3 to 4 s a book in a JVM each).
DEBIAN_NEEDS := \
	/usr/bin/msgfmt:gettext /usr/bin/flock:util-linux \
	/usr/bin/lou_translate:liblouis-bin /usr/share/liblouis/tables/en-ueb-g2.ctb:liblouis-data \
	/usr/share/java/epubcheck.jar:epubcheck /usr/bin/javac:default-jdk-headless \
	/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf:fonts-noto-core \
	/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf:fonts-noto-core \
	/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc:fonts-noto-cjk \
	/usr/bin/pdftoppm:poppler-utils \
	/usr/bin/chromium:chromium /usr/bin/node:nodejs /usr/bin/npm:npm
DEBIAN_LIBS := libpango-1.0.so.0:libpango-1.0-0 libpangoft2-1.0.so.0:libpangoft2-1.0-0 \
	libharfbuzz-subset.so.0:libharfbuzz-subset0 liblouis.so.20:liblouis20

.PHONY: all setup test test-quick bench lint format clean
# `make` with no target is the main job, whatever rule comes first below.
.DEFAULT_GOAL := all

# axe-core and puppeteer-core (no browser download: Debian's Chromium) for the WCAG checks of the audit
# (pipeline/audit/web.py) and the tests; the audit says "not checked" where they are not installed.
AXE := pipeline/audit/axe/node_modules/.package-lock.json
$(AXE): pipeline/audit/axe/package-lock.json | $(SYSTEM_STAMP)
	npm ci --prefix pipeline/audit/axe --no-audit --no-fund --loglevel=error
	touch $@

# make CLINIC=path/to/clinic.toml puts the clinic's contact details and paper size on the products; make V=1 prints
# every line of every step (each file written, each product's findings) instead of a summary per step.
all: setup
	@$(BIN)/plainleaf all $(if $(CLINIC),--clinic $(CLINIC)) $(if $(V),-v)

# The audit's axe-core run is part of setup: the main job audits every web page, and says "pass" only for what it
# checked.
setup: $(STAMP) $(SYSTEM_STAMP) $(AXE)

# Two `make` at once install once: the second waits on the first's lock (flock, util-linux), then finds the stamp.
$(STAMP):
	@mkdir -p $(VENV)
	@flock $(VENV)/.install.lock $(MAKE) --no-print-directory install-packages STAMP=$@

.PHONY: install-packages
install-packages:
	@if [ -e $(STAMP) ]; then exit 0; fi; \
	set -e; \
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV); \
	$(BIN)/python -m pip install --quiet --upgrade pip; \
	$(BIN)/python -m pip install --quiet -e '.[dev]'; \
	$(BIN)/python -m compileall -q pipeline; \
	rm -f $(VENV)/.installed $(VENV)/.installed-*; \
	touch $(STAMP)
	@# Byte-compiled as pip does for installed packages: an editable install skips it, and where
	@# PYTHONDONTWRITEBYTECODE is set (Docker images) every command would compile it again.

$(SYSTEM_STAMP): Makefile
	@missing=""; \
	for need in $(DEBIAN_NEEDS); do [ -e "$${need%%:*}" ] || missing="$$missing $${need##*:}"; done; \
	for need in $(DEBIAN_LIBS); do ldconfig -p | grep -q "$${need%%:*}" || missing="$$missing $${need##*:}"; done; \
	missing=$$(echo $$missing | tr ' ' '\n' | sort -u | tr '\n' ' '); \
	if [ -n "$${missing// /}" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian packages: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "missing Debian packages: $$missing; install them with: sudo apt-get install $$missing" >&2; exit 1; \
	  fi; \
	fi
	@mkdir -p $(VENV) && touch $@

# DAISY Ace, defined before the rules that name it (make expands a prerequisite when it reads the rule):
# DAISY Ace (the EPUB accessibility checker) for the EPUB tests: its puppeteer downloads no browser
# (tests/ace/.puppeteerrc.cjs, and the variable for older puppeteers); the tests run it with Debian's Chromium.
ACE := tests/ace/node_modules/.package-lock.json
$(ACE): tests/ace/package-lock.json $(SYSTEM_STAMP)
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix tests/ace --no-audit --no-fund --loglevel=error
	touch $@

# Two workers (pytest-xdist), each test file on one worker so its module fixtures are built once; the shipped
# project is built once per run for both (tests/conftest.py). Files are handed out in the order of conftest's
# RUN_FIRST (costliest first), not xdist's (most tests first). test-quick leaves out the slow integration tests.
PYTEST_XDIST := -n 2 --dist loadfile --no-loadscope-reorder
# --durations: the slowest tests, printed where CI shows the run's wall time, so the next minute to save is named.
test: setup $(ACE)
	$(BIN)/python -m pytest -q $(PYTEST_XDIST) --durations=20

test-quick: setup $(ACE)
	$(BIN)/python -m pytest -q $(PYTEST_XDIST) -m "not slow"

# Every benchmark always runs; the target fails when one misses a target. bench_make.py (issue 19): no-op make,
# make after one changed entry, full against incremental audit, EPUB per book.
bench: setup
	@status=0; for bench in bench bench_build bench_make; do $(BIN)/python tests/$$bench.py || status=1; done; \
	exit $$status

lint: setup
	$(BIN)/ruff check pipeline tests
	$(BIN)/ruff format --check pipeline tests
	$(BIN)/mypy

format: setup
	$(BIN)/ruff format pipeline tests
	$(BIN)/ruff check --fix pipeline tests

clean:
	@# output/ whole, its dot files too: the build manifest and the kept check, readability and audit results.
	rm -rf output .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
