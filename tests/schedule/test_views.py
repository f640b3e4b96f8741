"""The calendar in the browser: each committee's page, the province's edits and extensions,
plans uploaded and reviewed, onboarding confirmed; each refused to those it does not concern."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditEvent, Notice, Role
from schedule.models import Milestone, Plan, UnitMilestone
from tests.factories import region, staff
from tests.schedule.support import day, on, run, standing, summer_post

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def long_sessions(settings):
    # Signed in today, the tests then travel to 2030: the session must outlive the trip.
    settings.SESSION_COOKIE_AGE = 20 * 365 * 24 * 3600


def _as(client, user):
    client.force_login(user)
    return client


def test_a_county_sees_its_milestones_quota_and_unread_count(client, cal):
    run(day(5, 24))  # seven days before the summer posts deadline
    with on(day(5, 24)):
        page = _as(client, cal.yx_staff).get(reverse("schedule:calendar"), {"year": 2030})
    html = page.content.decode()
    assert page.status_code == 200
    assert "越秀区的节点" in html and "发布暑假岗位" in html and "已逾期" in html
    unread = Notice.objects.filter(user=cal.yx_staff, read_at=None).count()
    assert unread >= 1 and f'{unread}<span class="visually-hidden">条未读' in html
    assert "下级单位完成情况" not in html  # a county has no units below it


def test_the_city_sees_its_counties_but_not_another_citys(client, cal):
    run(day(4, 16))
    with on(day(4, 16)):
        html = _as(client, cal.gz_staff).get(reverse("schedule:calendar")).content.decode()
    assert "天河区" in html and "海珠区" in html and "梅县区" not in html


def test_the_calendar_page_has_bounded_queries(client, cal, django_assert_max_num_queries):
    run(day(6, 1))
    _as(client, cal.province_staff)
    # 17: the universities' section (their milestones, their rows) adds two, whatever their number.
    with on(day(6, 1)), django_assert_max_num_queries(17):
        assert client.get(reverse("schedule:calendar")).status_code == 200


def test_the_province_moves_a_deadline_and_a_wrong_order_is_refused_keeping_the_input(client, cal):
    url = reverse("schedule:calendar_edit", args=[cal.programme_year.pk])
    _as(client, cal.province_staff)
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in data.items()}
    data = {k: v for k, v in data.items() if v not in (False, None)}
    posts = cal.m["summer_posts"]
    data[f"milestone_{posts.pk}_due"] = "2030-07-05"  # after selection closes: refused
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "岗位发布截止日期不能晚于选拔录用截止日期" in refused.content.decode()
    assert 'value="2030-07-05"' in refused.content.decode()
    posts.refresh_from_db()
    assert posts.due == day(5, 31)

    data[f"milestone_{posts.pk}_due"] = "2030-06-10"
    data["quota_per_county"] = "60"
    assert client.post(url, data).status_code == 302
    posts.refresh_from_db()
    cal.programme_year.refresh_from_db()
    assert posts.due == day(6, 10) and cal.programme_year.quota_per_county == 60
    assert AuditEvent.objects.filter(action="calendar.update").exists()


def test_only_the_province_edits_the_calendar(client, cal):
    url = reverse("schedule:calendar_edit", args=[cal.programme_year.pk])
    assert _as(client, cal.gz_staff).get(url).status_code == 403
    guangxi = staff(Role.PROVINCE, region=region("450000"), username="gx_province")
    assert _as(client, guangxi).get(url).status_code == 404


def test_the_province_grants_an_extension_through_the_form(client, cal):
    run(day(4, 16))
    unit = standing(cal.m["onboard"], cal.yuexiu)
    url = reverse("schedule:unit_extend", args=[unit.pk])
    assert _as(client, cal.yx_staff).post(url, {"new_due": "2030-05-01"}).status_code == 403
    _as(client, cal.province_staff)
    with on(day(4, 16)):
        missing = client.post(url, {"new_due": "2030-05-01", "reason": ""})
        assert "该字段是必填项" in missing.content.decode()
        done = client.post(url, {"new_due": "2030-05-01", "reason": "县团委换届"})
    assert done.status_code == 302
    unit.refresh_from_db()
    assert unit.status == UnitMilestone.Status.PENDING and unit.extended_to == day(5, 1)
    assert any("延期至 2030-05-01" in n.text for n in Notice.objects.filter(user=cal.yx_staff))


def test_a_county_uploads_its_plan_and_the_city_returns_it_with_comments(client, cal):
    _as(client, cal.yx_staff)
    with on(day(3, 20)):
        bad = client.post(
            reverse("schedule:plan"),
            {"document": SimpleUploadedFile("方案.pdf", b"MZ\x90\x00 not a pdf")},
        )
        assert bad.status_code == 200 and "内容" in bad.content.decode()
        assert not Plan.objects.exists()
        client.post(reverse("schedule:plan"), {"document": SimpleUploadedFile("越秀方案.pdf", PDF)})
    plan = Plan.objects.get(region=cal.yuexiu)
    assert standing(cal.m["plan"], cal.yuexiu).status == UnitMilestone.Status.DONE
    detail = reverse("schedule:plan_detail", args=[plan.pk])
    # The county reads its plan but cannot review it; another county does not see it at all.
    assert client.post(detail, {"decision": "approve"}).status_code == 403
    assert _as(client, cal.th_staff).get(detail).status_code == 404
    download = reverse("schedule:plan_download", args=[plan.pk])
    assert client.get(download).status_code == 404

    _as(client, cal.gz_staff)
    assert b"".join(client.get(download).streaming_content) == PDF
    with on(day(4, 2)):
        empty = client.post(detail, {"decision": "return", "comment": ""})
        assert "退回修改时请填写审核意见" in empty.content.decode()
        client.post(detail, {"decision": "return", "comment": "请补充安全预案"})
    plan.refresh_from_db()
    assert plan.status == Plan.Status.RETURNED
    assert standing(cal.m["plan"], cal.yuexiu).status == UnitMilestone.Status.OVERDUE
    assert any("请补充安全预案" in n.text for n in Notice.objects.filter(user=cal.yx_staff))


def test_a_county_confirms_onboarding_and_a_bad_phone_is_named(client, cal):
    _as(client, cal.yx_staff)
    url = reverse("schedule:onboarding")
    with on(day(4, 1)):
        bad = client.post(url, {"contact_name": "陈老师", "contact_phone": "12345"})
        assert "电话号码" in bad.content.decode() or "不是有效的" in bad.content.decode()
        assert 'value="陈老师"' in bad.content.decode()
        ok = client.post(
            url, {"contact_name": "陈老师", "contact_phone": "13800138000", "address": "越秀区团委"}
        )
    assert ok.status_code == 302
    assert standing(cal.m["onboard"], cal.yuexiu).status == UnitMilestone.Status.DONE
    assert _as(client, cal.gz_staff).get(url).status_code == 403


@pytest.mark.parametrize("role", ["host", "university", "student"])
def test_the_calendar_is_not_there_for_hosts_universities_and_students(client, cal, role):
    from tests.factories import HostUnitFactory, UniversityFactory, UserFactory

    user = {
        "host": lambda: staff(Role.HOST, host_unit=HostUnitFactory(), username="h"),
        "university": lambda: staff(Role.UNIVERSITY, university=UniversityFactory(), username="u"),
        "student": lambda: UserFactory(role=Role.STUDENT),
    }[role]()
    assert _as(client, user).get(reverse("schedule:calendar")).status_code == 404


def test_milestone_codes_cover_the_design_table():
    assert [c.value for c in Milestone.Code] == [
        "plan",
        "onboard",
        "summer_posts",
        "summer_match",
        "summer_practice",
        "winter_posts",
        "winter_match",
        "winter_practice",
        "summary",
        "progress_q2",
        "progress_q3",
        "progress_q4",
        "custom",
    ]


def _calendar_form_data(client, url) -> dict:
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in data.items()}
    return {k: v for k, v in data.items() if v not in (False, None)}


def test_the_province_ticks_lock_after_the_deadline_for_summer_selection_only(client, cal):
    url = reverse("schedule:calendar_edit", args=[cal.programme_year.pk])
    _as(client, cal.province_staff)
    page = client.get(url).content.decode()
    match, plan = cal.m["summer_match"], cal.m["plan"]
    assert f'name="milestone_{match.pk}_hard_lock"' in page
    assert f'name="milestone_{plan.pk}_hard_lock"' not in page  # a plan has nothing to lock
    assert "截止后锁定" in page

    data = _calendar_form_data(client, url)
    data[f"milestone_{match.pk}_hard_lock"] = "on"
    assert client.post(url, data).status_code == 302

    assert set(Milestone.objects.filter(hard_lock=True).values_list("code", flat=True)) == {
        "summer_match"
    }
    event = AuditEvent.objects.get(action="calendar.lock")
    assert event.actor == cal.province_staff
    assert event.data == {"milestone": "summer_match", "hard_lock": True}
    with on(day(5, 1)):
        html = client.get(reverse("schedule:calendar"), {"year": 2030}).content.decode()
    assert "锁定" in html


def test_a_late_county_sees_overdue_on_its_home_page_and_the_city_counts_it(client, cal):
    run(day(4, 16))  # plans (3/31) and onboarding (4/15) are late everywhere
    with on(day(4, 16)):
        county = _as(client, cal.th_staff).get(reverse("home")).content.decode()
    assert "2030年度工作日程" in county
    assert "逾期" in county and "入驻平台" in county and "仍可继续办理" in county
    assert "下一个节点：发布暑假岗位，2030年5月31日 前完成。" in county

    with on(day(4, 16)):
        city = _as(client, cal.gz_staff).get(reverse("home")).content.decode()
    assert "下级单位逾期情况" in city
    assert "3 个单位逾期" in city  # 越秀区, 天河区 and 海珠区 have not onboarded


def test_a_county_that_finishes_late_is_shown_done_late_at_home_and_above(client, cal):
    run(day(4, 16))
    unit = standing(cal.m["onboard"], cal.tianhe)
    UnitMilestone.objects.filter(pk=unit.pk).update(
        status="done", done_at=datetime.datetime(2030, 4, 18, tzinfo=datetime.UTC)
    )
    with on(day(4, 20)):
        county = _as(client, cal.th_staff).get(reverse("home")).content.decode()
        city = _as(client, cal.gz_staff).get(reverse("home")).content.decode()
        board = client.get(reverse("schedule:calendar"), {"year": 2030}).content.decode()
    assert "逾期完成" in county and "4月18日 完成" in county
    assert "1 个单位逾期完成" in city and "2 个单位逾期" in city
    assert "逾期完成" in board


def test_home_pages_of_other_roles_say_nothing_about_the_calendar(client, cal):
    host = staff(Role.HOST, host_unit=cal.unit_th, username="th_host")
    run(day(4, 16))
    with on(day(4, 16)):
        html = _as(client, host).get(reverse("home")).content.decode()
        anonymous = client.logout() or client.get(reverse("home")).content.decode()
    assert "工作日程" not in html and "工作日程" not in anonymous


def test_a_county_publishing_after_its_posts_date_is_told_it_shows_late(client, cal):
    draft = summer_post(cal, "th", status="draft", published_at=None)
    on_time = summer_post(cal, "th", status="draft", published_at=None)
    _as(client, cal.th_staff)
    with on(day(5, 30)):
        early = client.post(reverse("positions:post_publish", args=[on_time.pk]), follow=True)
    with on(day(6, 2)):
        late = client.post(reverse("positions:post_publish", args=[draft.pk]), follow=True)

    assert "岗位已发布" in early.content.decode() and "逾期" not in early.content.decode()
    html = late.content.decode()
    assert "岗位已发布，学生现在可以搜索到它。" in html
    assert "本季岗位发布已于 2030年05月31日 截止，本单位在工作日程中显示为逾期。" in html
    draft.refresh_from_db()
    assert draft.status == "published"
