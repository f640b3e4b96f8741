"""A Redis cache that goes away (a redis-server of the test's own) is a cache miss, not an error
page: pages answer uncached and quickly, sign-in and its throttling keep working (database)."""

import time

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.urls import reverse

from fanjiaxiang import cache as cache_module
from tests.redis_server import PrivateRedis

CACHE = "fanjiaxiang.cache.FailOpenRedisCache"


@pytest.fixture
def redis_cache(settings):
    server = PrivateRedis()
    server.start()
    settings.CACHES = {"default": {"BACKEND": CACHE, "LOCATION": server.url}}
    yield server
    server.stop()


def test_the_settings_use_the_fail_open_cache_for_a_redis_cache_url():
    from tests.process import manage

    shown = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CACHES)",
        CACHE_URL="redis://127.0.0.1:6399/1",
        DEBUG="1",
    )
    assert CACHE in shown.stdout, shown.stderr
    assert django_settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert django_settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"


def test_with_the_cache_down_reads_miss_writes_do_nothing_and_it_is_logged(
    redis_cache, monkeypatch
):
    # Recorded at the logger itself: an in-process Celery worker of an earlier test may have
    # rearranged logging's handlers.
    logged: list[str] = []
    monkeypatch.setattr(cache_module.logger, "warning", lambda text, *a: logged.append(text % a))
    cache.set("figures", 42)
    assert cache.get("figures") == 42

    redis_cache.stop()
    started = time.monotonic()
    assert cache.get("figures") is None
    assert cache.get("figures", "uncached") == "uncached"
    cache.set("figures", 43)
    assert cache.get_or_set("figures", 44) == 44
    assert cache.get_many(["figures"]) == {}
    assert time.monotonic() - started < 2  # refused at once; 0.5 s timeouts for a silent one
    assert len(logged) == 1 and "cache unavailable, serving uncached" in logged[0]


def test_with_the_cache_down_pages_answer_and_sign_in_is_still_throttled(
    client, world, redis_cache
):
    redis_cache.stop()
    assert client.get(reverse("positions:search")).status_code == 200
    login = reverse("accounts:login")
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": "yuexiu", "password": "wrong"})
    locked = client.post(login, {"username": "yuexiu", "password": "wrong"})
    assert locked.status_code == 429  # django-axes counts in the database
