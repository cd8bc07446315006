# Weerbaarheidsscan: make run | make serve | make test | make lint | make bench | make loadtest
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOAD_STAMP := $(VENV)/.installed-load
# make loadtest USERS=500 DURATION=360 THINK=10-20 (short by default: the machine is shared)
USERS ?= 20
DURATION ?= 30
THINK ?= 1-3
FLASK := $(BIN)/flask --app scan

.PHONY: run serve test lint bench loadtest install validate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,postgres]'
	touch $(STAMP)

install: $(STAMP)

$(LOAD_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,postgres,load]'
	touch $(LOAD_STAMP)

run: install
	$(FLASK) init
	INSECURE_COOKIES=1 PUBLIC_BASE_URL=http://127.0.0.1:5000 $(FLASK) run --host 127.0.0.1 --port 5000

# gunicorn with the production settings (gunicorn.conf.py) on the embedded database, over http.
serve: install
	$(FLASK) init
	INSECURE_COOKIES=1 PUBLIC_BASE_URL=http://127.0.0.1:8000 $(BIN)/gunicorn -c gunicorn.conf.py

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check scan tests bench migrations
	$(BIN)/ruff format --check scan tests bench migrations
	$(BIN)/mypy
	$(BIN)/lint-imports

validate: install
	$(FLASK) questionnaires validate

bench: install
	$(BIN)/python -m bench

# gunicorn on DATABASE_URL (else a fresh SQLite file) under headless Locust, then a database check.
loadtest: install $(LOAD_STAMP)
	$(BIN)/python -m bench.loadtest --users $(USERS) --seconds $(DURATION) --think $(THINK)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
