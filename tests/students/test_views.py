"""The student journey in the browser's terms: pages, forms and who may press which button."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from students import services
from students.models import Application, Placement, Student
from tests.factories import (
    PASSWORD,
    StudentFactory,
    UniversityFactory,
    registration_form,
    valid_id_number,
)


@pytest.fixture
def journey(world):
    """越秀's student applied to 越秀's post; a 天河 student applied to 天河's post."""
    yx_student = StudentFactory(hometown=world.yuexiu, university=world.university, name="越秀学生")
    th_student = StudentFactory(hometown=world.tianhe, name="天河学生")
    world.app_yx = services.application_submit(actor=None, student=yx_student, post=world.post_yx)
    world.app_th = services.application_submit(actor=None, student=th_student, post=world.post_th)
    world.yx_student, world.th_student = yx_student, th_student
    return world


_registration = registration_form


def test_a_student_registers_and_lands_on_their_page(client, world):
    response = client.post(
        reverse("students:register"), _registration(world.university), follow=True
    )
    student = Student.objects.get(user__username="xiaoming")
    assert student.hometown == world.yuexiu
    page = response.content.decode()
    assert "李小明" in page and student.id_number_masked in page and valid_id_number(3) not in page


def test_bad_registration_says_why_and_keeps_the_input(client, world):
    data = _registration(
        world.university, id_number="440104200401010010", password2="other", consent=""
    )
    page = client.post(reverse("students:register"), data).content.decode()
    assert "身份证号无效" in page and "两次输入的密码不一致" in page and "请阅读并同意" in page
    assert 'value="李小明"' in page and 'value="440104" selected' in page
    assert PASSWORD not in page
    assert not Student.objects.exists()


def test_a_student_applies_from_the_post_page_and_confirms_an_offer(client, world):
    student = StudentFactory(hometown=world.yuexiu)
    client.force_login(student.user)
    client.post(reverse("students:apply", args=[world.post_yx.pk]), {"statement": "我想回家乡"})
    application = Application.objects.get(student=student)
    assert application.rank == 1 and application.statement == "我想回家乡"
    services.application_offer(actor=None, application=application)
    client.post(reverse("students:confirm", args=[application.pk]))
    assert Placement.objects.filter(student=student, post=world.post_yx).exists()
    page = client.get(reverse("students:me")).content.decode()
    assert "待报到" in page and "越秀图书馆阅读推广员" in page


def test_applying_outside_the_home_county_is_refused_with_a_message(client, world):
    student = StudentFactory(hometown=world.yuexiu)
    client.force_login(student.user)
    response = client.post(reverse("students:apply", args=[world.post_th.pk]), follow=True)
    assert "只能报名家乡" in response.content.decode()
    assert not Application.objects.filter(student=student).exists()


def test_students_cannot_touch_each_others_applications(client, journey):
    client.force_login(journey.th_student.user)
    for name in ("students:withdraw", "students:confirm", "students:decline", "students:move_up"):
        assert client.post(reverse(name, args=[journey.app_yx.pk])).status_code == 404
    journey.app_yx.refresh_from_db()
    assert journey.app_yx.status == "applied"


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("yx_staff", 200),
        ("yx_host", 200),
        ("gz_staff", 200),
        ("province_staff", 200),
        ("th_staff", 404),
        ("th_host", 404),
        ("mz_staff", 404),
        ("uni_staff", 404),
        ("student", 404),
    ],
)
def test_the_applicants_page_is_scoped(client, journey, user, status):
    client.force_login(getattr(journey, user))
    response = client.get(reverse("students:post_applicants", args=[journey.post_yx.pk]))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "越秀学生" in page and "天河学生" not in page
        assert journey.yx_student.phone not in page  # masked


@pytest.mark.parametrize(
    ("user", "action", "status"),
    [
        ("yx_staff", "offer", 302),
        ("yx_host", "offer", 403),
        ("gz_staff", "offer", 403),
        ("th_staff", "offer", 404),
        ("yx_host", "host_rank", 302),
        ("gz_staff", "host_rank", 403),
        ("th_host", "host_rank", 404),
        ("yx_staff", "reject", 302),
        ("province_staff", "reject", 403),
    ],
)
def test_who_may_decide(client, journey, user, action, status):
    client.force_login(getattr(journey, user))
    response = client.post(
        reverse(f"students:{action}", args=[journey.app_yx.pk]), {"host_rank": "1"}
    )
    assert response.status_code == status
    journey.app_yx.refresh_from_db()
    changed = journey.app_yx.status != "applied" or journey.app_yx.host_rank is not None
    assert changed is (status == 302)


def test_decisions_refuse_get(client, journey):
    client.force_login(journey.yx_staff)
    assert client.get(reverse("students:offer", args=[journey.app_yx.pk])).status_code == 405


def test_host_records_report_and_evaluation_and_the_certificate_verifies(client, journey):
    services.application_offer(actor=None, application=journey.app_yx)
    placement = services.offer_confirm(actor=None, application=journey.app_yx)
    client.force_login(journey.yx_host)
    page = client.get(
        reverse("students:post_applicants", args=[journey.post_yx.pk])
    ).content.decode()
    assert placement.checkin_code in page  # the host unit shows the code to the student
    _running_now(journey.post_yx)
    client.post(reverse("students:placement_report", args=[placement.pk]))
    day = journey.post_yx.starts_on
    client.force_login(journey.yx_student.user)
    client.post(
        reverse("students:log_add", args=[placement.pk]),
        {"day": day.isoformat(), "hours": "6", "content": "整理图书、组织阅读活动"},
    )
    log = placement.logs.get()
    client.force_login(journey.th_host)
    assert client.post(reverse("students:log_confirm", args=[log.pk])).status_code == 404
    client.force_login(journey.yx_host)
    client.post(reverse("students:log_confirm", args=[log.pk]))
    client.post(
        reverse("students:placement_evaluate", args=[placement.pk]),
        {"rating": "excellent", "comment": "认真负责"},
    )
    placement.refresh_from_db()
    assert placement.status == "completed" and placement.hours == 6
    client.force_login(journey.yx_student.user)
    certificate = client.get(reverse("students:certificate", args=[placement.pk])).content.decode()
    assert placement.certificate_code in certificate
    client.logout()
    good = client.get(
        reverse("students:verify"), {"code": placement.certificate_code}
    ).content.decode()
    assert "证书真实有效" in good and "越秀学生" in good
    bad = client.get(reverse("students:verify"), {"code": "FAKE22222222"}).content.decode()
    assert "查无此证书" in bad


def test_city_staff_cannot_evaluate_a_placement_they_read(client, journey):
    """The county evaluates with the host unit (tests/students/test_joint_evaluation.py); the
    city above it reads only."""
    services.application_offer(actor=None, application=journey.app_yx)
    placement = services.offer_confirm(actor=None, application=journey.app_yx)
    _running_now(journey.post_yx)
    placement = Placement.objects.get(pk=placement.pk)  # with the post's new dates
    services.placement_report(actor=None, placement=placement)
    client.force_login(journey.gz_staff)
    response = client.post(
        reverse("students:placement_evaluate", args=[placement.pk]),
        {"rating": "good", "hours": "10"},
    )
    assert response.status_code == 403


def test_a_certificate_page_is_only_for_its_student_and_staff_in_scope(client, journey):
    services.application_offer(actor=None, application=journey.app_yx)
    placement = services.offer_confirm(actor=None, application=journey.app_yx)
    _running_now(journey.post_yx)
    placement = Placement.objects.get(pk=placement.pk)  # with the post's new dates
    services.placement_report(actor=None, placement=placement)
    _log_hours(placement, 20)
    services.placement_evaluate(actor=None, placement=placement, rating="good")
    client.force_login(journey.th_student.user)
    assert client.get(reverse("students:certificate", args=[placement.pk])).status_code == 404


def test_university_staff_see_only_their_students(client, journey):
    services.application_offer(actor=None, application=journey.app_yx)
    services.offer_confirm(actor=None, application=journey.app_yx)
    client.force_login(journey.uni_staff)
    page = client.get(reverse("students:university_students")).content.decode()
    assert "越秀学生" in page and "天河学生" not in page
    other = UniversityFactory()
    client.force_login(StudentFactory(university=other).user)
    assert client.get(reverse("students:university_students")).status_code == 404


def _log_hours(placement, hours):
    """A confirmed practice log of `hours`, written on the post's first day."""
    from django.utils import timezone

    from students.models import PracticeLog

    PracticeLog.objects.create(
        placement=placement,
        day=placement.post.starts_on,
        hours=hours,
        content="实践",
        confirmed_at=timezone.now(),
    )


def test_university_certifies_performance_and_safety_and_the_county_sees_it(client, journey):
    client.force_login(journey.uni_staff)
    client.post(reverse("students:clearance", args=[journey.app_yx.pk, "performance"]))
    client.post(reverse("students:clearance", args=[journey.app_yx.pk, "safety"]))
    assert (
        client.post(reverse("students:clearance", args=[journey.app_th.pk, "safety"])).status_code
        == 404
    )
    client.force_login(journey.yx_staff)
    page = client.get(
        reverse("students:post_applicants", args=[journey.post_yx.pk])
    ).content.decode()
    assert "已开在校表现证明" in page and "已安全培训" in page
    client.force_login(journey.yx_host)
    response = client.post(reverse("students:clearance", args=[journey.app_yx.pk, "safety"]))
    assert response.status_code == 404


def test_the_applicants_page_has_bounded_queries(client, journey, django_assert_max_num_queries):
    for _ in range(15):
        services.application_submit(
            actor=None, student=StudentFactory(hometown=journey.yuexiu), post=journey.post_yx
        )
    client.force_login(journey.yx_staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("students:post_applicants", args=[journey.post_yx.pk]))
    assert response.status_code == 200


def _running_now(post):
    """Move the post (and its season's window) so that its practice runs from 5 days ago to
    today: students can report and the host unit can already evaluate."""
    from positions.models import Post
    from schedule.models import Season

    today = timezone.localdate()
    # Widen the window back to today; its end (next summer) keeps every other post inside.
    Season.objects.filter(pk=post.season_id).update(
        practice_starts=today - datetime.timedelta(days=60)
    )
    Post.objects.filter(pk=post.pk).update(
        starts_on=today - datetime.timedelta(days=5), ends_on=today
    )
    post.refresh_from_db()


def test_a_student_edits_their_profile_but_not_their_identity(client, journey):
    client.force_login(journey.yx_student.user)
    url = reverse("students:profile")
    data = {
        "phone": "138 0013 8000",
        "email": "new@example.edu.cn",
        "college": "新闻学院",
        "major": "新闻学",
        "degree": "master",
        "grade": "2024",
        "graduation_year": "2027",
        "politics": "party_member",
        "name": "冒名",
        "id_number": "x",
        "hometown": "1",
    }
    assert client.post(url, data).status_code == 302
    student = Student.objects.get(pk=journey.yx_student.pk)
    assert (student.phone, student.major, student.name) == ("13800138000", "新闻学", "越秀学生")
    assert student.hometown == journey.yuexiu and student.user.email == "new@example.edu.cn"
    bad = client.post(url, data | {"phone": "123", "graduation_year": "2020"}).content.decode()
    assert "不是有效的中国大陆手机号" in bad and "毕业年份不能早于入学年份" in bad
    assert 'value="新闻学院"' in bad
    client.force_login(journey.yx_staff)
    assert client.get(url).status_code == 404


def test_ending_a_placement_is_for_the_county_not_the_host_unit(client, journey):
    services.application_offer(actor=None, application=journey.app_yx)
    placement = services.offer_confirm(actor=None, application=journey.app_yx)
    url = reverse("students:placement_drop", args=[placement.pk])
    client.force_login(journey.yx_host)
    assert client.post(url, {"reason": "不来了"}).status_code == 403
    client.force_login(journey.yx_staff)
    assert client.post(url, {"reason": "学生提前返校"}).status_code == 302
    placement.refresh_from_db()
    assert placement.status == "dropped"


def test_host_rank_must_be_positive(client, journey):
    client.force_login(journey.yx_host)
    client.post(reverse("students:host_rank", args=[journey.app_yx.pk]), {"host_rank": "0"})
    journey.app_yx.refresh_from_db()
    assert journey.app_yx.host_rank is None


def test_a_too_long_statement_is_explained_and_kept(client, journey):
    client.force_login(journey.yx_student.user)
    statement = "长" * 1001
    response = client.post(
        reverse("students:apply", args=[journey.post_yx.pk]), {"statement": statement}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "1000" in page and statement in page
