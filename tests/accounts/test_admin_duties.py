"""三权分立: the superuser's work split into a system, a security and an audit administrator,
each with exactly its own pages and /admin/ models, none reading students' personal data."""

import base64

import pytest
from django.contrib import admin
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEvent, RecoveryCode, Role
from accounts.twofactor import recovery_codes_make
from tests.factories import PASSWORD, StudentFactory, UserFactory, authenticator


@pytest.fixture
def duties(world):
    make = lambda role, name: UserFactory(role=role, is_staff=True, username=name)  # noqa: E731
    return {
        "system": make(Role.SYSTEM_ADMIN, "sysadmin"),
        "security": make(Role.SECURITY_ADMIN, "secadmin"),
        "audit": make(Role.AUDIT_ADMIN, "auditadmin"),
    }


@pytest.fixture
def student(world):
    return StudentFactory(name="越秀学生甲", hometown=world.yuexiu, university=world.university)


def test_the_audit_administrator_reads_and_exports_the_whole_audit_log(client, world, duties):
    AuditEvent.objects.create(
        action="account.create", actor_label="yuexiu", province=world.province
    )
    AuditEvent.objects.create(action="account.create", actor_label="beijing_officer")
    client.force_login(duties["audit"])
    page = client.get(reverse("accounts:audit_log")).content.decode()
    assert "yuexiu" in page and "beijing_officer" in page
    export = client.get(reverse("accounts:audit_log"), {"export": "csv"})
    assert export.status_code == 200 and "beijing_officer" in b"".join(
        export.streaming_content
    ).decode("utf-8-sig")
    admin = client.get(reverse("admin:accounts_auditevent_changelist"))
    assert admin.status_code == 200


def test_the_audit_administrator_opens_no_students_page_nor_the_ledger(
    client, world, duties, student
):
    client.force_login(duties["audit"])
    refused = [
        reverse("students:identity_correct", kwargs={"pk": student.pk}),
        reverse("students:county_students"),
        reverse("students:university_students"),
        reverse("ledger:entry_list"),
        reverse("accounts:mail_failures"),
        reverse("accounts:account_list"),
        reverse("positions:post_list"),
    ]
    for url in refused:
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert "越秀学生甲" not in response.content.decode()
    for name in (
        "accounts_user_changelist",
        "ledger_entry_changelist",
        "students_university_changelist",
    ):
        assert client.get(reverse(f"admin:{name}")).status_code == 403, name


def test_the_system_administrator_keeps_staff_accounts_not_students(client, world, duties, student):
    client.force_login(duties["system"])
    users = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert f">{world.yx_staff.username}<" in users
    assert f">{student.user.username}<" not in users and ">secadmin<" not in users
    own = reverse("admin:accounts_user_change", args=[student.user.pk])
    assert client.get(own).status_code == 302  # not found: sent back to the list
    assert client.get(reverse("admin:accounts_auditevent_changelist")).status_code == 403
    assert client.get(reverse("admin:ledger_entry_changelist")).status_code == 403
    # Opens the top of the tree on the portal: provincial accounts.
    form = client.get(reverse("accounts:account_create")).content.decode()
    assert "团省委" in form


def test_the_system_administrator_cannot_make_anyone_a_superuser(client, world, duties):
    client.force_login(duties["system"])
    url = reverse("admin:accounts_user_change", args=[world.yx_staff.pk])
    page = client.get(url).content.decode()
    assert 'name="is_superuser"' not in page and 'name="role"' not in page


def test_the_security_administrator_reads_lockouts_and_devices_only(client, world, duties):
    client.force_login(duties["security"])
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200
    assert client.get(reverse("admin:otp_totp_totpdevice_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    assert client.get(reverse("admin:accounts_auditevent_changelist")).status_code == 403
    assert client.get(reverse("accounts:audit_log")).status_code == 404
    assert client.get(reverse("accounts:security_accounts")).status_code == 200


def test_each_duty_sees_its_own_menu(client, world, duties):
    expected = {
        "system": ("账号管理", "后台管理"),
        "security": ("账号安全", "后台管理"),
        "audit": ("审计日志", "后台管理"),
    }
    absent = {"system": "审计日志", "security": "审计日志", "audit": "账号管理"}
    for duty, labels in expected.items():
        client.force_login(duties[duty])
        page = client.get(reverse("accounts:two_factor")).content.decode()
        assert all(label in page for label in labels), duty
        assert absent[duty] not in page, duty


# --- the security probe's findings (H1, H2) ------------------------------------------------------


def test_no_duty_administrator_sets_a_staff_password_in_admin(client, world, duties):
    officer = world.yx_staff
    url = reverse("admin:auth_user_password_change", args=[officer.pk])
    for duty in duties.values():
        client.force_login(duty)
        assert client.get(url).status_code == 403, duty.username
        payload = {"password1": "Hijack-2026-xyz", "password2": "Hijack-2026-xyz"}
        response = client.post(url, {**payload, "usable_password": "true"})
        assert response.status_code == 403, duty.username
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)
    client.force_login(duties["system"])
    page = client.get(reverse("admin:accounts_user_change", args=[officer.pk])).content.decode()
    assert "../password/" not in page and 'name="usable_password"' not in page


def test_a_superuser_still_sets_a_password_in_admin(client, world):
    client.force_login(UserFactory(is_superuser=True, is_staff=True, username="root"))
    url = reverse("admin:auth_user_password_change", args=[world.yx_staff.pk])
    assert client.get(url).status_code == 200


def test_the_system_administrators_account_changes_are_audited(client, world, duties):
    officer = world.yx_staff
    client.force_login(duties["system"])
    url = reverse("admin:accounts_user_change", args=[officer.pk])
    data = {
        "username": "taken_over",  # read-only for the duty: ignored
        "first_name": officer.first_name,
        "last_name": officer.last_name,
        "email": officer.email,
        "name": "越秀新名",
        "phone": "13900001111",
        # is_active left out: the box is unticked, the account switched off
    }
    assert client.post(url, data).status_code == 302
    officer.refresh_from_db()
    assert (officer.username, officer.name, officer.is_active) == ("yuexiu", "越秀新名", False)
    events = AuditEvent.objects.filter(target_type="accounts.user", target_id=officer.pk)
    update = events.get(action="account.update")
    assert update.actor == duties["system"] and update.data == {"fields": ["name", "phone"]}
    assert update.region == world.yuexiu and update.province == world.province
    assert events.get(action="account.deactivate").actor == duties["system"]


def test_no_one_reads_an_authenticators_secret_in_admin(client, world, duties):
    device = authenticator(world.yx_staff)
    base32 = base64.b32encode(device.bin_key).decode()
    root = UserFactory(is_superuser=True, is_staff=True, username="root")
    for user in (duties["security"], root):
        client.force_login(user)
        page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
        assert page.status_code == 200, user.username
        text = page.content.decode()
        assert "yuexiu" in text or world.yx_staff.name in text
        assert device.key not in text and base32[:16] not in text, user.username
        listing = client.get(reverse("admin:otp_totp_totpdevice_changelist")).content.decode()
        assert device.key not in listing and "qrcode" not in listing
        for page_name in ("config", "qrcode"):
            response = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/{page_name}/")
            assert response.status_code in (302, 404), (user.username, page_name)
            body = client.get(response.url).content.decode() if response.status_code == 302 else ""
            assert device.key not in body and "<svg" not in body


def test_authenticators_are_reset_only_through_the_audited_reset(client, world, duties):
    officer = world.yx_staff
    device = authenticator(officer)
    recovery_codes_make(user=officer)
    client.force_login(duties["security"])
    url = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:otp_totp_totpdevice_changelist")
    bulk = {"action": "delete_selected", "_selected_action": [device.pk], "post": "yes"}
    client.post(changelist, bulk)
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert RecoveryCode.objects.filter(user=officer).count() == 10
    assert not client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 200


def test_every_admin_page_answers_each_duty_and_a_superuser(client, world, duties, student):
    authenticator(world.yx_staff)
    root = UserFactory(is_superuser=True, is_staff=True, username="root")
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{info}_changelist"), reverse(f"{info}_add")]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse(f"{info}_change", args=[first.pk]))
    for user in (*duties.values(), root):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code < 500, (user.username, url)
