# Two commands on a fresh machine with only python3:  make site  and  make test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test serve check lint bench bench-scale lighthouse chromium cms-test-deps clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/catalog build

check: $(STAMP)
	$(BIN)/catalog check

serve: $(STAMP)
	$(BIN)/catalog serve

lint: $(STAMP)
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check generator tests bench
	$(BIN)/mypy
	# Workflows: no medium or high finding. Offline: CI has no network (online audits skipped).
	$(BIN)/zizmor --offline --min-severity medium --quiet .github/workflows

# Browser tests drive Debian's chromium; install it when it is missing (needs root or sudo).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

# The web editor's browser test needs Node (skipped where there is none): decap-server, its local
# backend, pinned by tests/cms/package-lock.json, and the editor's script from the npm package
# whose version and SRI hash generator/cms.py pins (the test checks the hash).
CMS_NODE := tests/cms/node_modules/.installed
cms-test-deps: $(STAMP)
	@if command -v npm >/dev/null 2>&1 && [ ! -f $(CMS_NODE) ]; then \
	  npm ci --prefix tests/cms --no-audit --no-fund --loglevel=error && \
	  version=$$($(BIN)/python -c 'from generator.cms import DECAP_VERSION; print(DECAP_VERSION)') && \
	  cd tests/cms && npm pack --silent "decap-cms@$$version" >/dev/null && \
	  tar -xzf "decap-cms-$$version.tgz" package/dist/decap-cms.js && rm "decap-cms-$$version.tgz" && \
	  touch node_modules/.installed; \
	fi

test: $(STAMP) chromium cms-test-deps lint
	$(BIN)/pytest -q

bench: $(STAMP) chromium
	$(BIN)/python bench/build.py
	$(BIN)/python bench/markdown_limits.py
	cd bench && ../$(BIN)/python search.py
	cd bench && ../$(BIN)/python finder.py
	cd bench && ../$(BIN)/python budget.py

# Lighthouse 12 (npm, pinned in bench/package-lock.json) on each page type; slow, so not in CI.
lighthouse: $(STAMP) chromium
	npm ci --prefix bench --no-audit --no-fund
	cd bench && CHROME_PATH=/usr/bin/chromium ../$(BIN)/python lighthouse.py

# 200, 2,000 and 10,000 courses grown on disk: build time, memory, page sizes, deploy size, preview
# latency (takes a while: the 10,000-course builds run several times).
bench-scale: $(STAMP)
	cd bench && ../$(BIN)/python scale.py $(SIZES)

clean:
	rm -rf site .venv .cache .pytest_cache .mypy_cache .ruff_cache
