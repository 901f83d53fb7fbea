# One command per chore, the same locally and in CI.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
# pytest-xdist workers: CI has 2 cores; TEST_WORKERS=0 runs the suite in one process.
TEST_WORKERS ?= 2

.PHONY: install build test lint format bench

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

build: install
	$(VENV)/bin/market-claims build

test: install
	$(PY) -m pytest -n $(TEST_WORKERS)

lint: install
	$(VENV)/bin/ruff check flows tests bench
	$(VENV)/bin/ruff format --check flows tests bench

format: install
	$(VENV)/bin/ruff format flows tests bench
	$(VENV)/bin/ruff check --fix flows tests bench
