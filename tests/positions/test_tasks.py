"""The nightly post sweep, run by a real Celery worker on the configured broker."""

import datetime

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from fanjiaxiang.celery import app
from positions.models import Post
from positions.tasks import close_finished_posts
from tests.factories import HostUnitFactory, PostFactory, region


@pytest.fixture
def worker(tmp_path):
    """A real worker thread. Embedded broker: a private folder, so a running `make run` worker
    cannot take the test's messages; with REDIS_URL: the real Redis."""
    if not settings.REDIS_URL:
        (tmp_path / "queue").mkdir()
        (tmp_path / "results").mkdir()
        queue = str(tmp_path / "queue")
        app.conf.broker_transport_options = {
            "data_folder_in": queue,
            "data_folder_out": queue,
            "store_processed": False,
            "control_folder": str(tmp_path / "control"),
        }
        app.conf.result_backend = f"file://{tmp_path / 'results'}"
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield app


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_closes_finished_posts_and_a_second_run_changes_nothing(worker):
    unit = HostUnitFactory(county=region("440104"))
    ended = PostFactory(host_unit=unit, title="已到期")
    running = PostFactory(
        host_unit=unit, title="进行中", ends_on=ended.ends_on + datetime.timedelta(days=5)
    )
    day = (ended.ends_on + datetime.timedelta(days=1)).isoformat()

    first = close_finished_posts.apply_async(args=[day], ignore_result=False).get(timeout=30)
    ended.refresh_from_db()
    closed_at = ended.closed_at
    second = close_finished_posts.apply_async(args=[day], ignore_result=False).get(timeout=30)
    ended.refresh_from_db()
    running.refresh_from_db()

    assert (first, second) == (1, 0)
    assert ended.status == Post.Status.CLOSED and ended.closed_at == closed_at
    assert running.status == Post.Status.PUBLISHED


def test_the_sweep_is_on_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["close-finished-posts"]
    assert entry["task"] == close_finished_posts.name
