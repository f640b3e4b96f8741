"""Accounts without e-mail: the level above (staff) or the hometown county (students) sets a
temporary password, shown once; the account changes it before any other page opens."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.urls import reverse

from accounts.audit import Action
from accounts.models import AuditEvent, Role
from tests.factories import PASSWORD, StudentFactory, authenticator, staff, totp_code

NEW_PASSWORD = "Qn-2026-gd-mine"


@pytest.fixture
def student(world):
    return StudentFactory(
        hometown=world.yuexiu,
        university=world.university,
        name="越秀无邮箱学生",
        email="",
        user__email="",
    )


def _student_reset(student):
    return reverse("students:student_password_reset", args=[student.pk])


def _account_reset(account):
    return reverse("accounts:account_password_reset", args=[account.pk])


def _temporary(response) -> str:
    page = response.content.decode()
    start = page.index('temporary-password" translate="no">') + len(
        'temporary-password" translate="no">'
    )
    return page[start : page.index("<", start)].strip()


def test_the_county_gives_its_student_a_temporary_password_shown_once(client, world, student):
    client.force_login(world.yx_staff)
    listing = client.get(reverse("students:county_students")).content.decode()
    assert _student_reset(student) in listing and "重置密码" in listing

    response = client.post(_student_reset(student))

    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    password = _temporary(response)
    assert len(password) == 14 and "临时密码只显示这一次" in response.content.decode()
    validate_password(password, student.user)  # the rules every password follows
    student.user.refresh_from_db()
    assert student.user.check_password(password) and not student.user.check_password(PASSWORD)
    assert student.user.must_change_password
    event = AuditEvent.objects.get(action=Action.PASSWORD_TEMPORARY)
    assert (event.actor, event.target_id, event.region) == (
        world.yx_staff,
        student.user.pk,
        world.yuexiu,
    )


def test_a_temporary_password_must_be_changed_before_anything_else(client, world, student):
    client.force_login(world.yx_staff)
    password = _temporary(client.post(_student_reset(student)))
    client.logout()
    signed_in = client.post(
        reverse("accounts:login"), {"username": student.user.username, "password": password}
    )
    assert signed_in.status_code == 302
    change = reverse("accounts:password_change")
    for url in (reverse("students:me"), reverse("home"), reverse("accounts:notice_list")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == change, url
    page = client.get(change).content.decode()
    assert "您的密码已由工作人员重置为临时密码" in page

    data = {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert client.post(change, data).status_code == 302

    student.user.refresh_from_db()
    assert not student.user.must_change_password and student.user.check_password(NEW_PASSWORD)
    assert client.get(reverse("students:me")).status_code == 200  # still signed in, free again


def test_the_old_sessions_end_with_the_temporary_password(client, world, student):
    student_device = type(client)()
    student_device.force_login(student.user)
    client.force_login(world.yx_staff)
    client.post(_student_reset(student))
    response = student_device.get(reverse("students:me"))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )


def test_the_city_gives_a_county_officer_a_temporary_password(client, world):
    client.force_login(world.gz_staff)
    detail = client.get(reverse("accounts:account_detail", args=[world.yx_staff.pk]))
    assert _account_reset(world.yx_staff) in detail.content.decode()
    response = client.post(_account_reset(world.yx_staff))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    world.yx_staff.refresh_from_db()
    assert world.yx_staff.must_change_password
    assert world.yx_staff.check_password(_temporary(response))
    assert AuditEvent.objects.filter(
        action=Action.PASSWORD_TEMPORARY, actor=world.gz_staff, target_id=world.yx_staff.pk
    ).exists()


def test_staff_give_the_second_factor_before_changing_the_temporary_password(
    client, world, settings
):
    settings.STAFF_TWO_FACTOR = True
    device = authenticator(world.yx_staff)
    world.yx_staff.must_change_password = True
    world.yx_staff.save()
    client.post(reverse("accounts:login"), {"username": "yuexiu", "password": PASSWORD})
    first = client.get(reverse("home"))
    assert first["Location"].startswith(reverse("accounts:two_factor_verify"))
    client.post(reverse("accounts:two_factor_verify"), {"code": totp_code(device)})
    then = client.get(reverse("home"))
    assert then.status_code == 302 and then["Location"] == reverse("accounts:password_change")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("th_staff", 404),  # another county's staff
        ("yx_host", 404),  # a host unit of the same county
        ("gz_staff", 403),  # the city reads the county's students, does not reset
        ("province_staff", 403),
        ("uni_staff", 403),  # the student's university reads them
    ],
)
def test_only_the_hometown_county_resets_a_students_password(client, world, student, role, status):
    client.force_login(getattr(world, role))
    assert client.post(_student_reset(student)).status_code == status
    student.user.refresh_from_db()
    assert student.user.check_password(PASSWORD) and not student.user.must_change_password


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("th_staff", 404),  # another county: does not see 越秀's host unit
        ("mz_staff", 404),  # another city
        ("gz_staff", 403),  # the city sees its counties' host units, the county manages them
        ("province_staff", 403),
    ],
)
def test_only_the_level_above_resets_a_staff_password(client, world, role, status):
    client.force_login(getattr(world, role))
    detail = client.get(reverse("accounts:account_detail", args=[world.yx_host.pk]))
    assert _account_reset(world.yx_host) not in detail.content.decode()
    assert client.post(_account_reset(world.yx_host)).status_code == status
    world.yx_host.refresh_from_db()
    assert world.yx_host.check_password(PASSWORD) and not world.yx_host.must_change_password


def test_the_security_administrator_resets_second_factors_not_passwords(client, world):
    secadmin = staff(Role.SECURITY_ADMIN, is_staff=True, username="secadmin")
    client.force_login(secadmin)
    detail = client.get(reverse("accounts:account_detail", args=[world.yx_host.pk]))
    assert (
        detail.status_code == 200 and _account_reset(world.yx_host) not in detail.content.decode()
    )
    assert client.post(_account_reset(world.yx_host)).status_code == 403


def test_the_reset_is_a_post(client, world, student):
    client.force_login(world.yx_staff)
    assert client.get(_student_reset(student)).status_code == 405
    assert client.get(_account_reset(world.yx_host)).status_code == 405
