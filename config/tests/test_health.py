"""/healthz and /readyz against the real PostgreSQL, Redis and a real Celery worker process."""

import os
import time
import uuid
from pathlib import Path

import pytest
from django.test import override_settings

from config.health import ping_workers
from core.tests.processes import celery_worker, stop

BASE_DIR = Path(__file__).resolve().parents[2]
REDIS_HOST = "redis://127.0.0.1:6379"
WORKER_REDIS_URL = f"{REDIS_HOST}/9"  # the worker test's own broker database
IDLE_REDIS_URL = f"{REDIS_HOST}/13"  # a database no worker listens on
CLOSED_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def broker(url: str, *, eager: bool = False, timeout: float = 0.5, **more):
    """Settings of a deployment whose Redis is ``url`` (empty: the embedded run)."""
    return override_settings(
        REDIS_URL=url,
        CELERY_BROKER_URL=url or "memory://",
        CELERY_TASK_ALWAYS_EAGER=eager,
        HEALTH_CHECK_TIMEOUT=timeout,
        **more,
    )


def test_healthz_answers_ok_without_touching_anything(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_probes_answer_on_any_host_and_over_plain_http(client, settings):
    """A container probe calls 127.0.0.1 or the container IP over HTTP; neither may block it."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["ketnoi.example.vn"]

    probe = client.get("/healthz", headers={"host": "172.18.0.5:8000"})
    page = client.get("/api/v1/units/", headers={"host": "ketnoi.example.vn"})

    assert probe.status_code == 200
    assert probe.json() == {"status": "ok"}
    assert page.status_code == 301
    assert page["Location"] == "https://ketnoi.example.vn/api/v1/units/"


@pytest.mark.django_db
def test_readyz_in_the_embedded_run_skips_redis_and_the_worker(client):
    with broker("", eager=True):
        response = client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["redis"]["status"] == "skipped"
    assert body["checks"]["worker"]["status"] == "skipped"


def _not_ready_through(client, redis_url: str):
    """GET /readyz with the broker at ``redis_url``: a 503 whose database check passed; its
    body, the response and how long it took."""
    with broker(redis_url, timeout=0.5):
        started = time.monotonic()
        response = client.get("/readyz")
        elapsed = time.monotonic() - started

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["database"]["status"] == "ok"
    return body, response, elapsed


@pytest.mark.django_db
def test_readyz_without_a_worker_is_not_ready(client):
    body, _response, elapsed = _not_ready_through(client, IDLE_REDIS_URL)
    assert body["checks"]["redis"]["status"] == "ok"
    assert body["checks"]["worker"] == {
        "status": "fail",
        "error": "NoWorkerAnswered",
        "ms": body["checks"]["worker"]["ms"],
        "required": True,
    }
    assert elapsed < 3


@pytest.mark.django_db
def test_readyz_can_report_a_silent_worker_pool_without_failing(client):
    with broker(IDLE_REDIS_URL, timeout=0.3, HEALTH_WORKER_REQUIRED=False):
        response = client.get("/readyz")

    assert response.status_code == 200
    worker = response.json()["checks"]["worker"]
    assert worker["status"] == "fail"
    assert worker["required"] is False


@pytest.mark.django_db
def test_readyz_with_redis_down_is_a_503_not_a_500(client):
    body, response, elapsed = _not_ready_through(client, CLOSED_REDIS_URL)
    assert body["checks"]["redis"]["status"] == "fail"
    assert body["checks"]["redis"]["error"] == "ConnectionError"
    assert body["checks"]["worker"]["status"] == "fail"
    # No internals (host names, addresses) in a public answer.
    assert "127.0.0.1" not in response.content.decode()
    assert elapsed < 3


@pytest.fixture
def worker_process():
    """A real Celery worker on its own Redis database; always stopped afterwards."""
    env = {
        **os.environ,
        "REDIS_URL": WORKER_REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "PYTHONUNBUFFERED": "1",
    }
    name = f"ops-health-{uuid.uuid4().hex[:8]}@%h"
    process = celery_worker(env=env, name=name)
    try:
        deadline = time.monotonic() + 20
        while not ping_workers(WORKER_REDIS_URL, timeout=0.5):
            if process.poll() is not None:
                pytest.fail(f"the worker exited early:\n{process.stdout.read()}")
            if time.monotonic() > deadline:
                pytest.fail("the worker did not answer a ping within 20 s")
        yield process
    finally:
        stop(process)


@pytest.mark.worker
@pytest.mark.django_db
def test_readyz_with_a_live_worker_is_ready(client, worker_process):
    with broker(WORKER_REDIS_URL, timeout=1.0):
        response = client.get("/readyz")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok",
        "redis": "ok",
        "worker": "ok",
    }
    # The first answer ends the wait: readiness does not sit out the whole timeout.
    assert body["checks"]["worker"]["ms"] < 1000
