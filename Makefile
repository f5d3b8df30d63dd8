# One task runner for people and CI. `make demo` and `make test` each set up .venv first.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.careerkit-installed
DEMO_DIR ?= demo-course
PYTEST_ARGS ?=

.PHONY: help venv browser postgres demo test bench train-reflection clean

help:
	@echo "make demo   - set up .venv and run the demo course (output in $(DEMO_DIR)/)"
	@echo "make test   - set up .venv and run the whole test suite"
	@echo "make bench  - run the benchmarks and print their figures"
	@echo "make train-reflection - refit the reflection scorer's level and competency models on the labelled training data"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "careerkit needs Python 3.11 or newer; set PYTHON=/path/to/python3.11")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m pip check
	@touch $(STAMP)

venv: $(STAMP)

# The browser tests drive Debian's Chromium through Playwright (never a downloaded browser).
CHROMIUM ?= /usr/bin/chromium
browser:
	@test -x $(CHROMIUM) || { echo "installing Debian's chromium (for the browser tests)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }
	@test -x $(CHROMIUM) || { echo "chromium is still missing at $(CHROMIUM)"; exit 1; }

demo: venv
	$(BIN)/careerkit demo --out $(DEMO_DIR)

# The PostgreSQL tests start a throw-away server from Debian's postgresql package.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { echo "installing Debian's postgresql (for the PostgreSQL gradebook tests)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql >/dev/null; }
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { echo "PostgreSQL's initdb is still missing"; exit 1; }

test: venv browser postgres
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: venv
	@for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

train-reflection: venv
	$(BIN)/python tools/train_reflection.py

clean:
	rm -rf $(DEMO_DIR) .pytest_cache build *.egg-info
