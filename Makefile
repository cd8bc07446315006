# Weerbaarheidsscan: make run | make test | make lint | make bench
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FLASK := $(BIN)/flask --app scan

.PHONY: run test lint bench install validate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,postgres]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(FLASK) init
	INSECURE_COOKIES=1 PUBLIC_BASE_URL=http://127.0.0.1:5000 $(FLASK) run --host 127.0.0.1 --port 5000

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check scan tests bench migrations
	$(BIN)/ruff format --check scan tests bench migrations

validate: install
	$(FLASK) questionnaires validate

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
