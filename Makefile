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

TOOLS := .venv-tools

.PHONY: run serve test lint bench loadtest install validate clean lock audit translations

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
	MAIL_BACKEND=console INSECURE_COOKIES=1 PUBLIC_BASE_URL=http://localhost:5000 $(FLASK) run --host 127.0.0.1 --port 5000

# gunicorn with the production settings (gunicorn.conf.py) on the embedded database, over http.
serve: install
	$(FLASK) init
	INSECURE_COOKIES=1 PUBLIC_BASE_URL=http://127.0.0.1:8000 $(BIN)/gunicorn -c gunicorn.conf.py

# The suite in TEST_WORKERS processes (pytest-xdist; tests/worker_support.py gives each a database
# and a Redis db of its own), one test file per worker at a time so that a file's module fixtures
# (a gunicorn, an nginx) start once, the longest files first (tests/conftest.py orders them); then
# the tests marked serial, which time answers or start
# many processes, with the machine to themselves. TEST_WORKERS=0 runs everything in one process.
TEST_WORKERS ?= 3
test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder -m "not serial"; parallel=$$?; \
	$(BIN)/python -m pytest -m serial && exit $$parallel

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

# Tools for the lock file and the audit, in a venv of their own (never in production).
$(TOOLS)/.installed:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet 'pip-tools>=7.4,<8' 'pip-audit>=2.7,<3'
	touch $@

# The production lock file with hashes (docs/deploy.md): run after changing pyproject.toml.
lock: $(TOOLS)/.installed
	$(TOOLS)/bin/pip-compile --quiet --generate-hashes --extra postgres --strip-extras \
	  --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

# Known vulnerabilities in the locked production dependencies. pip-audit asks PyPI's
# vulnerability service over the internet: without it this fails (docs/deploy.md).
audit: $(TOOLS)/.installed
	$(TOOLS)/bin/pip-audit --requirement requirements.lock --require-hashes --disable-pip \
	  --strict --progress-spinner off

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .ruff_cache

# The interface's gettext catalogs (scan/translations, Dutch the source language): extract the
# texts, update en and pl (a changed Dutch text becomes fuzzy), compile the .mo files (committed,
# so a clean clone and the wheel have them; tests/platform/test_translations.py checks they match).
translations: install
	$(BIN)/pybabel extract -F scan/translations/babel.cfg -k _l -k lazy_gettext -k N_ -k ngettext:1,2 -k gettext \
	  --no-location --sort-output --project=Weerbaarheidsscan -o scan/translations/messages.pot .
	$(BIN)/pybabel update -i scan/translations/messages.pot -d scan/translations \
	  --no-wrap --ignore-obsolete
	$(BIN)/pybabel compile -d scan/translations --statistics
