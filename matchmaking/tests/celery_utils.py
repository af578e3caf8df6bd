"""Point the Celery app of the test process at another broker, and back."""

import contextlib

from kombu import pools

from config.celery import app as celery_app


def _reset_pools() -> None:
    # The app caches its connection and producer pools on first use; a new broker_url only
    # takes effect once they are dropped.
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
        celery_app._pool = None
    celery_app.amqp._producer_pool = None
    pools.reset()


@contextlib.contextmanager
def broker(url: str, **conf):
    keys = ("broker_url", "result_backend", "task_always_eager", "task_default_queue")
    previous = {k: celery_app.conf[k] for k in keys}
    celery_app.conf.update(broker_url=url, task_always_eager=False, **conf)
    _reset_pools()
    try:
        yield celery_app
    finally:
        celery_app.conf.update(**previous)
        _reset_pools()
