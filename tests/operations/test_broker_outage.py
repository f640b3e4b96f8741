"""Redis stopped under the portal (a redis-server of the test's own, never the shared one):
every action that queues work answers at once with the normal page and loses nothing; Redis
started again, the re-sender and a real worker run each job exactly once."""

import socket
import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core import mail
from django.urls import reverse

from fanjiaxiang import outbox
from fanjiaxiang.models import QueuedTask
from ledger import imports
from ledger import services as ledger_services
from ledger.models import ImportJob
from students import services as student_services
from students.models import MatchingRound
from tests.factories import PostFactory, StudentFactory
from tests.ledger.test_tasks import _upload
from tests.redis_server import PrivateRedis, broker_at

QUEUED = {
    "schedule.tasks.enforce_calendar",
    "ledger.tasks.import_check",
    "accounts.tasks.send_mails",  # the ledger notice's mail
    "students.tasks.compute_matching_round",
}


@pytest.fixture
def redis(celery_broker):
    server = PrivateRedis()
    server.start()
    with broker_at(server.url):
        yield server
    server.stop()


@pytest.fixture
def runs():
    """Every task a worker finished, by name, in order."""
    done, lock = [], threading.Condition()

    def record(sender=None, **kwargs):
        with lock:
            done.append(sender.name)
            lock.notify_all()

    task_postrun.connect(record, weak=False)

    def wait_for(names: set[str]) -> list[str]:
        with lock:
            assert lock.wait_for(lambda: names <= set(done), timeout=60), done
        return done

    yield wait_for
    task_postrun.disconnect(record)


def _timed_post(client, url, data) -> tuple[int, float, str]:
    started = time.monotonic()
    response = client.post(url, data)
    elapsed = time.monotonic() - started
    page = client.get(response["Location"]).content.decode() if response.status_code == 302 else ""
    return response.status_code, elapsed, page


def _every_queueing_action(client, world, settings, monkeypatch):
    """立即核对进度, a big ledger import, a ledger notice, a matching round above the limit."""
    monkeypatch.setattr(imports, "INLINE_LIMIT", 0)
    settings.MATCHING_INLINE_LIMIT = 0
    ledger_services.entry_create(
        actor=None,
        county=world.yuexiu,
        name="邮件收件人",
        phone="13800138000",
        email="a@example.com",
    )
    post = PostFactory(host_unit=world.unit_yx, headcount=1)
    student_services.application_submit(
        actor=None, student=StudentFactory(hometown=world.yuexiu), post=post
    )
    client.force_login(world.province_staff)
    yield _timed_post(client, reverse("schedule:enforce_now"), {})
    client.force_login(world.yx_staff)
    yield _timed_post(client, reverse("ledger:import_upload"), {"file": _upload(3)})
    yield _timed_post(
        client,
        reverse("ledger:notice_create"),
        {"category": "job", "title": "家乡岗位推介", "body": "欢迎回家乡就业。"},
    )
    yield _timed_post(client, reverse("students:matching_run"), {"season": post.season_id})


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_with_redis_down_every_queued_action_answers_and_each_job_runs_once_when_it_is_back(
    client, world, settings, monkeypatch, redis, runs
):
    redis.stop()

    answers = list(_every_queueing_action(client, world, settings, monkeypatch))

    for status, elapsed, page in answers:
        assert status == 302 and elapsed < 2, answers
        assert "已记录，稍后自动处理" in page
    assert {row.task for row in QueuedTask.objects.all()} == QUEUED
    assert ImportJob.objects.get().status == "checking"
    assert MatchingRound.objects.get().status == "running"

    redis.start()
    assert outbox.resend_waiting() == 4
    with start_worker(outbox.app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        runs(QUEUED)
        assert outbox.resend_waiting() == 0  # the beat's next minute finds nothing
        time.sleep(1)  # time enough for a second delivery, were there one
    done = runs(QUEUED)

    assert sorted(done) == sorted(QUEUED)  # each exactly once
    assert not QueuedTask.objects.exists()
    assert ImportJob.objects.get().status == "ready"
    assert MatchingRound.objects.get().status == "preview"
    assert [m.to for m in mail.outbox] == [["a@example.com"]]


@pytest.mark.django_db(transaction=True)
def test_a_redis_that_accepts_and_never_answers_holds_the_request_two_seconds_at_most(
    client, world, celery_broker
):
    silent = socket.create_server(("127.0.0.1", 0))
    held = []
    threading.Thread(target=lambda: held.append(silent.accept()), daemon=True).start()
    with broker_at(f"redis://127.0.0.1:{silent.getsockname()[1]}/0"):
        client.force_login(world.province_staff)
        started = time.monotonic()
        response = client.post(reverse("schedule:enforce_now"))
        elapsed = time.monotonic() - started
    silent.close()

    assert response.status_code == 302 and elapsed < 3  # socket_timeout: 2 s
    assert QueuedTask.objects.get().attempts == 1  # it waits for the re-sender
