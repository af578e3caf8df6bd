"""Liveness and readiness probes for containers and load balancers.

``/healthz`` answers as long as the process serves requests: the container's health check.
``/readyz`` checks what a request needs: the database, Redis (broker and cache) and at least one
Celery worker answering a ping. Each check reports its own state; the answer is 200 when every
required check is ``ok`` or ``skipped`` and 503 otherwise. In the embedded run (no ``REDIS_URL``,
tasks in-process) Redis and the worker are ``skipped``.

Both probes are answered by :class:`HealthCheckMiddleware`, the first middleware, so neither the
``Host`` check (a probe calls ``localhost`` or the container's IP), the HTTPS redirect, sessions
nor the login lockout stand between the prober and the answer. Failure details go to the log,
not to the (public) response.
"""

import logging
import time

from django.conf import settings
from django.db import connections
from django.http import JsonResponse

log = logging.getLogger(__name__)

OK, FAIL, SKIPPED = "ok", "fail", "skipped"


def _elapsed_ms(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 1)


def _failure(name: str, exc: Exception, started: float) -> dict:
    log.warning("readiness check %s failed: %r", name, exc)
    return {"status": FAIL, "error": type(exc).__name__, "ms": _elapsed_ms(started)}


def check_database() -> dict:
    started = time.monotonic()
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return _failure("database", exc, started)
    return {"status": OK, "ms": _elapsed_ms(started)}


def check_redis(timeout: float) -> dict:
    if not settings.REDIS_URL:
        return {"status": SKIPPED, "reason": "no REDIS_URL: tasks run in-process"}
    import redis

    started = time.monotonic()
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=timeout, socket_timeout=timeout
    )
    try:
        client.ping()
    except Exception as exc:
        return _failure("redis", exc, started)
    finally:
        client.close()
    return {"status": OK, "ms": _elapsed_ms(started)}


def ping_workers(broker_url: str, *, timeout: float) -> list:
    """Replies of the workers listening on ``broker_url``; the first answer ends the wait."""
    from celery import Celery

    # A bare client built per probe, so it talks to the broker given here (the tasks' app
    # keeps a producer pool on the broker it was first configured with).
    probe = Celery("readyz", broker=broker_url, set_as_current=False, fixups=[])
    try:
        return probe.control.ping(timeout=timeout, limit=1)
    finally:
        probe.close()


def check_worker(timeout: float, *, broker_ok: bool) -> dict:
    if not settings.REDIS_URL or settings.CELERY_TASK_ALWAYS_EAGER:
        return {"status": SKIPPED, "reason": "tasks run in-process"}
    started = time.monotonic()
    if not broker_ok:
        # A ping through a broker that is down would only wait for the connection retries.
        return {"status": FAIL, "error": "BrokerUnavailable", "ms": 0.0}
    try:
        replies = ping_workers(settings.CELERY_BROKER_URL, timeout=timeout)
    except Exception as exc:
        return _failure("worker", exc, started)
    if not replies:
        log.warning("readiness check worker failed: no worker answered within %ss", timeout)
        return {"status": FAIL, "error": "NoWorkerAnswered", "ms": _elapsed_ms(started)}
    return {"status": OK, "ms": _elapsed_ms(started)}


def readiness() -> tuple[bool, dict]:
    timeout = settings.HEALTH_CHECK_TIMEOUT
    redis_state = check_redis(timeout)
    checks = {
        "database": check_database(),
        "redis": redis_state,
        "worker": check_worker(timeout, broker_ok=redis_state["status"] != FAIL),
    }
    required = {"database", "redis"}
    if settings.HEALTH_WORKER_REQUIRED:
        required.add("worker")
    for name, state in checks.items():
        state["required"] = name in required
    ready = all(checks[name]["status"] != FAIL for name in required)
    return ready, checks


def _no_store(response: JsonResponse) -> JsonResponse:
    response["Cache-Control"] = "no-store"
    return response


def healthz(request):
    return _no_store(JsonResponse({"status": OK}))


def readyz(request):
    ready, checks = readiness()
    return _no_store(
        JsonResponse(
            {"status": OK if ready else FAIL, "checks": checks}, status=200 if ready else 503
        )
    )


PROBES = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    """Answer ``GET``/``HEAD`` on the probe paths before any other middleware runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info.rstrip("/") or "/")
        if probe is not None and request.method in ("GET", "HEAD"):
            return probe(request)
        return self.get_response(request)
