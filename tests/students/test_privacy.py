"""A student's personal data: masked for staff unless their duty needs it (and then logged),
downloadable by the student, erased on request, anonymised when the programme no longer needs it."""

import datetime
import json

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, User
from students import services
from students.models import Application, Placement, Student
from students.privacy import retention_sweep
from students.tasks import retention_sweep as retention_task
from tests.factories import PASSWORD, StudentFactory, valid_id_number


@pytest.fixture
def applicant(world):
    student = StudentFactory(
        hometown=world.yuexiu, university=world.university, name="越秀学生", phone="13912345678"
    )
    world.application = services.application_submit(
        actor=None, student=student, post=world.post_yx, statement="我想回家乡服务"
    )
    world.applicant = student
    return world


def test_applicants_page_shows_the_id_number_and_phone_masked(client, applicant):
    client.force_login(applicant.yx_staff)
    page = client.get(reverse("students:post_applicants", args=[applicant.post_yx.pk]))
    text = page.content.decode()
    assert applicant.applicant.id_number_masked in text and "139****5678" in text
    assert applicant.applicant.id_number not in text and "13912345678" not in text


def test_county_staff_reveal_the_full_id_number_and_it_is_logged(client, applicant):
    client.force_login(applicant.yx_staff)
    url = reverse("students:reveal", args=[applicant.application.pk])
    response = client.post(url, headers={"HX-Request": "true"})
    text = response.content.decode()
    assert applicant.applicant.id_number in text and "13912345678" in text
    event = AuditEvent.objects.get(action="pii.reveal")
    assert event.actor == applicant.yx_staff and event.target_id == applicant.applicant.pk
    assert event.region == applicant.yuexiu and event.province == applicant.province
    assert event.data["fields"] == ["id_number", "phone"]
    assert applicant.applicant.id_number not in json.dumps(event.data)


def test_host_unit_staff_see_the_phone_but_never_the_id_number(client, applicant):
    client.force_login(applicant.yx_host)
    response = client.post(
        reverse("students:reveal", args=[applicant.application.pk]), headers={"HX-Request": "true"}
    )
    text = response.content.decode()
    assert "13912345678" in text and applicant.applicant.id_number not in text


def test_reveal_is_refused_to_readers_and_outsiders_and_to_get(client, applicant):
    url = reverse("students:reveal", args=[applicant.application.pk])
    client.force_login(applicant.gz_staff)
    assert client.post(url).status_code == 403
    client.force_login(applicant.th_staff)
    assert client.post(url).status_code == 404
    client.force_login(applicant.yx_staff)
    assert client.get(url).status_code == 405
    assert not AuditEvent.objects.filter(action="pii.reveal").exists()


def test_a_student_downloads_everything_held_about_them(client, applicant):
    client.force_login(applicant.applicant.user)
    response = client.get(reverse("students:my_data"))
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["个人信息"]["身份证号"] == applicant.applicant.id_number
    assert data["报名"][0]["岗位"] == applicant.post_yx.title
    assert data["报名"][0]["个人陈述"] == "我想回家乡服务"
    assert AuditEvent.objects.filter(action="subject.download", actor=applicant.applicant.user)


def test_only_students_download_their_data(client, applicant):
    client.force_login(applicant.yx_staff)
    assert client.get(reverse("students:my_data")).status_code == 404


def _erase(client, student, password=PASSWORD):
    client.force_login(student.user)
    return client.post(reverse("students:erase"), {"password": password, "confirm": "on"})


def test_a_wrong_password_erases_nothing_and_says_so(client, applicant):
    response = _erase(client, applicant.applicant, password="wrong-guess-1")
    assert "密码不正确" in response.content.decode()
    assert Student.objects.get(pk=applicant.applicant.pk).name == "越秀学生"


def test_guessing_the_password_on_the_erase_form_pauses_it_like_a_sign_in(client, applicant):
    for n in range(5):
        response = _erase(client, applicant.applicant, password=f"wrong-guess-{n}")
    # The fifth wrong password pauses it, and the right one does not get through either.
    assert response.status_code == 429 and "登录已暂停" in response.content.decode()
    response = _erase(client, applicant.applicant)
    assert response.status_code == 429 and "登录已暂停" in response.content.decode()
    assert Student.objects.get(pk=applicant.applicant.pk).name == "越秀学生"
    # The same pause holds at the sign-in page for that account.
    client.logout()
    login = client.post(
        reverse("accounts:login"),
        {"username": applicant.applicant.user.username, "password": PASSWORD},
    )
    assert login.status_code == 429


def test_an_erasure_refused_for_a_placement_under_way_is_not_a_wrong_password(client, applicant):
    services.application_offer(actor=None, application=applicant.application)
    services.offer_confirm(actor=None, application=applicant.application)
    assert Placement.objects.filter(student=applicant.applicant).exists()
    for _ in range(6):
        response = _erase(client, applicant.applicant)
        assert response.status_code == 200 and "正在进行的实践" in response.content.decode()


def test_erasure_empties_every_identifying_field_and_ends_the_account(client, applicant):
    student = applicant.applicant
    response = _erase(client, student)
    assert response.status_code == 302
    student.refresh_from_db()
    user = User.objects.get(pk=student.user_id)
    assert student.anonymised_at is not None
    assert (student.name, student.id_number, student.phone, student.email) == (
        "已注销",
        None,
        "",
        "",
    )
    assert student.id_number_masked == "" and student.student_number.startswith("erased-")
    assert user.username.startswith("erased-") and not user.is_active
    assert not user.has_usable_password()
    application = Application.objects.get(pk=applicant.application.pk)
    assert application.status == Application.Status.WITHDRAWN and application.statement == ""
    assert client.get(reverse("students:me")).status_code == 302  # signed out
    event = AuditEvent.objects.get(action="subject.erase")
    assert event.actor_label == user.username and event.region == applicant.yuexiu


def test_erasure_removes_the_students_sign_in_records(client, applicant):
    from axes.models import AccessLog

    student = applicant.applicant
    client.post(
        reverse("accounts:login"), {"username": student.user.username, "password": PASSWORD}
    )
    assert AccessLog.objects.filter(username=student.user.username).exists()
    client.post(reverse("students:erase"), {"password": PASSWORD, "confirm": "on"})
    assert not AccessLog.objects.filter(username=student.user.username).exists()


def test_the_same_id_number_can_register_again_after_erasure(client, applicant):
    number = applicant.applicant.id_number
    _erase(client, applicant.applicant)
    again = StudentFactory(id_number=number, university=applicant.university)
    assert again.pk != applicant.applicant.pk


def test_erasure_waits_while_a_placement_is_under_way(client, applicant):
    services.application_offer(actor=None, application=applicant.application)
    services.offer_confirm(actor=None, application=applicant.application)
    response = _erase(client, applicant.applicant)
    assert "实践结束" in response.content.decode()
    assert Student.objects.get(pk=applicant.applicant.pk).anonymised_at is None
    assert Placement.objects.filter(student=applicant.applicant).exists()


def _old_student(world, years_ago: int, **extra):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=365 * years_ago), tick=False):
        return StudentFactory(hometown=world.yuexiu, university=world.university, **extra)


def test_retention_anonymises_students_idle_for_three_years_once(world):
    idle = _old_student(world, 4, name="久未登录")
    signed_in = _old_student(world, 4, name="最近登录")
    User.objects.filter(pk=signed_in.user_id).update(last_login=timezone.now())
    recent = StudentFactory(hometown=world.yuexiu, name="新注册")

    assert retention_sweep(actor=None) == 1
    assert retention_sweep(actor=None) == 0  # a second run changes nothing
    names = dict(Student.objects.values_list("pk", "name"))
    assert names[idle.pk] == "已注销"
    assert names[signed_in.pk] == "最近登录" and names[recent.pk] == "新注册"
    assert AuditEvent.objects.filter(action="retention.anonymise").count() == 1
    assert AuditEvent.objects.get(action="retention.anonymise").actor_label == "系统"


def test_retention_keeps_students_who_took_part_recently(world):
    old = _old_student(world, 4, name="去年参加")
    Application.objects.filter(
        pk=services.application_submit(actor=None, student=old, post=world.post_yx).pk
    )
    assert retention_sweep(actor=None) == 0
    in_four_years = timezone.now() + datetime.timedelta(days=365 * 4)
    assert retention_sweep(actor=None, now=in_four_years) == 1


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_retention_sweep_idempotently(worker):
    from tests.factories import region

    with time_machine.travel(timezone.now() - datetime.timedelta(days=365 * 5), tick=False):
        idle = StudentFactory(hometown=region("440104"), id_number=valid_id_number(77))
    first = retention_task.apply_async(ignore_result=False).get(timeout=30)
    second = retention_task.apply_async(ignore_result=False).get(timeout=30)
    assert (first, second) == (1, 0)
    assert Student.objects.get(pk=idle.pk).anonymised_at is not None


def test_the_retention_sweep_is_on_the_beat_schedule(settings):
    assert settings.CELERY_BEAT_SCHEDULE["retention-sweep"]["task"] == retention_task.name


def test_a_reveal_without_htmx_is_a_page_not_a_cookie_and_is_not_cached(client, applicant):
    client.force_login(applicant.yx_staff)
    response = client.post(reverse("students:reveal", args=[applicant.application.pk]))
    assert response.status_code == 200
    assert applicant.applicant.id_number in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert "messages" not in response.cookies


def test_no_reveal_once_the_student_has_withdrawn(client, applicant):
    services.application_withdraw(actor=None, application=applicant.application)
    client.force_login(applicant.yx_host)
    response = client.post(reverse("students:reveal", args=[applicant.application.pk]), follow=True)
    assert "13912345678" not in response.content.decode()
    assert "报名已结束" in response.content.decode()
    assert not AuditEvent.objects.filter(action="pii.reveal").exists()


def test_the_data_download_is_not_cached(client, applicant):
    client.force_login(applicant.applicant.user)
    assert "no-store" in client.get(reverse("students:my_data"))["Cache-Control"]


def test_erasure_takes_the_name_out_of_the_host_units_notices(client, applicant):
    from accounts.models import Notice

    services.application_offer(actor=None, application=applicant.application)
    services.offer_decline(actor=None, application=applicant.application)
    assert Notice.objects.filter(user=applicant.yx_host, text__contains="越秀学生").exists()
    _erase(client, applicant.applicant)
    texts = list(Notice.objects.filter(user=applicant.yx_host).values_list("text", flat=True))
    assert texts and not [t for t in texts if "越秀学生" in t]
    assert any("已注销" in t for t in texts)


def test_erasure_takes_the_username_out_of_lockout_events(client, applicant):
    student = applicant.applicant
    username = student.user.username
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": username, "password": "Wrong-1x"})
    assert AuditEvent.objects.filter(action="login.locked", data__username=username).exists()
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()  # the lock lifts (as after the cool-off)
    _erase(client, student)
    assert not AuditEvent.objects.filter(data__username=username).exists()
    assert not AuditEvent.objects.filter(actor_label=username).exists()
