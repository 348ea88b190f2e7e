# The two commands a new user needs: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# What `manage.py check --deploy` sees: the environment a real deployment sets.
DEPLOY_ENV := DJANGO_SETTINGS_MODULE=portal.settings.production \
	SECRET_KEY=ci-deploy-check-$$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n') \
	ALLOWED_HOSTS=www.qthzy.example \
	FIELD_ENCRYPTION_KEYS=$$($(BIN)/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
	DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal \
	FIELD_HASH_KEY=$$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n' | head -c 43)= \
	REDIS_URL=redis://127.0.0.1:6379/0 EMAIL_HOST=smtp.qthzy.example

.PHONY: run test bench fuzz lint system-run system-test clean

# Chinese for the Wagtail admin strings Wagtail's own catalogue lacks (msgfmt: gettext).
MESSAGES := portal/locale/zh_Hans/LC_MESSAGES/django.mo
DOCUMENT_FONT := var/fonts/court-serif-sc.otf

run: system-run $(VENV)/.run-installed $(MESSAGES) var/dev-field-encryption.key $(DOCUMENT_FONT)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo "门户地址 / Portal: http://$(HOST):$(PORT)/   管理后台 / Admin: http://$(HOST):$(PORT)/admin/"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: system-test $(VENV)/.test-installed node_modules/.installed $(MESSAGES) $(DOCUMENT_FONT) lint
	DJANGO_SETTINGS_MODULE=portal.settings.test $(BIN)/python manage.py check --fail-level WARNING
	$(DEPLOY_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING
	DJANGO_SETTINGS_MODULE=portal.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	@# The whole suite on SQLite (browser tests included), then the tests marked
	@# `postgres` against a private PostgreSQL cluster started for this run.
	PORTAL_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -m "not postgres" --ignore=tests/fuzz
	@# 1,000 generated inputs per public form and API endpoint, on both cores (tests/fuzz/).
	$(BIN)/python -m pytest tests/fuzz -n 2
	scripts/with-postgres.sh $(BIN)/python -m pytest -m postgres

lint: $(VENV)/.test-installed
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	@# DESIGN.md's one-way layers (pyproject.toml [tool.importlinter]).
	DJANGO_SETTINGS_MODULE=portal.settings.test $(BIN)/lint-imports

bench: system-test $(VENV)/.test-installed $(MESSAGES) $(DOCUMENT_FONT)
	$(BIN)/python -m bench
	@# 200 applications at once through gunicorn on PostgreSQL, production settings.
	scripts/with-postgres.sh $(BIN)/python -m bench.concurrent_submissions
	@# SIGKILL gunicorn mid-submissions and mid-import: no half-stored application or batch.
	scripts/with-postgres.sh $(BIN)/python -m bench.crash_safety
	@# gunicorn (production settings) behind the shipped nginx config, loaded with wrk.
	scripts/with-postgres.sh $(BIN)/python -m bench.load_stack

# The fuzz tests with 10x the examples of `make test` (random seed; tests/fuzz/).
fuzz: $(VENV)/.test-installed $(MESSAGES) $(DOCUMENT_FONT)
	FUZZ_PROFILE=deep $(BIN)/python -m pytest tests/fuzz -q -n 2

# The GB 2312 subset of Noto Serif CJK SC that PDF documents use first (~30 s, once).
$(DOCUMENT_FONT): | $(VENV)/.run-installed
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(BIN)/python manage.py build_document_font

# Development key for the encrypted ID/phone fields (production sets FIELD_ENCRYPTION_KEYS).
var/dev-field-encryption.key: | $(VENV)/.run-installed
	mkdir -p var
	umask 077 && $(BIN)/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' > $@

%.mo: %.po
	msgfmt --check-format -o $@ $<

system-run:
	@scripts/install-system-packages.sh run

system-test:
	@scripts/install-system-packages.sh test

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.run-installed: requirements.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test-installed: requirements.txt requirements-test.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@ $(VENV)/.run-installed

# axe-core (accessibility rules injected into each page by the browser tests).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

clean:
	rm -rf $(VENV) node_modules var db.sqlite3
