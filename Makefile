# Two commands set everything up on a fresh machine:
#   make run    creates .venv, installs, migrates, loads content/ and the demo
#               organisation on first run, serves http://127.0.0.1:5000
#   make test   creates .venv, installs, runs the whole suite
#               (TEST_DATABASE_URL=postgresql+psycopg://... runs it on PostgreSQL)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test bench mutation translations extract-messages browser-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

# Message catalogues are compiled, never committed.
translations: $(VENV)/.runtime
	$(BIN)/pybabel compile --use-fuzzy -d learning/translations -D messages >/dev/null

# The background worker (roster imports...) runs beside the web server and
# stops with it (Ctrl-C or any exit); its queue is instance/jobs.sqlite3
# unless JOBS_URL says otherwise (README: Operations).
run: $(VENV)/.runtime translations
	$(FLASK) setup --demo
	$(BIN)/huey_consumer learning.worker.huey --workers 2 --max-delay 1 --quiet & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

test: $(VENV)/.dev translations
	$(BIN)/ruff check --quiet .
	$(BIN)/python -m pytest tests $(PYTEST_ARGS)

bench: $(VENV)/.dev translations
	$(BIN)/python bench/run.py

# Mutation testing of the pure modules with their unit tests (not in CI:
# minutes per module). MODULES=learning/study/grading.py for some of them.
mutation: $(VENV)/.dev translations
	MODULES="$(MODULES)" $(BIN)/python tests/mutation.py

# Re-extract the strings marked for translation into the catalogues.
extract-messages: $(VENV)/.runtime
	$(BIN)/pybabel extract -F learning/translations/babel.cfg -k _l -k N_ -o learning/translations/messages.pot .
	$(BIN)/pybabel update -i learning/translations/messages.pot -d learning/translations -D messages --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) .pytest_cache
