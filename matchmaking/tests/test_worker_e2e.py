"""A real Celery worker process, consuming from Redis, matches a newly posted listing."""

import os
import time
from pathlib import Path

import pytest
from django.db import connection

from config.celery import app as celery_app
from core.tests.processes import celery_worker, child_env, stop, wait_for
from matchmaking.models import ListingMatchState, Match, MatchRun
from matchmaking.services import rematch
from matchmaking.tests.celery_utils import broker
from matchmaking.tests.factories import matchable_demand as _demand
from matchmaking.tests.factories import matchable_supply as _supply

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
BROKER = "redis://127.0.0.1:6379/11"


@pytest.fixture
def worker():
    """A worker on a Redis database of its own, pointed at this test's PostgreSQL database."""
    queue = f"e2e-{os.getpid()}-{time.monotonic_ns()}"
    env = child_env(broker=BROKER, queue=queue)
    proc = celery_worker(env=env, name=f"e2e-{os.getpid()}@localhost", queue=queue)
    with broker(BROKER, result_backend=BROKER, task_default_queue=queue):
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                if celery_app.control.ping(timeout=0.5):
                    break
                if proc.poll() is not None:
                    pytest.fail(f"worker exited: {proc.stdout.read()}")
            else:
                pytest.fail("the Celery worker did not answer within 30 s")
            yield proc
        finally:
            stop(proc)


def test_a_worker_matches_a_newly_posted_listing(worker, actors, reference):
    supply = _supply(actors, reference)
    assert not Match.objects.exists()  # nothing ran in this process
    demand = _demand(actors, reference)
    assert wait_for(lambda: Match.objects.filter(supply=supply, demand=demand).exists()), (
        "the worker stored no proposal"
    )
    match = Match.objects.get()
    assert match.status == Match.Status.PROPOSED and match.score > 0.35
    # The worker also ran the demand's own job (the supply's may have found it first).
    assert wait_for(
        lambda: MatchRun.objects.filter(listing=demand, status=MatchRun.Status.DONE).exists()
    )
    assert Match.objects.count() == 1


def test_a_full_rematch_runs_as_a_chord_on_the_worker(worker, actors, reference):
    supply = _supply(actors, reference)
    demand = _demand(actors, reference)
    # Let both listings' own jobs finish first, so none re-creates the match behind the run.
    assert wait_for(
        lambda: (
            MatchRun.objects.filter(
                listing__in=[supply, demand], status=MatchRun.Status.DONE
            ).count()
            == 2
        )
    )
    Match.objects.all().delete()
    run = rematch.start_full_rematch()  # enqueued on commit (autocommit here)
    assert wait_for(lambda: MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.DONE)
    run.refresh_from_db()
    assert run.chunks_done == run.chunks_total >= 1
    assert run.proposals_created == 1 and Match.objects.count() == 1


def _other_backends() -> set[int]:
    """PostgreSQL sessions on this test's database other than this process's own: the worker's."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        return {pid for (pid,) in cursor.fetchall()}


def _matched(listing) -> bool:
    return ListingMatchState.objects.filter(listing=listing).exists()


def test_a_worker_keeps_its_database_connection_from_task_to_task(worker, actors, reference):
    """Celery's Django fixup would close it after every task (a new PostgreSQL session, its
    caches cold, for each saved listing); CELERY_DB_REUSE_MAX keeps it, checked as Django
    checks a request's."""
    supply = _supply(actors, reference)
    assert wait_for(lambda: _matched(supply)), "the worker did not match the supply"
    time.sleep(0.5)  # the task's end (where the fixup used to close the connection) is past
    first = _other_backends()
    assert len(first) == 1, f"the worker holds no connection after its task: {first}"
    demand = _demand(actors, reference)
    assert wait_for(lambda: _matched(demand)), "the worker did not match the demand"
    time.sleep(0.5)
    assert _other_backends() == first  # the same session served the second task
