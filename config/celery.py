"""The Celery application. Tasks live in each app's ``tasks.py``."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def check_database_connections(sender=None, **kwargs) -> None:
    """Around each task, what Django does around each request: close a connection that is
    broken, older than CONN_MAX_AGE or left outside autocommit; keep a good one (settings:
    CELERY_DB_REUSE_MAX). Not for a task run eagerly, inside its caller's transaction."""
    request = getattr(sender, "request", None)
    if getattr(request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
