"""Enqueueing Celery tasks after the transaction commits, written once.

Services never import an app's ``tasks`` module (tasks import services, so that would be a
circle): they name the task, and :func:`enqueue_on_commit` sends it once the surrounding
transaction has committed, so nothing runs for a row that was rolled back. If the broker is
unreachable the saved data stands: the failure is logged, and the periodic sweeps pick the work
up once the broker is back. Sending is bounded: no publish retries, no wait on the result store
(``ignore_result``; nobody reads these results) and the connection timeouts of the settings, so
a request pays about a second at most while Redis is down. In the embedded run (``CELERY_TASK_ALWAYS_EAGER``) the task runs
in-process at commit.
"""

from __future__ import annotations

import importlib
import logging

from celery import current_app, shared_task
from django.db import transaction

log = logging.getLogger(__name__)


def _task(task_name: str):
    """The registered task; its module is imported first if nothing has yet (the web process
    does not run Celery's autodiscovery, only workers do)."""
    if task_name not in current_app.tasks:
        importlib.import_module(task_name.rpartition(".")[0])
    return current_app.tasks[task_name]


def enqueue(task_name: str, *args) -> bool:
    """Send ``task_name`` now; True if it was handed to the broker (or run eagerly)."""
    try:
        task = _task(task_name)
        task.apply_async(args=list(args), retry=False, ignore_result=True)
    except Exception:  # the broker being down must never undo saved work
        log.warning("could not enqueue %s%r; a sweep will retry", task_name, args, exc_info=True)
        return False
    return True


def enqueue_on_commit(task_name: str, *args) -> None:
    """Send ``task_name(*args)`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: enqueue(task_name, *args))


@shared_task(acks_late=True)
def compact_table_marks() -> int:
    """Fold the read cache's table marks of database sessions gone into one per table
    (``core.readcache.compact``)."""
    from core import readcache

    return readcache.compact()
