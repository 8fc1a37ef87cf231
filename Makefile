# Development values: `make run` and `make test` pass them; production sets its own.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# `make run PORT=8010` serves another port; links in emails (SITE_URL) follow it.
PORT ?= 8000
SITE_URL ?= http://127.0.0.1:$(PORT)
DEV_ENV := DEBUG=1 SECRET_KEY=dev-only-insecure-key ALLOWED_HOSTS=127.0.0.1,localhost \
	SITE_URL=$(SITE_URL)

.PHONY: run test test-pg lint format migrate seed messages bench clean

$(BIN)/django-admin: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

run: $(BIN)/django-admin
	mkdir -p var
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py seed_demo
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(BIN)/django-admin
	$(DEV_ENV) $(BIN)/pytest $(PYTEST_ARGS)

# The suite on a local PostgreSQL, as CI runs it: the row-lock and race tests run only
# there. Run it before every push.
PG_URL ?= postgres://postgres@127.0.0.1:5432/portal
test-pg: $(BIN)/django-admin
	DATABASE_URL=$(PG_URL) $(DEV_ENV) $(BIN)/pytest $(PYTEST_ARGS)

lint: $(BIN)/django-admin
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/django-admin
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: $(BIN)/django-admin
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput

seed: $(BIN)/django-admin
	$(DEV_ENV) $(BIN)/python manage.py seed_demo

# 10,000 students through POST /api/v1/students/bulk-upsert/ against a raw bulk_create,
# on the database DATABASE_URL names (SQLite in var/ otherwise); needs `make seed` first.
# It removes the rows it writes.
bench: $(BIN)/django-admin
	$(DEV_ENV) $(BIN)/python manage.py bench_students

# Needs GNU gettext; the compiled .mo files are committed so `make run` does not.
messages: $(BIN)/django-admin
	$(DEV_ENV) $(BIN)/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=static
	$(DEV_ENV) $(BIN)/python manage.py zh_punctuation
	$(DEV_ENV) $(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv

clean:
	rm -rf $(VENV) var test-artifacts
