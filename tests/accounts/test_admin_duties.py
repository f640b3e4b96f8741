"""三权分立: the superuser's work split into a system, a security and an audit administrator,
each with exactly its own pages and /admin/ models, none reading students' personal data."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, Role
from tests.factories import StudentFactory, UserFactory


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
