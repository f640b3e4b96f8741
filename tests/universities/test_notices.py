"""Notices to the university's students: to all or by college and grade, in the portal (unread
first; opening counts the read) and by e-mail through the mail outbox, with read counts."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, Mail
from fanjiaxiang.models import QueuedTask
from tests.universities.conftest import client_for
from universities import services
from universities.models import NoticeReceipt, UniversityNotice

URL = reverse("universities:notices")


def _send(uni, **fields):
    return services.notice_send(
        university=uni.sysu,
        actor=uni.uni_staff,
        **{"category": "activity", "title": "暑期动员", "body": "请报名"} | fields,
    )


def test_a_notice_to_all_reaches_every_student_of_the_university_and_no_other(uni):
    response = client_for(uni.uni_staff).post(
        URL, {"category": "policy", "title": "学分认定办法", "body": "完成即认定"}
    )

    notice = UniversityNotice.objects.get()
    assert response.status_code == 302
    assert set(notice.receipts.values_list("student__name", flat=True)) == {
        "越秀甲",
        "天河乙",
        "越秀丙",
    }
    assert notice.recipients == 3
    assert AuditEvent.objects.filter(action="university.notice", actor=uni.uni_staff).exists()


def test_a_notice_by_college_and_grade_reaches_only_those_students(uni):
    notice = _send(uni, college="数学学院", grade=2023)

    assert list(notice.receipts.values_list("student__name", flat=True)) == ["越秀丙"]
    assert _send(uni, grade=2022).recipients == 2


def test_students_with_an_address_get_a_mail_in_the_outbox_after_commit(
    uni, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        notice = _send(uni, title="返家乡报名开始")

    mails = Mail.objects.filter(subject="【中山大学团委】返家乡报名开始")
    assert sorted(mails.values_list("to", flat=True)) == sorted([uni.a.email, uni.b.email])
    assert NoticeReceipt.objects.filter(notice=notice, mail__isnull=False).count() == 2
    receipt = NoticeReceipt.objects.get(notice=notice, student=uni.a)
    assert reverse("universities:my_notice", args=[receipt.pk]) in receipt.mail.body
    # Queued for the worker once the transaction commits, not before.
    assert len(callbacks) >= 1
    assert QueuedTask.objects.filter(task="accounts.tasks.send_mails").exists()


def test_a_choice_reaching_nobody_is_refused_and_the_form_keeps_what_was_typed(uni):
    response = client_for(uni.uni_staff).post(
        URL,
        {
            "category": "activity",
            "title": "数学学院通知",
            "body": "正文",
            "college": "数学学院",
            "grade": "2022",
        },
    )
    page = response.content.decode()

    assert response.status_code == 200
    assert UniversityNotice.objects.count() == 0
    assert "所选学院、年级下没有本校学生，通知未发送。" in page
    assert "数学学院通知" in page
    response = client_for(uni.uni_staff).post(
        URL, {"category": "activity", "title": "数学通知", "body": ""}
    )
    assert "请填写通知正文。" in response.content.decode()
    assert "数学通知" in response.content.decode()
    response = client_for(uni.uni_staff).post(URL, {"category": "", "title": "", "body": ""})
    assert "请选择通知类别。" in response.content.decode()
    assert UniversityNotice.objects.count() == 0


def test_a_college_that_is_not_offered_is_refused_with_the_field_named(uni):
    response = client_for(uni.uni_staff).post(
        URL, {"category": "activity", "title": "通知", "body": "正文", "college": "不存在学院"}
    )

    assert response.status_code == 200
    assert UniversityNotice.objects.count() == 0
    assert response.context["form"].errors["college"]


def test_the_student_sees_unread_notices_first_and_opening_one_counts_the_read(uni):
    first = _send(uni, title="第一条通知")
    second = _send(uni, title="第二条通知")
    receipt = NoticeReceipt.objects.get(notice=first, student=uni.a)
    client = client_for(uni.a.user)
    client.post(reverse("universities:my_notice", args=[receipt.pk]), HTTP_HX_REQUEST="true")

    page = client.get(reverse("students:me")).content.decode()

    assert page.index("第二条通知") < page.index("第一条通知")  # unread first
    staff_page = client_for(uni.uni_staff).get(URL).content.decode()
    assert f'data-read="{first.pk}">1 / 3' in staff_page
    assert f'data-read="{second.pk}">0 / 3' in staff_page


def test_fetching_the_notice_page_alone_does_not_count_a_read(uni):
    """A mail scanner or link preview only GETs: the page's own POST counts the read."""
    receipt = NoticeReceipt.objects.get(notice=_send(uni), student=uni.a)
    client = client_for(uni.a.user)

    assert (
        "请报名"
        in client.get(reverse("universities:my_notice", args=[receipt.pk])).content.decode()
    )
    receipt.refresh_from_db()
    assert receipt.read_at is None
    client.post(reverse("universities:my_notice", args=[receipt.pk]))
    client.post(reverse("universities:my_notice", args=[receipt.pk]))
    receipt.refresh_from_db()
    assert receipt.read_at is not None


def test_nobody_opens_another_students_copy_or_another_universitys_notice(uni):
    notice = _send(uni)
    receipt = NoticeReceipt.objects.get(notice=notice, student=uni.a)
    detail = reverse("universities:notice_detail", args=[notice.pk])

    assert (
        client_for(uni.b.user).get(reverse("universities:my_notice", args=[receipt.pk])).status_code
        == 404
    )
    assert client_for(uni.scut_staff).get(detail).status_code == 404
    assert client_for(uni.yx_staff).get(detail).status_code == 404
    assert client_for(uni.uni_staff).get(detail).status_code == 200
    assert "暑期动员" not in client_for(uni.scut_staff).get(URL).content.decode()


def test_the_notice_list_query_count_does_not_grow_with_notices(uni):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(uni.uni_staff)
    _send(uni)
    client.get(URL)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get(URL)
        return len(queries)

    before = count()
    for n in range(5):
        _send(uni, title=f"通知{n}")
    assert count() == before


def test_a_double_click_sends_the_notice_once(uni):
    client = client_for(uni.uni_staff)
    data = {"category": "activity", "title": "暑期动员", "body": "请报名"}

    client.post(URL, data)
    response = client.post(URL, data)

    assert UniversityNotice.objects.count() == 1
    assert "同一通知刚刚已发送，未重复发送。" in response.content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_sends_of_one_notice_send_it_once():
    from accounts.models import Role
    from tests.factories import StudentFactory, UniversityFactory, staff
    from tests.race import race

    university = UniversityFactory(name="中山大学", code="4144010558")
    officer = staff(Role.UNIVERSITY, university=university)
    StudentFactory(university=university)

    def send():
        return services.notice_send(
            university=university, actor=officer, category="activity", title="动员", body="报名"
        )

    outcomes = race([send, send])

    assert sorted(outcomes) == ["ok", "同一通知刚刚已发送，未重复发送。"]
    assert UniversityNotice.objects.count() == 1
