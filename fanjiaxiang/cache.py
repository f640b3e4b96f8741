"""Django's Redis cache, failing open: a cache that cannot be reached is a cache miss, never an
error page. Django's RedisCache has no option to ignore errors, so each operation here turns a
connection error or timeout into "not cached" (reads give the default, writes do nothing), logs
it (at most once a minute a process), and skips Redis for a few seconds so a Redis that does
not answer costs each request one short timeout at most rather than one per cache call.

Sessions (database) and sign-in throttling (django-axes and accounts/throttle.py, database) never
depend on it."""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
SKIP_SECONDS = 5  # after a failure, how long the cache is treated as empty without asking Redis
LOG_SECONDS = 60


def _fail_open(default=None):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if time.monotonic() < self._down_until:
                return default() if callable(default) else default
            try:
                return method(self, *args, **kwargs)
            except UNAVAILABLE as error:
                self._failed(error)
                return default() if callable(default) else default

        return wrapper

    return decorate


class ReusedClient(RedisCacheClient):
    """Django builds a new redis.Redis (its 200 response callbacks with it) for every cache
    call, about half a millisecond each: a cached public page makes two calls. The client is
    thread-safe over its pool, so one per pool serves every call."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_reused", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        # Short, so an unreachable Redis costs a request a fraction of a second.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, params)
        self._class = ReusedClient
        self._down_until = 0.0
        self._logged_at = -LOG_SECONDS

    def _failed(self, error: Exception) -> None:
        now = time.monotonic()
        self._down_until = now + SKIP_SECONDS
        if now - self._logged_at >= LOG_SECONDS:
            self._logged_at = now
            logger.warning("cache unavailable, serving uncached: %r", error)

    def get(self, key, default=None, version=None):
        if time.monotonic() < self._down_until:
            return default
        try:
            return super().get(key, default, version)
        except UNAVAILABLE as error:
            self._failed(error)
            return default

    add = _fail_open(False)(RedisCache.add)
    set = _fail_open()(RedisCache.set)
    touch = _fail_open(False)(RedisCache.touch)
    delete = _fail_open(False)(RedisCache.delete)
    get_many = _fail_open(dict)(RedisCache.get_many)
    has_key = _fail_open(False)(RedisCache.has_key)
    set_many = _fail_open(list)(RedisCache.set_many)
    delete_many = _fail_open()(RedisCache.delete_many)
    clear = _fail_open(False)(RedisCache.clear)
