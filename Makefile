# Two commands for a fresh machine (README): `make demo` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STORE  ?= demo-store

.PHONY: setup demo test lint typecheck clean browser-deps

$(BIN)/kg: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "make: $(PYTHON) not found; set PYTHON=/path/to/python3.11" >&2; exit 1; }
	@sh tools/check-system.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(BIN)/kg

setup: $(BIN)/kg

demo: setup
	rm -rf $(STORE)
	$(BIN)/kg build seeds/ --store $(STORE)
	$(BIN)/kg query members-of-organization --store $(STORE) --param org=Q318693
	$(BIN)/kg query events-involving-state --store $(STORE) --param state=Q399
	$(BIN)/kg query positions-held --store $(STORE)
	$(BIN)/kg validate --store $(STORE)

lint: setup
	$(BIN)/ruff check kg tests bench
	$(BIN)/ruff format --check kg tests bench
	$(BIN)/mypy kg

# Debian's Chromium for tests/test_browser.py, installed only when missing and only where
# apt-get can run (root or passwordless sudo); elsewhere the browser test skips with a reason.
browser-deps:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif command -v apt-get >/dev/null 2>&1 && { [ "$$(id -u)" = 0 ] || sudo -n true 2>/dev/null; }; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo -n); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver \
	  || { echo "make: WARNING: installing chromium failed; the browser test will be skipped" >&2; [ -z "$$CI" ]; }; \
	else echo "make: /usr/bin/chromium is absent and apt-get cannot run here; the browser test will be skipped" >&2; fi

test: setup lint browser-deps
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) $(STORE) .pytest_cache .mypy_cache .ruff_cache
