"""A student's 实践总结: written once reported, read by the host unit, the county and the
university, locked by the 期满鉴定, scoped like every personal datum."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEvent, Role
from filestore.models import StoredFile
from outcomes import services
from outcomes.models import Outcome, OutcomePhoto, OutcomeRule
from students import privacy
from students.models import Placement
from summary.models import CaseRule, TypicalCase
from tests.factories import PASSWORD, PostFactory, StudentFactory, region, season, staff
from tests.outcomes.conftest import TEXT, photo, place
from tests.summary.conftest import LENIENT_RULE

pytestmark = pytest.mark.django_db


def _edit(client, ow, **data):
    client.force_login(ow.me.user)
    return client.post(
        reverse("outcomes:edit", args=[ow.placement.pk]), {"text": TEXT} | data, follow=True
    )


def test_a_reported_student_hands_in_a_summary_with_photos_and_a_report(client, ow):
    pdf = ContentFile(b"%PDF-1.4\n%%EOF\n", name="我的实践报告.pdf")
    response = _edit(
        client, ow, photos=[photo("一.png"), photo("二.png")], report=pdf, consent="on"
    )
    assert "实践总结已保存" in response.content.decode()
    outcome = Outcome.objects.get(placement=ow.placement)
    assert outcome.photos.count() == 2 and outcome.report_name == "我的实践报告.pdf"
    assert outcome.consent and outcome.consent_at is not None
    assert AuditEvent.objects.filter(action="outcome.save", target_id=outcome.pk).exists()


def test_a_short_summary_is_refused_with_the_years_minimum_and_keeps_the_text(client, ow):
    response = _edit(client, ow, text="太短了")
    page = response.content.decode()
    assert "本年度要求不少于 300 字" in page and "太短了" in page
    assert not Outcome.objects.exists()


def test_the_province_sets_the_minimum_and_the_page_explains_it(client, ow):
    client.force_login(ow.province_staff)
    url = f"{reverse('outcomes:rule')}?year={ow.post_yx.season.programme_year.year}"
    response = client.post(url, {"min_chars": "500"}, follow=True)
    assert "不少于 <strong>500</strong> 字" in response.content.decode()
    assert OutcomeRule.objects.get().min_chars == 500
    assert AuditEvent.objects.filter(action="outcome.rule").exists()
    client.force_login(ow.me.user)
    page = client.get(reverse("outcomes:edit", args=[ow.placement.pk])).content.decode()
    assert "不少于 500 字" in page
    assert "本年度要求不少于 500 字" in _edit(client, ow).content.decode()  # 360 字 is short now


def test_a_county_reads_the_rule_but_cannot_change_it(client, ow):
    client.force_login(ow.yx_staff)
    assert client.get(reverse("outcomes:rule")).status_code == 200
    assert client.post(reverse("outcomes:rule"), {"min_chars": "1"}).status_code == 403
    client.force_login(ow.yx_host)
    assert client.get(reverse("outcomes:rule")).status_code == 404


def test_a_bad_minimum_is_refused_in_chinese(client, ow):
    client.force_login(ow.province_staff)
    page = client.post(reverse("outcomes:rule"), {"min_chars": "abc"}).content.decode()
    assert "最少字数须为整数" in page and not OutcomeRule.objects.exists()
    page = client.post(reverse("outcomes:rule"), {"min_chars": "9" * 20}).content.decode()
    assert "最少字数不能超过 5000" in page and not OutcomeRule.objects.exists()


def test_removing_a_photo_of_another_summary_is_refused_naming_the_field(client, ow):
    _edit(client, ow, photos=[photo()])
    not_ours = OutcomePhoto.objects.get().pk + 1000  # an id that is not this summary's photo
    page = _edit(client, ow, remove_photos=[not_ours]).content.decode()
    assert "删除照片：所选照片不属于本实践总结" in page
    assert OutcomePhoto.objects.count() == 1


def test_seven_photos_are_refused_and_a_fake_photo_is_named(client, ow):
    page = _edit(client, ow, photos=[photo(f"{n}.png") for n in range(7)]).content.decode()
    assert "照片最多 6 张" in page
    fake = ContentFile(b"not a png", name="假照片.png")
    page = _edit(client, ow, photos=[fake]).content.decode()
    assert "假照片.png" in page and not Outcome.objects.exists()
    assert not StoredFile.objects.exists()


def test_the_host_unit_and_the_county_read_it_before_the_evaluation(client, ow):
    _edit(client, ow, photos=[photo()])
    outcome = Outcome.objects.get()
    for reader in (ow.yx_host, ow.yx_staff, ow.uni_staff, ow.gz_staff):
        client.force_login(reader)
        page = client.get(reverse("students:post_applicants", args=[ow.post_yx.pk]))
        if reader in (ow.yx_host, ow.yx_staff, ow.gz_staff):
            assert "已提交（360 字）" in page.content.decode()
        detail = client.get(reverse("outcomes:detail", args=[ow.placement.pk]))
        assert "在家乡图书馆做阅读推广" in detail.content.decode()
        image = client.get(
            reverse("outcomes:photo", args=[ow.placement.pk, outcome.photos.get().pk])
        )
        assert image.status_code == 200 and image["Content-Type"] == "image/png"


def test_outsiders_get_404_and_readers_get_403_on_writing(client, ow):
    _edit(client, ow, photos=[photo()])
    outcome = Outcome.objects.get()
    urls = [
        reverse("outcomes:detail", args=[ow.placement.pk]),
        reverse("outcomes:photo", args=[ow.placement.pk, outcome.photos.get().pk]),
    ]
    for outsider in (ow.th_staff, ow.th_host, ow.mz_staff, ow.scut_staff, ow.other.user):
        client.force_login(outsider)
        for url in urls + [reverse("outcomes:edit", args=[ow.placement.pk])]:
            assert client.get(url).status_code == 404, (outsider, url)
    for reader in (ow.yx_host, ow.yx_staff, ow.uni_staff):
        client.force_login(reader)
        assert client.post(reverse("outcomes:edit", args=[ow.placement.pk]), {}).status_code == 403
        consent = reverse("outcomes:consent", args=[ow.placement.pk])
        assert client.post(consent, {"consent": "on"}).status_code == 403


def test_the_evaluation_locks_the_summary(client, ow):
    _edit(client, ow)
    Placement.objects.filter(pk=ow.placement.pk).update(
        status="completed", rating="good", hours=20, certificate_code="LOCK00000001"
    )
    response = _edit(client, ow, text=TEXT + "补充")
    assert "期满鉴定已完成，实践总结不能再修改" in response.content.decode()
    assert Outcome.objects.get().text == TEXT.strip()
    # The consent stays the student's to withdraw.
    client.post(reverse("outcomes:consent", args=[ow.placement.pk]), {})
    assert not Outcome.objects.get().consent


def test_a_student_who_wrote_nothing_may_still_hand_it_in_once_after_the_evaluation(client, ow):
    winter = PostFactory(host_unit=ow.unit_yx, season=season("winter"))
    done = place(ow.me, winter, status="completed")
    client.force_login(ow.me.user)
    url = reverse("outcomes:edit", args=[done.pk])
    client.post(url, {"text": TEXT})
    assert Outcome.objects.get(placement=done).text
    assert "不能再修改" in client.post(url, {"text": TEXT}, follow=True).content.decode()


def test_the_university_reads_it_beside_the_credit(client, ow):
    _edit(client, ow)
    Placement.objects.filter(pk=ow.placement.pk).update(
        status="completed", rating="good", hours=20, certificate_code="UNI000000001"
    )
    client.force_login(ow.uni_staff)
    page = client.get(reverse("students:credits")).content.decode()
    assert reverse("outcomes:detail", args=[ow.placement.pk]) in page


def test_the_data_download_holds_the_summary(client, ow):
    _edit(client, ow, photos=[photo("我的照片.png")])
    data = privacy.student_data_export(student=ow.me)
    [summary] = data["实践总结"]
    assert summary["实践总结"] == TEXT.strip() and summary["照片"] == ["我的照片.png"]


def test_erasure_empties_the_summary_and_deletes_its_files(
    client, ow, django_capture_on_commit_callbacks
):
    pdf = ContentFile(b"%PDF-1.4\n%%EOF\n", name="报告.pdf")
    _edit(client, ow, photos=[photo()], report=pdf, consent="on")
    assert StoredFile.objects.count() == 2
    Placement.objects.filter(pk=ow.placement.pk).update(
        status="completed", rating="good", hours=20, certificate_code="ERASE0000001"
    )
    with django_capture_on_commit_callbacks(execute=True):
        privacy.student_erase(student=ow.me, password=PASSWORD, actor=ow.me.user)
    outcome = Outcome.objects.get()
    assert outcome.text == "" and not outcome.report and not outcome.consent
    assert not outcome.photos.exists() and not StoredFile.objects.exists()


def test_the_reported_student_is_reminded_to_write_it(client, ow):
    client.force_login(ow.me.user)
    page = client.get(reverse("home")).content.decode()
    assert "写实践日志和实践总结" in page
    _edit(client, ow)
    page = client.get(reverse("home")).content.decode()
    assert "写实践日志和实践总结" not in page and "写实践日志" in page


def test_a_county_starts_a_typical_case_from_a_consented_summary(client, ow):
    _edit(client, ow, photos=[photo("合影.png")], consent="on")
    outcome = Outcome.objects.get()
    client.force_login(ow.yx_staff)
    url = reverse("summary:case_create")
    page = client.get(url).content.decode()
    assert "越秀小林" in page and "引用学生的实践总结" in page
    page = client.get(url, {"outcome": outcome.pk}).content.decode()
    assert "在家乡图书馆做阅读推广" in page and "同时使用该总结的 1 张照片" in page
    # Another county is never offered it, and cannot pick it by its number.
    client.force_login(ow.th_staff)
    assert "越秀小林" not in client.get(url).content.decode()
    assert client.get(url, {"outcome": outcome.pk}).status_code == 404


def test_without_consent_a_summary_is_not_offered(client, ow):
    _edit(client, ow)
    client.force_login(ow.yx_staff)
    url = reverse("summary:case_create")
    assert "越秀小林" not in client.get(url).content.decode()
    assert client.get(url, {"outcome": Outcome.objects.get().pk}).status_code == 404
    assert client.get(url, {"outcome": "x'"}).status_code == 404


def test_the_case_copies_the_summarys_photos(ow):

    services.outcome_save(
        placement=ow.placement, text=TEXT, add_photos=[photo()], consent=True, actor=ow.me.user
    )
    CaseRule.objects.create(programme_year=ow.post_yx.season.programme_year, **LENIENT_RULE)

    client = Client()
    client.force_login(ow.yx_staff)
    outcome = Outcome.objects.get()
    year = ow.post_yx.season.programme_year.year
    response = client.post(
        f"{reverse('summary:case_create')}?year={year}",
        {"title": "越秀小林的返家乡故事", "body": TEXT, "outcome": outcome.pk, "copy_photos": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = TypicalCase.objects.get()
    assert case.photos.count() == 1 and case.photos.get().original_name == "活动.png"


def test_the_report_downloads_under_its_own_name_to_readers_only(client, ow):
    pdf = ContentFile(b"%PDF-1.4\n%%EOF\n", name="我的实践报告.pdf")
    _edit(client, ow, report=pdf)
    url = reverse("outcomes:report", args=[ow.placement.pk])
    client.force_login(ow.yx_host)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(ow.th_host)
    assert client.get(url).status_code == 404


def test_another_provinces_staff_cannot_reach_guangdongs_rule(client, ow):

    client.force_login(staff(Role.PROVINCE, region=region("450000")))
    year = ow.post_yx.season.programme_year.year
    assert client.get(reverse("outcomes:rule"), {"year": year}).status_code == 404
    assert client.get(reverse("outcomes:rule"), {"year": "20x"}).status_code == 404


def test_the_evaluation_page_reads_every_summary_in_the_same_queries(client, ow):

    services.outcome_save(placement=ow.placement, text=TEXT, actor=ow.me.user)
    client.force_login(ow.yx_host)
    url = reverse("students:post_applicants", args=[ow.post_yx.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(3):
        student = StudentFactory(name=f"越秀同学{n}", university=ow.university)
        placement = place(student, ow.post_yx)
        services.outcome_save(placement=placement, text=TEXT, actor=student.user)
    with CaptureQueriesContext(connection) as four:
        page = client.get(url).content.decode()
    assert page.count("已提交（360 字）") == 4
    assert len(four.captured_queries) == len(one.captured_queries)
