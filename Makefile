# Quick start: `make example` sets everything up and runs tollcheck on the bundled example;
# `make test` sets everything up and runs the tests.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium

.PHONY: setup browser example test lint bench screenshot clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

# Debian's Chromium for the browser tests (Playwright's own browser download cannot be used here)
browser:
	@test -x $(CHROMIUM) || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

example: setup
	$(BIN)/tollcheck compare examples/ --html out/report.html

test: setup browser
	$(BIN)/ruff check src tests
	$(BIN)/python -m pytest || test $$? -eq 5  # 5: no tests collected

bench: setup
	$(BIN)/tollcheck bench

screenshot: setup browser
	$(BIN)/tollcheck compare examples/ --html out/report.html --format jsonl > /dev/null
	$(BIN)/python scripts/screenshot.py out/report.html docs/report.png

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info out
