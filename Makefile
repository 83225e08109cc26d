# Two commands for a fresh machine (README): `make demo` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STORE  ?= demo-store

.PHONY: setup demo test lint typecheck clean

$(BIN)/kg: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "make: $(PYTHON) not found; set PYTHON=/path/to/python3.11" >&2; exit 1; }
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

test: setup lint
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) $(STORE) .pytest_cache .mypy_cache .ruff_cache
