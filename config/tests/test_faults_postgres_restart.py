"""PostgreSQL restarts under a running web and worker (real processes, a throwaway cluster).

The test copies its database into a PostgreSQL cluster of its own (``initdb``/``pg_ctl``, own
port and socket directory) and runs gunicorn and a Celery worker on it. The cluster is stopped:
``/readyz`` reports the database down, and a matching job sent meanwhile fails and is retried
(autoretry with backoff on OperationalError). The cluster starts again: without restarting
either process, ``/readyz`` is ready, the API serves and saves, the retried job completes and
a listing posted now is matched by the worker.
"""

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
import requests
from django.db import connection
from rest_framework.authtoken.models import Token

from core.tests.processes import (
    WEB_ENV,
    PostgresCluster,
    celery_worker,
    child_env,
    free_port,
    gunicorn,
    stop,
    wait_for,
)
from listings.tests.factories import listing_payload, make_listing
from matchmaking import tasks
from matchmaking.tests.celery_utils import broker

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

BROKER = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def _ready(base: str) -> dict:
    try:
        return requests.get(f"{base}/readyz", timeout=15).json()
    except (requests.RequestException, ValueError):
        return {}


def _copy_database(target: PostgresCluster) -> None:
    """The test database (schema and rows) into the throwaway cluster."""
    db = connection.settings_dict
    subprocess.run(
        [str(target.bin / "createdb"), *target.connect_args, "ketnoi_fault"],
        check=True,
        timeout=60,
    )
    dump = subprocess.run(
        [
            str(target.bin / "pg_dump"),
            "-h",
            db["HOST"],
            "-p",
            str(db["PORT"] or 5432),
            "-U",
            db["USER"],
            "--no-owner",
            db["NAME"],
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    psql = shutil.which("psql") or str(target.bin / "psql")
    subprocess.run(
        [psql, "-q", *target.connect_args, "-v", "ON_ERROR_STOP=1", "ketnoi_fault"],
        input=dump.stdout,
        check=True,
        capture_output=True,
        timeout=120,
    )


@pytest.fixture
def cluster():
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        pytest.skip("PostgreSQL server binaries are not installed")
    # Not under pytest's tmp_path: the postgres user must be able to reach the directory.
    directory = Path(tempfile.mkdtemp(prefix="ketnoi-faults-pg-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres")
    pg = PostgresCluster(directory, free_port())
    try:
        pg.init()
        pg.start()
        yield pg
    finally:
        pg.stop("immediate")
        shutil.rmtree(directory, ignore_errors=True)


def _count(cluster: PostgresCluster, sql: str, *params) -> int:
    with psycopg.connect(cluster.url.replace("postgres://", "postgresql://"), autocommit=True) as c:
        return c.execute(sql, params).fetchone()[0]


def _diagnose(cluster: PostgresCluster, worker, what: str) -> str:
    url = cluster.url.replace("postgres://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as c:
        runs = c.execute(
            "SELECT id, kind, listing_id, status, left(error, 200) FROM matchmaking_matchrun"
        ).fetchall()
    stop(worker)
    output = worker.stdout.read() if worker.stdout and not worker.stdout.closed else ""
    return f"{what}; runs {runs}; worker said: {output[-3000:]}"


def test_the_web_and_a_worker_serve_again_after_postgres_restarts(cluster, actors, reference):
    supply = make_listing(organization=actors.supplier_org, reference=reference)
    token = Token.objects.create(user=actors.buyer).key
    _copy_database(cluster)
    runs_before = _count(
        cluster,
        "SELECT count(*) FROM matchmaking_matchrun WHERE listing_id = %s AND status = 'done'",
        supply.pk,
    )

    queue = f"faults-pg-{os.getpid()}"
    web_port = free_port()
    env = child_env(broker=BROKER, queue=queue, database_url=cluster.url, **WEB_ENV)
    web = gunicorn(env=env, port=web_port)
    worker = celery_worker(env=env, name=f"pg-{queue}@localhost", queue=queue)
    base = f"http://127.0.0.1:{web_port}"
    headers = {"Authorization": f"Token {token}"}
    try:
        assert wait_for(lambda: _ready(base).get("status") == "ok", 90, 0.5), _ready(base)

        cluster.stop("fast")
        down = wait_for(lambda: _ready(base).get("checks", {}).get("database"), 30, 0.25)
        assert down and down["status"] == "fail", _ready(base)
        with broker(BROKER, task_default_queue=queue):
            # A job that meets the outage: it fails on OperationalError and is retried.
            tasks.match_listing.apply_async(args=[supply.pk])
            time.sleep(3)
        cluster.start()
        back = time.monotonic()
        assert wait_for(lambda: _ready(base).get("status") == "ok", 60, 0.25), _ready(base)
        ready_after = time.monotonic() - back

        # The web serves and saves without having been restarted ...
        listings = requests.get(f"{base}/api/v1/listings/", timeout=15)
        assert listings.status_code == 200 and listings.json()["count"] == 1
        body = listing_payload(
            actors.buyer_org,
            side="demand",
            title="Cần mua cà phê",
            quantity="2",
            certifications=[],  # the supply holds none
        )
        posted = requests.post(f"{base}/api/v1/listings/", json=body, headers=headers, timeout=30)
        assert posted.status_code == 201, posted.text
        demand_id = posted.json()["id"]
        # ... and so does the worker: the retried job ran, the new listing is matched.
        runs_of_supply = (
            "SELECT count(*) FROM matchmaking_matchrun WHERE listing_id = %s AND status = 'done'"
        )
        assert wait_for(
            lambda: _count(cluster, runs_of_supply, supply.pk) > runs_before, 90, 0.5
        ), _diagnose(cluster, worker, "the job sent during the outage was not retried")
        assert wait_for(
            lambda: _count(
                cluster,
                "SELECT count(*) FROM matchmaking_match WHERE supply_id = %s AND demand_id = %s",
                supply.pk,
                demand_id,
            ),
            60,
            0.5,
        ), _diagnose(cluster, worker, "the worker did not match a listing posted after the restart")
        assert web.poll() is None and worker.poll() is None  # neither was restarted
        print(f"\n/readyz ready {ready_after:.1f} s after PostgreSQL started again")
    finally:
        stop(worker)
        stop(web)
