"""A ledger notice's e-mails go through the one mail outbox (accounts/mail.py) and reach each
person once: run the sender again, twice at once, or after a worker died mid-way, and nobody
gets a second copy; a mail the server did not take goes on a later run; an address refused for
good is shown, with the server's reason, on the notice's page."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from django.utils import timezone

from accounts.mail import mails_send
from accounts.models import Mail
from ledger import services, tasks
from ledger.models import Delivery, Entry, LedgerNotice
from tests.factories import region, staff
from tests.race import race

FLAKY = "tests.ledger.test_notice_mails.FlakyBackend"
LATER = datetime.timedelta(minutes=11)  # past the 10 minutes before a mail is tried again


class WorkerKilled(BaseException):
    """What a killed worker looks like from inside: the run stops, nothing after it happens."""


class FlakyBackend(EmailBackend):
    """The locmem backend with a mail server that refuses some addresses and can die."""

    refuse: set[str] = set()  # not taken this time (the backend says 0)
    reject: set[str] = set()  # refused for good (550)
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
        to = {to for m in messages for to in m.to}
        if to & FlakyBackend.reject:
            raise smtplib.SMTPRecipientsRefused(
                {a: (550, b"5.1.1 mailbox unavailable") for a in to & FlakyBackend.reject}
            )
        if to & FlakyBackend.refuse:
            return 0
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = FLAKY
    FlakyBackend.refuse, FlakyBackend.reject = set(), set()
    FlakyBackend.die_after = FlakyBackend.down_after = None
    yield FlakyBackend
    FlakyBackend.refuse, FlakyBackend.reject = set(), set()
    FlakyBackend.die_after = FlakyBackend.down_after = None


def _notice(people: int, *, without_address: int = 0) -> LedgerNotice:
    county = region("440104")
    for n in range(people + without_address):
        services.entry_create(
            actor=None,
            county=county,
            name=f"学子{n}",
            phone=f"1380013{n:04d}",
            email=f"p{n}@example.com" if n < people else "",
        )
    return services.notice_send(
        county=county,
        actor=None,
        category="job",
        title="家乡岗位推介",
        body="欢迎回家乡就业。",
        # In the order entered, so p0, p1, ... are mailed in that order: without an ORDER BY,
        # PostgreSQL may return rows in another (a rolled-back test's space reused).
        entries=Entry.objects.filter(county=county).order_by("pk"),
        filters={},
    )


def _mailed_to() -> list[str]:
    return sorted(to for message in mail.outbox for to in message.to)


def _everyone(people: int) -> list[str]:
    return sorted(f"p{n}@example.com" for n in range(people))


def _page(client, notice) -> str:
    client.force_login(staff("county", region=notice.county))
    return client.get(reverse("ledger:notice_detail", args=[notice.pk])).content.decode()


def test_running_it_again_mails_nobody_twice_and_people_without_an_address_get_none(db):
    notice = _notice(5, without_address=2)
    assert Mail.objects.count() == 5  # written with the notice, sent by a worker
    assert mails_send() == 5
    assert mails_send() == 0
    assert tasks.send_notice_mails(notice.pk) == 0  # a message queued before the outbox
    assert _mailed_to() == _everyone(5)
    assert not Delivery.objects.filter(by_email=True, mail__status="pending").exists()


def test_a_mail_not_taken_is_tried_again_later_and_only_that_one(db, flaky):
    _notice(4)
    flaky.refuse = {"p2@example.com"}
    assert mails_send() == 3
    assert _mailed_to() == ["p0@example.com", "p1@example.com", "p3@example.com"]
    assert Mail.objects.get(status="pending").to == "p2@example.com"
    assert mails_send() == 0  # not before its next try

    flaky.refuse = set()  # the server takes it now
    assert mails_send(now=timezone.now() + LATER) == 1
    assert _mailed_to() == _everyone(4)


def test_a_mail_server_that_is_down_stops_the_run_and_the_retry_sends_the_rest_once(
    client, db, flaky
):
    notice = _notice(12)
    flaky.down_after = 2  # two mails go, then the connection is refused
    assert mails_send() == 2
    assert _mailed_to() == ["p0@example.com", "p1@example.com"]
    assert Mail.objects.filter(status="pending").count() == 10
    # The notice's page shows who is still waiting for the mail.
    assert _page(client, notice).count("（待发送）") == 10

    flaky.down_after = None
    assert mails_send(now=timezone.now() + LATER) == 10
    assert _mailed_to() == _everyone(12)


def test_an_address_refused_for_good_is_not_tried_again_and_its_sender_sees_why(client, db, flaky):
    notice = _notice(3)
    flaky.reject = {"p1@example.com"}
    assert mails_send() == 2
    assert mails_send(now=timezone.now() + LATER) == 0  # never tried again
    refused = Mail.objects.get(status="failed")
    assert (refused.to, refused.error) == ("p1@example.com", "550 5.1.1 mailbox unavailable")

    page = _page(client, notice)
    assert "发送失败 1" in page and "已发送 2" in page
    assert "（发送失败：550 5.1.1 mailbox unavailable）" in page


def test_a_mail_still_not_taken_after_two_hours_fails_for_good(db, flaky):
    _notice(1)
    flaky.refuse = {"p0@example.com"}
    now = timezone.now()
    for _ in range(12):
        mails_send(now=now)
        now += LATER
    assert Mail.objects.get().status == "failed"
    assert not mail.outbox


def test_a_worker_killed_mid_way_then_redelivered_mails_nobody_twice(db, flaky):
    _notice(12)
    flaky.die_after = 5  # 5 mails go, the worker dies on the 6th
    with pytest.raises(WorkerKilled):
        mails_send()
    assert len(mail.outbox) == 5

    flaky.die_after = None
    assert mails_send() == 6  # the redelivered task
    # Eleven people have their mail once. The one in flight at the kill (p5) is not sent
    # again: it may have reached the server, and a mail cannot be taken back.
    mailed = _mailed_to()
    assert len(mailed) == len(set(mailed)) == 11
    assert set(_everyone(12)) - set(mailed) == {"p5@example.com"}
    assert Mail.objects.get(status="sending").to == "p5@example.com"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_share_the_work_and_mail_each_person_once():
    _notice(60)
    counts = race([mails_send] * 2, returns=True)
    assert sum(counts) == 60
    assert _mailed_to() == _everyone(60)
