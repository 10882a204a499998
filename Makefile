# Two commands on a fresh machine with only python3:  make site  and  make test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test serve check lint bench lighthouse chromium clean

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

# Browser tests drive Debian's chromium; install it when it is missing (needs root or sudo).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

test: $(STAMP) chromium lint
	$(BIN)/pytest -q

bench: $(STAMP) chromium
	$(BIN)/python bench/build.py
	cd bench && ../$(BIN)/python search.py
	cd bench && ../$(BIN)/python finder.py
	cd bench && ../$(BIN)/python budget.py

# Lighthouse 12 (npm, pinned in bench/package-lock.json) on each page type; slow, so not in CI.
lighthouse: $(STAMP) chromium
	npm ci --prefix bench --no-audit --no-fund
	cd bench && CHROME_PATH=/usr/bin/chromium ../$(BIN)/python lighthouse.py

clean:
	rm -rf site .venv .pytest_cache .mypy_cache .ruff_cache
