"""Implementation plans (实施方案), onboarding (入驻) and the province's calendar edits: the
services the calendar pages call."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import AuditEvent, Role
from positions import services as posts
from positions.models import Region
from schedule.models import Milestone, Onboarding, Plan
from schedule.services import calendar_update, onboarding_confirm, plan_review, plan_submit
from tests.factories import staff
from tests.schedule.support import day, on, post_fields, run, standing, texts

pytestmark = pytest.mark.django_db


def pdf_bytes() -> bytes:
    """A one-page PDF with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def exe_bytes() -> bytes:
    """The start of a Windows executable (MZ header, PE signature at 0x80)."""
    header = bytearray(b"MZ" + b"\x90\x00" * 29 + b"\x00" * 2)
    header += b"\x00" * (0x3C - len(header)) + (0x80).to_bytes(4, "little")
    header += b"\x00" * (0x80 - len(header)) + b"PE\x00\x00" + b"\x00" * 64
    return bytes(header)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def submit(cal, region: Region, by, name: str = "越秀区实施方案.pdf", content: bytes = b""):
    document = SimpleUploadedFile(name, content or pdf_bytes(), content_type="application/pdf")
    return plan_submit(
        programme_year=cal.programme_year, region=region, document=document, actor=by
    )


# Plans -----------------------------------------------------------------------------------------


def test_a_county_plan_in_pdf_is_accepted_marks_the_plan_done_and_tells_the_city(cal):
    with on(day(3, 20)):
        plan = submit(cal, cal.yuexiu, cal.yx_staff)

    assert (plan.status, plan.original_name) == ("submitted", "越秀区实施方案.pdf")
    assert plan.document.read().startswith(b"%PDF-1.4")
    yuexiu = standing(cal.m["plan"], cal.yuexiu)
    assert yuexiu.status == "done" and yuexiu.done_at is not None
    assert texts(cal.gz_staff) == ["越秀区提交了2030年度实施方案，请审核。"]
    assert cal.gz_staff.notices.get().url == reverse("schedule:plan_detail", args=[plan.pk])
    assert texts(cal.mz_staff) == [] and texts(cal.province_staff) == []

    run(day(3, 24))  # a week before the due date only those without a plan are reminded
    assert texts(cal.yx_staff, "制定实施方案") == []
    assert len(texts(cal.th_staff, "制定实施方案")) == 1


def test_a_city_plan_is_sent_to_the_province_for_review(cal):
    with on(day(3, 20)):
        submit(cal, cal.guangzhou, cal.gz_staff, name="广州市实施方案.pdf")

    assert texts(cal.province_staff) == ["广州市提交了2030年度实施方案，请审核。"]
    assert standing(cal.m["plan"], cal.guangzhou).status == "done"


def test_an_exe_renamed_pdf_is_refused_and_nothing_is_recorded(cal):
    with on(day(3, 20)), pytest.raises(ValidationError) as error:
        submit(cal, cal.yuexiu, cal.yx_staff, name="实施方案.pdf", content=exe_bytes())

    assert error.value.messages == ["文件扩展名与内容不符。"]
    assert not Plan.objects.exists()
    assert standing(cal.m["plan"], cal.yuexiu).status == "pending"
    assert texts(cal.gz_staff) == []


def test_returning_a_plan_needs_a_comment_and_puts_the_county_behind_again(cal):
    with on(day(3, 20)):
        plan = submit(cal, cal.yuexiu, cal.yx_staff)
    with on(day(3, 25)):
        with pytest.raises(ValidationError) as error:
            plan_review(plan=plan, approve=False, comment="  ", actor=cal.gz_staff)
        plan.refresh_from_db()
        assert plan.status == "submitted"
        plan_review(plan=plan, approve=False, comment="请补充岗位数量", actor=cal.gz_staff)

    assert error.value.message_dict == {"comment": ["退回修改时请填写审核意见。"]}
    plan.refresh_from_db()
    assert (plan.status, plan.review_comment, plan.reviewed_by) == (
        "returned",
        "请补充岗位数量",
        cal.gz_staff,
    )
    yuexiu = standing(cal.m["plan"], cal.yuexiu)
    assert (yuexiu.status, yuexiu.done_at) == ("pending", None)
    assert texts(cal.yx_staff) == ["2030年度实施方案被退回修改：请补充岗位数量"]
    assert AuditEvent.objects.filter(action="plan.return", actor=cal.gz_staff).count() == 1

    run(day(3, 28))  # pending again, so reminded again
    assert len(texts(cal.yx_staff, "提醒：“制定实施方案”")) == 1


def test_a_plan_returned_after_the_due_date_makes_the_county_overdue(cal):
    with on(day(3, 30)):
        plan = submit(cal, cal.yuexiu, cal.yx_staff)
    run(day(4, 1))
    with on(day(4, 2)):
        plan_review(plan=plan, approve=False, comment="经费预算不明确", actor=cal.gz_staff)

    assert standing(cal.m["plan"], cal.yuexiu).status == "overdue"
    run(day(4, 3))
    [digest] = texts(cal.gz_staff, "逾期：1 个单位未在截止日期前完成“制定实施方案”")
    assert "越秀区" in digest


def test_a_plan_returned_after_the_due_date_and_resubmitted_shows_done_late(cal):
    with on(day(3, 30)):
        plan = submit(cal, cal.yuexiu, cal.yx_staff)
    with on(day(4, 2)):
        plan_review(plan=plan, approve=False, comment="经费预算不明确", actor=cal.gz_staff)
    run(day(4, 3))
    with on(day(4, 5)):
        submit(cal, cal.yuexiu, cal.yx_staff, name="越秀区实施方案（修改稿）.pdf")

    yuexiu = standing(cal.m["plan"], cal.yuexiu)
    assert yuexiu.status == "done"
    assert yuexiu.overdue_since is not None and yuexiu.done_late


def test_approving_a_plan_tells_the_county_and_the_plan_can_no_longer_be_replaced(cal):
    with on(day(3, 20)):
        plan = submit(cal, cal.yuexiu, cal.yx_staff)
        plan_review(plan=plan, approve=True, comment="", actor=cal.gz_staff)
        with pytest.raises(ValidationError) as error:
            submit(cal, cal.yuexiu, cal.yx_staff, name="新方案.pdf")

    plan.refresh_from_db()
    assert plan.status == "approved"
    assert texts(cal.yx_staff) == ["2030年度实施方案已审核通过。"]
    assert standing(cal.m["plan"], cal.yuexiu).status == "done"
    assert error.value.messages == ["实施方案已审核通过，不能再替换。"]


def _download(client, user, url) -> tuple[int, bytes]:
    client.force_login(user)
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response.status_code, body


def test_a_resubmitted_plan_keeps_the_returned_version_for_both_sides(client, cal):
    first, second = pdf_bytes(), pdf_bytes() + b"% revised\n"
    with on(day(3, 20)):
        plan = submit(
            cal, cal.yuexiu, cal.yx_staff, name="越秀区实施方案（初稿）.pdf", content=first
        )
        plan_review(plan=plan, approve=False, comment="经费预算不明确", actor=cal.gz_staff)
        submit(cal, cal.yuexiu, cal.yx_staff, name="越秀区实施方案（修改稿）.pdf", content=second)

    (version,) = plan.versions.all()
    assert (version.number, version.original_name, version.status) == (
        1,
        "越秀区实施方案（初稿）.pdf",
        "returned",
    )
    assert version.review_comment == "经费预算不明确" and version.reviewed_by == cal.gz_staff
    for user, url in (
        (cal.yx_staff, reverse("schedule:plan")),
        (cal.gz_staff, reverse("schedule:plan_detail", args=[plan.pk])),
    ):
        client.force_login(user)
        html = client.get(url).content.decode()
        history = html.partition('id="plan-versions"')[2]
        assert "越秀区实施方案（修改稿）.pdf" in html  # the current file
        assert "第 1 版" in history and "越秀区实施方案（初稿）.pdf" in history
        assert "已退回修改" in history and "经费预算不明确" in history

    old = reverse("schedule:plan_version_download", args=[plan.pk, 1])
    current = reverse("schedule:plan_download", args=[plan.pk])
    assert _download(client, cal.gz_staff, old) == (200, first)
    assert _download(client, cal.gz_staff, current) == (200, second)
    assert _download(client, cal.province_staff, old) == (200, first)
    # Another county or city: as if the plan did not exist; a version that does not exist: 404.
    assert _download(client, cal.th_staff, old)[0] == 404
    assert _download(client, cal.mz_staff, old)[0] == 404
    missing = reverse("schedule:plan_version_download", args=[plan.pk, 2])
    assert _download(client, cal.yx_staff, missing)[0] == 404


def test_a_plan_replaced_before_review_is_kept_as_replaced(client, cal):
    with on(day(3, 20)):
        plan = submit(cal, cal.yuexiu, cal.yx_staff, name="一稿.pdf")
        submit(cal, cal.yuexiu, cal.yx_staff, name="二稿.pdf")
        submit(cal, cal.yuexiu, cal.yx_staff, name="三稿.pdf")

    assert [(v.number, v.original_name, v.status) for v in plan.versions.all()] == [
        (2, "二稿.pdf", "submitted"),
        (1, "一稿.pdf", "submitted"),
    ]
    client.force_login(cal.gz_staff)
    html = client.get(reverse("schedule:plan_detail", args=[plan.pk])).content.decode()
    assert html.count("审核前被替换") == 2


# Onboarding ------------------------------------------------------------------------------------


def test_onboarding_needs_a_named_active_staff_account_and_marks_onboard_done(cal):
    baiyun = Region.objects.create(
        code="440111", name="白云区", level="county", parent=cal.guangzhou
    )
    staff(Role.COUNTY, region=baiyun, name="")
    staff(Role.COUNTY, region=baiyun, name="王芳", is_active=False)
    contact = {"contact_name": "李明", "contact_phone": "13800138000"}

    with on(day(4, 10)):
        with pytest.raises(ValidationError) as unnamed:
            onboarding_confirm(
                programme_year=cal.programme_year, region=baiyun, actor=cal.gz_staff, **contact
            )
        officer = staff(Role.COUNTY, region=baiyun, name="李明")
        with pytest.raises(ValidationError) as no_phone:
            onboarding_confirm(
                programme_year=cal.programme_year,
                region=baiyun,
                actor=officer,
                contact_name="李明",
                contact_phone=" ",
            )
        onboarding_confirm(
            programme_year=cal.programme_year, region=baiyun, actor=officer, **contact
        )

    assert unnamed.value.messages == ["请先为本单位开通至少一个填写了姓名的工作人员账号。"]
    assert no_phone.value.message_dict == {"contact_phone": ["此项为必填项。"]}
    onboarding = Onboarding.objects.get(region=baiyun)
    assert (onboarding.staff_names, onboarding.confirmed_by) == ("李明", officer)
    assert standing(cal.m["onboard"], baiyun).status == "done"
    assert AuditEvent.objects.filter(action="onboarding.confirm", region=baiyun).count() == 1


# The province edits the calendar ---------------------------------------------------------------


def calendar_edit(cal, locks=(), **dues):
    """The calendar form as the province sends it: every value, some dates changed, the
    milestones named in `locks` locked at their date and the others not."""
    programme_year = cal.programme_year
    return calendar_update(
        programme_year=programme_year,
        settings={
            "quota_per_county": programme_year.quota_per_county,
            "max_preferences": programme_year.max_preferences,
            "offer_reply_days": programme_year.offer_reply_days,
        },
        seasons={s.pk: (s.practice_starts, s.practice_ends) for s in programme_year.seasons.all()},
        milestones={
            m.pk: (dues.get(m.code, m.due), m.applies, m.code in locks)
            for m in programme_year.milestones.all()
        },
        actor=cal.province_staff,
    )


def test_the_posts_deadline_cannot_be_put_after_the_selection_deadline(cal):
    with on(day(3, 1)), pytest.raises(ValidationError) as error:
        calendar_edit(cal, summer_posts=day(7, 5))

    assert error.value.messages == [
        "2030年度暑假（2030年7—8月）：岗位发布截止日期不能晚于选拔录用截止日期。"
    ]
    cal.m["summer_posts"].refresh_from_db()
    assert cal.m["summer_posts"].due == day(5, 31)
    assert not AuditEvent.objects.filter(action="calendar.update").exists()


def test_a_calendar_change_is_audited_and_the_lock_follows_the_new_date(cal):
    with on(day(3, 1)):
        calendar_edit(cal, locks=["summer_posts"], summer_posts=day(6, 10))

    event = AuditEvent.objects.get(action="calendar.update")
    assert event.actor == cal.province_staff and event.region == cal.province
    assert event.data == {"milestones": {"summer_posts": "2030-06-10"}}
    with on(day(6, 5)):
        post = posts.post_create(
            actor=None, host_unit=cal.unit_th, season=cal.summer, **post_fields(cal.summer)
        )
    assert post.pk is not None
    run(day(6, 3))
    assert texts(cal.yx_staff, "提醒：“发布暑假岗位”") == [
        "提醒：“发布暑假岗位”将于 06月10日 截止（还有 7 天），请按时完成。"
    ]
    with on(day(6, 11)), pytest.raises(ValidationError) as refused:
        posts.post_create(
            actor=None, host_unit=cal.unit_th, season=cal.summer, **post_fields(cal.summer)
        )
    assert refused.value.messages == [
        "2030年度暑假（2030年7—8月）岗位发布已于 2030年06月10日 截止，如需延期请联系团省委。"
    ]


def test_the_province_switches_a_lock_on_and_off_and_each_switch_is_audited(cal):
    with on(day(3, 1)):
        calendar_edit(cal, locks=["summer_match", "plan"])  # a plan has nothing to lock
        calendar_edit(cal, locks=["summer_match"])  # the same again: nothing new to record
        calendar_edit(cal)

    events = AuditEvent.objects.filter(action="calendar.lock").order_by("pk")
    assert [(e.data["milestone"], e.data["hard_lock"]) for e in events] == [
        ("summer_match", True),
        ("summer_match", False),
    ]
    assert {e.actor for e in events} == {cal.province_staff}
    assert not Milestone.objects.filter(hard_lock=True).exists()


def test_the_database_refuses_a_lock_on_a_milestone_without_work_to_lock(cal):
    with pytest.raises(IntegrityError), transaction.atomic():
        Milestone.objects.filter(pk=cal.m["onboard"].pk).update(hard_lock=True)
    Milestone.objects.filter(pk=cal.m["winter_posts"].pk).update(hard_lock=True)
