"""A ledger notice's e-mails reach each person once: run the task again, run it twice at once,
or after a worker died mid-way, and nobody gets a second copy; a mail the server refused goes on
the next run."""

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from ledger import services, tasks
from ledger.models import Delivery, LedgerNotice
from tests.factories import region, staff
from tests.race import race

FLAKY = "tests.ledger.test_notice_mails.FlakyBackend"


class WorkerKilled(BaseException):
    """What a killed worker looks like from inside: the run stops, nothing after it happens."""


class FlakyBackend(EmailBackend):
    """The locmem backend with a mail server that refuses some addresses and can die."""

    refuse: set[str] = set()
    die_after: int | None = None
    down_after: int | None = None

    def send_messages(self, messages):
        if FlakyBackend.down_after is not None:
            if FlakyBackend.down_after == 0:
                raise ConnectionRefusedError(111, "Connection refused")
            FlakyBackend.down_after -= 1
        if FlakyBackend.die_after is not None:
            if FlakyBackend.die_after == 0:
                raise WorkerKilled
            FlakyBackend.die_after -= 1
        if any(to in FlakyBackend.refuse for m in messages for to in m.to):
            return 0
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = FLAKY
    FlakyBackend.refuse, FlakyBackend.die_after, FlakyBackend.down_after = set(), None, None
    yield FlakyBackend
    FlakyBackend.refuse, FlakyBackend.die_after, FlakyBackend.down_after = set(), None, None


def _notice(people: int, *, without_address: int = 0) -> LedgerNotice:
    county = region("440104")
    notice = LedgerNotice.objects.create(
        county=county, category="job", title="家乡岗位推介", body="欢迎回家乡就业。"
    )
    for n in range(people + without_address):
        entry = services.entry_create(
            actor=None,
            county=county,
            name=f"学子{n}",
            phone=f"1380013{n:04d}",
            email=f"p{n}@example.com" if n < people else "",
        )
        Delivery.objects.create(notice=notice, entry=entry, by_email=True)
    return notice


def _mailed_to() -> list[str]:
    return sorted(to for message in mail.outbox for to in message.to)


def _everyone(people: int) -> list[str]:
    return sorted(f"p{n}@example.com" for n in range(people))


def test_running_it_again_mails_nobody_twice_and_people_without_an_address_are_settled(db):
    notice = _notice(5, without_address=2)
    assert tasks.send_notice_mails(notice.pk) == 5
    assert tasks.send_notice_mails(notice.pk) == 0
    assert _mailed_to() == _everyone(5)
    assert not Delivery.objects.filter(mailed_at__isnull=True).exists()


def test_a_refused_mail_is_tried_again_later_and_only_that_one(db, flaky):
    notice = _notice(4)
    flaky.refuse = {"p2@example.com"}
    with pytest.raises(Retry):  # the task puts itself back for a later try
        tasks.send_notice_mails(notice.pk)
    assert _mailed_to() == ["p0@example.com", "p1@example.com", "p3@example.com"]
    assert Delivery.objects.get(mailed_at__isnull=True).entry.email == "p2@example.com"

    flaky.refuse = set()  # the server takes it now
    assert tasks.send_notice_mails(notice.pk) == 1
    assert _mailed_to() == _everyone(4)


def test_a_mail_server_that_is_down_stops_the_run_and_the_retry_sends_the_rest_once(
    client, db, flaky
):
    notice = _notice(12)
    flaky.down_after = 2  # two mails go, then the connection is refused
    with pytest.raises(Retry):
        tasks.send_notice_mails(notice.pk)
    assert _mailed_to() == ["p0@example.com", "p1@example.com"]
    assert Delivery.objects.filter(mailed_at__isnull=True).count() == 10
    # The notice's page shows who is still waiting for the mail (its sender's account is gone).
    client.force_login(staff("county", region=notice.county))
    html = client.get(reverse("ledger:notice_detail", args=[notice.pk])).content.decode()
    assert html.count("待发送") == 10

    flaky.down_after = None
    assert tasks.send_notice_mails(notice.pk) == 10
    assert _mailed_to() == _everyone(12)


def test_a_worker_killed_mid_way_then_redelivered_mails_nobody_twice(db, flaky):
    notice = _notice(12)
    flaky.die_after = 5  # 5 mails go, the worker dies on the 6th
    with pytest.raises(WorkerKilled):
        services.notice_mails_send(notice.pk, batch=4)
    assert len(mail.outbox) == 5

    flaky.die_after = None
    assert tasks.send_notice_mails(notice.pk) == 6  # the redelivered task
    # Eleven people have their mail once. The one in flight at the kill (p5) is not sent
    # again: it may have reached the server, and a mail cannot be taken back.
    mailed = _mailed_to()
    assert len(mailed) == len(set(mailed)) == 11
    assert set(_everyone(12)) - set(mailed) == {"p5@example.com"}
    assert not Delivery.objects.filter(mailed_at__isnull=True).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_share_the_work_and_mail_each_person_once():
    notice = _notice(60)
    counts = race([lambda: services.notice_mails_send(notice.pk, batch=7)] * 2, returns=True)
    assert sum(counts) == 60
    assert _mailed_to() == _everyone(60)
