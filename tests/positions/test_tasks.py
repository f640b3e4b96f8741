"""The nightly post sweep, run by a real Celery worker on the configured broker."""

import datetime

import pytest
from django.conf import settings

from positions.models import Post
from positions.tasks import close_finished_posts
from tests.factories import HostUnitFactory, PostFactory, region


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
