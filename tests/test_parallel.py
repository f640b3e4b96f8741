"""`make test` runs the suite on several xdist workers: each has a Redis database of its own,
so a Celery worker started by one test never takes the tasks of a test on another worker."""

import os

import pytest
from django.conf import settings

from fanjiaxiang.celery import app
from tests.conftest import GIVEN_REDIS_URL, MAX_WORKERS, worker_redis_url


def test_each_xdist_worker_counts_down_from_the_given_redis_database():
    assert worker_redis_url("redis://127.0.0.1:6379/15", "gw0") == "redis://127.0.0.1:6379/15"
    assert worker_redis_url("redis://127.0.0.1:6379/15", "gw1") == "redis://127.0.0.1:6379/14"
    assert worker_redis_url("redis://:pw@redis:6380/13", "gw1") == "redis://:pw@redis:6380/12"


def test_below_database_zero_the_workers_count_up_and_still_have_one_each():
    assert [worker_redis_url("redis://r/0", f"gw{n}") for n in range(3)] == [
        "redis://r/0",
        "redis://r/1",
        "redis://r/2",
    ]
    databases = {worker_redis_url("redis://r/2", f"gw{n}") for n in range(MAX_WORKERS)}
    assert databases == {"redis://r/2", "redis://r/1", "redis://r/0", "redis://r/5"}


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis: set REDIS_URL")
def test_the_celery_app_and_the_environment_of_started_workers_name_this_workers_redis_database():
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    url = worker_redis_url(GIVEN_REDIS_URL, worker)
    assert settings.REDIS_URL == os.environ["REDIS_URL"] == url
    assert app.conf.broker_url == app.conf.result_backend == url
    with app.connection_for_write() as conn:
        assert conn.default_channel.client.connection_pool.connection_kwargs["db"] == int(
            url.rsplit("/", 1)[1]
        )
