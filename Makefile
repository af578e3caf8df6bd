# Everyday commands. `make run` and `make test` are the README's two commands.
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV_VERSION := 0.13.9
PY := .venv/bin/python
PORT ?= 8000
# Another checkout on the same machine can test side by side with its own database and Redis db:
#   make test TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ketnoi_b TEST_REDIS_URL=redis://127.0.0.1:6379/2
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ketnoi
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
TEST_ENV := DJANGO_SECRET_KEY=test-only-secret-key-not-for-production-0123456789abcdef \
	DATABASE_URL=$(TEST_DATABASE_URL) \
	REDIS_URL=$(TEST_REDIS_URL) DJANGO_DEBUG=0 DJANGO_STATIC_MANIFEST=0 \
	DJANGO_SECURE_SSL_REDIRECT=0 CELERY_TASK_ALWAYS_EAGER=1
PYTEST_ARGS ?=

help:  ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

uv:
	@command -v uv >/dev/null 2>&1 && uv --version | grep -q "$(UV_VERSION)" || \
		python3 -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

setup: uv  ## install the pinned dependencies into .venv (uv.lock)
	uv sync --frozen --python python3

run: setup  ## embedded run: SQLite, in-process tasks, seeded demo data, http://127.0.0.1:8000/
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py seed --demo --port $(PORT)
	@echo; echo "  Open http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/, API: http://127.0.0.1:$(PORT)/api/docs/)"; echo
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

services:  ## start PostgreSQL and Redis if they are not running
	@pg_isready -q -h 127.0.0.1 -p 5432 || { \
		echo "starting PostgreSQL"; \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start; \
		for i in $$(seq 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done; }
	@pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is not reachable on 127.0.0.1:5432"; exit 1; }
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { \
		echo "starting Redis"; \
		redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no; \
		sleep 1; }
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { echo "Redis is not reachable on 127.0.0.1:6379"; exit 1; }

browser:  ## Debian's Chromium for the Playwright tests
	@test -x /usr/bin/chromium || { \
		echo "installing Debian's chromium"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

lint: setup  ## ruff, migrations in sync, Django's checks
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports --no-cache
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(PY) manage.py check

test: setup services browser lint  ## the whole suite against PostgreSQL and Redis (what CI runs)
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

PO := core/locale/vi/LC_MESSAGES/django.po
messages: setup  ## re-extract the Vietnamese catalogue (sorted, no line numbers, so branches merge cleanly) and compile it
	DJANGO_DEBUG=1 $(PY) manage.py makemessages -l vi --no-location --no-obsolete \
		--ignore=.venv --ignore=staticfiles --ignore=test-artifacts --ignore=docs
	msgcat --sort-output --no-location --width=100 -o $(PO) $(PO)
	sed -i '/^"POT-Creation-Date:/d' $(PO)
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages -l vi --ignore=.venv

fmt: setup  ## format and fix
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

worker:  ## a Celery worker (needs REDIS_URL)
	$(PY) -m celery -A config worker --loglevel=info

beat:  ## Celery beat with the database scheduler (needs REDIS_URL)
	$(PY) -m celery -A config beat --loglevel=info

.PHONY: help uv setup run services browser lint test messages fmt worker beat
