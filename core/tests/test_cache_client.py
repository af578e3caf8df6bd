"""The Redis cache keeps one client per connection pool (``core.cache``)."""

from django.core.cache import cache

from core.cache import ReusedClientRedisCacheClient


def test_every_call_uses_the_same_client_and_the_cache_still_works():
    client = cache._cache
    assert isinstance(client, ReusedClientRedisCacheClient)
    assert client.get_client() is client.get_client(write=True) is client.get_client("key")
    cache.set("core-test-client", {"n": 1}, timeout=30)
    assert cache.get("core-test-client") == {"n": 1}
    assert cache.add("core-test-count", 1)
    assert cache.incr("core-test-count") == 2
