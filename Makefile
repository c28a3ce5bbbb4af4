# The two commands a newcomer needs: `make run` and `make test`. Everything else is set-up.
# `make check` is the developer's fast loop (lint, mypy, the tests without browser or worker).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test check setup assets lint format clean-data mutants

run: setup
	$(BIN)/python scripts/dev.py run

test: setup
	$(BIN)/python scripts/dev.py test $(PYTEST_ARGS)

check: setup
	$(BIN)/python scripts/dev.py check $(PYTEST_ARGS)

setup: $(VENV)/.installed node_modules/.installed build/static/alliance.css

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[embedded,dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

build/static/alliance.css: node_modules/.installed $(wildcard static/scss/*.scss)
	npm run build

# Mutation testing of the safety-critical pure modules (pyproject.toml [tool.mutmut] lists
# them and their tests); minutes, so not part of `make test`. See docs/get-help.md.
mutants: setup
	$(BIN)/python scripts/mutants.py

assets:
	npm run build

lint:
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

# Stops the embedded servers' data from being reused: the next `make run` starts afresh.
clean-data:
	rm -rf .data
