"""The one mail path: a request that mails someone only writes the mail; a worker sends it. A
hung mail server never holds a request, the mail goes once a server takes it, never twice; an
address refused for good is kept, and the province sees its failed mails."""

import datetime
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.mail import mails_send
from accounts.models import Mail, Role
from accounts.notices import notify, province_ids
from students import services
from tests.factories import StudentFactory, region, staff
from tests.smtp_server import SmtpServer


def _smtp(settings, server: SmtpServer) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 1


@pytest.fixture
def offer(world):
    student = StudentFactory(hometown=world.yuexiu, name="越秀学生")
    application = services.application_submit(actor=None, student=student, post=world.post_yx)
    return application, student


@pytest.mark.django_db(transaction=True)  # commits for real: the mail task goes after commit
def test_a_hung_mail_server_never_holds_a_request_and_the_mail_goes_once_it_is_back(
    client, world, offer, settings, celery_broker
):
    application, student = offer
    hung = SmtpServer(hang=True)
    _smtp(settings, hung)
    client.force_login(world.yx_staff)

    started = time.monotonic()
    response = client.post(reverse("students:offer", args=[application.pk]))
    elapsed = time.monotonic() - started

    assert response.status_code == 302 and elapsed < 1
    waiting = Mail.objects.get()
    assert (waiting.to, waiting.status) == (student.user.email, "pending")
    started = time.monotonic()
    assert mails_send() == 0  # the worker gives up after EMAIL_TIMEOUT, the mail waits
    assert time.monotonic() - started < 5
    assert Mail.objects.get().status == "pending"
    hung.close()

    working = SmtpServer()
    _smtp(settings, working)
    assert mails_send() == 1
    assert mails_send() == 0
    working.close()
    assert [to for to, _text in working.received] == [student.user.email]
    assert Mail.objects.get().status == "sent"


@pytest.mark.django_db(transaction=True)
def test_an_address_the_server_refuses_for_good_is_recorded_and_not_tried_again(world, settings):
    server = SmtpServer(refuse={"gone@example.com"})
    _smtp(settings, server)
    gone = staff(Role.COUNTY, region=world.yuexiu, username="gone", email="gone@example.com")
    notify(user=gone, text="计划已退回")
    kept = staff(Role.COUNTY, region=world.yuexiu, username="kept", email="kept@example.com")
    notify(user=kept, text="计划已退回")

    assert mails_send() == 1
    assert mails_send() == 0
    server.close()
    assert [to for to, _text in server.received] == ["kept@example.com"]
    failed = Mail.objects.get(status="failed")
    assert (failed.to, failed.error) == ("gone@example.com", "550 5.1.1 mailbox unavailable")
    assert failed.province == world.province


@pytest.mark.django_db(transaction=True)
def test_an_address_greylisted_for_now_waits_while_the_others_go(world, settings):
    server = SmtpServer(later={"busy@example.com"})
    _smtp(settings, server)
    busy = staff(Role.COUNTY, region=world.yuexiu, username="busy", email="busy@example.com")
    notify(user=busy, text="计划已退回")
    kept = staff(Role.COUNTY, region=world.yuexiu, username="kept", email="kept@example.com")
    notify(user=kept, text="计划已退回")

    assert mails_send() == 1  # the greylisted one does not hold up the one behind it
    server.close()
    assert [to for to, _text in server.received] == ["kept@example.com"]
    assert Mail.objects.get(to="busy@example.com").status == "pending"


@pytest.mark.django_db(transaction=True)
def test_a_reason_typed_over_two_lines_still_mails_on_one_subject_line(world, settings):
    server = SmtpServer()
    _smtp(settings, server)
    student = StudentFactory(hometown=world.yuexiu)
    notify(user=student.user, text="越秀区团委更正了你的姓名。原因：录错\n学生来电")
    kept = staff(Role.COUNTY, region=world.yuexiu, username="kept", email="kept@example.com")
    notify(user=kept, text="计划已退回")

    assert mails_send() == 2
    server.close()
    subject = Mail.objects.get(to=student.user.email).subject
    assert "\n" not in subject and "录错 学生来电" in subject


def test_each_mail_belongs_to_the_recipients_province_in_a_few_queries(world):
    student = StudentFactory(hometown=region("450102"))  # 广西 南宁 兴宁区
    users = [world.yx_staff, world.yx_host, world.province_staff, student.user, world.uni_staff]
    with CaptureQueriesContext(connection) as queries:
        provinces = province_ids(users)
    assert len(queries) <= 4
    assert provinces == {
        world.yx_staff.pk: world.province.pk,
        world.yx_host.pk: world.province.pk,
        world.province_staff.pk: world.province.pk,
        student.user.pk: region("450000").pk,
    }  # a university's staff belong to no province's list


def _failed(province, to: str) -> Mail:
    return Mail.objects.create(
        to=to, subject="【返家乡】通知", body="…", province=province, status="failed", error="550"
    )


def test_the_province_sees_its_failed_mails_and_only_those(
    client, world, django_assert_num_queries
):
    _failed(world.province, "ours@example.com")
    _failed(region("450000"), "theirs@example.com")
    Mail.objects.create(to="pending@example.com", subject="s", body="b", province=world.province)
    client.force_login(world.province_staff)
    url = reverse("accounts:mail_failures")
    client.get(url)
    for n in range(20):  # more rows, not more queries
        _failed(world.province, f"more{n}@example.com")

    with django_assert_num_queries(6):  # session, user, the nav's two, count, page
        page = client.get(url).content.decode()

    assert "ours@example.com" in page and "550" in page
    assert "theirs@example.com" not in page and "pending@example.com" not in page
    assert url in client.get(reverse("accounts:audit_log")).content.decode()


def test_a_mail_cut_off_while_sending_is_shown_as_failed(client, world):
    """A worker killed between claiming and sending: never sent again, so the province is told."""
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    Mail.objects.create(
        to="cut@example.com",
        subject="s",
        body="b",
        province=world.province,
        status="sending",
        next_try_at=long_ago,
    )
    Mail.objects.create(
        to="now@example.com", subject="s", body="b", province=world.province, status="sending"
    )
    client.force_login(world.province_staff)
    page = client.get(reverse("accounts:mail_failures")).content.decode()
    assert "cut@example.com" in page and "now@example.com" not in page


@pytest.mark.parametrize("role", ["yx_staff", "gz_staff", "yx_host", "uni_staff", "student"])
def test_no_one_below_the_province_sees_failed_mails(client, world, role):
    client.force_login(getattr(world, role))
    assert client.get(reverse("accounts:mail_failures")).status_code == 404
