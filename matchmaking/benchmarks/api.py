"""``manage.py bench_api``: the read paths under load, served by a real gunicorn.

A closed-loop load generator (asyncio + httpx, ``--concurrency`` requests in flight, each
connection sending its next request when the previous answer arrived) drives each request of
:func:`requests_to_measure` in turn for ``--seconds``, after a short warm-up, against gunicorn
with ``--workers`` sync workers and ``DJANGO_DEBUG=0``. It reports requests/s, p50, p95 and p99
per request, and ``GET /api/v1/units/`` (a small reference list) in the same run as the
yardstick of what the stack itself costs.

Why not locust: one closed loop in this process is all the measurement needs, with far less
CPU per request than locust's gevent workers take from the two cores gunicorn runs on.

``--through-worker N`` also measures a new listing's latency from commit to stored proposals
through Redis and a real Celery worker process.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.db.models import Count
from rest_framework.authtoken.models import Token

from accounts.models import Membership
from listings.models import Listing
from matchmaking.models import ListingMatchState, Match

BENCH_USER = "bench-api-buyer"
ROOT = Path(settings.BASE_DIR)


@dataclass
class Result:
    name: str
    path: str
    requests: int
    errors: int
    seconds: float
    latencies: np.ndarray
    #: Answers served from the read cache (``X-Cache: hit``, core.readcache).
    hits: int = 0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def ms(self, q: float) -> float:
        return float(np.percentile(self.latencies, q) * 1000) if len(self.latencies) else 0.0


def _bench_user(organization_id: int):
    """A member of the busiest buyer, with a token for the API and a session for the pages."""
    user, _ = get_user_model().objects.get_or_create(
        username=BENCH_USER, defaults={"email": "bench-api@example.invalid"}
    )
    Membership.objects.filter(user=user).exclude(organization_id=organization_id).delete()
    Membership.objects.get_or_create(user=user, organization_id=organization_id)
    token, _ = Token.objects.get_or_create(user=user)
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return token.key, session.session_key


def requests_to_measure(query: str) -> tuple[list[tuple[str, str, str]], str, str]:
    """[(name, path, auth: "token" | "session" | "")], the token and the session key.

    The match requests are those of a member of the buyer with the most proposals.
    """
    busiest = (
        Match.objects.values("demand__organization_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "demand__organization_id")
        .first()
    )
    if busiest is None:
        raise RuntimeError("no matches: run `bench_matching --keep` (or seed --demo) first")
    organization_id = busiest["demand__organization_id"]
    token, session = _bench_user(organization_id)
    match_id = (
        Match.objects.filter(demand__organization_id=organization_id)
        .order_by("-score")
        .values_list("pk", flat=True)[0]
    )
    supply = Listing.objects.open().filter(side="supply").order_by("-pk").first()
    category = supply.category.slug
    paths = [
        ("search with q", f"/api/v1/listings/?q={query.replace(' ', '+')}", ""),
        ("filtered list", f"/api/v1/listings/?side=supply&category={category}", ""),
        (f"match inbox API ({busiest['n']} matches)", "/api/v1/matches/", "token"),
        ("match detail API", f"/api/v1/matches/{match_id}/", "token"),
        ("listing detail page", f"/listings/{supply.pk}/", ""),
        ("inbox page", "/matches/", "session"),
        ("units (yardstick)", "/api/v1/units/", ""),
    ]
    return paths, token, session


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_DEBUG": "0",
            # The same key as this process: the pages' session is signed here.
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_STATIC_MANIFEST": "0",
            "API_THROTTLE_ANON": "100000000/minute",
            "API_THROTTLE_USER": "100000000/minute",
            "DATABASE_URL": (
                f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
                f"/{db['NAME']}"
            ),
            "DJANGO_LOG_LEVEL": "WARNING",
        }
    )
    env.update(extra or {})
    return env


class Gunicorn:
    """gunicorn over ``config.wsgi`` in a child process, started and stopped by ``with``."""

    def __init__(self, workers: int, env: dict[str, str] | None = None):
        self.workers = workers
        self.env = env
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Gunicorn:
        binary = str(Path(sys.executable).with_name("gunicorn"))
        # gunicorn's log goes to a file: a pipe nobody reads blocks the server once it fills.
        self.log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log")
        self.process = subprocess.Popen(
            [binary, "config.wsgi", "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}"],
            cwd=ROOT,
            env=_server_env(self.env),
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.3)
        log = Path(self.log.name).read_text()[-2000:]
        self.__exit__(None, None, None)
        raise RuntimeError(f"gunicorn did not answer /healthz within 120 s: {log}")

    def __exit__(self, *exc) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


async def _load(base: str, path: str, headers: dict, seconds: float, concurrency: int):
    """Closed loop: ``concurrency`` clients, each sending its next request on an answer."""
    latencies: list[float] = []
    errors = hits = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=30) as c:
        stop = time.perf_counter() + seconds

        async def one_client():
            nonlocal errors, hits
            while time.perf_counter() < stop:
                started = time.perf_counter()
                response = await c.get(path)
                latencies.append(time.perf_counter() - started)
                if response.status_code != 200:
                    errors += 1
                if response.headers.get("X-Cache") == "hit":
                    hits += 1

        began = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    return latencies, errors, hits, elapsed


@contextmanager
def writing(per_second: float):
    """While the block runs, a real write to the listings ``per_second`` times a second (an
    ``UPDATE`` of a random listing, from a session of its own): every read the bench drives
    reads that table, so each write makes the next read of every entry a computed one."""
    if per_second <= 0:
        yield
        return
    ids = list(Listing.objects.values_list("pk", flat=True)[:10000])
    stop = threading.Event()
    rng = np.random.default_rng(0)

    def write():
        try:
            while not stop.wait(1 / per_second):
                with connection.cursor() as cursor:
                    cursor.execute(
                        "UPDATE listings_listing SET updated_at = updated_at WHERE id = %s",
                        [int(rng.choice(ids))],
                    )
        finally:
            connection.close()

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(10)


def measure(
    base: str,
    paths,
    token: str,
    session: str,
    *,
    seconds: float,
    warmup: float,
    concurrency: int,
    writes_per_second: float = 0.0,
) -> list[Result]:
    results = []
    # The CSRF cookie the home page sets: what a browser sends after its first page (the
    # cookie is Secure, so an http client's jar would not send it back; the header does).
    csrf = httpx.get(f"{base}/", timeout=30).cookies.get(settings.CSRF_COOKIE_NAME, "")
    for name, path, auth in paths:
        headers = {"Accept-Language": "vi"}
        cookies = {settings.CSRF_COOKIE_NAME: csrf} if csrf else {}
        if auth == "token":
            headers["Authorization"] = f"Token {token}"
        elif auth == "session":
            cookies[settings.SESSION_COOKIE_NAME] = session
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        asyncio.run(_load(base, path, headers, warmup, concurrency))
        with writing(writes_per_second):
            latencies, errors, hits, elapsed = asyncio.run(
                _load(base, path, headers, seconds, concurrency)
            )
        results.append(
            Result(
                name,
                path,
                len(latencies),
                errors,
                elapsed,
                np.array(latencies, dtype=float),
                hits,
            )
        )
    return results


def through_worker_latency(
    samples: int, seed: int, redis_url: str, stages: list[dict] | None = None
) -> list[float]:
    """Seconds from a new listing's commit to its proposals stored, through Redis and a real
    Celery worker process (the web's path in production), ``samples`` times. ``stages``
    receives, per listing, where the time went (seconds, from the rows' timestamps: the same
    clock, one machine): ``send`` (commit and the on-commit enqueue), ``pickup`` (broker,
    worker, the task until its run row), ``task`` (the run: market refresh, engine, upsert),
    ``mark`` (the run's end to the listing marked matched), ``seen`` (this process noticing)."""
    queue = f"bench-api-{os.getpid()}"
    env = _server_env(
        {
            "REDIS_URL": redis_url,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "CELERY_QUEUE": queue,
        }
    )
    binary = str(Path(sys.executable).with_name("celery"))
    worker = subprocess.Popen(
        [binary, "-A", "config", "worker", "-Q", queue, "-c", "1", "-P", "solo", "-l", "WARNING"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        return _latencies_through_broker(
            samples, seed, redis_url=redis_url, queue=queue, stages=stages
        )
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()


def _latencies_through_broker(
    samples: int, seed: int, *, redis_url: str, queue: str, stages: list[dict] | None = None
):
    from celery import current_app
    from django.utils import timezone

    from matchmaking.benchmarks import database as bench
    from matchmaking.models import MatchRun

    # This process sends to Redis as the web does (nothing has connected to a broker yet).
    current_app.conf.update(
        broker_url=redis_url,
        result_backend=None,
        task_always_eager=False,
        task_default_queue=queue,
    )
    rng = np.random.default_rng(seed)
    pool = list(
        Listing.objects.filter(
            organization__name__startswith=bench.BENCH_ORG,
            status="open",
            available_until__gt=time_today(),
        ).values_list("pk", flat=True)[: samples * 20]
    )
    rng.shuffle(pool)
    if not pool:
        raise RuntimeError("no bench listings: run `bench_matching --keep` first")
    latencies: list[float] = []
    warm = 2  # the worker's first tasks load its in-memory market
    for i, pk in enumerate(pool[: samples + warm]):
        template = Listing.objects.select_related("organization").get(pk=pk)
        with transaction.atomic():
            listing = bench.post_copy(template)
            before_commit = timezone.now()
        committed = time.perf_counter()
        sent = timezone.now()
        stored = ListingMatchState.objects.filter(listing_id=listing.pk)
        deadline = committed + (120 if i < warm else 30)
        while not stored.exists():
            if time.perf_counter() > deadline:
                raise RuntimeError(f"listing {listing.pk} was not matched within the deadline")
            time.sleep(0.002)
        seen = timezone.now()
        if i >= warm:
            latencies.append(time.perf_counter() - committed)
            run = MatchRun.objects.filter(listing_id=listing.pk).order_by("pk").first()
            matched = stored.values_list("matched_at", flat=True).first()
            if stages is not None and run is not None and run.finished_at and matched:
                stages.append(
                    {
                        "send": (sent - before_commit).total_seconds(),
                        "pickup": (run.started_at - sent).total_seconds(),
                        "task": (run.finished_at - run.started_at).total_seconds(),
                        "engine": float(run.engine_seconds or 0),
                        "mark": (matched - run.finished_at).total_seconds(),
                        "seen": (seen - matched).total_seconds(),
                    }
                )
    return latencies


def time_today():
    from django.utils import timezone

    return timezone.localdate()


def machine() -> str:
    return f"{os.uname().machine}, {os.cpu_count()} cores, PostgreSQL ({connection.vendor})"
