"""Full re-match runs that survive a killed worker: chunk rows, heartbeats and the reaper.

- :func:`record_chunks`: the planner's chunks become rows (``MatchRunChunk``), all ``queued``.
- :func:`chunk_attempt`: a worker claims a chunk with a conditional ``update()`` (a chunk that
  is done, or running elsewhere with a fresh heartbeat, is skipped), beats every
  ``RUN_HEARTBEAT_SECONDS`` from a thread while the chunk runs, and marks it done or failed.
- :func:`reap_stale_runs` (Celery beat, every minute): a chunk whose heartbeat is older than
  ``RUN_STALE_SECONDS``, or that failed, is sent again (at most ``RUN_CHUNK_ATTEMPTS``
  attempts, then the run fails and says why); a run whose chunks are all done but whose
  chord callback never came is finished; a single-listing run left ``running`` by a dead
  worker is marked failed (its message is delivered again anyway, ``acks_late``).

Sending a chunk twice is safe: proposals are upserts on the pair, a chunk's allocation only
depends on its own categories, and a chunk already done is skipped.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import socket
import threading

from django.conf import settings
from django.db import connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from core.tasks import enqueue
from matchmaking.models import MatchRun, MatchRunChunk

log = logging.getLogger(__name__)

Chunk = MatchRunChunk.Status


def _options() -> tuple[float, datetime.timedelta, int]:
    options = settings.MATCHING
    return (
        float(options["RUN_HEARTBEAT_SECONDS"]),
        datetime.timedelta(seconds=options["RUN_STALE_SECONDS"]),
        int(options["RUN_CHUNK_ATTEMPTS"]),
    )


def record_chunks(*, run_id: int, chunks: list[list[int]]) -> None:
    MatchRunChunk.objects.bulk_create(
        [MatchRunChunk(run_id=run_id, index=i, category_ids=c) for i, c in enumerate(chunks)],
        ignore_conflicts=True,
    )


def all_done(run_id: int) -> bool:
    """Whether every recorded chunk of the run is done (True for a run without chunk rows)."""
    return not MatchRunChunk.objects.filter(run_id=run_id).exclude(status=Chunk.DONE).exists()


def _claim(run_id: int, index: int, worker: str) -> MatchRunChunk | None:
    _beat, stale, _attempts = _options()
    now = timezone.now()
    claimable = MatchRunChunk.objects.filter(run_id=run_id, index=index).filter(
        _claimable(now - stale)
    )
    with transaction.atomic():
        if not claimable.update(
            status=Chunk.RUNNING,
            attempts=F("attempts") + 1,
            worker=worker[:200],
            started_at=now,
            heartbeat_at=now,
            finished_at=None,
        ):
            return None
    return MatchRunChunk.objects.get(run_id=run_id, index=index)


def _claimable(stale_before) -> Q:
    """Queued, failed, or running with a heartbeat older than ``stale_before``."""
    return Q(status__in=[Chunk.QUEUED, Chunk.FAILED]) | Q(
        status=Chunk.RUNNING, heartbeat_at__lt=stale_before
    )


class _Heartbeat(threading.Thread):
    """Touches the chunk's ``heartbeat_at`` every few seconds while the chunk runs."""

    def __init__(self, chunk_pk: int, every: float):
        super().__init__(name=f"heartbeat-{chunk_pk}", daemon=True)
        self.chunk_pk, self.every = chunk_pk, every
        self.halt = threading.Event()

    def run(self) -> None:
        try:
            while not self.halt.wait(self.every):
                MatchRunChunk.objects.filter(pk=self.chunk_pk, status=Chunk.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
        except Exception:  # a missed beat only makes the reaper look sooner
            log.warning("heartbeat of chunk %s failed", self.chunk_pk, exc_info=True)
        finally:
            connections.close_all()  # this thread's own connection

    def stop(self) -> None:
        self.halt.set()
        self.join(timeout=5)


@contextlib.contextmanager
def chunk_attempt(*, run_id: int, index: int, worker: str = ""):
    """Claim chunk ``index`` of ``run_id``; yields False when there is nothing to do."""
    every, _stale, _attempts = _options()
    chunk = _claim(run_id, index, worker or socket.gethostname())
    if chunk is None:
        yield False
        return
    beat = _Heartbeat(chunk.pk, every)
    beat.start()
    try:
        yield True
    except BaseException as exc:
        beat.stop()
        MatchRunChunk.objects.filter(pk=chunk.pk, status=Chunk.RUNNING).update(
            status=Chunk.FAILED,
            finished_at=timezone.now(),
            note=f"attempt {chunk.attempts} failed: {exc!r}"[:2000],
        )
        raise
    beat.stop()
    MatchRunChunk.objects.filter(pk=chunk.pk).update(
        status=Chunk.DONE, finished_at=timezone.now(), heartbeat_at=timezone.now()
    )


def finish_if_complete(run_id: int) -> bool:
    """Finish a running full run whose chunks are all done; True if this call finished it."""
    from matchmaking.services import rematch

    if not MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.RUNNING).exists():
        return False
    if not all_done(run_id):
        return False
    rematch.finish_full_rematch(run_id=run_id)
    return True


def _fail(run: MatchRun, reason: str) -> None:
    MatchRun.objects.filter(pk=run.pk, status=MatchRun.Status.RUNNING).update(
        status=MatchRun.Status.FAILED, error=reason[:2000], finished_at=timezone.now()
    )
    log.warning("match run %s failed: %s", run.pk, reason)


def _describe(chunk: MatchRunChunk) -> str:
    if chunk.status == Chunk.FAILED:
        return chunk.note or f"chunk {chunk.index} failed"
    last = chunk.heartbeat_at or chunk.started_at
    when = timezone.localtime(last).strftime("%Y-%m-%d %H:%M:%S") if last else "—"
    if chunk.status == Chunk.RUNNING:
        return f"chunk {chunk.index} stopped reporting at {when} (worker {chunk.worker or '?'})"
    return f"chunk {chunk.index} was never started"


def reap_stale_runs() -> dict:
    """Resume or fail full runs whose chunks stopped reporting; see the module docstring."""
    _every, stale, max_attempts = _options()
    now = timezone.now()
    stale_before = now - stale
    counts = {"resent": 0, "failed": 0, "finished": 0, "listing_runs_failed": 0}
    running = MatchRun.objects.filter(kind=MatchRun.Kind.FULL, status=MatchRun.Status.RUNNING)
    for run in running:
        chunks = list(run.chunks.all())
        if not chunks:
            if run.started_at and run.started_at < stale_before and not run.chunks_total:
                _fail(run, "the planner stopped before it split the run into chunks.")
                counts["failed"] += 1
            continue
        pending = [c for c in chunks if c.status != Chunk.DONE]
        if not pending:
            if finish_if_complete(run.pk):
                counts["finished"] += 1
            continue
        signs = [t for c in chunks for t in (c.heartbeat_at, c.finished_at) if t]
        alive = max([*signs, run.started_at or run.created_at])
        for chunk in pending:
            stopped = (
                chunk.status == Chunk.FAILED
                or (
                    chunk.status == Chunk.RUNNING
                    and (chunk.heartbeat_at or chunk.started_at or now) < stale_before
                )
                or (chunk.status == Chunk.QUEUED and alive < stale_before)
            )
            if not stopped:
                continue
            what = _describe(chunk)
            if chunk.attempts >= max_attempts:
                _fail(run, f"{what}; given up after {chunk.attempts} attempts.")
                counts["failed"] += 1
                break
            note = f"{timezone.localtime(now):%H:%M:%S} {what}; sent again"
            sent_again = (
                MatchRunChunk.objects.filter(pk=chunk.pk, status=chunk.status)
                .exclude(status=Chunk.DONE)
                .update(
                    status=Chunk.QUEUED,
                    heartbeat_at=now,  # a fresh start for the stale test of the next look
                    note=(chunk.note + "\n" + note).strip()[-2000:],
                )
            )
            if sent_again:
                enqueue("matchmaking.tasks.match_chunk", run.pk, chunk.category_ids, chunk.index)
                counts["resent"] += 1
    # A single listing's run is short (time limit 90 s): still running after the stale
    # threshold plus that, its worker died; the task itself is delivered again (acks_late).
    listing_cutoff = stale_before - datetime.timedelta(seconds=90)
    counts["listing_runs_failed"] = MatchRun.objects.filter(
        kind=MatchRun.Kind.LISTING, status=MatchRun.Status.RUNNING, started_at__lt=listing_cutoff
    ).update(
        status=MatchRun.Status.FAILED,
        error="the worker stopped before this run finished",
        finished_at=now,
    )
    return counts
