"""Two-factor sign-in for staff (等保2.0 身份鉴别): enrolment by QR code, a code spent once,
recovery codes, throttled and audited wrong codes, and the reset by the level above."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor
from accounts.models import AuditEvent, RecoveryCode, Role
from tests.factories import PASSWORD, UserFactory, authenticator, totp_code, verified_login


@pytest.fixture
def two_factor(settings):
    settings.STAFF_TWO_FACTOR = True
    return settings


def sign_in(client, user, next_path=""):
    url = reverse("accounts:login") + (f"?next={next_path}" if next_path else "")
    return client.post(url, {"username": user.username, "password": PASSWORD, "next": next_path})


def enrolment_code(client) -> str:
    key = client.session[twofactor.ENROL_KEY]
    device = TOTPDevice(key=key)
    return f"{TOTP(device.bin_key).token():06d}"


def test_a_new_officer_enrols_by_scanning_a_qr_code_and_sees_ten_recovery_codes_once(
    client, world, two_factor
):
    officer = world.yx_staff
    response = sign_in(client, officer, "/positions/posts/")
    page = client.get(response["Location"], follow=True)
    assert page.redirect_chain[-1][0].startswith(reverse("accounts:two_factor_setup"))
    html = page.content.decode()
    assert "<svg" in html and "two-factor-qr" in html  # drawn here, inline
    assert page["Cache-Control"] == "no-store"  # the secret is on it
    assert "恢复码" not in html.split('id="id_code_helptext"')[1][:100]  # none exist yet
    assert "otpauth://" not in html and "<img" not in html.split("two-factor-qr")[1][:200]
    assert client.get(reverse("positions:post_list")).status_code == 302  # not yet

    shown = client.post(
        reverse("accounts:two_factor_setup"),
        {"code": enrolment_code(client), "next": "/positions/posts/"},
    )
    codes = re.findall(r"<li class=\"col\">([0-9a-f]{5}-[0-9a-f]{5})</li>", shown.content.decode())
    assert len(set(codes)) == 10
    assert shown["Cache-Control"] == "no-store"  # shown once: no cache may keep them
    stored = list(RecoveryCode.objects.filter(user=officer).values_list("digest", flat=True))
    assert len(stored) == 10 and not set(codes) & set(stored)  # only digests are kept
    assert client.get(reverse("positions:post_list")).status_code == 200
    assert AuditEvent.objects.filter(action="2fa.enrol", actor=officer).exists()
    # Shown once: the settings page says how many are left, never which.
    settings_page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "剩余恢复码 10 个" in settings_page and codes[0] not in settings_page


def test_a_wrong_first_code_is_refused_naming_the_field(client, world, two_factor):
    sign_in(client, world.yx_staff)
    client.get(reverse("accounts:two_factor_setup"))
    response = client.post(reverse("accounts:two_factor_setup"), {"code": "abc"})
    assert "验证码不正确或已过期" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.yx_staff).exists()


def test_a_staff_sign_in_asks_for_the_code_and_a_used_code_cannot_be_replayed(
    client, world, two_factor
):
    officer = world.yx_staff
    device = authenticator(officer)
    sign_in(client, officer)
    response = client.get(reverse("positions:post_list"))
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    code = totp_code(device)
    answer = client.post(reverse("accounts:two_factor_verify"), {"code": code, "next": "/"})
    assert answer.status_code == 302 and answer["Location"] == "/"
    assert client.get(reverse("positions:post_list")).status_code == 200

    # Someone who watched the code being typed, on another machine, within the same 30 s.
    other = client_class()
    sign_in(other, officer)
    replay = other.post(reverse("accounts:two_factor_verify"), {"code": code})
    assert replay.status_code == 200
    assert "验证码不正确或已使用" in replay.content.decode()
    assert other.get(reverse("positions:post_list")).status_code == 302
    assert AuditEvent.objects.filter(action="2fa.fail", target_id=officer.pk).count() == 1


def client_class():
    from django.test import Client

    return Client()


def test_wrong_codes_are_throttled_per_account(client, world, two_factor):
    two_factor.TWO_FACTOR_ATTEMPTS = 3
    device = authenticator(world.gz_staff)
    sign_in(client, world.gz_staff)
    for _i in range(3):
        client.post(reverse("accounts:two_factor_verify"), {"code": "000000"})
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    refused = client.post(reverse("accounts:two_factor_verify"), {"code": totp_code(device)})
    assert "验证码尝试次数过多" in refused.content.decode()
    assert client.get(reverse("dashboards:home")).status_code == 302


def test_only_wrong_codes_count_towards_the_limit(client, world, two_factor):
    two_factor.TWO_FACTOR_ATTEMPTS = 3
    officer = world.gz_staff
    device = authenticator(officer)
    codes = twofactor.recovery_codes_make(user=officer)
    for code in codes[:2]:  # two good sign-ins
        sign_in(client, officer)
        assert client.post(reverse("accounts:two_factor_verify"), {"code": code}).status_code == 302
        client.logout()
    sign_in(client, officer)
    for _i in range(2):
        client.post(reverse("accounts:two_factor_verify"), {"code": "000000"})
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    answer = client.post(reverse("accounts:two_factor_verify"), {"code": totp_code(device)})
    assert answer.status_code == 302, "验证码尝试次数过多" in answer.content.decode()
    assert not client.get(reverse("dashboards:home"))["Location"].startswith("/accounts/2fa/")


def test_a_recovery_code_signs_in_once(client, world, two_factor):
    officer = world.province_staff
    authenticator(officer)
    codes = twofactor.recovery_codes_make(user=officer)
    sign_in(client, officer)
    assert client.post(reverse("accounts:two_factor_verify"), {"code": codes[0]}).status_code == 302
    assert AuditEvent.objects.filter(action="2fa.recovery", actor=officer).exists()
    client.logout()
    sign_in(client, officer)
    again = client.post(reverse("accounts:two_factor_verify"), {"code": codes[0]})
    assert again.status_code == 200 and "验证码不正确或已使用" in again.content.decode()


def test_the_level_above_resets_a_lost_authenticator_and_it_is_audited(client, world, two_factor):
    authenticator(world.yx_staff)
    twofactor.recovery_codes_make(user=world.yx_staff)
    verified_login(client, world.gz_staff)  # 广州市 is 越秀区's city
    url = reverse("accounts:account_two_factor_reset", kwargs={"pk": world.yx_staff.pk})
    assert client.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=world.yx_staff).exists()
    assert not RecoveryCode.objects.filter(user=world.yx_staff).exists()
    event = AuditEvent.objects.get(action="2fa.reset")
    assert event.actor == world.gz_staff and event.target_id == world.yx_staff.pk
    # At the next sign-in the officer enrols again.
    officer = client_class()
    sign_in(officer, world.yx_staff)
    assert officer.get("/")["Location"].startswith(reverse("accounts:two_factor_setup"))


@pytest.mark.parametrize(
    ("actor", "account", "status"),
    [
        ("mz_staff", "yx_staff", 404),  # another city
        ("th_staff", "yx_staff", 404),  # a county peer
        ("yx_staff", "gz_staff", 404),  # the level below
        ("province_staff", "yx_staff", 403),  # two levels down: reads it, does not change it
        ("province_staff", "gz_staff", 302),
        ("yx_staff", "yx_host", 302),
    ],
)
def test_only_the_level_directly_above_resets(client, world, two_factor, actor, account, status):
    authenticator(getattr(world, account))
    verified_login(client, getattr(world, actor))
    url = reverse("accounts:account_two_factor_reset", kwargs={"pk": getattr(world, account).pk})
    assert client.post(url).status_code == status
    assert TOTPDevice.objects.filter(user=getattr(world, account)).exists() == (status != 302)


def test_the_security_administrator_resets_anyones_and_lists_accounts(client, world, two_factor):
    security = UserFactory(role=Role.SECURITY_ADMIN, is_staff=True, username="secadmin")
    authenticator(world.uni_staff)
    verified_login(client, security)
    page = client.get(reverse("accounts:security_accounts")).content.decode()
    assert "sysu" in page and "已绑定" in page and "student" not in page
    url = reverse("accounts:account_two_factor_reset", kwargs={"pk": world.uni_staff.pk})
    assert client.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=world.uni_staff).exists()
    # The security administrator changes nothing else of the account.
    active = reverse("accounts:account_set_active", kwargs={"pk": world.uni_staff.pk})
    assert client.post(active, {"active": "0"}).status_code == 403


def test_with_the_setting_off_staff_sign_in_with_the_password_alone(client, world, settings):
    settings.STAFF_TWO_FACTOR = False
    sign_in(client, world.yx_staff)
    assert client.get(reverse("positions:post_list")).status_code == 200


def test_a_student_turns_it_on_for_themselves_and_off_again(client, world, two_factor):
    student = world.student
    sign_in(client, student)
    assert client.get(reverse("accounts:two_factor")).status_code == 200  # not asked
    client.get(reverse("accounts:two_factor_setup"))
    client.post(reverse("accounts:two_factor_setup"), {"code": enrolment_code(client)})
    device = TOTPDevice.objects.get(user=student, confirmed=True)
    client.logout()
    sign_in(client, student)
    assert client.get("/")["Location"].startswith(reverse("accounts:two_factor_verify"))
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # the next 30 s window
    client.post(reverse("accounts:two_factor_verify"), {"code": totp_code(device)})
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    off = client.post(reverse("accounts:two_factor_disable"), {"code": totp_code(device)})
    assert off.status_code == 302
    assert not TOTPDevice.objects.filter(user=student).exists()
    assert AuditEvent.objects.filter(action="2fa.disable", actor=student).exists()


def test_staff_cannot_turn_it_off_while_the_setting_is_on(client, world, two_factor):
    device = authenticator(world.yx_staff)
    verified_login(client, world.yx_staff)
    url = reverse("accounts:two_factor_disable")
    assert client.post(url, {"code": totp_code(device)}).status_code == 403
    assert TOTPDevice.objects.filter(user=world.yx_staff).exists()


def test_new_recovery_codes_need_a_current_code_and_replace_the_old_ones(client, world, two_factor):
    officer = world.yx_staff
    device = authenticator(officer)
    old = twofactor.recovery_codes_make(user=officer)
    verified_login(client, officer)
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "重新生成恢复码" in page and "剩余恢复码 10 个" in page
    url = reverse("accounts:two_factor_codes")

    refused = client.post(url, {"codes-code": "000000"})
    assert refused.status_code == 200
    assert "验证码不正确" in refused.content.decode()
    assert not AuditEvent.objects.filter(action="2fa.codes").exists()

    # django-otp's own delay after a wrong code has passed; the next 30 s window.
    TOTPDevice.objects.filter(pk=device.pk).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    shown = client.post(url, {"codes-code": totp_code(device)})
    assert shown.status_code == 200 and shown["Cache-Control"] == "no-store"
    new = re.findall(r"[0-9a-f]{5}-[0-9a-f]{5}", shown.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert AuditEvent.objects.filter(action="2fa.codes", actor=officer).count() == 1
    # The old codes no longer sign in; a new one does, once.
    with pytest.raises(Exception, match="验证码"):
        twofactor.two_factor_verify(user=officer, code=old[0])
    assert twofactor.two_factor_verify(user=officer, code=new[0]) == device
    assert twofactor.recovery_codes_left(officer) == 9


def test_new_recovery_codes_need_an_authenticator(client, world, two_factor):
    client.force_login(world.student)
    assert client.post(reverse("accounts:two_factor_codes"), {"codes-code": "1"}).status_code == 403


def test_opening_a_post_only_two_factor_address_says_why_in_chinese(client, world, two_factor):
    verified_login(client, world.yx_staff)
    answer = client.get(reverse("accounts:two_factor_disable"))
    assert answer.status_code == 405 and answer["Allow"] == "POST"
    assert "不能直接在浏览器中打开" in answer.content.decode()
