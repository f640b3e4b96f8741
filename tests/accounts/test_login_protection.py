"""Login protection: a password guesser is stopped per username *and* address, so the rest of a
county office (same address) and the same officer elsewhere can still sign in."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from tests.factories import PASSWORD

WRONG = "Wrong-password-1"


def _login(client, username, password, ip="10.0.0.1"):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def _lock(client, username, ip="10.0.0.1"):
    for _ in range(4):
        assert _login(client, username, WRONG, ip).status_code == 200
    assert _login(client, username, WRONG, ip).status_code == 429  # the fifth locks


def test_five_wrong_passwords_lock_that_username_from_that_address(client, world):
    _lock(client, "yuexiu")
    response = _login(client, "yuexiu", PASSWORD)
    assert response.status_code == 429
    assert "登录已暂停" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_colleague_at_the_same_address_still_signs_in(client, world):
    _lock(client, "yuexiu")
    assert _login(client, "yuexiu_host", PASSWORD).status_code == 302


def test_the_same_officer_signs_in_from_another_address(client, world):
    _lock(client, "yuexiu")
    assert _login(client, "yuexiu", PASSWORD, ip="10.0.0.2").status_code == 302


def test_the_lock_lifts_after_the_cooloff(client, world):
    _lock(client, "yuexiu")
    with time_machine.travel(datetime.timedelta(minutes=31)):
        assert _login(client, "yuexiu", PASSWORD).status_code == 302


def test_a_lockout_is_in_the_audit_log_for_the_province(client, world):
    _lock(client, "yuexiu")
    event = AuditEvent.objects.get(action="login.locked")
    assert event.target_id == world.yx_staff.pk and event.province == world.province
    assert event.data == {"username": "yuexiu", "ip": "10.0.0.1"}


def test_behind_a_trusted_proxy_the_forwarded_address_counts(client, world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        client.post(
            reverse("accounts:login"),
            {"username": "yuexiu", "password": WRONG},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    locked = client.post(
        reverse("accounts:login"),
        {"username": "yuexiu", "password": PASSWORD},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    other = client.post(
        reverse("accounts:login"),
        {"username": "yuexiu", "password": PASSWORD},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="203.0.113.8",
    )
    assert (locked.status_code, other.status_code) == (429, 302)


def test_signing_out_ends_the_session_on_the_server(client, world):
    assert _login(client, "yuexiu", PASSWORD).status_code == 302
    cookie = client.cookies["sessionid"].value
    client.post(reverse("accounts:logout"))
    client.cookies["sessionid"] = cookie  # someone kept the old cookie
    response = client.get(reverse("positions:post_list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_session_expires_after_a_working_day(client, world):
    _login(client, "yuexiu", PASSWORD)
    with time_machine.travel(datetime.timedelta(hours=8, minutes=1)):
        response = client.get(reverse("positions:post_list"))
    assert response.status_code == 302


@pytest.mark.parametrize("password", ["abcdefghijk", "7391846205", "short1"])
def test_weak_passwords_are_refused_with_a_reason(client, world, password):
    client.force_login(world.yx_staff)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "密码" in text and ("字母和数字" in text or "太短" in text or "全部为数字" in text)


def test_old_sign_in_records_are_pruned_and_a_second_run_removes_nothing(client, world):
    from axes.models import AccessAttempt, AccessLog

    from accounts.services import login_records_prune

    _login(client, "yuexiu", PASSWORD)
    client.post(reverse("accounts:logout"))
    _login(client, "tianhe", WRONG)
    assert AccessLog.objects.count() == 1 and AccessAttempt.objects.count() == 1
    later = timezone.now() + datetime.timedelta(days=181)
    assert login_records_prune(now=later) == 2
    assert login_records_prune(now=later) == 0
    assert not AccessLog.objects.exists() and not AccessAttempt.objects.exists()


def test_recent_sign_in_records_are_kept(client, world):
    from axes.models import AccessLog

    from accounts.services import login_records_prune

    _login(client, "yuexiu", PASSWORD)
    assert login_records_prune(now=timezone.now() + datetime.timedelta(days=10)) == 0
    assert AccessLog.objects.count() == 1


def test_attempts_during_a_lock_do_not_flood_the_audit_log(client, world):
    _lock(client, "yuexiu")
    for _ in range(10):
        assert _login(client, "yuexiu", WRONG).status_code == 429
    assert AuditEvent.objects.filter(action="login.locked").count() == 1


def test_a_students_lockout_reaches_the_province_of_their_hometown(client, world):
    from tests.factories import StudentFactory

    student = StudentFactory(hometown=world.yuexiu, university=world.university)
    _lock(client, student.user.username)
    assert AuditEvent.objects.get(action="login.locked").province == world.province


def test_the_lockout_page_names_the_configured_cooloff(client, world, settings):
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=45)
    _lock(client, "yuexiu")
    assert "45 分钟后再试" in _login(client, "yuexiu", PASSWORD).content.decode()


@pytest.mark.parametrize("forwarded", ["203.0.113.7:5678", "unknown", "[2001:db8::1]:443"])
def test_a_forwarded_value_that_is_not_an_address_breaks_nothing(
    client, world, settings, forwarded
):
    settings.TRUSTED_PROXY_COUNT = 1
    response = client.post(
        reverse("accounts:login"),
        {"username": "yuexiu", "password": WRONG},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert response.status_code == 200
    from axes.models import AccessAttempt

    expected = {"203.0.113.7:5678": "203.0.113.7", "unknown": "10.9.9.9"}
    assert AccessAttempt.objects.get().ip_address == expected.get(forwarded, "2001:db8::1")


def test_audit_addresses_are_forgotten_with_the_sign_in_records(client, world):
    from accounts.services import login_records_prune

    client.force_login(world.yx_staff)
    client.post(reverse("accounts:account_set_active", args=[world.yx_host.pk]), {"active": "0"})
    event = AuditEvent.objects.get(action="account.deactivate")
    assert event.ip == "127.0.0.1"
    login_records_prune(now=timezone.now() + datetime.timedelta(days=181))
    event.refresh_from_db()
    assert event.ip is None and event.actor == world.yx_staff  # the event itself stays
