"""Redis stops while listings are posted through the API and the pages (real processes).

gunicorn serves the site and a Celery worker consumes from a Redis server this test starts on
a port of its own. Redis is stopped: every post (API and page) still answers quickly and saves
the listing, and ``/readyz`` says Redis is down. Redis comes back: ``/readyz`` is ready again
within seconds, and one sweep (the beat job) matches each listing posted meanwhile, once.
"""

import importlib.util
import os
import re
import time

import pytest
import requests
from rest_framework.authtoken.models import Token

from config.celery import app as celery_app
from core.tests.processes import (
    WEB_ENV,
    celery_worker,
    child_env,
    free_port,
    gunicorn,
    redis_server,
    stop,
    wait_for,
)
from listings.models import Listing
from listings.tests.factories import listing_form_data, listing_payload
from matchmaking import tasks
from matchmaking.models import ListingMatchState, Match, MatchRun
from matchmaking.tests.celery_utils import broker

pytestmark = [
    pytest.mark.faults,
    pytest.mark.django_db(transaction=True),
    # Without the fail-open cache (core/cache.py, issue 16 finding 1) the API answers 500
    # while Redis is down: this test is the proof of that fix and of the sweep.
    pytest.mark.skipif(
        importlib.util.find_spec("core.cache") is None, reason="needs core/cache.py (finding 1)"
    ),
]

QUICK = 3.0  # seconds a post may take on a loaded 2-core machine (about 0.1 s when idle)


def _ready(base: str) -> dict | None:
    try:
        response = requests.get(f"{base}/readyz", timeout=10)
    except requests.RequestException:
        return None
    return response.json()


@pytest.fixture
def site(tmp_path):
    """Redis on its own port, gunicorn and a worker on it, all on this test's database."""
    redis_port, web_port = free_port(), free_port()
    redis = redis_server(port=redis_port)
    url = f"redis://127.0.0.1:{redis_port}/0"
    queue = f"faults-redis-{os.getpid()}"
    env = child_env(
        broker=url,
        queue=queue,
        **WEB_ENV,
        MATCH_SWEEP_AFTER_SECONDS="0",
        # Plain HTTP here: with debug off the session and CSRF cookies would be HTTPS-only.
        DJANGO_DEBUG="1",
    )
    web = gunicorn(env=env, port=web_port)
    worker = celery_worker(env=env, name=f"redis-{queue}@localhost", queue=queue)
    base = f"http://127.0.0.1:{web_port}"
    state = {"redis": redis}
    try:
        ready = wait_for(lambda: (_ready(base) or {}).get("status") == "ok", 90, 0.5)
        assert ready, f"the site never got ready: {_ready(base)}"
        yield base, url, redis_port, state
    finally:
        stop(worker)
        stop(web)
        stop(state["redis"])


def _page_session(base: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{base}/accounts/login/", timeout=10)
    response = session.post(
        f"{base}/accounts/login/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=10,
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]
    return session


def test_posts_succeed_while_redis_is_down_and_the_next_sweep_matches_each_once(
    site, actors, reference, settings
):
    from accounts.tests.factories import PASSWORD

    base, url, redis_port, state = site
    # The web process checks passwords with the real hashers (the tests' MD5 is not among them).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    actors.buyer.set_password(PASSWORD)
    actors.buyer.save(update_fields=["password"])
    supplier = {"Authorization": f"Token {Token.objects.create(user=actors.supplier).key}"}
    buyer = {"Authorization": f"Token {Token.objects.create(user=actors.buyer).key}"}
    page = _page_session(base, actors.buyer.username, PASSWORD)

    supply = requests.post(
        f"{base}/api/v1/listings/", json=listing_payload(actors.supplier_org), headers=supplier
    )
    assert supply.status_code == 201, supply.text
    supply_id = supply.json()["id"]
    assert wait_for(lambda: ListingMatchState.objects.filter(listing_id=supply_id).exists(), 30)

    stop(state["redis"])  # Redis goes away
    posted, timings = [], []
    for i in range(3):
        body = listing_payload(
            actors.buyer_org, side="demand", title=f"Cần mua cà phê {i}", quantity="2"
        )
        started = time.monotonic()
        response = requests.post(f"{base}/api/v1/listings/", json=body, headers=buyer, timeout=30)
        timings.append(time.monotonic() - started)
        assert response.status_code == 201, response.text
        posted.append(response.json()["id"])
    for i in range(2):
        form = page.get(f"{base}/listings/new/?side=demand", timeout=30)
        data = listing_form_data(
            reference,
            actors.buyer_org,
            side="demand",
            title=f"Mua cà phê nhân {i}",
            quantity="2",
            ocop_stars="",
            min_order_quantity="",
            province="TP HCM",
            csrfmiddlewaretoken=page.cookies["csrftoken"],
        )
        token = re.search(r'name="form_token" value="([^"]+)"', form.text)
        if token:
            data["form_token"] = token.group(1)
        started = time.monotonic()
        response = page.post(
            f"{base}/listings/new/",
            data=data,
            headers={"Referer": f"{base}/listings/new/"},
            timeout=30,
            allow_redirects=False,
        )
        timings.append(time.monotonic() - started)
        assert response.status_code == 302, response.text[:1000]
        posted.append(int(response.headers["Location"].rstrip("/").split("/")[-1]))
    down = _ready(base)
    assert down["status"] == "fail" and down["checks"]["redis"]["status"] == "fail"
    assert max(timings) < QUICK, timings
    assert Listing.objects.filter(pk__in=posted).count() == 5
    assert not ListingMatchState.objects.filter(listing_id__in=posted).exists()
    assert not Match.objects.filter(demand_id__in=posted).exists()

    state["redis"] = redis_server(port=redis_port)  # back, empty (no persistence)
    back = time.monotonic()
    assert wait_for(lambda: (_ready(base) or {}).get("status") == "ok", 60, 0.25)
    readiness_seconds = time.monotonic() - back

    with broker(url, result_backend=url, task_default_queue=f"faults-redis-{os.getpid()}"):
        wait_for(lambda: celery_app.control.ping(timeout=0.5), 30)
        tasks.sweep_unmatched.apply_async()  # what beat sends every 5 minutes
        matched = wait_for(
            lambda: ListingMatchState.objects.filter(listing_id__in=posted).count() == 5,
            60,
        )
    print(
        f"\nposts with Redis down: max {max(timings):.2f} s; /readyz ready "
        f"{readiness_seconds:.1f} s after Redis returned"
    )
    assert matched, "the sweep did not match every listing posted during the outage"
    for demand_id in posted:  # each matched once, and its proposal made once
        assert MatchRun.objects.filter(kind="listing", listing_id=demand_id).count() == 1
        assert Match.objects.filter(supply_id=supply_id, demand_id=demand_id).count() == 1
    assert readiness_seconds < 30
