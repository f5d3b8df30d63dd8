# One task runner for people and CI. `make demo` and `make test` each set up .venv first.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.careerkit-installed
DEMO_DIR ?= demo-course
PYTEST_ARGS ?=

.PHONY: help venv demo test bench train-reflection clean

help:
	@echo "make demo   - set up .venv and run the demo course (output in $(DEMO_DIR)/)"
	@echo "make test   - set up .venv and run the whole test suite"
	@echo "make bench  - run the benchmarks and print their figures"
	@echo "make train-reflection - refit the reflection scorer's competency weights on the dev split"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "careerkit needs Python 3.11 or newer; set PYTHON=/path/to/python3.11")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m pip check
	@touch $(STAMP)

venv: $(STAMP)

demo: venv
	$(BIN)/careerkit demo --out $(DEMO_DIR)

test: venv
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: venv
	@for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

train-reflection: venv
	$(BIN)/python tools/train_reflection.py

clean:
	rm -rf $(DEMO_DIR) .pytest_cache build *.egg-info
