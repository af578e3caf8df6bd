#!/bin/sh
# Container entrypoint: wait for the database, migrate when DJANGO_MIGRATE=1 (the web service),
# then hand the process over to the command (gunicorn, celery worker/beat, manage.py ...).
#
#   DJANGO_DB_WAIT_SECONDS  how long to wait for the database (default 60)
#   DJANGO_MIGRATE=1        run `manage.py migrate --noinput` first; concurrent starts are
#                           serialised by a PostgreSQL advisory lock
set -eu

python - <<'PY'
import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.utils import OperationalError  # noqa: E402

wait = float(os.environ.get("DJANGO_DB_WAIT_SECONDS", "60"))
deadline = time.monotonic() + wait
while True:
    try:
        connection.ensure_connection()
        break
    except OperationalError as exc:
        if time.monotonic() >= deadline:
            print(f"entrypoint: database not reachable after {wait:g}s: {exc}", file=sys.stderr)
            sys.exit(1)
        print("entrypoint: waiting for the database ...", file=sys.stderr)
        time.sleep(1)

if os.environ.get("DJANGO_MIGRATE") == "1":
    # One replica migrates at a time; the others wait, then find nothing to do.
    lock = connection.vendor == "postgresql"
    if lock:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(hashtext('ketnoi-migrate'))")
    try:
        call_command("migrate", interactive=False, verbosity=1)
    finally:
        if lock:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(hashtext('ketnoi-migrate'))")
connection.close()
PY

exec "$@"
