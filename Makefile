# Quick start: `make example` sets everything up and runs tollcheck on the bundled example;
# `make test` sets everything up and runs the tests.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup example test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

example: setup
	$(BIN)/tollcheck extract examples/

test: setup
	$(BIN)/ruff check src tests
	$(BIN)/python -m pytest || test $$? -eq 5  # 5: no tests collected

bench: setup
	$(BIN)/tollcheck bench

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
