"""Correcting a hometown (issue 15): the staff of the student's hometown county correct what the
student cannot change themselves (name, ID number, school, student number, 生源地), with a
reason; audited with the ID number masked; the student is told; choices in the old county are
withdrawn; refused while the student is placed there."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Notice, Role
from accounts.validators import id_number_make
from ledger.models import Entry
from ledger.services import entry_for_participant
from schedule.models import Onboarding
from students import services
from students.models import Application, Placement, Student
from tests.factories import PostFactory, StudentFactory, UniversityFactory, region, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def student(world):
    return StudentFactory(name="王错县", hometown=world.yuexiu, university=world.university)


def _form(student, **changes) -> dict:
    hometown = student.hometown
    return {
        "name": student.name,
        "id_number": "",
        "university": student.university.code,
        "student_number": student.student_number,
        "hometown_province": hometown.parent.parent.code,
        "hometown_city": hometown.parent.code,
        "hometown": hometown.code,
        "reason": "学生来电反映生源地填错，核对户口簿后更正",
    } | changes


def _to_tianhe(student):
    return _form(student, hometown_city="440100", hometown="440106")


def test_the_county_moves_a_student_to_the_right_county(client, world, student):
    client.force_login(world.yx_staff)
    url = reverse("students:identity_correct", args=[student.pk])
    response = client.post(url, _to_tianhe(student))
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.hometown == world.tianhe
    # The new county sees the student now, the old one no longer does.
    client.force_login(world.th_staff)
    assert "王错县" in client.get(reverse("students:county_students")).content.decode()
    assert client.get(url).status_code == 200
    client.force_login(world.yx_staff)
    assert "王错县" not in client.get(reverse("students:county_students")).content.decode()
    assert client.get(url).status_code == 404


def test_the_student_is_told_who_corrected_what_and_why(world, student):
    services.student_identity_correct(
        actor=world.yx_staff, student=student, hometown=world.tianhe, reason="核对户口簿"
    )
    notice = Notice.objects.get(user=student.user)
    assert "广州市越秀区团委" in notice.text and "生源地" in notice.text
    assert "核对户口簿" in notice.text


def test_the_correction_is_audited_with_the_id_number_masked(world, student):
    new_number = id_number_make(777)
    services.student_identity_correct(
        actor=world.yx_staff, student=student, id_number=new_number, name="王对名", reason="证件"
    )
    event = AuditEvent.objects.get(action="student.identity")
    assert event.actor == world.yx_staff and event.region == world.yuexiu
    assert event.data["fields"] == ["name", "id_number"]
    assert event.data["reason"] == "证件"
    assert new_number not in str(event.data)
    assert event.data["after"]["id_number"] == new_number[:4] + "*" * 10 + new_number[-4:]
    student.refresh_from_db()
    assert (student.name, student.id_number, student.user.name) == ("王对名", new_number, "王对名")


def test_open_choices_in_the_old_county_are_withdrawn_and_the_student_told(world, student):
    post2 = PostFactory(host_unit=world.unit_yx, title="越秀第二岗位")
    first = services.application_submit(student=student, post=world.post_yx, actor=None)
    second = services.application_submit(student=student, post=post2, actor=None)
    services.application_offer(application=second, actor=None)
    student = services.student_identity_correct(
        actor=world.yx_staff, student=student, hometown=world.tianhe, reason="户籍在天河"
    )
    statuses = set(Application.objects.filter(pk__in=[first.pk, second.pk]).values_list("status"))
    assert statuses == {("withdrawn",)}
    assert "2 个意向已撤回" in Notice.objects.filter(user=student.user).latest("pk").text
    # The student may now choose posts of the right county.
    services.application_submit(student=student, post=world.post_th, actor=None)


def test_a_choice_of_a_post_open_to_anyone_stays_after_the_move(world, student):
    """Withdrawn, it could never be chosen again (one application per post): a post the student
    may still choose keeps the choice."""
    open_post = PostFactory(host_unit=world.unit_yx, title="面向所有学子", audience="anyone")
    kept = services.application_submit(student=student, post=open_post, actor=None)
    closed = services.application_submit(student=student, post=world.post_yx, actor=None)
    services.student_identity_correct(
        actor=world.yx_staff, student=student, hometown=world.tianhe, reason="户籍在天河"
    )
    kept.refresh_from_db(), closed.refresh_from_db()
    assert (kept.status, kept.rank, closed.status) == ("applied", 1, "withdrawn")


def test_the_ledger_follows_the_correction(world, student):
    """The 联系台账 entry made when the student took part says what the record now says; moved,
    the old county keeps its entry as contact history (unlinked) and the new county gains one."""
    old_entry = entry_for_participant(student)
    new_number = id_number_make(778)
    services.student_identity_correct(
        actor=world.yx_staff, student=student, name="王对名", id_number=new_number, reason="证件"
    )
    old_entry.refresh_from_db()
    assert (old_entry.name, old_entry.id_number, old_entry.student) == (
        "王对名",
        new_number,
        student,
    )
    student.refresh_from_db()
    services.student_identity_correct(
        actor=world.yx_staff, student=student, hometown=world.tianhe, reason="户籍在天河"
    )
    old_entry.refresh_from_db()
    assert old_entry.student is None and old_entry.county == world.yuexiu
    new_entry = Entry.objects.get(student=student)
    assert (new_entry.county, new_entry.name) == (world.tianhe, "王对名")


def test_a_student_at_a_school_without_a_code_can_be_corrected(client, world, student):
    """A province's own addition may have no 学校标识码: found by its name like any other."""
    new_school = UniversityFactory(name="某省新设学院", code=None, province=world.province)
    Student.objects.filter(pk=student.pk).update(university=new_school)
    student.refresh_from_db()
    client.force_login(world.yx_staff)
    url = reverse("students:identity_correct", args=[student.pk])
    assert "某省新设学院" in client.get(url).content.decode()
    response = client.post(url, _form(student, name="王对名", university="某省新设学院"))
    assert response.status_code == 302
    student.refresh_from_db()
    assert (student.name, student.university) == ("王对名", new_school)


def test_a_correction_from_a_county_the_student_has_left_is_refused(world, student):
    """Two staff of the old county at once: the second finds the student already moved."""
    stale = Student.objects.get(pk=student.pk)
    services.student_identity_correct(
        actor=world.yx_staff, student=student, hometown=world.tianhe, reason="户籍在天河"
    )
    with pytest.raises(PermissionDenied):
        services.student_identity_correct(
            actor=world.yx_staff, student=stale, name="又改名", reason="重复提交"
        )
    assert Student.objects.get(pk=student.pk).name == "王错县"


def test_refused_while_the_student_is_placed_in_the_old_county(client, world, student):
    application = services.application_submit(student=student, post=world.post_yx, actor=None)
    services.application_offer(application=application, actor=None)
    services.offer_confirm(application=application, actor=None)
    client.force_login(world.yx_staff)
    response = client.post(
        reverse("students:identity_correct", args=[student.pk]), _to_tianhe(student)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "有已确认或已报到的实践安排，不能更改生源地" in page
    assert "学生来电反映生源地填错" in page  # the reason is kept as typed
    student.refresh_from_db()
    assert student.hometown == world.yuexiu
    assert not AuditEvent.objects.filter(action="student.identity").exists()
    # A completed placement is history: the hometown may then be corrected.
    Placement.objects.filter(student=student).update(
        status="completed",
        rating="good",
        hours=20,
        certificate_code="IDCERT000001",
        completed_at=timezone.now(),
    )
    assert (
        client.post(
            reverse("students:identity_correct", args=[student.pk]), _to_tianhe(student)
        ).status_code
        == 302
    )


def test_a_reason_is_required_and_what_was_typed_is_kept(client, world, student):
    client.force_login(world.yx_staff)
    response = client.post(
        reverse("students:identity_correct", args=[student.pk]),
        _form(student, name="王新名", reason=""),
    )
    page = response.content.decode()
    assert "请填写更正原因。" in page and 'value="王新名"' in page
    student.refresh_from_db()
    assert student.name == "王错县"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id_number": "440104200401011234"}, "身份证号无效"),
        ({"university": "9999999999"}, "就读高校：没有找到“9999999999”"),
        ({"hometown_city": "441400", "hometown": "440106"}, "与所选的省份、地市不一致"),
        ({"hometown": "xx"}, "请依次选择省、市和家乡县"),
        ({}, "没有需要更正的内容"),
    ],
)
def test_bad_input_is_refused_in_chinese_naming_the_field(client, world, student, changes, message):
    client.force_login(world.yx_staff)
    response = client.post(
        reverse("students:identity_correct", args=[student.pk]), _form(student, **changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()


def test_an_id_number_or_student_number_taken_by_another_student_is_refused(world, student):
    other = StudentFactory(university=world.university)
    with pytest.raises(ValidationError) as refused:
        services.student_identity_correct(
            actor=world.yx_staff, student=student, id_number=other.id_number, reason="核对"
        )
    assert "该身份证号已被其他学生使用" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        services.student_identity_correct(
            actor=world.yx_staff,
            student=student,
            student_number=other.student_number,
            reason="核对",
        )
    assert "该校已有使用此学号的学生" in str(refused.value)


def test_the_school_is_corrected_by_its_code_and_the_new_university_sees_the_student(
    client, world, student
):
    pku = UniversityFactory(name="北京大学", code="4111010001", province=region("110000"))
    services.student_identity_correct(
        actor=world.yx_staff, student=student, university=pku, reason="学校填错"
    )
    assert Student.objects.get(pk=student.pk).university == pku


@pytest.mark.parametrize(
    ("viewer", "status"),
    [
        ("gz_staff", 403),
        ("province_staff", 403),
        ("uni_staff", 403),
        ("th_staff", 404),
        ("mz_staff", 404),
        ("yx_host", 404),
    ],
)
def test_only_the_hometown_county_corrects(client, world, student, viewer, status):
    client.force_login(getattr(world, viewer))
    url = reverse("students:identity_correct", args=[student.pk])
    assert client.get(url).status_code == status
    assert client.post(url, _to_tianhe(student)).status_code == status
    student.refresh_from_db()
    assert student.hometown == world.yuexiu


def test_a_student_of_another_university_is_404_for_a_university(client, world, student):
    other = staff(Role.UNIVERSITY, university=UniversityFactory(), username="other_uni")
    client.force_login(other)
    assert client.get(reverse("students:identity_correct", args=[student.pk])).status_code == 404


def test_the_county_student_list_is_searchable_paged_and_masked(client, world, student):
    for n in range(32):
        StudentFactory(name=f"李同学{n}", hometown=world.yuexiu)
    StudentFactory(name="天河人", hometown=world.tianhe)
    client.force_login(world.yx_staff)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("students:county_students")).content.decode()
    assert len(queries) <= 8
    assert "共 33 人" in page and "天河人" not in page
    found = client.get(reverse("students:county_students"), {"q": "错县"}).content.decode()
    assert "王错县" in found and "李同学" not in found
    assert student.id_number not in found and student.id_number_masked in found
    assert client.get(reverse("students:county_students"), {"page": "9x"}).status_code == 200


@pytest.mark.parametrize(
    ("viewer", "status"), [("gz_staff", 403), ("yx_host", 403), ("uni_staff", 404)]
)
def test_the_county_student_list_is_for_county_staff(client, world, viewer, status):
    client.force_login(getattr(world, viewer))
    assert client.get(reverse("students:county_students")).status_code == status


def test_the_profile_page_says_who_corrects_the_fixed_fields(client, world, student):
    client.force_login(student.user)
    page = client.get(reverse("students:profile")).content.decode()
    assert "请联系生源地的广州市越秀区团委更正" in page and "联系电话" not in page
    programme_year = PostFactory(host_unit=world.unit_yx).season.programme_year
    Onboarding.objects.create(
        programme_year=programme_year,
        region=world.yuexiu,
        contact_name="陈老师",
        contact_phone="020-83331234",
        staff_names="陈老师",
        confirmed_at=timezone.now(),
    )
    page = client.get(reverse("students:profile")).content.decode()
    assert "联系电话 020-83331234" in page
    # After a correction the new county is named.
    services.student_identity_correct(
        actor=world.yx_staff, student=student, hometown=world.tianhe, reason="户籍在天河"
    )
    page = client.get(reverse("students:profile")).content.decode()
    assert "请联系生源地的广州市天河区团委更正" in page
