"""Celery tasks: unpack arguments, call a service. JSON arguments only (ids, not objects)."""

from __future__ import annotations

import logging

from celery import chord, shared_task
from celery.signals import worker_process_init

from matchmaking.services import expiry, market, matching, notifications, rematch

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


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, **RETRY)
def match_listing(listing_id: int) -> dict:
    """Match one new, changed or reopened listing against the open counter-listings."""
    return matching.match_listing(listing_id=listing_id)


@shared_task(acks_late=True, soft_time_limit=1500, time_limit=1800)
def run_full_rematch(run_id: int) -> dict:
    """Split a full re-match into category chunks and run them in parallel (a chord)."""
    chunks = rematch.plan_full_rematch(run_id=run_id)
    if not chunks:
        return rematch.finish_full_rematch(run_id=run_id)
    header = [match_chunk.si(run_id, chunk) for chunk in chunks]
    chord(header)(finish_full_rematch.si(run_id))
    return {"run": run_id, "chunks": len(chunks)}


@shared_task(acks_late=True, soft_time_limit=1500, time_limit=1800, **RETRY)
def match_chunk(run_id: int, category_ids: list[int]) -> dict:
    return rematch.run_chunk(run_id=run_id, category_ids=category_ids)


@shared_task(acks_late=True, soft_time_limit=600, time_limit=900)
def finish_full_rematch(run_id: int) -> dict:
    return rematch.finish_full_rematch(run_id=run_id)


@shared_task
def nightly_rematch() -> int:
    return rematch.start_full_rematch(requested_by=None).pk


@shared_task(acks_late=True)
def sweep_unmatched() -> int:
    """Match open listings that were saved while the broker was unreachable."""
    return rematch.sweep_unmatched()


@shared_task(acks_late=True)
def expire_and_remind() -> dict:
    return expiry.expire_and_remind()


@shared_task(acks_late=True, **RETRY)
def send_digests() -> int:
    return notifications.send_pending_emails()
