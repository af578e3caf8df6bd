"""Periodic listing jobs. Thin: unpack JSON arguments, call a service, retry a bounded number
of times when the database is briefly unreachable."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.db import DatabaseError

from listings import services


@shared_task(
    name="listings.tasks.expire_listings",
    autoretry_for=(DatabaseError,),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=3,
    acks_late=True,
    time_limit=15 * 60,
    soft_time_limit=14 * 60,
)
def expire_listings(today: str | None = None) -> int:
    """Mark open listings whose window has ended as expired; returns how many.

    ``today`` (ISO date, optional) lets an officer or a test replay a given day.
    Safe to run twice: each listing is claimed with a conditional update.
    """
    day = datetime.date.fromisoformat(today) if today else None
    return services.listings_expire(today=day)


# Within the project's task time limits (below Redis' visibility timeout): 5,000 rows at most.
@shared_task(name="listings.tasks.run_import_job", acks_late=True)
def run_import_job(job_id: int) -> str:
    """A large spreadsheet import (``listings.import_jobs``)."""
    from listings import import_jobs

    return import_jobs.run_job(job_id=job_id)
