"""A full re-match survives its worker being SIGKILLed mid-run (real processes, real Redis).

A market of a few thousand listings in 14 category families (14 chunks) is matched once
in-process: the clean result. Then a prefork worker process (main and pool child) runs the
same full re-match from Redis and is SIGKILLed, whole process group, while chunks are still
to do. A new worker is started, the reaper runs as beat would run it, and the run must
complete with exactly the clean proposals: no duplicate pair, none lost. Running it again
gives the same.
"""

import os
import time

import pytest
from django.core.management import call_command

from config.celery import app as celery_app
from core.tests.processes import celery_worker, child_env, kill, stop, wait_for
from matchmaking import tasks
from matchmaking.benchmarks import database as bench
from matchmaking.models import Match, MatchRun, MatchRunChunk, Pool
from matchmaking.services import matching
from matchmaking.tests.celery_utils import broker

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

BROKER = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
STALE_SECONDS = 5


def _proposals() -> list[tuple]:
    return list(Match.objects.values_list("supply_id", "demand_id", "suggested_quantity"))


@pytest.fixture
def market(settings):
    # Crash recovery of the chunks, with pools off on both sides: a full re-match that finds
    # active pools holds their shares, so a second run re-fits the single offers around them.
    settings.MATCHING = {**settings.MATCHING, "POOLS": False}
    call_command("seed", verbosity=0)
    bench.build_market(1000, 1000, seed=11, out=lambda *_: None)
    run, _wall = bench.full_rematch(processes=1)  # the clean run, in this process
    clean = _proposals()
    assert run.status == MatchRun.Status.DONE and len(clean) > 300
    assert not Pool.objects.exists()
    Match.objects.all().delete()
    return set(clean)


def _start_worker(queue: str, name: str):
    env = child_env(
        broker=BROKER,
        queue=queue,
        MATCH_RUN_STALE_SECONDS=str(STALE_SECONDS),
        MATCH_RUN_HEARTBEAT_SECONDS="1",
        MATCH_POOLS="0",
    )
    # prefork: a main process and a pool child, both killed below
    return celery_worker(env=env, name=name, queue=queue, pool="prefork", concurrency=1)


def _wait_for_worker(proc, name: str):
    def answered():
        if proc.poll() is not None:
            pytest.fail(f"worker exited: {proc.stdout.read()}")
        return celery_app.control.ping(destination=[name], timeout=0.5)

    assert wait_for(answered, 90, step=0.2), f"{name} did not answer within 90 s"


def test_a_run_whose_worker_is_killed_completes_with_no_duplicate_and_nothing_lost(market):
    queue = f"faults-kill-{os.getpid()}-{time.monotonic_ns()}"
    first_name, second_name = f"doomed-{queue}@localhost", f"second-{queue}@localhost"
    with broker(BROKER, result_backend=BROKER, task_default_queue=queue):
        first = _start_worker(queue, first_name)
        try:
            _wait_for_worker(first, first_name)
            run = matching.start_full_rematch()  # sent on commit (autocommit here)

            def mid_run():
                states = list(
                    MatchRunChunk.objects.filter(run=run).values_list("status", flat=True)
                )
                # some chunks done, others still to do: kill it now
                return "done" in states and ("queued" in states or "running" in states)

            assert wait_for(mid_run, 60, 0.05), "the run never got under way"
        finally:
            kill(first)
        killed_at = time.monotonic()
        done_before = MatchRunChunk.objects.filter(run=run, status="done").count()
        # Chunks are quick at this size: the kill may land between two of them, with none held.
        held_at_kill = MatchRunChunk.objects.filter(run=run, status="running").exists()
        assert MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.RUNNING

        second = _start_worker(queue, second_name)
        try:
            _wait_for_worker(second, second_name)

            def recovered():
                tasks.reap_stale_runs.apply_async()  # what beat sends every minute
                status = MatchRun.objects.get(pk=run.pk).status
                return status if status in (MatchRun.Status.DONE, MatchRun.Status.FAILED) else None

            status = wait_for(recovered, 180, step=1.0)
            recovery = time.monotonic() - killed_at
            assert status == MatchRun.Status.DONE, MatchRun.objects.get(pk=run.pk).error

            pairs = _proposals()
            duplicates = len(pairs) - len({(s, d) for s, d, _q in pairs})
            lost = len(market - set(pairs))
            extra = len(set(pairs) - market)
            print(
                f"\nworker SIGKILLed with {done_before}/{run.chunks.count()} chunks done; "
                f"run completed {recovery:.1f} s after the kill; "
                f"{len(pairs)} proposals (clean run {len(market)}): "
                f"{duplicates} duplicate, {lost} lost, {extra} extra"
            )
            assert (duplicates, lost, extra) == (0, 0, 0)
            # The chunk the dead worker held (running, or reserved and never started) stays
            # unacknowledged in Redis until the visibility timeout: the reaper sent it again.
            resent = MatchRunChunk.objects.filter(run=run, note__contains="sent again")
            print(f"chunks sent again by the reaper: {[c.index for c in resent]}")
            if held_at_kill:
                assert resent.exists()

            # The run can be repeated: the same proposals again.
            again = matching.start_full_rematch()
            assert wait_for(
                lambda: MatchRun.objects.get(pk=again.pk).status == MatchRun.Status.DONE, 120, 0.5
            )
            assert set(_proposals()) == market and Match.objects.count() == len(market)
        finally:
            stop(second)
