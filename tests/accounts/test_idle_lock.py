"""登录连接超时自动退出: a staff session ends after STAFF_IDLE_MINUTES without a request, and
any session 8 hours after sign-in however busy; the login page says why."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD


def sign_in(client, user):
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})


@pytest.fixture
def start(settings):
    settings.STAFF_IDLE_MINUTES = 30  # the default (the suite runs with it off)
    return timezone.now()


def test_a_staff_session_ends_after_thirty_idle_minutes_and_the_page_says_why(client, world, start):
    with time_machine.travel(start, tick=False):
        sign_in(client, world.yx_staff)
        assert client.get(reverse("positions:post_list")).status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=29), tick=False):
        assert client.get(reverse("positions:post_list")).status_code == 200
    # 29 minutes of reading kept it alive; 31 more without a request end it.
    with time_machine.travel(start + datetime.timedelta(minutes=60), tick=False):
        response = client.get(reverse("positions:post_list"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?reason=idle")
        page = client.get(response["Location"]).content.decode()
        assert "您已超过 30 分钟未操作，为保护数据安全已自动退出" in page
        assert client.get(reverse("positions:post_list"))["Location"].startswith(
            reverse("accounts:login")
        )


def test_the_idle_time_is_a_setting(client, world, start, settings):
    settings.STAFF_IDLE_MINUTES = 5
    with time_machine.travel(start, tick=False):
        sign_in(client, world.gz_staff)
    with time_machine.travel(start + datetime.timedelta(minutes=6), tick=False):
        assert "reason=idle" in client.get(reverse("dashboards:home"))["Location"]


def test_a_student_is_not_signed_out_for_being_idle(client, world, start):
    with time_machine.travel(start, tick=False):
        sign_in(client, world.student)
    with time_machine.travel(start + datetime.timedelta(hours=2), tick=False):
        assert client.get(reverse("accounts:notice_list")).status_code == 200


def test_a_busy_session_still_ends_eight_hours_after_sign_in(client, world, start):
    with time_machine.travel(start, tick=False):
        sign_in(client, world.yx_staff)
    for minutes in range(20, 8 * 60, 20):  # a request every 20 minutes all day
        with time_machine.travel(start + datetime.timedelta(minutes=minutes), tick=False):
            assert client.get(reverse("positions:post_list")).status_code == 200
    with time_machine.travel(start + datetime.timedelta(hours=8, minutes=1), tick=False):
        response = client.get(reverse("positions:post_list"))
        assert "reason=expired" in response["Location"]
        assert "您已连续登录 8 小时" in client.get(response["Location"]).content.decode()


def test_an_unknown_reason_on_the_login_page_is_ignored(client, db):
    page = client.get(reverse("accounts:login"), {"reason": "<script>"})
    assert page.status_code == 200 and "自动退出" not in page.content.decode()
