"""Work a request asks for is recorded with its change and reaches Celery after commit; a broker
that is down leaves it waiting (with a message to the user) for the re-sender."""

import pytest
from django.db import transaction
from django.urls import reverse
from kombu.exceptions import OperationalError

from fanjiaxiang import outbox
from fanjiaxiang.celery import app, resend_waiting_on_start
from fanjiaxiang.models import QueuedTask
from schedule.tasks import enforce_calendar


class Broker:
    """Stands in for `app.send_task`: records what it took, or refuses everything when down."""

    def __init__(self) -> None:
        self.up, self.taken = True, []

    def send_task(self, name, args=None, **options):
        assert options["retry"] is False  # a broker that is down must not hold the request
        if not self.up:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")
        self.taken.append((name, list(args)))


@pytest.fixture
def broker(monkeypatch):
    fake = Broker()
    monkeypatch.setattr(app, "send_task", fake.send_task)
    return fake


def test_a_task_reaches_the_broker_only_after_its_transaction_commits(
    db, broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            outbox.enqueue(enforce_calendar, "2030-05-24", 7)
            assert broker.taken == [] and QueuedTask.objects.count() == 1

    assert broker.taken == [(enforce_calendar.name, ["2030-05-24", 7])]
    assert not QueuedTask.objects.exists()


def test_a_rolled_back_change_queues_nothing(db, broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            outbox.enqueue(enforce_calendar, "2030-05-24", 7)
            raise RuntimeError("the change failed")
    assert broker.taken == [] and not QueuedTask.objects.exists()


def test_a_task_the_broker_refused_waits_and_goes_once_it_is_back(
    db, broker, django_capture_on_commit_callbacks, monkeypatch
):
    logged: list[str] = []  # at the logger itself: a test's Celery worker may rearrange handlers
    monkeypatch.setattr(outbox.logger, "warning", lambda text, *a: logged.append(text % a))
    broker.up = False
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(enforce_calendar, "2030-05-24", 7)
    waiting = QueuedTask.objects.get()
    assert (waiting.attempts, "Connection refused" in waiting.last_error) == (1, True)
    assert "not sent, it waits for the re-sender: OperationalError" in logged[0]
    assert outbox.resend_waiting() == 0  # still down

    broker.up = True
    assert outbox.resend_waiting() == 1
    assert outbox.resend_waiting() == 0
    assert broker.taken == [(enforce_calendar.name, ["2030-05-24", 7])]
    assert not QueuedTask.objects.exists()


def test_two_re_senders_never_send_one_task_twice(db, broker):
    row = QueuedTask.objects.create(task=enforce_calendar.name, args=["2030-05-24", 7])
    # The first has claimed it and is talking to the broker when the second looks.
    QueuedTask.objects.filter(pk=row.pk).update(claimed_until=outbox.timezone.now() + outbox.CLAIM)
    assert outbox.send(row.pk) is outbox.Sent.TAKEN
    assert outbox.resend_waiting() == 0
    assert broker.taken == []


def test_a_claim_left_by_a_killed_sender_lapses(db, broker):
    row = QueuedTask.objects.create(task=enforce_calendar.name, args=["2030-05-24", 7])
    QueuedTask.objects.filter(pk=row.pk).update(claimed_until=outbox.timezone.now() - outbox.CLAIM)
    assert outbox.resend_waiting() == 1
    assert len(broker.taken) == 1


def test_a_worker_starting_sends_what_waits(db, broker):
    QueuedTask.objects.create(task=enforce_calendar.name, args=["2030-05-24", 7])
    resend_waiting_on_start()
    assert len(broker.taken) == 1


def test_the_re_sender_is_on_the_beat_schedule_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["resend-waiting-tasks"]
    assert entry["task"] == "fanjiaxiang.tasks.resend_waiting_tasks"
    assert entry["schedule"].minute == set(range(60))


@pytest.mark.django_db(transaction=True)  # commits for real, as in production
def test_the_province_pressing_check_now_with_the_broker_down_gets_the_page_and_a_message(
    client, world, broker
):
    broker.up = False
    client.force_login(world.province_staff)
    response = client.post(reverse("schedule:enforce_now"), follow=True)
    assert response.status_code == 200
    assert "已记录，稍后自动处理" in response.content.decode()
    assert QueuedTask.objects.get().args[1] == world.province.pk
