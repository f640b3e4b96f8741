"""Issue 17: the province's own milestones, universities as units, and the quarterly progress
reports (项目推进表, seed 002), enforced and shown like the template's milestones."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditEvent, Role
from schedule import selectors
from schedule.models import Dispatch, Milestone, ProgressReport, UnitMilestone
from schedule.services import (
    milestone_add,
    milestone_change,
    milestone_delete,
    progress_report_save,
    unit_milestone_complete,
    unit_milestones_ensure,
)
from tests.factories import StudentFactory, UniversityFactory, region, staff
from tests.schedule.support import day, on, run, texts

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n"
ROW = {
    "category": "needs",
    "title": "返家乡岗位开发",
    "content": "开发政务、企业实践岗位",
    "progress": "已发布 120 个岗位",
    "youth_covered": 120,
    "deadline": "2030年12月",
}


@pytest.fixture(autouse=True)
def long_sessions(settings):
    settings.SESSION_COOKIE_AGE = 20 * 365 * 24 * 3600


@pytest.fixture
def unis(cal):
    """中山大学 (in Guangdong), 北京大学 (a student from 越秀区 studies there), 武汉大学 (none)."""
    zsu = UniversityFactory(name="中山大学", code="4144010558")
    pku = UniversityFactory(name="北京大学", code="4111010001", province=region("110000"))
    whu = UniversityFactory(name="武汉大学", code="4142010486", province=region("420000"))
    StudentFactory(hometown=cal.yuexiu, university=pku)
    return type(
        "Unis",
        (),
        {
            "zsu": zsu,
            "pku": pku,
            "whu": whu,
            "zsu_staff": staff(Role.UNIVERSITY, university=zsu, username="sysu"),
            "pku_staff": staff(Role.UNIVERSITY, university=pku, username="pku"),
            "whu_staff": staff(Role.UNIVERSITY, university=whu, username="whu"),
        },
    )


def _as(client, user):
    client.force_login(user)
    return client


def action_day(cal, **levels):
    """统一行动日 on 2030-07-15, for the levels given."""
    return milestone_add(
        programme_year=cal.programme_year,
        title="统一行动日",
        due=day(7, 15),
        description="全市统一开展返家乡集中服务",
        actor=cal.province_staff,
        **levels,
    )


def unit_of(milestone, *, region=None, university=None) -> UnitMilestone:
    unit_milestones_ensure(milestone=milestone)
    if university is not None:
        return UnitMilestone.objects.get(milestone=milestone, university=university)
    return UnitMilestone.objects.get(milestone=milestone, region=region)


# The province's own milestones -----------------------------------------------------------------


def test_a_custom_milestone_reminds_and_flags_only_the_level_chosen(cal):
    milestone = action_day(cal, for_city=True)
    for date in (day(7, 8), day(7, 12), day(7, 14), day(7, 16)):
        run(date)

    reminders = texts(cal.gz_staff, "“统一行动日”将于 07月15日 截止")
    assert [text.split("（")[1][:6] for text in reminders] == [
        "还有 7 天",
        "还有 3 天",
        "还有 1 天",
    ]
    assert texts(cal.yx_staff, "统一行动日") == []  # counties were not chosen
    assert unit_of(milestone, region=cal.guangzhou).status == "overdue"
    assert texts(cal.province_staff, "统一行动日") == [
        "逾期：2 个单位未在截止日期前完成“统一行动日”：广州市、梅州市"
    ]
    assert not UnitMilestone.objects.filter(milestone=milestone, region__level="county").exists()


def test_a_unit_marks_a_custom_milestone_done_with_a_note_and_file_and_is_not_reminded(client, cal):
    milestone = action_day(cal, for_county=True)
    unit = unit_of(milestone, region=cal.yuexiu)
    url = reverse("schedule:unit_done", args=[unit.pk])
    with on(day(7, 10)):
        assert _as(client, cal.th_staff).get(url).status_code == 404  # another county
        assert _as(client, cal.gz_staff).get(url).status_code == 403  # the city only reads
        response = _as(client, cal.yx_staff).post(
            url,
            {"note": "已在北京路开展集中服务", "document": SimpleUploadedFile("总结.pdf", PDF)},
        )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert (unit.status, unit.done_note, unit.done_by) == (
        "done",
        "已在北京路开展集中服务",
        cal.yx_staff,
    )
    assert unit.done_file_name == "总结.pdf"
    assert AuditEvent.objects.filter(action="calendar.milestone_done", actor=cal.yx_staff).exists()
    run(day(7, 12))
    assert texts(cal.yx_staff, "统一行动日") == []
    with on(day(7, 12)):
        html = _as(client, cal.gz_staff).get(reverse("schedule:calendar")).content.decode()
    assert "统一行动日" in html and "7/10" in html  # the city sees when
    download = reverse("schedule:unit_done_download", args=[unit.pk])
    assert _as(client, cal.gz_staff).get(download).status_code == 200
    assert _as(client, cal.mz_staff).get(download).status_code == 404


def test_a_bad_attachment_is_refused_and_nothing_is_marked(client, cal):
    unit = unit_of(action_day(cal, for_county=True), region=cal.yuexiu)
    with on(day(7, 10)):
        response = _as(client, cal.yx_staff).post(
            reverse("schedule:unit_done", args=[unit.pk]),
            {"note": "说明", "document": SimpleUploadedFile("a.exe", b"MZ\x90\x00")},
        )
    assert response.status_code == 200 and "说明" in response.content.decode()
    unit.refresh_from_db()
    assert unit.status == "pending"


def test_template_milestones_cannot_be_marked_done_by_hand(client, cal):
    unit = unit_of(cal.m["summer_posts"], region=cal.yuexiu)
    response = _as(client, cal.yx_staff).get(reverse("schedule:unit_done", args=[unit.pk]))
    assert response.status_code == 403
    with pytest.raises(ValidationError):
        unit_milestone_complete(unit=unit, actor=cal.yx_staff)


def test_the_province_adds_edits_and_deletes_its_own_milestones_until_a_unit_is_done(client, cal):
    new = reverse("schedule:milestone_new", args=[cal.programme_year.pk])
    _as(client, cal.province_staff)
    refused = client.post(new, {"title": "结对", "due": "2030-11-15"})
    assert refused.status_code == 200 and "请至少选择一个适用层级" in refused.content.decode()
    assert 'value="结对"' in refused.content.decode()
    out_of_year = client.post(new, {"title": "结对", "due": "2035-11-15", "for_university": "on"})
    assert "本活动年度内" in out_of_year.content.decode()
    assert (
        client.post(new, {"title": "结对", "due": "2030-11-15", "for_university": "on"}).status_code
        == 302
    )
    milestone = Milestone.objects.get(programme_year=cal.programme_year, title="结对")
    assert milestone.levels == ("university",)
    edit = reverse("schedule:milestone_edit", args=[milestone.pk])
    assert _as(client, cal.gz_staff).get(edit).status_code == 403
    _as(client, cal.province_staff)
    data = {"title": "组织结对", "due": "2030-11-20", "for_county": "on"}
    assert client.post(edit, data).status_code == 302
    milestone.refresh_from_db()
    assert (milestone.title, milestone.levels) == ("组织结对", ("county",))
    unit = unit_of(milestone, region=cal.yuexiu)
    unit_milestone_complete(unit=unit, actor=cal.yx_staff)
    with pytest.raises(ValidationError, match="已有单位完成"):
        milestone_change(
            milestone=milestone, actor=cal.province_staff, **{**data, "due": day(11, 25)}
        )
    with pytest.raises(ValidationError, match="已有单位完成"):
        milestone_delete(milestone=milestone, actor=cal.province_staff)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"calendar.milestone_add", "calendar.milestone_change"} <= actions


def test_custom_milestones_are_many_per_year_but_template_codes_stay_unique(cal):
    action_day(cal, for_city=True)
    action_day(cal, for_county=True)
    assert cal.programme_year.milestones.filter(code="custom").count() == 2
    with transaction.atomic(), pytest.raises(IntegrityError):
        Milestone.objects.create(programme_year=cal.programme_year, code="plan", due=day(3, 1))


# Universities as units -------------------------------------------------------------------------


def test_universities_of_the_province_and_with_its_students_are_units_others_not(cal, unis):
    milestone = cal.m["progress_q2"]
    unit_milestones_ensure(milestone=milestone)
    universities = set(
        milestone.units.exclude(university=None).values_list("university__name", flat=True)
    )
    assert {"中山大学", "北京大学"} <= universities and "武汉大学" not in universities
    cities = set(milestone.units.exclude(region=None).values_list("region__name", flat=True))
    assert cities == {"广州市", "梅州市"}  # counties do not report progress


def test_a_university_unit_is_reminded_through_its_staff_and_overdue_tells_the_province(cal, unis):
    progress_report_save(
        programme_year=cal.programme_year,
        quarter="q2",
        university=unis.zsu,
        rows=[ROW],
        submit=True,
        actor=unis.zsu_staff,
    )
    for date in (day(6, 23), day(6, 27), day(6, 29), day(7, 1)):
        run(date)

    q2 = "第二季度推进情况"
    assert len(texts(unis.pku_staff, f"“{q2}”将于 06月30日 截止")) == 3
    assert texts(unis.zsu_staff, f"“{q2}”将于") == []  # submitted: not reminded
    assert texts(unis.whu_staff, q2) == []
    [digest] = [t for t in texts(cal.province_staff, q2) if t.startswith("逾期")]
    assert "北京大学" in digest and "中山大学" not in digest
    assert unit_of(cal.m["progress_q2"], university=unis.pku).status == "overdue"
    with on(day(7, 1)):
        todos = selectors.todos_for_university_calendar(unis.pku_staff, day(7, 1))
    assert [t.urgent for t in todos] == [True] and "北京大学" not in todos[0].title


def test_running_the_progress_deadline_twice_changes_nothing_the_second_time(cal, unis):
    run(day(7, 1))
    before = (Dispatch.objects.count(), UnitMilestone.objects.filter(status="overdue").count())
    second = run(day(7, 1))
    assert (second["reminders"], second["overdue"], second["done"]) == (0, 0, 0)
    after = (Dispatch.objects.count(), UnitMilestone.objects.filter(status="overdue").count())
    assert before == after


# Progress reports ------------------------------------------------------------------------------


def test_a_city_submits_its_report_and_the_quarter_is_done_at_once(client, cal):
    url = reverse("schedule:progress_edit", args=[cal.programme_year.pk, "q2"])
    _as(client, cal.gz_staff)
    form = {
        "contact": "张三 13800138000",
        "note": "总体推进顺利",
        "rows-TOTAL_FORMS": "2",
        "rows-INITIAL_FORMS": "0",
        "rows-0-category": "needs",
        "rows-0-title": "返家乡岗位开发",
        "rows-0-content": "开发岗位",
        "rows-0-progress": "已发布",
        "rows-0-youth_covered": "-3",
        "rows-0-deadline": "12月",
        "rows-1-youth_covered": "0",
    }
    with on(day(6, 20)):
        bad = client.post(url, {**form, "submit": "1"})
    assert bad.status_code == 200
    assert (
        "第 1 行“覆盖青少年数”" in bad.content.decode() and "返家乡岗位开发" in bad.content.decode()
    )
    assert not ProgressReport.objects.exists()  # nothing half-written
    with on(day(6, 20)):
        more = client.post(url, {**form, "add_row": "1"})
    assert more.context["rows"].total_form_count() == 3
    with on(day(6, 20)):
        done = client.post(url, {**form, "rows-0-youth_covered": "120", "submit": "1"})
    assert done.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.status, report.region, report.rows.count()) == ("submitted", cal.guangzhou, 1)
    assert unit_of(cal.m["progress_q2"], region=cal.guangzhou).status == "done"
    assert texts(cal.province_staff, "广州市报送了")
    with on(day(6, 21)):
        assert client.get(url).status_code == 302  # final: the edit page shows the report
        with pytest.raises(ValidationError):
            progress_report_save(
                programme_year=cal.programme_year,
                quarter="q2",
                region=cal.guangzhou,
                rows=[ROW],
                actor=cal.gz_staff,
            )


def test_the_daily_run_marks_a_submitted_report_done_too(cal):
    report = ProgressReport.objects.create(
        programme_year=cal.programme_year,
        quarter="q3",
        region=cal.meizhou,
        status="submitted",
        submitted_at="2030-09-20T10:00:00+08:00",
    )
    counts = run(day(9, 25))
    assert counts["done"] >= 1
    assert unit_of(cal.m["progress_q3"], region=report.region).status == "done"


def test_a_draft_is_kept_and_the_unit_is_still_reminded(client, cal):
    progress_report_save(
        programme_year=cal.programme_year,
        quarter="q2",
        region=cal.guangzhou,
        rows=[ROW],
        actor=cal.gz_staff,
    )
    run(day(6, 29))
    assert texts(cal.gz_staff, "“第二季度推进情况”将于")
    with on(day(6, 29)):
        page = _as(client, cal.gz_staff).get(
            reverse("schedule:progress_edit", args=[cal.programme_year.pk, "q2"])
        )
    assert "返家乡岗位开发" in page.content.decode()


def test_reports_are_read_by_their_unit_and_the_province_only(client, cal, unis):
    gz = progress_report_save(
        programme_year=cal.programme_year,
        quarter="q2",
        region=cal.guangzhou,
        rows=[ROW],
        submit=True,
        actor=cal.gz_staff,
    )
    zsu = progress_report_save(
        programme_year=cal.programme_year,
        quarter="q2",
        university=unis.zsu,
        rows=[ROW],
        submit=True,
        actor=unis.zsu_staff,
    )
    for report, owner, outsiders in (
        (gz, cal.gz_staff, (cal.mz_staff, cal.yx_staff, unis.zsu_staff)),
        (zsu, unis.zsu_staff, (unis.pku_staff, cal.gz_staff, cal.yx_staff)),
    ):
        for name in ("schedule:progress_detail", "schedule:progress_export"):
            url = reverse(name, args=[report.pk])
            assert _as(client, owner).get(url).status_code == 200
            assert _as(client, cal.province_staff).get(url).status_code == 200
            for outsider in outsiders:
                assert _as(client, outsider).get(url).status_code == 404, (name, outsider)
    edit = reverse("schedule:progress_edit", args=[cal.programme_year.pk, "q2"])
    assert _as(client, cal.province_staff).get(edit).status_code == 403
    assert _as(client, cal.yx_staff).get(edit).status_code == 404
    assert _as(client, unis.whu_staff).get(edit).status_code == 404
    assert (
        _as(client, cal.gz_staff)
        .get(reverse("schedule:progress_edit", args=[cal.programme_year.pk, "q9"]))
        .status_code
        == 404
    )


def test_the_excel_download_has_the_seeds_columns_and_no_formulas(client, cal):
    report = progress_report_save(
        programme_year=cal.programme_year,
        quarter="q2",
        region=cal.guangzhou,
        rows=[{**ROW, "title": '=HYPERLINK("http://x")'}],
        actor=cal.gz_staff,
    )
    response = _as(client, cal.gz_staff).get(reverse("schedule:progress_export", args=[report.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert list(rows[0]) == [
        "序号",
        "类别",
        "项目名称",
        "主要内容",
        "推进情况",
        "覆盖青少年数",
        "完成时限",
    ]
    assert list(rows[1]) == [
        1,
        "围绕青年刚需办实事",
        '=HYPERLINK("http://x")',
        ROW["content"],
        ROW["progress"],
        120,
        "2030年12月",
    ]
    assert sheet.cell(row=2, column=3).data_type == "s"


def test_the_province_sees_who_is_missing_in_constant_queries(
    client, cal, unis, django_assert_max_num_queries
):
    progress_report_save(
        programme_year=cal.programme_year,
        quarter="q2",
        region=cal.guangzhou,
        rows=[ROW],
        submit=True,
        actor=cal.gz_staff,
    )
    run(day(7, 1))
    for n in range(5):
        UniversityFactory(name=f"广东测试学院{n}")
    run(day(7, 2))
    _as(client, cal.province_staff)
    with on(day(7, 2)), django_assert_max_num_queries(14):
        page = client.get(reverse("schedule:progress_list"), {"year": 2030})
    html = page.content.decode()
    assert "广州市" in html and "梅州市" in html and "北京大学" in html and "广东测试学院4" in html
    assert "逾期未报" in html and "第二季度：1/" in html


def test_a_university_sees_its_quarters_and_milestones_in_every_province_it_serves(
    client, cal, unis
):
    milestone = action_day(cal, for_university=True)
    run(day(7, 8))
    with on(day(7, 8)):
        page = _as(client, unis.pku_staff).get(reverse("schedule:university_calendar"))
        listing = client.get(reverse("schedule:progress_list"))
        home = client.get(reverse("home"))
    html = page.content.decode()
    assert "统一行动日" in html and "广东省" in html and "第二季度推进情况" in html
    assert "第三季度推进情况" in listing.content.decode()
    assert "统一行动日" in home.content.decode()  # the home to-do list
    assert (
        _as(client, unis.whu_staff).get(reverse("schedule:university_calendar")).status_code == 200
    )
    unit = unit_of(milestone, university=unis.pku)
    assert (
        _as(client, unis.whu_staff).get(reverse("schedule:unit_done", args=[unit.pk])).status_code
        == 404
    )
    assert (
        _as(client, unis.pku_staff)
        .post(reverse("schedule:unit_done", args=[unit.pk]), {"note": "已开展"})
        .status_code
        == 302
    )


def test_the_calendar_shows_universities_in_their_own_section_for_the_province(client, cal, unis):
    run(day(6, 1))
    with on(day(6, 1)):
        html = _as(client, cal.province_staff).get(reverse("schedule:calendar")).content.decode()
        city_html = _as(client, cal.gz_staff).get(reverse("schedule:calendar")).content.decode()
    assert "高校团委完成情况" in html and "北京大学" in html
    assert "高校团委完成情况" not in city_html and "北京大学" not in city_html


def test_a_city_sees_its_quarterly_report_and_its_own_milestone_on_its_home_to_do_list(cal):
    action_day(cal, for_city=True)
    run(day(6, 20))
    keys = {todo.title: todo for todo in selectors.todos_for_committee(cal.gz_staff, day(6, 20))}
    assert "报送2030年度第二季度项目推进表" in keys
    assert keys["报送2030年度第二季度项目推进表"].url.endswith("/q2/")
    assert not any("统一行动日" in title for title in keys)  # 7/15 is more than two weeks away
    run(day(7, 16))
    late = selectors.todos_for_committee(cal.gz_staff, day(7, 16))
    assert any("统一行动日" in t.title and t.urgent for t in late)
    assert not any(t.key == "own_overdue" and "推进情况" in t.title for t in late)


def test_the_province_filters_its_list_to_the_late_units(client, cal, unis):
    progress_report_save(
        programme_year=cal.programme_year,
        quarter="q2",
        region=cal.guangzhou,
        rows=[ROW],
        submit=True,
        actor=cal.gz_staff,
    )
    run(day(7, 1))
    with on(day(7, 2)):
        html = (
            _as(client, cal.province_staff)
            .get(reverse("schedule:progress_list"), {"year": 2030, "missing": "1"})
            .content.decode()
        )
    assert "梅州市" in html and "北京大学" in html and "广州市" not in html


def test_the_province_extends_a_university_unit_and_the_university_is_told(client, cal, unis):
    run(day(7, 1))
    unit = unit_of(cal.m["progress_q2"], university=unis.pku)
    url = reverse("schedule:unit_extend", args=[unit.pk])
    assert _as(client, cal.gz_staff).get(url).status_code == 404  # a city does not reach it
    _as(client, cal.province_staff)
    with on(day(7, 2)):
        assert "北京大学" in client.get(url).content.decode()
        response = client.post(url, {"new_due": "2030-07-15", "reason": "学校放假，延后报送"})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert (unit.status, unit.extended_to) == ("pending", day(7, 15))
    assert texts(unis.pku_staff, "延期至")
