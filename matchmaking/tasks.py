"""Celery tasks: unpack arguments, call a service. JSON arguments only (ids, not objects)."""

from __future__ import annotations

import logging

from celery import chord, shared_task
from celery.signals import worker_process_init
from django.db import InterfaceError, OperationalError

from matchmaking import outcome_version, selectors_stats
from matchmaking.services import (
    agendas,
    expiry,
    market,
    matching,
    meetings,
    notifications,
    nudges,
    pool_review,
    rematch,
    runs,
    scheduling,
)

log = logging.getLogger(__name__)


@worker_process_init.connect
def warm_up_market(**kwargs) -> None:
    """Load the open market into a new worker process before its first task, so the first
    listing saved after a deploy is matched as fast as the next ones."""
    try:
        market.warm_up()
    except Exception:  # a worker must start even if the database is not there yet
        log.warning("could not preload the market; the first task will", exc_info=True)
    finally:
        from django.db import connections

        connections.close_all()


RETRY = {"autoretry_for": (ConnectionError, TimeoutError), "retry_backoff": True, "max_retries": 3}
# A database that restarts or fails over answers OperationalError/InterfaceError for a while:
# retry with backoff (2, 4, 8 … s, at most a minute apart, about 8 minutes in all) rather
# than leave the listing to the 5-minute sweep.
DB_RETRY = {
    "autoretry_for": (ConnectionError, TimeoutError, OperationalError, InterfaceError),
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 10,
}


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, **DB_RETRY)
def match_listing(listing_id: int) -> dict:
    """Match one new, changed or reopened listing against the open counter-listings."""
    return matching.match_listing(listing_id=listing_id)


# The long tasks take the global limits (CELERY_TASK_TIME_LIMIT, soft one minute earlier),
# which the broker's visibility timeout exceeds: a message is never handed to a second worker
# while its task may still be running, and a killed worker's chunk is sent again by the
# reaper within minutes (runs.reap_stale_runs), not after the visibility timeout.


@shared_task(acks_late=True)
def run_full_rematch(run_id: int) -> dict:
    """Split a full re-match into category chunks and run them in parallel (a chord)."""
    chunks = rematch.plan_full_rematch(run_id=run_id)
    if not chunks:
        return rematch.finish_full_rematch(run_id=run_id)
    runs.record_chunks(run_id=run_id, chunks=chunks)
    header = [match_chunk.si(run_id, chunk, index) for index, chunk in enumerate(chunks)]
    chord(header)(finish_full_rematch.si(run_id))
    return {"run": run_id, "chunks": len(chunks)}


# A chord chunk: its result is what tells the chord it is done.
@shared_task(bind=True, acks_late=True, ignore_result=False, **RETRY)
def match_chunk(self, run_id: int, category_ids: list[int], index: int | None = None) -> dict:
    """One chunk; with ``index`` it is claimed, reports heartbeats and is marked done."""
    if index is None:
        return rematch.run_chunk(run_id=run_id, category_ids=category_ids)
    with runs.chunk_attempt(run_id=run_id, index=index, worker=self.request.hostname or "") as go:
        result = (
            rematch.run_chunk(run_id=run_id, category_ids=category_ids)
            if go
            else {"run": run_id, "chunk": index, "skipped": "done or running elsewhere"}
        )
    if not self.request.chord:  # sent again by the reaper: no chord callback will come
        runs.finish_if_complete(run_id)
    return result


@shared_task(acks_late=True)
def finish_full_rematch(run_id: int) -> dict:
    """The chord's callback: finishes the run once every chunk is done (a chunk sent again
    by the reaper, still running, finishes it itself)."""
    if not runs.all_done(run_id):
        return {"run": run_id, "status": "waiting for chunks"}
    return rematch.finish_full_rematch(run_id=run_id)


@shared_task(acks_late=True)
def reap_stale_runs() -> dict:
    """Resume or fail full runs whose chunks stopped reporting (Celery beat, every minute)."""
    return runs.reap_stale_runs()


@shared_task
def nightly_rematch() -> int:
    return rematch.start_full_rematch(requested_by=None).pk


@shared_task(acks_late=True)
def sweep_unmatched() -> int:
    """Match open listings that were saved while the broker was unreachable."""
    from django.conf import settings

    return rematch.sweep_unmatched(older_than_seconds=settings.MATCHING["SWEEP_AFTER_SECONDS"])


@shared_task(acks_late=True)
def expire_and_remind() -> dict:
    return expiry.expire_and_remind()


@shared_task(acks_late=True)
def expire_pools() -> int:
    """Withdraw the pools nobody finished answering by their deadline, as expired."""
    return pool_review.expire_pools()


@shared_task(acks_late=True)
def expire_certificates() -> dict:
    """Expire certificates past their date (and tell the owners); remind 30 days before."""
    from matchmaking.services.certificates import expire_and_remind_certificates

    return expire_and_remind_certificates()


@shared_task(acks_late=True, **RETRY)
def send_digests() -> int:
    return notifications.send_pending_emails()


@shared_task(acks_late=True)
def expire_meeting_requests() -> int:
    """Cancel the connection-event meeting requests nobody answered in time."""
    return meetings.meetings_expire()


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def schedule_event(event_id: int, user_id: int) -> dict:
    """Make (or remake) a connection event's meeting schedule, with progress on the event."""
    return scheduling.schedule_event_job(event_id=event_id, user_id=user_id)


@shared_task(acks_late=True, **RETRY)
def send_agendas(event_id: int) -> dict:
    """Email each participant its agenda once the schedule is published (or re-published)."""
    return agendas.send_agenda_emails(event_id)


@shared_task(acks_late=True)
def remind_quiet_deals() -> int:
    """Remind both sides of deals with no change for 30 days (once per quiet stretch)."""
    return nudges.remind_quiet_deals()


@shared_task(acks_late=True)
def flag_overdue_contracts() -> int:
    """Flag signed contracts past their delivery date with nothing delivered; tell officers."""
    return nudges.flag_overdue_contracts()


@shared_task(acks_late=True)
def sweep_unsent_agendas() -> int:
    """Send the first agendas that did not leave when the schedule was published."""
    return agendas.sweep_unsent_agendas()


@shared_task(acks_late=True)
def warm_outcome_figures() -> int:
    """Keep the outcome figures of the dashboard's one-filter views counted (only what changed
    is counted again), so officers rarely wait for a count from nothing."""
    return selectors_stats.warm_standard_views()


@shared_task(acks_late=True)
def compact_outcome_changes() -> int:
    """Fold the change stamps of database sessions long gone into one (``outcome_version``)."""
    return outcome_version.compact()
