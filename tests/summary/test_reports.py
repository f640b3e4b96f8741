"""简报/简讯 go up (seed 000 §六(五)): 越秀区 writes a draft, submits it, and 广州市 and 广东's
团省委 read it; no other county, city, university or province does. The province marks it
(已阅 / 采用) and compiles chosen reports into one draft 工作简报; 广州市 marks it 已阅 beside the
province's mark; the author sees both and is told."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEvent, Notice, Role
from demo.summary import png
from reports import services
from reports.models import Report
from summary.models import Briefing
from tests.factories import StudentFactory, region, staff

pytestmark = pytest.mark.usefixtures("summary_day")

LIST = reverse("reports:list")
NEW = reverse("reports:create")
BODY = "7月，区团委组织返乡大学生在社区、图书馆等岗位开展实践，共 40 人参加。"


def as_(client, user):
    client.force_login(user)
    return client


def write(sw, *, title="越秀区暑期实践简报", submit=True, **unit):
    unit = unit or {"region": sw.yuexiu}
    author = {"region": sw.yx_staff, "university": sw.zsu_staff}
    actor = unit.pop("actor", None) or author["university" if "university" in unit else "region"]
    report = services.report_create(
        programme_year=sw.programme_year,
        kind="briefing",
        title=title,
        body=BODY,
        actor=actor,
        **unit,
    )
    return services.report_submit(report=report, actor=actor) if submit else report


@pytest.fixture
def report_yx(sw):
    return write(sw)


def url(name, report, **extra):
    return reverse(f"reports:{name}", kwargs={"pk": report.pk, **extra})


def test_a_county_writes_a_draft_with_photos_and_submits_it(client, sw):
    as_(client, sw.yx_staff)
    assert client.get(NEW).status_code == 200
    photo = SimpleUploadedFile("活动.png", png(), content_type="image/png")
    response = client.post(
        NEW,
        {
            "programme_year": sw.programme_year.pk,
            "kind": "newsflash",
            "title": "越秀区简讯",
            "body": BODY,
            "photos": [photo],
        },
    )
    report = Report.objects.get()
    assert response.url == url("detail", report)
    assert (report.status, report.kind, report.region) == ("draft", "newsflash", sw.yuexiu)
    assert report.photos.count() == 1
    # A draft is nobody else's business yet.
    as_(client, sw.gz_staff)
    assert client.get(url("detail", report)).status_code == 404
    assert not Notice.objects.filter(user=sw.province_staff).exists()
    as_(client, sw.yx_staff)
    assert client.post(url("submit", report)).status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted" and report.submitted_by == sw.yx_staff
    assert AuditEvent.objects.filter(action="report.submit", region=sw.yuexiu).exists()
    for reader in (sw.province_staff, sw.gz_staff):
        assert Notice.objects.filter(user=reader, text__contains="越秀区简讯").exists()
    assert not Notice.objects.filter(user__in=[sw.mz_staff, sw.gx_staff]).exists()
    # Read-only for its author once submitted.
    assert client.get(url("edit", report)).status_code == 302
    assert client.post(url("edit", report), {"title": "改", "body": "改"}).status_code == 302
    report.refresh_from_db()
    assert report.title == "越秀区简讯"
    assert "修改" not in client.get(url("detail", report)).text.split("<article")[1]


def test_bad_input_is_refused_in_chinese_and_keeps_what_was_typed(client, sw):
    as_(client, sw.yx_staff)
    fake = SimpleUploadedFile("照片.jpg", b"not an image at all", content_type="image/jpeg")
    response = client.post(
        NEW,
        {"programme_year": sw.programme_year.pk, "kind": "briefing", "title": "", "body": BODY},
    )
    assert response.status_code == 200 and "标题" in response.text
    assert BODY in response.text
    response = client.post(
        NEW,
        {
            "programme_year": sw.programme_year.pk,
            "kind": "briefing",
            "title": "有坏照片",
            "body": BODY,
            "photos": [fake],
        },
    )
    assert "照片“照片.jpg”" in response.text
    many = [SimpleUploadedFile(f"{n}.png", png(), content_type="image/png") for n in range(10)]
    response = client.post(
        NEW,
        {
            "programme_year": sw.programme_year.pk,
            "kind": "briefing",
            "title": "太多照片",
            "body": BODY,
            "photos": many,
        },
    )
    assert "照片最多 9 张，现在是 10 张" in response.text
    # Another province's year is not a choice.
    gx_year = sw.gx_summer.programme_year
    response = client.post(
        NEW, {"programme_year": gx_year.pk, "kind": "briefing", "title": "越界", "body": BODY}
    )
    assert response.status_code == 200
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("reader", "status"),
    [
        ("yx_staff", 200),
        ("gz_staff", 200),
        ("province_staff", 200),
        ("th_staff", 404),
        ("mz_staff", 404),
        ("mx_staff", 404),
        ("gx_staff", 404),
        ("zsu_staff", 404),
        ("yx_host", 404),
    ],
)
def test_a_county_report_is_read_by_its_city_and_province_only(
    client, sw, report_yx, reader, status
):
    as_(client, getattr(sw, reader))
    assert client.get(url("detail", report_yx)).status_code == status
    listed = report_yx.title in client.get(LIST).text if status == 200 else None
    assert listed in (True, None)


def test_a_student_reads_no_reports(client, sw, report_yx):
    as_(client, sw.s1.user)
    assert client.get(LIST).status_code == 404
    assert client.get(url("detail", report_yx)).status_code == 404


def test_outsiders_get_404_and_read_only_readers_403_on_changes(client, sw, report_yx):
    draft = write(sw, title="越秀区草稿", submit=False)
    for outsider in (sw.th_staff, sw.mz_staff, sw.gx_staff, sw.zsu_staff):
        as_(client, outsider)
        assert client.post(url("mark", report_yx), {"mark": "read"}).status_code == 404
        assert client.post(url("submit", draft)).status_code == 404
        assert client.get(url("edit", draft)).status_code == 404
    # 广州市 reads 越秀's report but does not edit or submit it; the author does not mark it.
    as_(client, sw.gz_staff)
    assert client.get(url("edit", report_yx)).status_code == 403
    assert client.post(url("submit", report_yx)).status_code == 403
    as_(client, sw.yx_staff)
    assert client.post(url("mark", report_yx), {"mark": "read"}).status_code == 403
    assert client.post(reverse("reports:compile"), {"reports": [report_yx.pk]}).status_code == 403
    as_(client, sw.gz_staff)
    assert client.post(reverse("reports:compile"), {"reports": [report_yx.pk]}).status_code == 403
    report_yx.refresh_from_db()
    assert report_yx.province_mark == "unread" and report_yx.city_read_at is None


def test_state_changes_are_post_only(client, sw, report_yx):
    as_(client, sw.province_staff)
    assert client.get(url("mark", report_yx)).status_code == 405
    assert client.get(reverse("reports:compile")).status_code == 405
    as_(client, sw.yx_staff)
    draft = write(sw, submit=False)
    assert client.get(url("submit", draft)).status_code == 405


def test_the_city_and_the_province_mark_and_the_author_sees_both(client, sw, report_yx):
    as_(client, sw.gz_staff)
    assert "待我阅处" in client.get(LIST).text
    client.post(url("mark", report_yx), {"mark": "read", "comment": "已转各区参考"})
    report_yx.refresh_from_db()
    assert report_yx.city_read_by == sw.gz_staff and report_yx.province_mark == "unread"
    as_(client, sw.province_staff)
    client.post(url("mark", report_yx), {"mark": "adopted", "comment": "拟编入简报"})
    report_yx.refresh_from_db()
    assert (report_yx.province_mark, report_yx.city_comment) == ("adopted", "已转各区参考")
    assert AuditEvent.objects.filter(action="report.mark").count() == 2
    assert Notice.objects.filter(user=sw.yx_staff, text__contains="采用").exists()
    as_(client, sw.yx_staff)
    page = client.get(url("detail", report_yx)).text
    assert "拟编入简报" in page and "已转各区参考" in page
    # A city only marks 已阅.
    as_(client, sw.gz_staff)
    client.post(url("mark", report_yx), {"mark": "adopted"})
    report_yx.refresh_from_db()
    assert report_yx.province_mark == "adopted" and report_yx.city_comment == "已转各区参考"


def test_unread_reports_are_on_the_readers_to_do_lists(client, sw, report_yx):
    for reader in (sw.province_staff, sw.gz_staff):
        as_(client, reader)
        assert "阅处下级上报的工作简报、简讯" in client.get("/").text
    services.report_mark(report=report_yx, mark="read", comment="", actor=sw.province_staff)
    as_(client, sw.province_staff)
    assert "阅处下级上报的工作简报、简讯" not in client.get("/").text
    as_(client, sw.gz_staff)  # the province's mark does not read it for the city
    assert "阅处下级上报的工作简报、简讯" in client.get("/").text


def test_an_authors_drafts_are_on_its_to_do_list_until_submitted(client, sw):
    draft = write(sw, submit=False)
    as_(client, sw.yx_staff)
    assert "上报简报、简讯草稿" in client.get("/").text
    services.report_submit(report=draft, actor=sw.yx_staff)
    assert "上报简报、简讯草稿" not in client.get("/").text


def test_a_city_report_goes_to_the_province_only(client, sw):
    report = write(sw, title="广州市简报", region=sw.guangzhou, actor=sw.gz_staff)
    assert Notice.objects.filter(user=sw.province_staff, text__contains="广州市简报").exists()
    for reader, status in ((sw.province_staff, 200), (sw.mz_staff, 404), (sw.yx_staff, 404)):
        as_(client, reader)
        assert client.get(url("detail", report)).status_code == status


def test_a_university_reports_to_a_province_its_students_come_from(client, sw):
    # 华南理工大学 (in 广东) has a student from 广西's 兴宁区: it may report to either province.
    as_(client, sw.scut_staff)
    page = client.get(NEW).text
    assert "报广东省团省委" in page and "报广西壮族自治区团省委" in page
    # 中山大学's students are all from 广东: 广西 is no choice.
    as_(client, sw.zsu_staff)
    assert "广西" not in client.get(NEW).text
    gx_year = sw.gx_summer.programme_year
    as_(client, sw.scut_staff)
    client.post(
        NEW,
        {"programme_year": gx_year.pk, "kind": "newsflash", "title": "华工报广西", "body": BODY},
    )
    report = Report.objects.get(title="华工报广西")
    services.report_submit(report=report, actor=sw.scut_staff)
    as_(client, sw.gx_staff)
    assert client.get(url("detail", report)).status_code == 200
    as_(client, sw.province_staff)
    assert client.get(url("detail", report)).status_code == 404


def test_the_province_compiles_chosen_reports_into_one_briefing_draft(client, sw, report_yx):
    city = write(sw, title="广州市简报", region=sw.guangzhou, actor=sw.gz_staff)
    other = write(sw, title="天河区简报", region=sw.tianhe, actor=sw.th_staff)
    as_(client, sw.province_staff)
    response = client.post(
        reverse("reports:compile"), {"reports": [report_yx.pk, city.pk], "title": "第二期汇编"}
    )
    briefing = Briefing.objects.get()
    assert response.url == reverse("summary:briefing_detail", args=[briefing.pk])
    assert (briefing.title, briefing.status, briefing.province) == (
        "第二期汇编",
        "draft",
        sw.province,
    )
    assert "广州市越秀区：越秀区暑期实践简报" in briefing.body
    assert "广州市：广州市简报" in briefing.body and BODY in briefing.body
    assert "天河区简报" not in briefing.body
    assert set(briefing.source_reports.values_list("pk", flat=True)) == {report_yx.pk, city.pk}
    assert set(Report.objects.filter(province_mark="adopted").values_list("pk", flat=True)) == {
        report_yx.pk,
        city.pk,
    }
    assert AuditEvent.objects.filter(action="report.compile").count() == 1
    assert "汇编自各地上报稿件" in client.get(response.url).text
    # Compiled once: choosing one again refuses the lot and writes nothing.
    client.post(reverse("reports:compile"), {"reports": [report_yx.pk, other.pk]})
    assert Briefing.objects.count() == 1
    other.refresh_from_db()
    assert other.province_mark == "unread"


def test_compiling_needs_a_choice(client, sw, report_yx):
    as_(client, sw.province_staff)
    response = client.post(reverse("reports:compile"), {"reports": []}, follow=True)
    assert "请先勾选要汇编的稿件" in response.text
    response = client.post(reverse("reports:compile"), {"reports": ["x"]}, follow=True)
    assert response.status_code == 200
    assert not Briefing.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        "level=county",
        "level=university&kind=newsflash",
        "city=440100",
        "mark=unread",
        "mark=adopted&status=submitted",
        "mark=zz&level=x&city=abc&kind=<>&status=9",
    ],
)
def test_the_province_filters_the_list(client, sw, report_yx, query):
    as_(client, sw.province_staff)
    assert client.get(f"{LIST}?{query}").status_code == 200


def test_the_filters_choose_the_reports(client, sw, report_yx):
    write(sw, title="梅县区简报", region=sw.meixian, actor=sw.mx_staff)
    as_(client, sw.province_staff)
    page = client.get(f"{LIST}?city=440100").text
    assert "越秀区暑期实践简报" in page and "梅县区简报" not in page
    assert "越秀区暑期实践简报" not in client.get(f"{LIST}?level=city").text


def test_the_list_costs_the_same_queries_for_many_units(client, sw, report_yx):
    as_(client, sw.province_staff)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for county in (sw.tianhe, sw.meixian, region("441900121"), sw.guangzhou):
        author = staff(Role.COUNTY, region=county, username=f"c{county.code}")
        write(sw, title=f"{county.name}简报", region=county, actor=author)
    StudentFactory(hometown=sw.yuexiu, university=sw.zsu)
    with CaptureQueriesContext(connection) as many:
        assert "简报" in client.get(LIST).text
    assert len(many) == len(few)
