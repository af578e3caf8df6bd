"""A Redis cache that fails open: Redis being down degrades the site, it never takes it down.

The cache holds nothing that cannot be lost — DRF's throttle counters and short-lived
look-ups — so when Redis cannot be reached every operation answers as a cache miss that stored
nothing: ``get`` returns the default, ``set`` and ``delete`` do nothing, ``add`` claims the key,
``incr`` starts from zero. The throttles then let requests through (fail open) instead of
turning every API request into a 500.

Two things keep a degraded request fast: short socket timeouts (``OPTIONS`` in the settings,
applied to every connection), and a breaker — after one connection error the process skips
Redis for ``RETRY_AFTER`` seconds instead of paying a connection attempt per call; the first
call after that tries again, so the cache comes back on its own when Redis does.
"""

from __future__ import annotations

import functools
import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError, OSError)


def _fail_open(fallback):
    """Run the Redis operation unless the breaker is open; on a connection error, ``fallback``."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if self.is_down():
                return fallback(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as exc:
                self.mark_down(exc)
                return fallback(*args, **kwargs)

        return wrapper

    return decorate


def _default(key, default=None, version=None):
    return default


def _nothing(*args, **kwargs):
    return None


def _claimed(*args, **kwargs):
    return True


def _absent(*args, **kwargs):
    return False


def _empty(*args, **kwargs):
    return {}


def _unsaved(data, *args, **kwargs):
    return list(data)


def _from_zero(key, delta=1, version=None):
    return delta


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis client, keeping one ``redis.Redis`` per connection pool instead of making
    one for every cache call (its constructor cost a fifth of a millisecond, five times on a
    throttled API request). A ``redis.Redis`` over a shared pool is safe across threads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client


class FailOpenRedisCache(RedisCache):
    #: Seconds a process leaves Redis alone after a connection error.
    RETRY_AFTER = 5.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._down_until = 0.0
        self._lock = threading.Lock()

    def is_down(self) -> bool:
        return time.monotonic() < self._down_until

    def mark_down(self, exc: Exception) -> None:
        with self._lock:
            was_up = not self.is_down()
            self._down_until = time.monotonic() + self.RETRY_AFTER
        if was_up:
            log.warning(
                "Redis cache unreachable (%s); serving without it for %.0f s",
                exc,
                self.RETRY_AFTER,
            )

    add = _fail_open(_claimed)(RedisCache.add)
    get = _fail_open(_default)(RedisCache.get)
    set = _fail_open(_nothing)(RedisCache.set)
    touch = _fail_open(_absent)(RedisCache.touch)
    delete = _fail_open(_absent)(RedisCache.delete)
    get_many = _fail_open(_empty)(RedisCache.get_many)
    has_key = _fail_open(_absent)(RedisCache.has_key)
    incr = _fail_open(_from_zero)(RedisCache.incr)
    set_many = _fail_open(_unsaved)(RedisCache.set_many)
    delete_many = _fail_open(_nothing)(RedisCache.delete_many)
    clear = _fail_open(_absent)(RedisCache.clear)


def compute_once(key: str, compute, *, keep_for: int, lock_for: int, wait_for: float, stale=None):
    """``compute()``, kept in the cache under ``key``, by one request at a time.

    The request that takes ``key``'s short lock computes; while another holds it, this one
    returns ``stale`` at once when given one, else waits up to ``wait_for`` seconds for the
    other's result (and computes itself if none lands). ``lock_for`` bounds the lock in case
    the process dies while computing.
    """
    from django.core.cache import cache

    lock = f"{key}:lock"
    if not cache.add(lock, 1, timeout=lock_for):
        if stale is not None:
            return stale
        deadline = time.monotonic() + wait_for
        while time.monotonic() < deadline:
            time.sleep(0.05)
            value = cache.get(key)
            if value is not None:
                return value
    try:
        value = compute()
        cache.set(key, value, timeout=keep_for)
    finally:
        cache.delete(lock)
    return value
