"""找回密码 by e-mail: the link goes through the mail outbox, works once and for an hour, the
page answers the same for every name, requests are throttled, and the second factor is still
asked at the next sign-in."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.audit import Action
from accounts.mail import mails_send
from accounts.models import AuditEvent, Mail, Role
from fanjiaxiang.models import QueuedTask
from tests.factories import PASSWORD, StudentFactory, authenticator, staff, totp_code

NEW_PASSWORD = "Qn-2026-gd-reset"
RESET = reverse("accounts:password_reset")
SENT = reverse("accounts:password_reset_done")


@pytest.fixture
def student(world):
    return StudentFactory(hometown=world.yuexiu, university=world.university, name="越秀学生")


def _ask(client, identifier: str):
    return client.post(RESET, {"identifier": identifier})


def _link_path(mailed: Mail) -> str:
    # The link names the address the request came to (the test client's), not SITE_URL.
    return re.search(r"http://testserver(/\S+/)", mailed.body).group(1)


def _set_password(client, path: str, password: str = NEW_PASSWORD):
    form = client.get(path)  # the token moves into the session; the form is one redirect on
    assert form.status_code == 302, "the link was refused"
    data = {"new_password1": password, "new_password2": password}
    return client.post(form["Location"], data)


def test_the_login_page_links_to_the_reset_page(client, world):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "忘记密码？" in page and RESET in page


def test_the_request_queues_a_chinese_mail_through_the_outbox_never_inline(
    client, world, student, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = _ask(client, student.user.username)

    assert response.status_code == 302 and response["Location"] == SENT
    assert mail.outbox == []  # nothing was sent by the request itself
    queued = Mail.objects.get()
    assert (queued.to, queued.status) == (student.user.email, Mail.Status.PENDING)
    assert queued.subject == "【返家乡】找回密码"
    assert "返家乡社会实践岗位对接系统" in queued.body and "60 分钟内" in queued.body
    assert queued.province == world.province
    assert QueuedTask.objects.filter(task="accounts.tasks.send_mails").exists()
    assert mails_send() == 1  # the worker's run
    assert [m.to for m in mail.outbox] == [[student.user.email]]
    event = AuditEvent.objects.get(action=Action.PASSWORD_RESET_MAIL)
    assert (event.target_id, event.actor_id) == (student.user.pk, None)


def test_the_account_is_found_by_its_email_address_too(client, world, student):
    _ask(client, student.user.email.upper())
    assert Mail.objects.get().to == student.user.email


def test_the_link_sets_the_password_once_and_ends_other_sessions(client, world, student):
    other_device = type(client)()
    other_device.force_login(student.user)
    _ask(client, student.user.username)
    path = _link_path(Mail.objects.get())

    done = _set_password(client, path)

    assert done.status_code == 302 and done["Location"] == reverse(
        "accounts:password_reset_complete"
    )
    assert "密码已重置" in client.get(done["Location"]).content.decode()
    student.user.refresh_from_db()
    assert student.user.check_password(NEW_PASSWORD) and not student.user.must_change_password
    assert AuditEvent.objects.filter(action=Action.PASSWORD_RESET, actor=student.user).exists()
    # Nobody is signed in by the link; the device signed in before is signed out.
    assert not client.session.get("_auth_user_id")
    me = other_device.get(reverse("students:me"))
    assert me.status_code == 302 and me["Location"].startswith(reverse("accounts:login"))
    # The same link again: refused, in Chinese, with the way to ask again.
    again = client.get(path)
    page = again.content.decode()
    assert again.status_code == 200 and "链接无效" in page and RESET in page
    signed_in = client.post(
        reverse("accounts:login"), {"username": student.user.username, "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302


def test_a_wrong_token_is_refused_in_chinese(client, world, student):
    _ask(client, student.user.username)
    path = _link_path(Mail.objects.get())
    broken = path.rstrip("/")[:-3] + "xyz/"
    for url in (broken, reverse("accounts:password_reset_confirm", args=["MTIzNDU2", "x-y"])):
        response = client.get(url)
        assert response.status_code == 200 and "链接无效" in response.content.decode()
        assert "已经过期、已经使用过" in response.content.decode()
    student.user.refresh_from_db()
    assert student.user.check_password(PASSWORD)


def test_the_link_expires_after_an_hour(client, world, student):
    assert settings.PASSWORD_RESET_TIMEOUT == 3600
    _ask(client, student.user.username)
    path = _link_path(Mail.objects.get())
    # Local time: an aware destination also sets the process's time zone (the token reads the
    # naive local clock), so Shanghai's is kept.
    now = timezone.localtime()
    with time_machine.travel(now + datetime.timedelta(minutes=59)):
        assert client.get(path).status_code == 302  # still good
    with time_machine.travel(now + datetime.timedelta(minutes=61)):
        response = client.get(path)
    assert response.status_code == 200 and "链接无效" in response.content.decode()


def test_an_account_deactivated_after_the_mail_gets_nothing_from_its_link(client, world, student):
    _ask(client, student.user.username)
    path = _link_path(Mail.objects.get())
    type(student.user).objects.filter(pk=student.user.pk).update(is_active=False)
    assert "链接无效" in client.get(path).content.decode()


def test_the_answer_is_the_same_whether_or_not_an_account_exists(client, world, student):
    """No enumeration: a known account, an unknown name, an account without e-mail and an
    inactive one all get the same redirect to the same page; only the first gets a mail."""
    no_mail = StudentFactory(hometown=world.yuexiu, user__email="", email="")
    inactive = StudentFactory(hometown=world.yuexiu, user__is_active=False)
    answers = {
        name: _ask(client, name)
        for name in (
            student.user.username,
            "nobody-here",
            "nobody@example.com",
            no_mail.user.username,
            inactive.user.username,
        )
    }
    assert {(r.status_code, r["Location"]) for r in answers.values()} == {(302, SENT)}
    assert list(Mail.objects.values_list("to", flat=True)) == [student.user.email]
    page = client.get(SENT).content.decode()
    assert "如果您填写的用户名或邮箱对应一个绑定了电子邮箱的账号" in page
    assert "县级团委" in page and "上级团委" in page  # what to do without an address


def test_requests_are_throttled_per_address(client, world, student, settings):
    settings.PASSWORD_RESET_REQUESTS_PER_HOUR = 5
    for _i in range(5):
        assert _ask(client, "nobody-here").status_code == 302
    refused = _ask(client, student.user.username)
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    assert "请求过于频繁，请一小时后再试" in refused.content.decode()
    assert not Mail.objects.exists()
    other_address = client.post(RESET, {"identifier": "nobody"}, REMOTE_ADDR="10.0.0.9")
    assert other_address.status_code == 302


def test_mails_are_throttled_per_account_silently(client, world, student, settings):
    settings.PASSWORD_RESET_REQUESTS_PER_HOUR = 100
    settings.PASSWORD_RESET_MAILS_PER_HOUR = 5
    for number in range(7):
        response = client.post(
            RESET, {"identifier": student.user.username}, REMOTE_ADDR=f"10.0.1.{number}"
        )
        assert (response.status_code, response["Location"]) == (302, SENT)
    assert Mail.objects.count() == 5


def test_staff_still_give_their_second_factor_after_a_reset(client, world, settings):
    settings.STAFF_TWO_FACTOR = True
    officer = staff(Role.COUNTY, region=world.yuexiu, username="yx_officer", email="o@yx.gov.cn")
    device = authenticator(officer)
    _ask(client, "yx_officer")
    _set_password(client, _link_path(Mail.objects.get()))

    signed_in = client.post(
        reverse("accounts:login"), {"username": "yx_officer", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302
    home = client.get(reverse("home"))
    assert home["Location"].startswith(reverse("accounts:two_factor_verify"))
    verified = client.post(reverse("accounts:two_factor_verify"), {"code": totp_code(device)})
    assert verified.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_a_reset_lifts_a_lockout_from_wrong_guesses(client, world, student, settings):
    login = reverse("accounts:login")
    for _i in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": student.user.username, "password": "Wrong-pass-1"})
    _ask(client, student.user.username)
    _set_password(client, _link_path(Mail.objects.get()))
    signed_in = client.post(login, {"username": student.user.username, "password": NEW_PASSWORD})
    assert signed_in.status_code == 302


def test_the_new_password_must_pass_the_rules_in_chinese(client, world, student):
    _ask(client, student.user.username)
    form = client.get(_link_path(Mail.objects.get()))
    response = client.post(form["Location"], {"new_password1": "1234", "new_password2": "1234"})
    page = response.content.decode()
    assert response.status_code == 200 and "密码太短" in page
    mismatch = client.post(
        form["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"}
    )
    assert "两次输入的密码不一致" in mismatch.content.decode()
    student.user.refresh_from_db()
    assert student.user.check_password(PASSWORD)


def test_a_link_opened_in_two_tabs_sets_one_password(client, world, student):
    _ask(client, student.user.username)
    path = _link_path(Mail.objects.get())
    other_tab = type(client)()
    first, second = client.get(path)["Location"], other_tab.get(path)["Location"]
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert client.post(first, data).status_code == 302
    late = other_tab.post(
        second, {"new_password1": "Qn-2026-other", "new_password2": "Qn-2026-other"}
    )
    assert "链接无效" in late.content.decode()
    student.user.refresh_from_db()
    assert student.user.check_password(NEW_PASSWORD)
